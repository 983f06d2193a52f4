"""Schedule files: lossless round trips and every problem reported with its path."""

import json

import pytest
from hypothesis import HealthCheck, given, settings

from conftest import measure, on, schedule
from strategies import schedules
from tradelaw import (
    AllOf,
    Bounded,
    Compound,
    ContributionCredit,
    Exemption,
    Fact,
    Goods,
    Money,
    Not,
    OffsetPool,
    Origins,
    Specific,
    Targets,
    TopUp,
    UnknownRate,
    ValidationError,
    dump,
    dumps,
    load,
    loads,
)
from tradelaw.examples import japan_us_2025 as jp


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(schedules())
def test_every_schedule_round_trips_through_toml_and_json(s):
    assert loads(dumps(s, format="toml"), format="toml") == s
    assert loads(dumps(s, format="json"), format="json") == s


def test_every_builtin_kind_round_trips():
    s = schedule(
        measure(
            "compound",
            rate_expr=Bounded(
                Compound((Specific(Money("0.034", "USD"), "kg"), TopUp("15"))),
                minimum=Specific(Money("1", "USD"), "No."),
            ),
            condition=AllOf(
                (Fact("loaded").lt("2025-04-05"), Not(Fact("claim").one_of("S", "S+")))
            ),
            base="content:steel",
            excludes=["mfn"],
            origins=Origins.of("EU", "JP", exclude=["IE"]),
            goods=Goods.of("87", exclude=["8703.90"]),
        ),
        measure("mfn", layer="mfn", rate_expr=UnknownRate("See 9903.88.15")),
        measure("money-cond", layer="y", condition=Fact("steel_value").ge(Money("1.5", "USD"))),
        measure("number-cond", layer="z", condition=Fact("share").ge("0.2")),
        Exemption(
            id="e", period=on("2025-01-01", "2026-01-01"), targets=Targets(measures="comp*")
        ),
        ContributionCredit(
            id="pool",
            period=on("2025-04-03"),
            targets=Targets(layers="mfn"),
            form=OffsetPool(
                share="0.0375", carry_forward=True, windows=(on("2025-04-03", "2026-05-01"),)
            ),
        ),
    )
    for fmt in ("toml", "json"):
        assert loads(dumps(s, format=fmt), format=fmt) == s


def test_files_load_with_includes_and_the_overlay_wins(tmp_path):
    dump(jp.schedule(), tmp_path / "base.toml")
    (tmp_path / "plan.toml").write_text(
        """
format = "tradelaw/1"
name = "plan"
jurisdiction = "US"
zone = "America/New_York"
include = ["base.toml"]

[[items]]
kind = "measure"
id = "jp-reciprocal"
layer = "ieepa-reciprocal"
heading = "9903.01.53"
origins = { terms = ["JP"] }
period = { start = "2025-04-09" }
rate = { kind = "ad-valorem", percent = "15" }
""",
        encoding="utf-8",
    )
    plan = load(tmp_path / "plan.toml")
    assert plan.name == "plan"
    assert plan.resolve(jp.toy("2025-04-09")).total_rate == 15
    assert (
        plan.resolve(jp.car("2025-04-09")).total_rate
        == jp.schedule().resolve(jp.car("2025-04-09")).total_rate
    )
    dump(plan, tmp_path / "plan.json")
    assert load(tmp_path / "plan.json") == plan
    assert json.loads((tmp_path / "plan.json").read_text())["format"] == "tradelaw/1"


def test_every_problem_is_reported_with_file_and_path():
    text = dumps(jp.schedule())
    bad = (
        text.replace('start = "2025-04-05T00:01:00-04:00"', 'start = "2025-13-01"', 1)
        .replace('percent = "24"', "percent = 24.5")
        .replace('kind = "free"', 'kind = "freee"')
        .replace('layer = "mfn"', 'layr = "mfn"', 1)
    )
    with pytest.raises(ValidationError) as caught:
        loads(bad, source="base.toml")
    problems = [str(p) for p in caught.value.problems]
    assert "base.toml: items[0].layer: is missing required field 'layer'" in problems
    assert "base.toml: items[1].rate.kind: 'freee' is not a registered kind" in problems
    assert any(
        p.startswith("base.toml: items[2].period.start: '2025-13-01' is not an ISO 8601")
        for p in problems
    )
    assert any(p.startswith("base.toml: items[3].rate.percent: 24.5 is a float") for p in problems)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("format = 'tradelaw/9'\nzone = 'UTC'", "format: 'tradelaw/9' is not 'tradelaw/1'"),
        (
            "format = 'tradelaw/1'\nzone = 'Mars/Base'",
            "zone: 'Mars/Base' is not an IANA time zone",
        ),
        (
            "format = 'tradelaw/1'\nzone = 'UTC'\nextra = 1",
            "extra: is not a field of a schedule file",
        ),
        ("format = ", "is not valid TOML"),
        (
            "format = 'tradelaw/1'\nzone = 'UTC'\n[[items]]\nkind = 'measure'\nid = 'x'\nlayer = 'l'\n"
            "period = { start = '2025-01-01' }\nrate = { kind = 'ad-valorem', percent = '1' }\nbogus = 1",
            "items[0].bogus: is not a field here",
        ),
        (
            "format = 'tradelaw/1'\nzone = 'UTC'\n[[items]]\nkind = 'ad-valorem'\npercent = '1'",
            "items[0]: kind 'ad-valorem' is not a schedule item",
        ),
        (
            "format = 'tradelaw/1'\nzone = 'UTC'\n[[items]]\nkind = 'measure'\nid = 'x'\nlayer = 'l'\n"
            "period = { start = '2025-01-01' }\nrate = { kind = 'ad-valorem', percent = '1' }\n"
            "condition = { kind = 'compare', fact = 'x', op = '<', value = 1.5 }",
            "items[0].condition.value: 1.5 is a float",
        ),
    ],
)
def test_bad_files_get_clear_errors(text, message):
    with pytest.raises(ValidationError) as caught:
        loads(text, source="f.toml")
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems


def test_loading_never_executes_code(tmp_path):
    marker = tmp_path / "pwned"
    text = (
        "format = 'tradelaw/1'\nzone = 'UTC'\n[[items]]\n"
        f"kind = \"__import__('os').system('touch {marker}')\"\n"
    )
    with pytest.raises(ValidationError, match="is not a registered kind"):
        loads(text)
    assert not marker.exists()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ValidationError, match="nothing.toml: cannot be read"):
        load(tmp_path / "nothing.toml")

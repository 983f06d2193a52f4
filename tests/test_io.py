"""Schedule files: lossless round trips and every problem reported with its path."""

import json

import pytest
from attrs import evolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import measure, on, schedule
from strategies import ZONE, schedules
from tradelaw import (
    AdValorem,
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
    Period,
    Specific,
    Targets,
    TopUp,
    UnknownRate,
    ValidationError,
    dump,
    dumps,
    instant,
    load,
    loads,
)
from tradelaw.examples import japan_us_2025 as jp
from tradelaw.scope import CodeList


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
    assert json.loads((tmp_path / "plan.json").read_text())["format"] == "tradelaw/2"


def test_every_problem_is_reported_with_file_and_path():
    text = dumps(jp.schedule())
    bad = (
        text.replace('start = "2025-04-05"', 'start = "2025-13-01"', 1)
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
        (
            "format = 'tradelaw/9'\nzone = 'UTC'",
            "format: 'tradelaw/9' is not 'tradelaw/1' or 'tradelaw/2'",
        ),
        (
            "format = 'tradelaw/1'\nzone = 'Mars/Base'",
            "zone: 'Mars/Base' is not an IANA time zone",
        ),
        (
            "format = 'tradelaw/1'\nzone = 'UTC'\nextra = 1",
            "extra: is not a field of a tradelaw/1 file",
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


# -- format tradelaw/2: named lists and stated versions ------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(schedules(), st.data())
def test_named_lists_and_versions_round_trip(s, data):
    codes = sorted({p for i in s.items for p in (*i.goods.prefixes, *i.goods.exclude)})
    count = data.draw(st.integers(0, 3)) if codes else 0
    lists = [
        CodeList(f"list-{n}", data.draw(st.lists(st.sampled_from(codes), min_size=1, max_size=4)))
        for n in range(count)
    ]
    named = evolve(s, lists=lists)
    for fmt in ("toml", "json"):
        assert loads(dumps(named, format=fmt), format=fmt) == named


V2 = """
format = "tradelaw/2"
name = "v2"
jurisdiction = "US"
zone = "America/New_York"

[lists."note-33(g)"]
citation = "HTSUS U.S. note 33(g)"
codes = ["8706.00.03", "8707", "8708.10.30"]

[lists."note-33(g)-less-bodies"]
citation = "for the example"
lists = ["note-33(g)"]
remove = ["8707"]

[[items]]
kind = "measure"
id = "parts"
heading = "9903.94.05"
citations = ["Proclamation 10908"]
layer = "s232-autos"
goods = { lists = ["note-33(g)"], exclude = ["8708.10.30"] }
period = { start = "2025-05-03" }
rate = { kind = "ad-valorem", percent = "25" }
recorded = { start = "2025-03-26" }

[[items.versions]]
recorded = { start = "2025-04-29" }
excludes = ["ieepa-reciprocal"]

[[items.versions]]
recorded = { start = "2025-09-04" }
rate = { kind = "ad-valorem", percent = "15" }
unset = ["excludes"]
"""


def test_a_version_states_only_what_changed():
    s = loads(V2)
    first, second, third = s.versions("parts")
    assert first.goods == Goods.of("87060003", "8707", "87081030", exclude=["87081030"])
    assert first.recorded == Period.parse("2025-03-26", "2025-04-29", zone=ZONE)
    assert (second.excludes, second.rate, second.recorded.end) == (
        ("ieepa-reciprocal",),
        AdValorem("25"),
        instant("2025-09-04", ZONE),
    )
    assert (third.excludes, third.rate, third.goods) == ((), AdValorem("15"), first.goods)
    assert [x.name for x in s.lists] == ["note-33(g)", "note-33(g)-less-bodies"]
    assert s.lists[1].codes == ("87060003", "87081030")
    again = dumps(s)
    assert again.count("[[items.versions]]") == 2
    assert 'goods = { lists = ["note-33(g)"], exclude = ["8708.10.30"] }' in again
    assert loads(again) == s


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (V2.replace('lists = ["note-33(g)"], exclude', 'lists = ["note-99"], exclude'),
         "items[0].goods.lists: 'note-99' is no list of this file"),
        (V2.replace('lists = ["note-33(g)"]\nremove', 'lists = ["note-33(g)-less-bodies"]\nremove'),
         "lists.note-33(g)-less-bodies: is built from itself"),
        (V2.replace('[[items.versions]]\nrecorded = { start = "2025-04-29" }',
                    '[[items.versions]]\nid = "other"\nrecorded = { start = "2025-04-29" }'),
         "items[0].versions[0].id: 'other' cannot change"),
        (V2.replace('format = "tradelaw/2"', 'format = "tradelaw/1"'),
         "lists: is not a field of a tradelaw/1 file"),
        (V2.replace('percent = "15"', 'percent = 15.5'),
         "items[0].versions[1].rate.percent"),
    ],
)  # fmt: skip
def test_bad_lists_and_versions_are_reported_with_their_path(text, message):
    with pytest.raises(ValidationError) as error:
        loads(text, source="v2.toml")
    assert message in str(error.value)


def test_a_tradelaw_1_file_still_loads_and_check_says_its_format(tmp_path):
    from tradelaw.io import format_of

    old = tmp_path / "old.toml"
    old.write_text(dumps(jp.schedule()).replace('"tradelaw/2"', '"tradelaw/1"'), encoding="utf-8")
    assert load(old) == jp.schedule()
    assert format_of(old) == "tradelaw/1"
    new = tmp_path / "new.toml"
    dump(jp.schedule(), new)
    assert format_of(new) == "tradelaw/2"


def _plain() -> st.SearchStrategy[object]:
    scalars = st.one_of(st.text(), st.integers(-(10**12), 10**12), st.booleans())
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=30),
            st.dictionaries(st.text(min_size=1, max_size=12), inner, max_size=5),
        ),
        max_leaves=60,
    )


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(st.text(min_size=1, max_size=10), _plain(), max_size=6),
    st.lists(st.dictionaries(st.text(min_size=1, max_size=10), _plain(), max_size=6), max_size=3),
)
def test_the_toml_writer_writes_what_tomllib_reads_back(top, items):
    import tomllib

    from tradelaw.io import _toml

    data = {k: v for k, v in top.items() if k != "items"} | {"items": items}
    assert tomllib.loads(_toml.write(data)) == data


def test_a_byte_order_mark_is_accepted(tmp_path):
    file = tmp_path / "bom.toml"
    file.write_text("\ufeff" + dumps(jp.schedule()), encoding="utf-8")
    assert load(file) == jp.schedule()


def test_a_json_key_given_twice_is_an_error():
    text = '{"format": "tradelaw/2", "zone": "UTC", "name": "a", "name": "b"}'
    with pytest.raises(ValidationError, match="key 'name' is given twice"):
        loads(text, format="json", source="twice.json")


_HEAD = 'format = "tradelaw/2"\nname = "x"\njurisdiction = "US"\nzone = "UTC"\n'
_ITEM = '[[items]]\nkind = "measure"\nid = "m"\nlayer = "l"\nperiod = { start = "2025-01-01" }\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_HEAD + "requires = 5\n", "requires: 5 is not a list of layer names"),
        (_HEAD.replace('"UTC"', '"' + "A" * 300 + '"'), "is not an IANA time zone"),
        (_HEAD + _ITEM + 'rate = { kind = "compare", fact = "x", op = "==", value = 1 }\n',
         "items[0].rate.kind: 'compare' is not a rate"),
        (_HEAD + _ITEM + 'rate = { kind = "free" }\ncondition = { kind = "free" }\n',
         "items[0].condition.kind: 'free' is not a condition"),
        (_HEAD + _ITEM + 'rate = { kind = "ad-valorem", percent = "1e999999" }\n',
         "items[0].rate.percent: '1e999999' is out of range"),
        (_HEAD + _ITEM + 'rate = { kind = "free" }\ncondition = '
         + '{ kind = "not", condition = ' * 2000 + '{ kind = "present", fact = "loaded" }'
         + " }" * 2000 + "\n", "nested too deeply"),
        (_HEAD.replace('"x"', '"\ud800"'), "is not text: a lone surrogate"),
    ],
)  # fmt: skip
def test_bad_values_are_problems_with_their_path_not_crashes(text, message):
    with pytest.raises(ValidationError) as error:
        loads(text, source="bad.toml")
    assert message in str(error.value)


def test_an_include_with_a_nul_is_refused(tmp_path):
    file = tmp_path / "nul.toml"
    file.write_text(_HEAD + 'include = ["a\\u0000b.toml"]\n', encoding="utf-8")
    with pytest.raises(ValidationError, match="holds a NUL character"):
        load(file)


def test_an_include_cycle_is_an_error_naming_the_chain(tmp_path):
    (tmp_path / "a.toml").write_text(_HEAD + 'include = ["b.toml"]\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text(_HEAD + 'include = ["a.toml"]\n', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"is a cycle: .*a\.toml -> .*b\.toml -> .*a\.toml"):
        load(tmp_path / "a.toml")


def test_an_include_must_be_a_regular_file_inside_the_folder(tmp_path):
    import os

    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo.toml")
        (tmp_path / "f.toml").write_text(_HEAD + 'include = ["fifo.toml"]\n', encoding="utf-8")
        with pytest.raises(ValidationError, match="is not a regular file"):
            load(tmp_path / "f.toml")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "x.toml").write_text(_HEAD + 'include = ["/etc/passwd"]\n', encoding="utf-8")
    with pytest.raises(ValidationError, match="is outside the folder"):
        load(inner / "x.toml")


def test_a_file_too_big_is_refused(tmp_path, monkeypatch):
    import tradelaw.io as io

    monkeypatch.setattr(io, "MAX_FILE_SIZE", 10)
    (tmp_path / "big.toml").write_text(_HEAD, encoding="utf-8")
    with pytest.raises(ValidationError, match="is too big"):
        load(tmp_path / "big.toml")

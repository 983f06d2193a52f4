"""The worked example of the 2025 Japan–US tariff talks, checked date by date."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from tradelaw import Money, Reason
from tradelaw.examples import japan_us_2025 as jp

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def s():
    return jp.schedule()


@pytest.mark.parametrize(
    ("day", "car", "toy"),
    [
        ("2025-04-02", "2.5", "0"),  # before everything: column 1 only
        ("2025-04-03", "27.5", "0"),  # Section 232 cars from 12:01 a.m. 3 April
        ("2025-04-04", "27.5", "0"),
        ("2025-04-05", "27.5", "10"),  # baseline; cars excluded from the reciprocal layer
        ("2025-04-08", "27.5", "10"),
        ("2025-04-09", "27.5", "24"),  # the one-day 24% window
        ("2025-04-10", "27.5", "10"),  # paused: back to the baseline
        ("2025-07-08", "27.5", "10"),
        ("2025-07-09", "27.5", "10"),  # as amended, the pause was extended
        ("2025-08-06", "27.5", "10"),
        ("2025-08-07", "27.5", "10"),  # the 24% rate was replaced on 7 August
    ],
)
def test_rates_by_date(s, day, car, toy):
    assert s.resolve(jp.car(day)).total_rate == Decimal(car)
    assert s.resolve(jp.toy(day)).total_rate == Decimal(toy)


def test_the_one_day_window_at_its_instants(s):
    assert s.resolve(jp.toy("2025-04-09T00:00:59-04:00")).total_rate == 10
    assert s.resolve(jp.toy("2025-04-09T00:01:00-04:00")).total_rate == 24
    assert s.resolve(jp.toy("2025-04-10T00:00:59-04:00")).total_rate == 24
    assert s.resolve(jp.toy("2025-04-10T00:01:00-04:00")).total_rate == 10


@pytest.mark.parametrize(
    ("as_of", "rate"),
    [("2025-07-01", "24"), ("2025-07-08", "10"), ("2025-08-01", "10")],
)
def test_the_pause_extensions_as_known_then(s, as_of, rate):
    """Known on 1 July, the pause ended 9 July: goods entered that day owed 24%."""
    assert s.resolve(jp.toy("2025-07-09"), as_of=as_of).total_rate == Decimal(rate)


def test_as_of_1_august_knew_the_pause_to_end_on_1_august_only(s):
    assert s.resolve(jp.toy("2025-08-01"), as_of="2025-07-20").total_rate == 24
    assert s.resolve(jp.toy("2025-08-01"), as_of="2025-08-01").total_rate == 10


def test_the_car_skips_the_reciprocal_layer_with_reasons(s):
    r = s.resolve(jp.car("2025-04-09"))
    assert [a.heading for a in r.applied] == ["8703.23.01", "9903.94.01"]
    reasons = {(x.item.id, x.reason, tuple(b.id for b in x.by)) for x in r.skipped}
    assert ("jp-reciprocal", Reason.DISPLACED, ("s232-passenger-vehicles",)) in reasons
    assert ("baseline", Reason.OUTRANKED, ("jp-reciprocal",)) in reasons
    assert r.duty == Money("11000", "USD")


def test_semiconductors_are_exempt_from_the_reciprocal_layer(s):
    from tradelaw import Entry

    chip = Entry("8542.31.00", "JP", "2025-04-09", Money("500", "USD"))
    r = s.resolve(chip)
    assert r.applied == ()
    assert {x.reason for x in r.skipped} == {Reason.EXEMPTED}


def test_japans_proposal_lowers_the_car_rate_down_to_its_floor(s):
    def rate(billions):
        investment = Money(str(billions * 10**9), "USD")
        return s.resolve(jp.car("2025-06-10", us_auto_investment=investment)).total_rate

    assert rate(0) == Decimal("27.5")
    assert rate(50) == Decimal("22.5")
    assert rate(100) == Decimal("17.5")
    assert rate(550) == Decimal("17.5")  # 2.5% column 1 + the 15% floor


def test_timeline_of_the_toy(s):
    segments = s.timeline(jp.TOY, "JP", "2025-01-01", "2026-01-01")
    got = [(str(x.period.start.date()), x.resolution.total_rate) for x in segments]
    assert got == [("2025-01-01", 0), ("2025-04-05", 10), ("2025-04-09", 24), ("2025-04-10", 10)]
    as_filed = s.timeline(jp.TOY, "JP", "2025-07-01", "2025-08-01", as_of="2025-07-01")
    assert [(str(x.period.start.date()), x.resolution.total_rate) for x in as_filed] == [
        ("2025-07-01", 10),
        ("2025-07-09", 24),
    ]


def test_explanation_matches_golden_text(s):
    text = s.resolve(jp.car("2025-04-09")).explain()
    assert text == (GOLDEN / "japan_car_2025-04-09.txt").read_text(encoding="utf-8").rstrip("\n")


def test_to_dict_is_json_ready_with_decimal_strings(s):
    data = s.resolve(jp.car("2025-04-09")).to_dict()
    text = json.dumps(data)
    assert data["total_rate"] == "27.5"
    assert data["duty"] == {"amount": "11000", "currency": "USD"}
    assert [a["heading"] for a in data["applied"]] == ["8703.23.01", "9903.94.01"]
    assert "float" not in text
    assert json.loads(text) == data


def test_demo_prints_the_story(capsys):
    jp.main()
    out = capsys.readouterr().out
    assert "2025-04-09  car  27.5%   toy  24%" in out
    assert "2025-04-09 – 2025-04-10: 24%" in out

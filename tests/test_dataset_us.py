"""The embedded `us` dataset: its soundness, its citations, and a golden table of cases.

Each golden case (tests/golden/us_cases*.csv, one file per part of the law) cites the primary source it was derived
from: a CBP CSMS message, a Chapter 99 note or heading, an Executive Order or a
Proclamation. `expected_rate` is the total ad valorem rate in percent ("unknown" when the
duty cannot be computed, "prohibited" when the import is banned); `expected_headings` the
applied headings, space-separated, in any order.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from golden import cases, entry_of
from tradelaw import Entry, Measure, Money, Prohibited, datasets
from tradelaw.io import load

DATASET = Path(datasets.__file__).parent / "us"


@pytest.fixture(scope="module")
def us():
    return datasets.load("us")


CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_golden_case(us, case: dict[str, str]):
    entry = entry_of(us, case)
    resolution = us.resolve(entry, as_of=case["as_of"] or None)
    context = f"{case['case']} ({case['source']}):\n{resolution.explain()}"
    if case["expected_rate"] == "unknown":
        assert not resolution.is_known, context
        assert not resolution.is_prohibited, context
    elif case["expected_rate"] == "prohibited":
        assert resolution.is_prohibited, context
    else:
        assert resolution.is_known, context
        assert resolution.total_rate == Decimal(case["expected_rate"]), context
    assert sorted(resolution.headings) == sorted(case["expected_headings"].split()), context


def test_every_case_cites_its_source():
    assert all(case["source"].strip() for case in CASES)
    # A source with an unquoted comma would spill into extra cells and be cut short.
    assert [case["case"] for case in CASES if None in case] == []


def test_the_dataset_is_sound(us):
    assert us.problems() == ()
    assert load(DATASET / "index.toml") == us


def test_every_item_names_its_instrument_and_heading(us):
    for item in us.items:
        assert item.citations, item.id
        if isinstance(item, Measure) and not isinstance(item.rate, Prohibited):
            assert item.heading, item.id  # an import ban has no Chapter 99 heading
        base_rate = isinstance(item, Measure) and item.layer == "mfn"
        if not base_rate:  # column 1 rates are as printed; every other item has a history
            assert item.recorded is not None, f"{item.id} has no knowledge history"


def test_the_auto_parts_offset_is_a_pool_spent_across_entries(us):
    """Proclamation 10925: 3.75% of the MSRP of US-assembled vehicles offsets parts duties."""
    from tradelaw import Ledger

    ledger = Ledger(us)
    # USD 1,000,000 of MSRP earns USD 37,500 of offsets.
    ledger.contribute("autos-offset", Money("1000000", "USD"), "2025-05-01", importer="ACME")
    parts = Entry(
        "8708.30.50", "JP", "2025-06-02", Money("100000", "USD"), facts={"importer": "ACME"}
    )
    first = ledger.resolve(parts)
    # 2.5% column 1 stays; the 25% parts duty (USD 25,000) is wholly offset.
    assert first.duty == Money("2500", "USD")
    assert ledger.balance("autos-offset", "ACME", "2025-06-02") == Money("12500", "USD")
    second = ledger.resolve(
        Entry("8708.30.50", "JP", "2025-06-03", Money("100000", "USD"), facts={"importer": "ACME"})
    )
    # Only USD 12,500 is left: USD 12,500 of the parts duty is still owed.
    assert second.duty == Money("15000", "USD")
    assert ledger.balance("autos-offset", "ACME", "2025-06-03") == Money.zero("USD")


def test_the_offset_does_not_touch_the_vehicle_duty(us):
    from tradelaw import Ledger

    ledger = Ledger(us)
    ledger.contribute("autos-offset", Money("1000000", "USD"), "2025-05-01", importer="ACME")
    car = Entry(
        "8703.23.01", "JP", "2025-06-02", Money("40000", "USD"), facts={"importer": "ACME"}
    )
    assert ledger.resolve(car).duty == Money("11000", "USD")


def _steps(us, goods: str, as_of: str | None = None) -> list[tuple[str, str]]:
    segments = us.timeline(goods, "JP", "2025-01-01", "2027-01-01", as_of=as_of)
    return [(s.period.start.date().isoformat(), str(s.resolution.total_rate)) for s in segments]


def test_a_japanese_car_across_2025_and_2026(us):
    """The demo's timeline: column 1, then Section 232 (3 Apr 2025), then 15% (16 Sep 2025)."""
    assert _steps(us, "8703.23.01") == [
        ("2025-01-01", "2.5"),
        ("2025-04-03", "27.5"),
        ("2025-09-16", "15"),
        ("2026-01-01", "15"),  # the 2026 edition of the HTSUS: same rate, new citation
    ]


def test_a_japanese_toy_across_2025_and_2026_as_filed_and_as_amended(us):
    """IEEPA as known on 19 Feb 2026, and after Learning Resources: the refund is the gap."""
    as_filed = _steps(us, "9503.00.00", as_of="2026-02-19")
    assert as_filed == [
        ("2025-01-01", "0"),
        ("2025-04-05", "10"),  # baseline (EO 14257)
        ("2025-04-09", "24"),  # Japan's rate, one day
        ("2025-04-10", "10"),  # the pause (EO 14266)
        ("2025-08-07", "15"),  # 15% inclusive (EO 14326, EO 14345), open-ended as known then
        ("2026-01-01", "15"),  # the 2026 edition of the HTSUS
    ]
    assert _steps(us, "9503.00.00") == [
        ("2025-01-01", "0"),  # every IEEPA duty void
        ("2026-01-01", "0"),  # the 2026 edition of the HTSUS
        ("2026-02-24", "10"),  # Section 122 (Proclamation 11012)
        ("2026-07-24", "12.5"),  # Section 301, Japan 12.5% inclusive
    ]


def test_the_format_page_s_tradelaw_2_example_is_the_dataset_s_item(us):
    import re

    page = (Path(__file__).parents[1] / "docs" / "format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", page, re.S)
    (example,) = [b for b in blocks if "[[items.versions]]" in b and "autos-parts" in b]
    head = 'format = "tradelaw/2"\nname = "x"\njurisdiction = "US"\nzone = "America/New_York"\n'
    from tradelaw import loads

    assert loads(head + example).versions("autos-parts") == us.versions("autos-parts")
    # and it is the file's own text, each list and the item as written there
    data = Path(__file__).parents[1] / "src" / "tradelaw" / "datasets" / "us" / "s232_autos.toml"
    text = data.read_text(encoding="utf-8")
    for table in example.strip().split("\n\n[["):
        assert table.lstrip("[") in text

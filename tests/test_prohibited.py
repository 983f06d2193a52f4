"""An import ban: a measure that says "prohibited", never a rate of zero."""

from __future__ import annotations

import pytest

from conftest import on
from tradelaw import (
    AdValorem,
    Entry,
    Exemption,
    Goods,
    Measure,
    Money,
    Origins,
    Prohibited,
    ProhibitedError,
    Schedule,
    Targets,
    dumps,
    loads,
)


def _schedule() -> Schedule:
    mfn = Measure(id="mfn", layer="mfn", period=on("2025-01-01"), rate=AdValorem("2.5"))
    ban = Measure(
        id="ban", title="Import ban on widgets", citations=["Proclamation 99999"],
        heading="9903.99.99", layer="ban", goods=Goods.of("8479"), origins=Origins.of("CA"),
        period=on("2026-09-29"), rate=Prohibited(),
    )  # fmt: skip
    transit = Exemption(
        id="in-transit", period=on("2026-09-29", "2026-10-29"),
        condition=None, goods=Goods.of("847989"), targets=Targets(measures=["ban"]),
    )  # fmt: skip
    return Schedule([mfn, ban, transit], name="ban", jurisdiction="US", zone="America/New_York")


def _entry(code: str = "8479.89.94", when: str = "2026-11-02") -> Entry:
    return Entry(code, "CA", when, Money("1000", "USD"))


def test_a_ban_makes_the_entry_prohibited_not_free():
    resolution = _schedule().resolve(_entry("8479.10.00"))
    assert resolution.is_prohibited
    assert not resolution.is_known
    assert [m.id for m in resolution.prohibited] == ["ban"]
    with pytest.raises(ProhibitedError, match=r"ban \(Proclamation 99999\)"):
        resolution.duty
    with pytest.raises(ProhibitedError):
        resolution.total_rate
    text = resolution.explain()
    assert "Total: the goods may not be entered (USD 1,000.00)" in text
    assert "9903.99.99  Import ban on widgets — the goods may not be entered" in text
    assert resolution.to_dict()["prohibited"] == [
        {"id": "ban", "layer": "ban", "heading": "9903.99.99", "citation": "Proclamation 99999"}
    ]


def test_a_ban_starts_on_its_date_and_can_be_exempted():
    schedule = _schedule()
    assert schedule.resolve(_entry("8479.10.00", "2026-09-28")).total_rate == 2.5
    exempted = schedule.resolve(_entry("8479.89.94", "2026-10-01"))
    assert exempted.total_rate == 2.5
    assert ("ban", "exempted") in [(s.item.id, s.reason) for s in exempted.skipped]
    assert schedule.resolve(_entry("8479.89.94", "2026-11-02")).is_prohibited


def test_a_timeline_shows_when_the_ban_starts():
    periods = _schedule().timeline("8479.10.00", "CA", "2026-09-01", "2026-12-01")
    assert [(str(p.period.start.date()), p.resolution.is_prohibited) for p in periods] == [
        ("2026-09-01", False),
        ("2026-09-29", True),
    ]


def test_a_ban_round_trips_through_a_file():
    schedule = _schedule()
    text = dumps(schedule)
    assert 'rate = { kind = "prohibited" }' in text
    assert loads(text) == schedule


def test_the_command_reports_a_ban(tmp_path):
    import csv
    import subprocess
    import sys
    from pathlib import Path

    from tradelaw import dump

    file = tmp_path / "ban.toml"
    dump(_schedule(), file)
    script = Path(sys.executable).parent / "tradelaw"
    rate = subprocess.run(
        [script, "rate", "8479.10.00", "--origin", "CA", "--on", "2026-11-02", "--schedule", file],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert rate.returncode == 1
    assert "Total: the goods may not be entered" in rate.stdout
    rows = tmp_path / "entries.csv"
    rows.write_text("goods,origin,entered,value\n8479.10.00,CA,2026-11-02,1000\n")
    done = subprocess.run(
        [script, "entries", rows, "--schedule", file], capture_output=True, text=True, check=False
    )
    (row,) = csv.DictReader(done.stdout.splitlines())
    assert (row["status"], row["message"]) == ("prohibited", "ban: Proclamation 99999")
    assert done.stderr.startswith("1 rows: 0 ok, 0 unknown, 1 prohibited, 0 unresolved, 0 error")
    assert done.returncode == 1

"""The golden cases of the `us` dataset (tests/golden/us_cases*.csv) and the entries they describe.

Shared by the golden test and the coverage tool of ``notes/us-research/tools``, so both read
a case the same way.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from tradelaw import Entry, Money, Quantity, Schedule

GOLDEN = sorted((Path(__file__).parent / "golden").glob("us_cases*.csv"))


def cases(paths: Iterable[Path] = GOLDEN) -> list[dict[str, str]]:
    """The rows of the golden files, less the commented-out ones."""
    rows = []
    for path in paths:
        with Path(path).open(encoding="utf-8", newline="") as file:
            rows += [row for row in csv.DictReader(file) if not row["case"].startswith("#")]
    return rows


def entry_of(us: Schedule, case: dict[str, str]) -> Entry:
    """The entry a golden case describes, its facts read by the types ``us`` declares."""
    declared = us.declared_facts
    facts = {}
    for pair in filter(None, case["facts"].split(";")):
        name, _, text = pair.partition("=")
        facts[name] = declared[name].parse(text)
    if case["loaded"]:
        facts["loaded"] = declared["loaded"].parse(case["loaded"])
    quantity = None
    if case["quantity"]:
        number, unit = case["quantity"].split(" ", 1)
        quantity = Quantity(number, unit)
    return Entry(
        case["goods"],
        case["origin"],
        case["entered"],
        Money(case["value"] or "10000", "USD"),
        quantity,
        facts,
    )

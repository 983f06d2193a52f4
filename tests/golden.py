"""The golden cases of the `us` dataset (tests/golden/us_cases*.csv) and the entries they describe.

Shared by the golden test and the coverage tool of ``notes/us-research/tools``, so both read
a case the same way.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from tradelaw import Entry, Measure, Money, Quantity, Schedule
from tradelaw.time import instant

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


def coverage(
    us: Schedule, rows: list[dict[str, str]]
) -> tuple[list[str], list[tuple[str, str, date]]]:
    """What the golden ``rows`` leave untested in ``us``.

    Returns the ids of the measures (other than the base layer) that no row reaches
    (applied, unknown or prohibited, as amended or as filed at the row's ``as_of``), and
    each start or end of a measure, as ``(id, "start" | "end", day)``, that lacks a row
    the measure's goods and origins cover on the day before or on the day itself.
    """
    measures = [i for i in us.items if isinstance(i, Measure) and i.layer != "mfn"]
    reached: set[str] = set()
    by_day: dict[date, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_day[date.fromisoformat(row["entered"])].append(row)
        entry = entry_of(us, row)
        for as_of in {None, row["as_of"] or None}:
            resolution = us.resolve(entry, as_of=as_of)
            reached.update(line.measure.id for line in resolution.applied)
            reached.update(measure.id for measure in resolution.prohibited)
            reached.update(u.measure.id for u in resolution.unknown if u.measure is not None)
    unreached = sorted({m.id for m in measures} - reached)

    def covers(measure: Measure, day: date) -> bool:
        at = instant(day, us.zone)
        return any(
            measure.goods.specificity(row["goods"]) is not None
            and measure.origins.specificity(row["origin"].upper(), at) is not None
            for row in by_day[day]
        )

    bounds: dict[tuple[str, str, date], list[Measure]] = defaultdict(list)
    for measure in measures:
        if measure.void:
            continue
        for kind, moment in (("start", measure.period.start), ("end", measure.period.end)):
            if moment is not None and moment.year >= 1900:
                day = moment.astimezone(instant("2025-01-01", us.zone).tzinfo).date()
                bounds[(measure.id, kind, day)].append(measure)
    missing = [
        key
        for key, versions in sorted(bounds.items())
        if not (
            any(covers(v, key[2]) for v in versions)
            and any(covers(v, key[2] - timedelta(days=1)) for v in versions)
        )
    ]
    return unreached, missing

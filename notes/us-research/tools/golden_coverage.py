"""Coverage of the `us` dataset by the golden cases (issue 12).

(a) measures (kind measure, layer != mfn) never applied in any golden resolution
    (latest versions, and the filed versions for rows with as_of);
(b) for every measure, each period start/end date (America/New_York) for which no golden
    row covered by the measure (goods prefix, origin in scope) has entered on that date
    AND one has entered on the day before.

Usage: python golden_coverage.py [--json out.json]
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from tradelaw import Measure, datasets
from tradelaw.time import instant

TESTS = Path(__file__).resolve().parents[3] / "tests"
sys.path.insert(0, str(TESTS))

from golden import cases as golden_cases  # noqa: E402
from golden import entry_of  # noqa: E402

ZONE = "America/New_York"


def local_date(moment):
    return moment.astimezone(instant("2025-01-01", ZONE).tzinfo).date()


def main(argv):
    us = datasets.load("us")
    cases = golden_cases()
    measures = [i for i in us.items if isinstance(i, Measure) and i.layer != "mfn"]
    ids = sorted({m.id for m in measures})

    applied = defaultdict(set)  # measure id -> case ids
    errors = []
    for case in cases:
        try:
            entry = entry_of(us, case)
            resolutions = [us.resolve(entry)]
            if case["as_of"]:
                resolutions.append(us.resolve(entry, as_of=case["as_of"]))
        except Exception as exc:  # noqa: BLE001
            errors.append((case["case"], repr(exc)))
            continue
        for res in resolutions:
            for line in res.applied:
                applied[line.measure.id].add(case["case"])
    uncovered = [i for i in ids if i not in applied]

    # (b) boundary dates
    by_date = defaultdict(list)  # entered date -> cases
    for case in cases:
        by_date[date.fromisoformat(case["entered"])].append(case)

    def covers(m, case, day):
        at = instant(day, ZONE)
        try:
            return (m.goods.specificity(case["goods"]) is not None
                    and m.origins.specificity(case["origin"], at) is not None)
        except Exception:  # noqa: BLE001
            return False

    boundaries = {}  # (id, kind, date) -> list of versions
    for m in measures:
        if m.void:
            continue
        points = [("start", m.period.start)]
        if m.period.end is not None:
            points.append(("end", m.period.end))
        for kind, moment in points:
            if moment.year < 1900:
                continue
            boundaries.setdefault((m.id, kind, local_date(moment)), []).append(m)
    missing = []
    for (mid, kind, day), versions in sorted(boundaries.items()):
        before = day - timedelta(days=1)
        on = any(covers(v, c, day) for v in versions for c in by_date[day])
        prev = any(covers(v, c, before) for v in versions for c in by_date[before])
        if not (on and prev):
            missing.append((mid, kind, day.isoformat(),
                            ("" if on else "day-of") + (" " if not on and not prev else "")
                            + ("" if prev else "day-before")))

    print(f"golden rows: {len(cases)}; resolution errors: {len(errors)}")
    for e in errors:
        print("  ERROR", *e)
    print(f"measures (non-mfn ids): {len(ids)}")
    print(f"(a) uncovered measures: {len(uncovered)}")
    for i in uncovered:
        v = us.versions(i)[-1]
        print(f"  {i}\t{v.heading}\t{v.layer}\t{v.period}")
    print(f"(b) boundary dates: {len(boundaries)}; uncovered: {len(missing)}")
    for mid, kind, day, what in missing:
        print(f"  {mid}\t{kind}\t{day}\tmissing {what}")
    if "--json" in argv:
        out = argv[argv.index("--json") + 1]
        Path(out).write_text(json.dumps({"uncovered": uncovered, "missing": missing}, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])

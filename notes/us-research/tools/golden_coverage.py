"""Coverage of the `us` dataset by the golden cases (issue 12).

Prints (a) the measures (other than the base layer) no golden case reaches, and (b) each
start or end of a measure without a golden case on the day before and the day of, as
``tests/golden.py`` computes them (tests/test_dataset_us_coverage.py holds both at zero,
except starts on or before 1 January 2025, the dataset's first day).

Usage: python golden_coverage.py [--json out.json]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tests"))
from golden import cases, coverage  # noqa: E402
from tradelaw import datasets  # noqa: E402


def main(argv):
    rows = cases()
    unreached, missing = coverage(datasets.load("us"), rows)
    print(f"golden rows: {len(rows)}")
    print(f"(a) measures no case reaches: {len(unreached)}")
    for mid in unreached:
        print(f"  {mid}")
    print(f"(b) starts and ends without a case the day before and the day of: {len(missing)}")
    for mid, kind, day in missing:
        print(f"  {mid}\t{kind}\t{day}")
    if "--json" in argv:
        out = argv[argv.index("--json") + 1]
        data = {"uncovered": unreached, "missing": [[m, k, d.isoformat(), ""] for m, k, d in missing]}
        Path(out).write_text(json.dumps(data, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])

"""Benchmark: ``Schedule.resolve()`` on the real `us` dataset with real-distribution entries.

Entries come from ``real_entries.py`` (random HTS lines of the edition in force, 40 origins
weighted toward the largest US suppliers, dates over 2025-2026, quantities in the rate's
unit). Prints resolutions per second, as amended and as filed, as the median of several
runs (the machine is shared), and how many entries were known, unknown or prohibited.

Target (issue 13): at least 20,000 resolutions per second as amended.

Run: ``python benchmarks/bench_us.py [--entries N] [--runs N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_entries import real_entries
from tradelaw import datasets
from tradelaw.errors import TradelawError


def run(schedule, entries, as_of=None) -> tuple[float, Counter[str]]:
    outcomes: Counter[str] = Counter()
    started = time.perf_counter()
    for entry in entries:
        try:
            resolution = schedule.resolve(entry, as_of=as_of)
        except TradelawError:
            outcomes["error"] += 1
            continue
        status = "known" if resolution.is_known else "unknown"
        outcomes["prohibited" if resolution.is_prohibited else status] += 1
    return len(entries) / (time.perf_counter() - started), outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    us = datasets.load("us")
    entries = real_entries(us, args.entries, seed=13)
    run(us, entries[:2000])  # warm the lazily built lines
    for label, as_of in (("as amended", None), ("as filed 2025-06-01", "2025-06-01")):
        rates, outcomes = [], Counter()
        for _ in range(args.runs):
            rate, outcomes = run(us, entries, as_of)
            rates.append(rate)
        print(
            f"resolve() {label}: {statistics.median(rates):,.0f} entries/s "
            f"(median of {args.runs}; runs {', '.join(f'{r:,.0f}' for r in rates)}); "
            f"{dict(outcomes)}"
        )


if __name__ == "__main__":
    main()

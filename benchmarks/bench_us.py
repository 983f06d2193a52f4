"""Benchmark: ``Schedule.resolve()`` on the real `us` dataset with real-distribution entries.

Entries come from ``real_entries.py`` (random HTS lines of the edition in force, 40 origins
weighted toward the largest US suppliers, dates over 2025-2026, quantities in the rate's
unit). Prints resolutions per second, as amended and as filed, as the median of several
runs (the machine is shared), and how many entries were known, unknown or prohibited.
Each run is timed by the wall clock and by the process's CPU time: on a shared machine the
second is the steadier. The first pass, which builds each HTS line's measures once, is
timed on its own.

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


def run(schedule, entries, as_of=None) -> tuple[float, float, Counter[str]]:
    outcomes: Counter[str] = Counter()
    started, cpu = time.perf_counter(), time.process_time()
    for entry in entries:
        try:
            resolution = schedule.resolve(entry, as_of=as_of)
        except TradelawError:
            outcomes["error"] += 1
            continue
        status = "known" if resolution.is_known else "unknown"
        outcomes["prohibited" if resolution.is_prohibited else status] += 1
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return len(entries) / wall, len(entries) / cpu, outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    us = datasets.load("us")
    entries = real_entries(us, args.entries, seed=13)
    first, _cpu, _outcomes = run(us, entries)  # builds the lines' measures
    print(f"resolve() first pass, building lines: {first:,.0f} entries/s")
    for label, as_of in (("as amended", None), ("as filed 2025-06-01", "2025-06-01")):
        walls, cpus, outcomes = [], [], Counter()
        for _ in range(args.runs):
            wall, cpu, outcomes = run(us, entries, as_of)
            walls.append(wall)
            cpus.append(cpu)
        print(
            f"resolve() {label}: {statistics.median(walls):,.0f} entries/s wall, "
            f"{statistics.median(cpus):,.0f} per CPU second (medians of {args.runs}; "
            f"wall {', '.join(f'{r:,.0f}' for r in walls)}); {dict(outcomes)}"
        )


if __name__ == "__main__":
    main()

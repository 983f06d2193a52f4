"""Benchmark: a cold start of the command on the embedded dataset and the full official HTS.

Runs ``tradelaw rate 8703.23.01 --origin JP --on 2025-06-10 --hts FILE`` in a fresh
process several times and prints the median and worst wall-clock time: interpreter start,
imports, loading the embedded default dataset, importing every line of the official HTS
export (about 30,000 lines), one resolution and its explanation.

Target (issue 4): under 1.5 seconds.

Run: ``make bench`` or ``python benchmarks/bench_cold_start.py [--hts FILE] [--runs N]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HTS = ROOT.parent / "shared" / "data" / "hts" / "hts_2026_revision_4.csv"
TARGET = 1.5


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--hts", type=Path, default=DEFAULT_HTS)
    options.add_argument("--runs", type=int, default=7)
    args = options.parse_args()
    if not args.hts.is_file():
        print(f"skipped: no HTS export at {args.hts} (give --hts FILE)")
        return 0
    command = [
        str(Path(sys.executable).parent / "tradelaw"),
        "rate", "8703.23.01", "--origin", "JP", "--on", "2025-06-10", "--hts", str(args.hts),
    ]  # fmt: skip
    seconds = []
    for _ in range(args.runs):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds.append(time.perf_counter() - started)
        if done.returncode != 0:
            print(done.stdout + done.stderr)
            return 1
    median, worst = statistics.median(seconds), max(seconds)
    verdict = "met" if worst < TARGET else "NOT met"
    print(
        f"cold start with the full HTS ({args.hts.name}): median {median:.2f} s, "
        f"worst {worst:.2f} s over {args.runs} runs; target < {TARGET} s {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

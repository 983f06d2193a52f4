"""Benchmark: a cold start of the command on the embedded `us` dataset, every line included.

Runs each command in a fresh process several times and prints the median and worst
wall-clock time of:

* ``tradelaw rate 3924.10.40 --origin JP --on 2026-03-01``, with no HTS file: interpreter
  start, imports, loading the embedded `us` dataset (its schedule files and the HTSUS
  edition in force, 26,621 lines read, only the code's built), one resolution and its
  explanation. Target (issue 11): a median of 0.5 s or less;
* the same with ``--hts FILE --hts-from 2026-07-01`` and a date in July: a user's newer
  export read as one more edition (every row of the export is read);
* ``tradelaw entries`` on a one-row CSV, through the CSV path;
* for comparison, the library building every line of the export as measures
  (``hts.load``, 36,000 of them) stacked under the ``us`` dataset, with one resolution.

Each command gets a fresh, empty parse cache (``TRADELAW_CACHE_DIR``): its first run is
a cold start with nothing cached, the others find the parsed dataset in the cache. The
worst time is therefore the uncached one. The machine is shared: read the medians.

Run: ``make bench`` or ``python benchmarks/bench_cold_start.py [--hts FILE] [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HTS = ROOT.parent / "shared" / "data" / "hts" / "hts_2026_revision_4.csv"
TARGET = 0.5
_LIBRARY = (
    "import sys; from tradelaw import Entry, Money, datasets, hts; "
    "s = hts.load(sys.argv[1]).stack(datasets.load('us')); "
    "print(s.resolve(Entry('8703.23.01', 'JP', '2025-06-10', Money('40000', 'USD'))).total_rate)"
)


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--hts", type=Path, default=DEFAULT_HTS)
    options.add_argument("--runs", type=int, default=9)
    args = options.parse_args()
    script = str(Path(sys.executable).parent / "tradelaw")
    rate = [script, "rate", "3924.10.40", "--origin", "JP", "--on", "2026-03-01"]
    failed = _measure("rate, embedded editions only", rate, args.runs, targeted=True)
    if not args.hts.is_file():
        print(f"skipped the rest: no HTS export at {args.hts} (give --hts FILE)")
        return failed
    newer = ["--hts", str(args.hts), "--hts-from", "2026-07-01"]
    with tempfile.TemporaryDirectory() as folder:
        entries = Path(folder) / "entries.csv"
        entries.write_text("goods,origin,entered,value\n3924.10.40,JP,2026-03-01,1000\n")
        library = [sys.executable, "-c", _LIBRARY, str(args.hts)]
        for label, command in (
            (f"rate, {args.hts.name} as a newer edition", [*rate[:-1], "2026-07-02", *newer]),
            ("entries, one row", [script, "entries", str(entries)]),
            (f"library, every line of {args.hts.name} built", library),
        ):
            failed |= _measure(label, command, args.runs, targeted=False)
    return failed


def _measure(label: str, command: list[str], runs: int, targeted: bool) -> int:
    seconds = []
    with tempfile.TemporaryDirectory() as cache:
        environment = os.environ | {"TRADELAW_CACHE_DIR": cache}
        environment.pop("TRADELAW_HTS", None)
        for _ in range(runs):
            started = time.perf_counter()
            done = subprocess.run(
                command, capture_output=True, text=True, check=False, env=environment
            )
            seconds.append(time.perf_counter() - started)
            if done.returncode != 0:
                print(done.stdout + done.stderr)
                return 1
    median, worst = statistics.median(seconds), max(seconds)
    verdict = "met" if median <= TARGET else "NOT met"
    target = f"; target: median <= {TARGET} s, {verdict}" if targeted else ""
    print(
        f"cold start, {label}: median {median:.2f} s, worst {worst:.2f} s over {runs} runs{target}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

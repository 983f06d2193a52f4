"""Benchmark: the columnar engine on real-distribution entries of the `us` dataset.

Writes N entries (``real_entries.py``: HTS lines of the edition in force, 40 origins
weighted toward the largest US suppliers, dates over 2025-2026) to a CSV file, then:

* ``frame.resolve`` on them as a DataFrame, in rows per second: first the process's
  first call (on a freshly loaded dataset; it also pays for the libraries' first use in
  the process, reported apart), then cold (the first table of a freshly loaded dataset:
  it builds the lines it meets and makes the plans), warm (a later table: the schedule
  keeps its engine) and at another knowledge time (``as_of``: a new engine, whose plans
  are made in the call, on lines already built);
* the array step alone: the same table again through an engine whose plans are made;
* ``tradelaw entries FILE -o OUT`` as a command: wall time and peak memory (RSS), the
  latter read by a small process that starts it (a child forked from this large process
  would count this one's memory as its own).

Targets (issue 13): frame.resolve at least 250,000 rows/s on 1M entries; `tradelaw
entries` on a 1M-row CSV in at most 30 s and 500 MiB.

With ``--panel``, also a panel of every ten-digit line from every country on one date
(``frame.panel``): time and peak memory; with ``--months``, the same panel on each of
the 24 month-ends of 2025-2026, one date at a time (120 million cells do not fit in
memory at once; each date's panel is let go once counted), on one schedule; with
``--dask``, the same entries on a ``distributed.LocalCluster`` of two worker processes,
and the ratio to in-process.

Run: ``python benchmarks/bench_frame.py [--rows N] [--runs N] [--panel] [--months]
[--dask]``.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pandas as pd

from real_entries import real_entries
from tradelaw import datasets, frame
from tradelaw.frame import resolved
from tradelaw.frame._engine import Compiled
from tradelaw.io import load

INDEX = Path(datasets.__file__).parent / "us" / "index.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--panel", action="store_true", help="time a whole panel too")
    parser.add_argument("--months", action="store_true", help="and over 24 month-ends")
    parser.add_argument("--dask", action="store_true", help="time a local Dask cluster too")
    parser.add_argument("--skip-entries", action="store_true", help="only --panel, --dask")
    args = parser.parse_args()
    us = datasets.load("us")
    started = time.perf_counter()
    rows = real_entries(us, args.rows, seed=17)
    print(f"{args.rows:,} entries generated in {time.perf_counter() - started:.1f} s")
    folder = Path(tempfile.mkdtemp())
    source = folder / "entries.csv"
    with source.open("w", encoding="utf-8", newline="") as file:
        out = csv.writer(file)
        out.writerow(["goods", "origin", "entered", "value", "quantity"])
        for e in rows:
            quantity = f"{e.quantity.amount} {e.quantity.unit}" if e.quantity else ""
            out.writerow([e.goods, e.origin, e.entered.isoformat(), e.value.amount, quantity])
    table = pd.read_csv(source, dtype=str, keep_default_na=False)
    del rows
    if not args.skip_entries:  # before anything else here calls it
        started = time.perf_counter()
        frame.resolve(load(INDEX), table)
        print(
            f"frame.resolve, the first call of the process (a freshly loaded dataset): "
            f"{len(table) / (time.perf_counter() - started):,.0f} rows/s"
        )
    if args.panel:
        _panel(args.runs)
    if args.months:
        _months()
    if args.dask:
        _dask(table)
    if args.skip_entries:
        return
    for label, fresh in (("cold", True), ("warm", False)):
        rates = []
        schedule = load(INDEX)
        if not fresh:  # warm: the schedule has made its engine's plans on a first table
            frame.resolve(schedule, table)
        for _ in range(args.runs):
            if fresh:  # a new copy: no line of the base layer built yet
                schedule = load(INDEX)
            started = time.perf_counter()
            frame.resolve(schedule, table)
            rates.append(len(table) / (time.perf_counter() - started))
        print(
            f"frame.resolve {label}: {statistics.median(rates):,.0f} rows/s "
            f"(median of {args.runs}: {', '.join(f'{r:,.0f}' for r in rates)})"
        )
    # A schedule that has answered the table once (its lines built) asked again as known
    # at another time: a new engine, whose plans are made in the call.
    schedule = load(INDEX)
    frame.resolve(schedule, table)
    rates = []
    for month in range(args.runs):
        started = time.perf_counter()
        frame.resolve(schedule, table, as_of=f"2026-{month + 6:02d}-01")
        rates.append(len(table) / (time.perf_counter() - started))
    print(
        f"frame.resolve at another knowledge time (a new engine, the lines built): "
        f"{statistics.median(rates):,.0f} rows/s (median of {args.runs}: "
        f"{', '.join(f'{r:,.0f}' for r in rates)})"
    )
    engine = Compiled(load(INDEX), None)
    resolved(engine, table, False)  # its plans made, its lines built
    steps = []
    for _ in range(args.runs):
        started = time.perf_counter()
        resolved(engine, table, False)
        steps.append(len(table) / (time.perf_counter() - started))
    print(
        f"frame.resolve, the array step alone (plans made): {statistics.median(steps):,.0f} "
        f"rows/s (median of {args.runs}: {', '.join(f'{r:,.0f}' for r in steps)})"
    )
    command = str(Path(sys.executable).parent / "tradelaw")
    walls, peaks = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        peaks.append(_peak_rss([command, "entries", str(source), "-o", str(folder / "out.csv")]))
        walls.append(time.perf_counter() - started)
    print(
        f"tradelaw entries: {statistics.median(walls):.1f} s wall (median of {args.runs}: "
        f"{', '.join(f'{w:.1f}' for w in walls)}), peak RSS {max(peaks):,.0f} MiB"
    )


#: Runs a command and prints its peak RSS in KiB. A small process of its own starts it:
#: a child's peak counts the image it was forked from, and this benchmark's is large.
_PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _peak_rss(command: list[str]) -> float:
    """Run ``command`` (its output discarded); return its peak RSS in MiB."""
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, *command, "--no-progress"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout) / 1024


def _panel(runs: int) -> None:
    """Each panel in a process of its own: its peak memory is the panel's alone."""
    times, peaks, cells = [], [], 0
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _PANEL_RUN, str(INDEX)],
            check=True,
            capture_output=True,
            text=True,
        )
        seconds, peak, cells = done.stdout.split()
        times.append(float(seconds))
        peaks.append(float(peak) / 1024)
    print(
        f"panel, every line x every country on 2026-06-30: {int(cells):,} cells in "
        f"{statistics.median(times):.1f} s (median of {runs}: "
        f"{', '.join(f'{t:.1f}' for t in times)}); peak RSS {statistics.median(peaks):,.0f} "
        f"MiB (median; {', '.join(f'{p:,.0f}' for p in peaks)})"
    )


#: One panel, timed, then its peak RSS in KiB (the process's own: it starts small).
_PANEL_RUN = """
import resource, sys, time
from tradelaw import frame
from tradelaw.io import load
schedule = load(sys.argv[1])
started = time.perf_counter()
cells = frame.panel(schedule, ["2026-06-30"])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(time.perf_counter() - started, peak, len(cells))
"""


def _months() -> None:
    """The whole panel on each month-end of 2025-2026, in a process of its own."""
    done = subprocess.run(
        [sys.executable, "-c", _MONTHS_RUN, str(INDEX)], check=True, capture_output=True, text=True
    )
    seconds, peak, cells, slowest = done.stdout.split()
    print(
        f"panel, every line x every country on the 24 month-ends of 2025-2026, one date at a "
        f"time: {int(cells):,} cells in {float(seconds):.0f} s ({float(seconds) / 24:.1f} s "
        f"a date, the slowest {float(slowest):.1f} s); peak RSS {float(peak) / 1024:,.0f} MiB"
    )


#: The panels of 24 month-ends, timed, then the peak RSS in KiB, the cells, the slowest date.
_MONTHS_RUN = """
import calendar, resource, sys, time
from tradelaw import frame
from tradelaw.io import load
schedule = load(sys.argv[1])
days = [f"{y}-{m:02d}-{calendar.monthrange(y, m)[1]}" for y in (2025, 2026) for m in range(1, 13)]
cells, slowest, started = 0, 0.0, time.perf_counter()
for day in days:
    began = time.perf_counter()
    cells += len(frame.panel(schedule, [day]))
    slowest = max(slowest, time.perf_counter() - began)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(time.perf_counter() - started, peak, cells, slowest)
"""


def _dask(table: pd.DataFrame) -> None:
    """The table on a local cluster: sent from the client, and read and written by workers.

    The first embeds the table in the task graph and gathers every result back to the
    client; the second is how a large table is run: Parquet files in, Parquet files out.
    """
    import dask.dataframe as dd

    from tradelaw import dask as tradelaw_dask

    schedule = load(INDEX)
    started = time.perf_counter()
    frame.resolve(schedule, table, layers=True)  # as tradelaw.dask.resolve: every layer
    alone = time.perf_counter() - started
    folder = Path(tempfile.mkdtemp())
    dd.from_pandas(table, npartitions=16).to_parquet(folder / "entries")
    with _cluster():
        entries = dd.from_pandas(table, npartitions=16)
        started = time.perf_counter()
        tradelaw_dask.resolve(load(INDEX), entries).compute()
        sent = time.perf_counter() - started
    with _cluster():
        started = time.perf_counter()
        entries = dd.read_parquet(folder / "entries")
        out = tradelaw_dask.resolve(load(INDEX), entries)
        out.to_parquet(folder / "results", schema=tradelaw_dask.parquet_schema(out))
        files = time.perf_counter() - started
    print(
        f"Dask LocalCluster (2 worker processes), in-process frame.resolve(layers=True) "
        f"{alone:.1f} s: the table sent and the results gathered {sent:.1f} s (ratio "
        f"{sent / alone:.2f}); Parquet read and written by the workers {files:.1f} s "
        f"(ratio {files / alone:.2f})"
    )


@contextmanager
def _cluster() -> Iterator[None]:
    """A fresh local cluster of two worker processes, a client connected to it."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster,
        Client(cluster),
    ):
        yield


if __name__ == "__main__":
    main()

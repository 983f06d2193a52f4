"""``tradelaw panel``: the rate of every line from every origin on some dates, as a file.

Needs the ``frames`` extra (pandas and pyarrow): the panel is a data frame, written as
CSV, JSON lines or Parquet.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tradelaw.cli import _inputs
from tradelaw.cli._status import EXIT_OK, EXIT_UNRESOLVED
from tradelaw.errors import InvalidInputError

#: The file formats, by the output file's suffix (``.json`` is JSON lines too).
SUFFIXES = (".csv", ".parquet", ".jsonl", ".json")

#: The formats of ``--format``, for standard output (a file's suffix wins).
FORMATS = ("csv", "jsonl")


def add(commands: argparse._SubParsersAction, query: object) -> None:  # type: ignore[type-arg]
    """Add the ``panel`` command to ``commands``; ``query`` adds the shared options."""
    panel = commands.add_parser(
        "panel",
        help="rates of every HTS line from every origin on some dates",
        description="The rate of every ten-digit HTS line (or those under --goods) from "
        "every origin (or --origins) on each date of --on, one row per (date, line, "
        'origin), with the rate of each layer. Needs pip install "tradelaw[frames]".',
    )
    panel.add_argument("--on", nargs="+", required=True, metavar="DATE", help="the dates")
    panel.add_argument(
        "--goods", nargs="+", metavar="PREFIX", help="only the lines under these codes"
    )
    panel.add_argument(
        "--origins", metavar="CC,CC", help="only these origins (default: every country)"
    )
    add_output(panel)
    query(panel, formats=FORMATS)  # type: ignore[operator]
    panel.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``tradelaw panel``; see the command's ``--help``."""
    from tradelaw import frame  # here: pandas is imported only by the commands that need it

    suffix_of(args.output)  # a bad file name is reported before the work
    schedule = _inputs.schedule(args)
    as_of = _inputs.when(args.as_of, schedule.zone, "--as-of")
    on = [_inputs.when(day, schedule.zone, "--on") for day in args.on]
    del on  # read to report a bad date under its option; the panel reads the text again
    origins = [o.strip() for o in args.origins.split(",")] if args.origins else None
    cells = frame.panel(schedule, args.on, goods=args.goods, origins=origins, as_of=as_of)
    write(cells, args.output, args.format)
    counts = cells["status"].value_counts().to_dict()
    summary = f"{len(cells)} cells: " + ", ".join(
        f"{counts.get(s, 0)} {s}" for s in ("ok", "unknown", "prohibited", "unresolved", "error")
    )
    print(summary, file=sys.stderr if args.output is None else sys.stdout)
    return EXIT_OK if counts.get("ok", 0) == len(cells) else EXIT_UNRESOLVED


def add_output(command: argparse.ArgumentParser) -> None:
    """The ``-o FILE`` of a command that writes a table."""
    command.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="output file: .csv, .parquet or .jsonl (default: CSV on standard output)",
    )


def suffix_of(output: str | None) -> str:
    """The format an output file names by its suffix (CSV on standard output)."""
    suffix = Path(output).suffix.lower() if output else ".csv"
    if suffix not in SUFFIXES:
        raise InvalidInputError("-o", output, f"is not a {', '.join(SUFFIXES)} file")
    return suffix


def write(cells: Any, output: str | None, form: str) -> None:
    """Write a data frame as its file's suffix says: CSV, JSON lines or Parquet.

    To standard output, as ``--format`` says: CSV or JSON lines.
    """
    suffix = suffix_of(output)
    if suffix == ".parquet":
        assert output is not None
        _parquet(cells, output)
    elif suffix in (".jsonl", ".json") or (output is None and form == "jsonl"):
        cells.astype(str).replace({"None": ""}).to_json(
            output or sys.stdout, orient="records", lines=True, force_ascii=False
        )
    else:
        cells.to_csv(output or sys.stdout, index=False, lineterminator="\n")


def _parquet(cells: object, path: str) -> None:
    """Write the panel as Parquet, with exact decimal rates (Arrow decimals)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(cells, preserve_index=False)  # Decimals become decimal128
    try:
        pq.write_table(table, path)
    except OSError as error:
        raise InvalidInputError("-o", path, f"cannot be written: {error}") from None

"""``tradelaw effective-rate``: the trade-weighted duty rate of an imports file.

Needs the ``frames`` extra. The imports file is CSV with the columns ``goods``,
``origin`` and ``value`` (and optionally ``quantity``, ``currency`` and declared facts);
each row is entered on each date of ``--on``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from tradelaw.cli import _inputs, _panel
from tradelaw.cli._status import EXIT_OK, EXIT_UNRESOLVED
from tradelaw.errors import InvalidInputError


def add(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    query: Callable[..., None],
) -> None:
    """Add the ``effective-rate`` command; ``query`` adds the shared options."""
    command = commands.add_parser(
        "effective-rate",
        help="the trade-weighted duty rate of an imports file",
        description="The duty of every row of IMPORTS.csv (columns goods, origin, value; "
        "optionally quantity, currency and declared facts) entered on each date of --on, "
        "as a percentage of the value of the rows whose duty is known, overall or by "
        "group. Rows whose duty is not known are counted, never taken as zero. Needs "
        'pip install "tradelaw[frames]".',
    )
    command.add_argument("file", metavar="IMPORTS.csv")
    command.add_argument("--on", nargs="+", required=True, metavar="DATE", help="the dates")
    command.add_argument(
        "--by",
        metavar="KEY,KEY",
        help="group by origin, chapter, section, and layer or authority (s232, ieepa…)",
    )
    _panel.add_output(command)
    query(command, formats=_panel.FORMATS)
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``tradelaw effective-rate``; see the command's ``--help``."""
    from tradelaw import frame  # here: pandas is imported only by the commands that need it

    _panel.suffix_of(args.output)  # a bad file name is reported before the work
    schedule = _inputs.schedule(args)
    as_of = _inputs.when(args.as_of, schedule.zone, "--as-of")
    for day in args.on:
        _inputs.when(day, schedule.zone, "--on")  # a bad date, named under its option
    imports = _inputs.csv_table(args.file, "IMPORTS.csv")
    try:
        rates = frame.effective_rate(schedule, imports, args.on, by=args.by, as_of=as_of)
    except InvalidInputError as error:
        where = {"by": "--by", "imports": args.file}.get(error.where, error.where)
        raise InvalidInputError(where, error.value, error.problem) from None
    _panel.write(rates, args.output, args.format)
    unknown = int(rates.drop_duplicates(["on", *_row_keys(rates)])["unknown_rows"].sum())
    print(
        f"{len(imports)} rows x {len(set(args.on))} dates: {unknown} whose duty is not "
        "known (counted, not taken as zero)",
        file=sys.stderr if args.output is None else sys.stdout,
    )
    return EXIT_OK if unknown == 0 else EXIT_UNRESOLVED


def _row_keys(rates: Any) -> list[str]:
    """The grouping keys of a result that split rows (not the per-layer split)."""
    columns = list(rates.columns)
    return [k for k in ("currency", "origin", "chapter", "section") if k in columns]

"""``tradelaw plot``: the figures of :mod:`tradelaw.plot`, written to an image file.

``plot timeline GOODS --origin CC --from --to``, ``plot effective-rate IMPORTS.csv --on
DATE ...`` and ``plot heatmap --on DATE``, each with ``-o FILE.png`` (or ``.svg``,
``.pdf``). Needs the ``plot`` extra.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tradelaw.cli import _inputs
from tradelaw.cli._status import EXIT_OK
from tradelaw.errors import InvalidInputError

#: The image formats, by the output file's suffix.
SUFFIXES = (".png", ".svg", ".pdf")


def add(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    query: Callable[..., None],
) -> None:
    """Add the ``plot`` command and its three figures; ``query`` adds the shared options."""
    plot = commands.add_parser(
        "plot",
        help="draw a timeline, effective rates or a heat map to an image file",
        description="Draw a figure to -o FILE.png, .svg or .pdf. Needs pip install "
        '"tradelaw[plot]".',
    )
    figures = plot.add_subparsers(dest="figure", required=True, metavar="FIGURE")
    timeline = figures.add_parser(
        "timeline", help="the rate of some goods from an origin over time, stacked by layer"
    )
    timeline.add_argument("goods", metavar="GOODS", help="HTS code, e.g. 8703.23.01")
    timeline.add_argument("--origin", required=True, metavar="CC", help="country of origin")
    timeline.add_argument("--from", dest="start", required=True, metavar="WHEN", help="start")
    timeline.add_argument("--to", dest="end", required=True, metavar="WHEN", help="end (excluded)")
    effective = figures.add_parser(
        "effective-rate", help="the trade-weighted rate of an imports file, a line per group"
    )
    effective.add_argument("file", metavar="IMPORTS.csv")
    effective.add_argument("--on", nargs="+", required=True, metavar="DATE", help="the dates")
    effective.add_argument(
        "--by", default="origin", choices=("origin", "chapter", "section"), help="the groups"
    )
    heatmap = figures.add_parser("heatmap", help="rates by HS section and origin on a date")
    heatmap.add_argument("--on", required=True, metavar="DATE", help="the date")
    heatmap.add_argument("--origins", metavar="CC,CC", help="the origins (default: 12 largest)")
    heatmap.add_argument("--goods", nargs="+", metavar="PREFIX", help="only these lines")
    for figure in (timeline, effective, heatmap):
        figure.add_argument("-o", "--output", required=True, metavar="FILE", help="image file")
        query(figure, formats=())  # the file says the format
        figure.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``tradelaw plot``; see the command's ``--help``."""
    from tradelaw import plot

    suffix = Path(args.output).suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInputError("-o", args.output, f"is not a {', '.join(SUFFIXES)} file")
    schedule = _inputs.schedule(args)
    as_of = _inputs.when(args.as_of, schedule.zone, "--as-of")
    figure: Any
    if args.figure == "timeline":
        end = _inputs.when(args.end, schedule.zone, "--to")
        if end <= _inputs.when(args.start, schedule.zone, "--from"):
            raise InvalidInputError("--to", args.end, f"is not after --from {args.start}")
        figure = plot.timeline(schedule, args.goods, args.origin, args.start, end, as_of=as_of)
    elif args.figure == "effective-rate":
        for day in args.on:
            _inputs.when(day, schedule.zone, "--on")
        imports = _inputs.csv_table(args.file, "IMPORTS.csv")
        figure = plot.effective_rate(schedule, imports, args.on, by=args.by, as_of=as_of)
    else:
        _inputs.when(args.on, schedule.zone, "--on")
        origins = [o.strip() for o in args.origins.split(",")] if args.origins else None
        figure = plot.heatmap(
            schedule, args.on, origins=origins or plot.MAJOR_ORIGINS, goods=args.goods, as_of=as_of
        )
    try:
        figure.savefig(args.output, dpi=150)
    except OSError as error:
        raise InvalidInputError("-o", args.output, f"cannot be written: {error}") from None
    print(f"wrote {args.output}")
    return EXIT_OK

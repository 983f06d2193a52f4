"""``tradelaw compare``: the baseline against a scenario (the baseline with ``--overlay``).

Three shapes of question, one row each: every row of an entries file; every period of
the timelines of some goods from some origins (``--from``/``--to``); every cell of a
panel (``--panel --on``). Each row carries the rate (and duty) under both and the
change. Needs the ``frames`` extra.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tradelaw.cli import _inputs, _panel
from tradelaw.cli._status import EXIT_OK, EXIT_UNRESOLVED
from tradelaw.cli._timeline import moment_text
from tradelaw.errors import InvalidInputError
from tradelaw.resolution import Resolution, tidy
from tradelaw.schedule import Schedule, Segment


def add(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    query: Callable[..., None],
) -> None:
    """Add the ``compare`` command; ``query`` adds the shared options."""
    command = commands.add_parser(
        "compare",
        help="the baseline against a scenario, row by row",
        description="Resolve under the baseline (the dataset or --schedule files) and the "
        "scenario (the same with each --overlay stacked on top), and write both with the "
        "change: for every row of FILE.csv; for every period of GOODS ... --origin CC ... "
        "--from WHEN --to WHEN; or for every cell of --panel --on DATE ... . Overlay items "
        'that never apply are reported. Needs pip install "tradelaw[frames]".',
    )
    command.add_argument(
        "inputs", nargs="*", metavar="FILE.csv | GOODS", help="an entries file, or goods codes"
    )
    command.add_argument("--origin", nargs="+", metavar="CC", help="origins of a timeline")
    command.add_argument("--from", dest="start", metavar="WHEN", help="a timeline's start")
    command.add_argument("--to", dest="end", metavar="WHEN", help="a timeline's end (excluded)")
    command.add_argument("--panel", action="store_true", help="compare a panel's cells")
    command.add_argument("--on", nargs="+", metavar="DATE", help="the panel's dates")
    command.add_argument("--goods", nargs="+", metavar="PREFIX", help="the panel's lines")
    command.add_argument("--origins", metavar="CC,CC", help="the panel's origins")
    _panel.add_output(command)
    query(command, formats=_panel.FORMATS)
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``tradelaw compare``; see the command's ``--help``."""
    from tradelaw import frame  # here: pandas is imported only by the commands that need it
    from tradelaw.io import load
    from tradelaw.overlays import idle

    if not args.overlay:
        raise InvalidInputError("--overlay", "", "is needed: it makes the scenario")
    _panel.suffix_of(args.output)
    overlays, args.overlay = args.overlay, []
    base = _inputs.schedule(args)
    args.overlay = overlays
    scenario = _inputs.schedule(args)
    as_of = _inputs.when(args.as_of, base.zone, "--as-of")
    _one_shape(args)
    if args.panel:
        if not args.on:
            raise InvalidInputError("--on", "", "is needed with --panel")
        origins = [o.strip() for o in args.origins.split(",")] if args.origins else None
        cells = frame.panel(base, args.on, goods=args.goods, origins=origins, as_of=as_of)
        rows = frame.compare(base, scenario, cells[["on", "goods", "origin"]], as_of=as_of)
    elif args.start or args.end:
        rows = _timelines(args, base, scenario, as_of)
    else:
        if len(args.inputs) != 1:
            raise InvalidInputError(
                "FILE.csv",
                " ".join(args.inputs),
                "should be one entries file (or give --from "
                "and --to for timelines, --panel for a panel)",
            )
        entries = _inputs.csv_table(args.inputs[0], "FILE.csv")
        rows = frame.compare(base, scenario, entries, as_of=as_of)
    _panel.write(rows, args.output, args.format)
    say = sys.stderr if args.output is None else sys.stdout
    for finding in idle(base, *[load(path) for path in overlays]):
        print(f"overlay: {finding}", file=say)
    known = (rows["status_base"] == "ok") & (rows["status_scenario"] == "ok")
    changed = sum(1 for c in rows["rate_change"] if c)
    print(f"{len(rows)} rows: {changed} changed, {int((~known).sum())} not known", file=say)
    return EXIT_OK if bool(known.all()) else EXIT_UNRESOLVED


def _timelines(
    args: argparse.Namespace, base: Schedule, scenario: Schedule, as_of: datetime | None
) -> Any:
    """Both timelines of each goods and origin, cut where either changes."""
    import pandas as pd

    if not (args.start and args.end):
        raise InvalidInputError("--to" if args.start else "--from", "", "is needed too")
    if not args.inputs or not args.origin:
        raise InvalidInputError("GOODS", " ".join(args.inputs), "and --origin are needed")
    end = _inputs.when(args.end, base.zone, "--to")
    if end <= _inputs.when(args.start, base.zone, "--from"):
        raise InvalidInputError("--to", args.end, f"is not after --from {args.start}")
    found = []
    for goods in args.inputs:
        for origin in args.origin:
            sides = [
                s.timeline(goods, origin, args.start, end, as_of=as_of) for s in (base, scenario)
            ]
            cuts = sorted({seg.period.start for side in sides for seg in side})
            for n, start in enumerate(cuts):
                stop = cuts[n + 1] if n + 1 < len(cuts) else end
                old, new = (_at(side, start).resolution for side in sides)
                found.append(
                    {
                        "goods": old.entry.goods,
                        "origin": old.entry.origin,
                        "start": moment_text(start, base.zone),
                        "end": moment_text(stop, base.zone),
                        **_side(old, "base"),
                        **_side(new, "scenario"),
                    }
                )
    rows = pd.DataFrame(found)
    both = (rows["status_base"] == "ok") & (rows["status_scenario"] == "ok")
    after, before = rows["total_rate_scenario"], rows["total_rate_base"]
    changes = [tidy(a - b) if ok else None for a, b, ok in zip(after, before, both, strict=True)]
    rows["rate_change"] = pd.Series(changes, index=rows.index, dtype=object)
    return rows


def _one_shape(args: argparse.Namespace) -> None:
    """Refuse options of one shape of question given with another's."""
    panel = {"--on": args.on, "--goods": args.goods, "--origins": args.origins}
    timeline = {"--from": args.start, "--to": args.end, "--origin": args.origin}
    if args.panel:
        wrong = {**timeline, "FILE.csv | GOODS": args.inputs}
        shape = "--panel"
    elif args.start or args.end:
        wrong, shape = panel, "--from/--to"
    else:
        wrong, shape = {**panel, **timeline}, "an entries file"
    for option, value in wrong.items():
        if value:
            shown = " ".join(value) if isinstance(value, list) else value
            raise InvalidInputError(option, shown, f"does not go with {shape}")


def _at(segments: tuple[Segment, ...], moment: datetime) -> Segment:
    return next(seg for seg in reversed(segments) if seg.period.start <= moment)


def _side(resolution: Resolution, name: str) -> dict[str, Any]:
    return {
        f"total_rate_{name}": resolution.total_rate if resolution.is_known else None,
        f"headings_{name}": " ".join(resolution.headings),
        f"status_{name}": resolution.status,
    }

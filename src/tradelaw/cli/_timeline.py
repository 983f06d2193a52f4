"""``tradelaw timeline``: the periods in which the answer is constant, as text or data.

One or more goods from one or more origins over ``[--from, --to)``. Each period gives its
total rate and duty and, per layer, the rate and duty of the line applied there, so that
a timeline can be charted or joined with other data: ``--format csv`` or ``jsonl`` write
one row per period; ``json`` one object per goods and origin (an array of them when
there are several).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from tradelaw import format as fmt
from tradelaw._i18n import _
from tradelaw.cli import _inputs
from tradelaw.cli._status import EXIT_OK, EXIT_UNRESOLVED
from tradelaw.errors import InvalidInputError
from tradelaw.resolution import _unknown, tidy
from tradelaw.schedule import Segment
from tradelaw.scope import dotted
from tradelaw.time import zone

#: The output formats of ``timeline``.
FORMATS = ("text", "json", "csv", "jsonl")

#: The columns of a period's row, before a ``rate_<layer>`` and a ``duty_<layer>`` per layer.
COLUMNS = (
    "goods",
    "origin",
    "start",
    "end",
    "status",
    "total_rate",
    "duty",
    "currency",
    "headings",
    "message",
)

# A timeline's first entry is entered on --from.
_OPTION_OF = {
    "goods": "GOODS",
    "origin": "--origin",
    "entered": "--from",
    "value": "--value",
    "quantity": "--quantity",
}


def add(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    entry: Callable[..., None],
    query: Callable[..., None],
) -> None:
    """Add the ``timeline`` command; ``entry`` and ``query`` add the shared options."""
    timeline = commands.add_parser(
        "timeline",
        help="the periods in which the rate is constant",
        description="List the periods of [--from, --to) in which the resolution of each "
        "GOODS from each --origin is constant, with each layer's rate and duty.",
    )
    entry(timeline, many=True)
    timeline.add_argument(
        "--from",
        dest="start",
        required=True,
        metavar="WHEN",
        help="where the timeline starts: a date (12:01 a.m. in the schedule's zone) or an instant",
    )
    timeline.add_argument(
        "--to",
        dest="end",
        required=True,
        metavar="WHEN",
        help="where it ends (not included), read as --from is",
    )
    timeline.add_argument(
        "--value", metavar="N", help="customs value (default: 100, so duties read as percent)"
    )
    query(timeline, formats=FORMATS)
    timeline.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``tradelaw timeline``; see the command's ``--help``."""
    _inputs.locale(args.locale)
    s = _inputs.schedule(args)
    value, _given = _inputs.value(args)
    amount = _inputs.quantity_of(args)
    facts = _inputs.entry_facts(args, s)
    end = _inputs.when(args.end, s.zone, "--to")
    if end <= _inputs.when(args.start, s.zone, "--from"):
        raise InvalidInputError("--to", args.end, f"is not after --from {args.start}")
    as_of = _inputs.when(args.as_of, s.zone, "--as-of")
    timelines = []
    for goods in args.goods:
        for origin in args.origin:
            probe = _inputs.entry(goods, origin, args.start, value, amount, facts, _OPTION_OF)
            segments = s.timeline(
                probe.goods,
                probe.origin,
                args.start,
                end,
                facts=probe.facts,
                as_of=as_of,
                value=value,
                quantity=amount,
            )
            timelines.append((probe.goods, probe.origin, segments))

    def moment(at: datetime) -> str:
        return moment_text(at, s.zone)

    if args.format in ("csv", "jsonl"):
        rows = [row(g, o, seg, moment) for g, o, segments in timelines for seg in segments]
        _write_rows(rows, args.format)
    elif args.format == "json":
        found = [
            {
                "goods": g,
                "origin": o,
                "schedule": s.name,
                "periods": [_period(row(g, o, seg, moment), seg) for seg in segments],
            }
            for g, o, segments in timelines
        ]
        print(json.dumps(found[0] if len(found) == 1 else found, indent=2, ensure_ascii=False))
    else:
        for n, (g, o, segments) in enumerate(timelines):
            if n:
                print()
            _print_text(g, o, s.name, segments, moment, args.locale)
    known = all(seg.resolution.is_known for _g, _o, segments in timelines for seg in segments)
    return EXIT_OK if known else EXIT_UNRESOLVED


def row(
    goods: str, origin: str, segment: Segment, moment: Callable[[datetime], str]
) -> dict[str, Any]:
    """One period as a row: its totals, then each applied layer's rate and duty.

    A layer whose line is unknown has neither; a period's total is empty unless known.
    """
    resolution = segment.resolution
    value = resolution.entry.value
    known = resolution.is_known
    why = [f"{u.id}: {u.reason}" for u in resolution.unknown]
    why += [f"{m.id}: {m.citation}" for m in resolution.prohibited]
    found: dict[str, Any] = {
        "goods": goods,
        "origin": origin,
        "start": moment(segment.period.start),
        "end": None if segment.period.end is None else moment(segment.period.end),
        "status": resolution.status,
        "total_rate": str(resolution.total_rate) if known and value.amount else None,
        "duty": str(tidy(resolution.duty.amount)) if known else None,
        "currency": value.currency,
        "headings": " ".join(resolution.headings),
        "message": "; ".join(why),
    }
    if not known:  # no layer of a period that is not known is known to be anything
        return found
    for line in resolution.applied:
        layer = line.measure.layer
        found[f"rate_{layer}"] = str(line.rate) if value.amount else None
        found[f"duty_{layer}"] = str(tidy(line.duty.amount))
    return found


def _period(found: dict[str, Any], segment: Segment) -> dict[str, Any]:
    """A period of ``--format json``: the row's fields, layers grouped, lines named."""
    resolution = segment.resolution
    layers = {
        k[5:]: {"rate": v, "duty": found[f"duty_{k[5:]}"]}
        for k, v in found.items()
        if k.startswith("rate_")
    }
    return {
        "start": found["start"],
        "end": found["end"],
        "status": found["status"],
        "total_rate": found["total_rate"],
        "duty": found["duty"],
        "headings": list(resolution.headings),
        "layers": layers,
        "applied": [a.measure.id for a in resolution.applied],
        "unknown": [
            {"id": u.id, "layer": u.layer, "reason": str(u.reason)} for u in resolution.unknown
        ],
        "prohibited": [m.id for m in resolution.prohibited],
    }


def _write_rows(rows: list[dict[str, Any]], form: str) -> None:
    """Rows as JSON lines, or as CSV with a rate and a duty column per layer seen."""
    if form == "jsonl":
        for found in rows:
            print(json.dumps(found, ensure_ascii=False))
        return
    layers = sorted({k[5:] for found in rows for k in found if k.startswith("rate_")})
    names = [*COLUMNS, *(f"rate_{n}" for n in layers), *(f"duty_{n}" for n in layers)]
    out = csv.DictWriter(sys.stdout, names, lineterminator="\n")
    out.writeheader()
    for found in rows:
        # A layer absent from a known period charges nothing there; in a period that is
        # not known, no layer is known to be zero.
        absent = "0" if found["status"] == "ok" else ""
        for n in names:  # a zero value has no rates at all
            if n.startswith("rate_") and found["total_rate"] is None:
                found.setdefault(n, None)
        out.writerow({n: _cell(found.get(n, absent)) for n in names})


def _cell(value: object) -> object:
    return "" if value is None else value


def _print_text(
    goods: str,
    origin: str,
    schedule: str,
    segments: Sequence[Segment],
    moment: Callable[[datetime], str],
    locale: str | None,
) -> None:
    say = _inputs.sayer(locale)
    print(
        say(
            _(
                "{goods} from {origin} ({schedule})",
                goods=dotted(goods),
                origin=origin,
                schedule=schedule,
            )
        )
    )
    # Translators: a column heading of `tradelaw timeline`: when a period starts.
    start = say(_("from"))
    # Translators: a column heading of `tradelaw timeline`: when a period ends.
    end = say(_("to"))
    # Translators: a column heading of `tradelaw timeline`: the total rate of a period.
    rate = say(_("rate"))
    # Translators: a column heading of `tradelaw timeline`: the tariff headings applied.
    headings = say(_("headings"))
    print(f"{_pad(start, 17)} {_pad(end, 17)} {_pad(rate, 8, right=True)}  {headings}")
    for seg in segments:
        resolution = seg.resolution
        # Translators: the rate of a period of `tradelaw timeline` that is unknown.
        unknown = say(_("unknown"))
        if resolution.is_prohibited:
            # Translators: the rate of a period in which the goods may not be entered.
            unknown = say(_("prohibited"))
        if resolution.is_known and not resolution.entry.value.amount:
            shown = "-"  # a zero value has no ad valorem rate
        elif resolution.is_known:
            total = resolution.total_rate
            shown = fmt.percent(total, locale) if locale else f"{total}%"
        else:
            shown = unknown
        stop = "…" if seg.period.end is None else moment(seg.period.end)
        first = moment(seg.period.start)
        print(
            f"{first:<17} {stop:<17} {_pad(shown, 8, right=True)}  {' '.join(resolution.headings)}"
        )
        for line in resolution.unknown:  # why the period is unknown
            print(f"{'':<17} {say(_unknown(line))}")


def _pad(text: str, width: int, right: bool = False) -> str:
    """Pad ``text`` to ``width`` columns of a terminal (wide characters take two)."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    space = " " * max(0, width - columns)
    return space + text if right else text + space


def moment_text(moment: datetime, zone_name: str) -> str:
    """A date when the moment is 12:01 a.m. local (how instruments say it), else the time."""
    local = moment.astimezone(zone(zone_name))
    if (local.hour, local.minute, local.second) == (0, 1, 0):
        return local.date().isoformat()
    return local.isoformat(timespec="minutes")

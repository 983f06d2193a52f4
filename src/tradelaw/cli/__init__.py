"""The ``tradelaw`` command: query, check and import schedules from the shell.

Subcommands: ``rate``, ``timeline``, ``entries``, ``check``, ``import-hts`` and
``datasets``; ``tradelaw SUBCOMMAND --help`` describes each. Exit status: 0 on success,
1 when a duty cannot be resolved (an unknown rate, a tie between measures), 2 on a usage
or input error. Errors go to standard error, one line each, naming the bad value.

Example:
    >>> main(["rate", "8703.23.01", "--origin", "JP", "--on", "2025-04-09", "--format", "json"])
    ... # doctest: +ELLIPSIS
    {
      "goods": "87032301",
      "origin": "JP",
      "on": "2025-04-09",
    ...
    0
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import tradelaw
from tradelaw import datasets, hts
from tradelaw import format as fmt
from tradelaw._i18n import Text, _, catalogue
from tradelaw.cli import _entries, _inputs, _panel
from tradelaw.cli._status import EXIT_INPUT, EXIT_OK, EXIT_UNRESOLVED
from tradelaw.errors import (
    ConflictError,
    InvalidInputError,
    TradelawError,
    UnknownDutyError,
    ValidationError,
)
from tradelaw.io import dump, format_of, load_written
from tradelaw.money import Money, Quantity
from tradelaw.resolution import Resolution, _unknown
from tradelaw.schedule import Schedule, Segment
from tradelaw.scope import dotted
from tradelaw.time import zone

__all__ = ["EXIT_INPUT", "EXIT_OK", "EXIT_UNRESOLVED", "commands", "main", "main_exit", "parser"]

_FORMATS = ("text", "json")


def _query_options(command: argparse.ArgumentParser) -> None:
    """Options shared by the commands that resolve entries."""
    source = command.add_mutually_exclusive_group()
    source.add_argument(
        "--dataset",
        metavar="NAME",
        help=(
            f"embedded dataset to use (default: $TRADELAW_DATASET, else {datasets.DEFAULT}; "
            "see `tradelaw datasets`)"
        ),
    )
    source.add_argument(
        "--schedule",
        metavar="FILE",
        nargs="+",
        help="schedule files to use instead, stacked in order (later files win)",
    )
    command.add_argument(
        "--hts",
        metavar="FILE",
        help=f"an official USITC HTS export (CSV or JSON) as one more edition of the base "
        f"layer (default: ${_inputs.HTS_VARIABLE}, if set); the embedded editions cover "
        f"every line already",
    )
    command.add_argument(
        "--hts-from",
        metavar="WHEN",
        help=f"when that export takes effect (default: ${_inputs.HTS_FROM_VARIABLE}, else "
        f"the start of the latest edition, which it replaces)",
    )
    command.add_argument(
        "--as-of",
        metavar="WHEN",
        help="read the law as known at WHEN (as filed); default: the latest (as amended)",
    )
    command.add_argument(
        "--currency",
        help="currency of --value and money facts (default: the schedule's, USD for the "
        "us dataset)",
    )
    command.add_argument(
        "--format", choices=_FORMATS, default="text", help="output format (default: text)"
    )


def _entry_options(command: argparse.ArgumentParser) -> None:
    """Options describing one entry (for ``rate`` and ``timeline``)."""
    command.add_argument("goods", metavar="GOODS", help="HTS code, e.g. 8703.23.01")
    command.add_argument("--origin", required=True, metavar="CC", help="country of origin")
    command.add_argument(
        "--quantity",
        nargs=2,
        metavar=("N", "UNIT"),
        help="quantity in the unit of a specific rate, e.g. 1200 kg",
    )
    command.add_argument("--loaded", metavar="WHEN", help="when the goods were loaded for export")
    command.add_argument(
        "--fact",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a fact of the entry, read by its declared type (repeatable)",
    )
    command.add_argument(
        "--locale",
        metavar="LOCALE",
        help="format rates, money, dates and countries of text output for LOCALE "
        "(e.g. ja_JP, de_DE); JSON is never localized",
    )


class _Version(argparse.Action):
    """``--version``, which looks the version up only when asked (it costs a start)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"tradelaw {tradelaw.__version__}")
        parser.exit()


def parser() -> argparse.ArgumentParser:
    """Return the command's argument parser (the docs' command reference is built from it)."""
    top = argparse.ArgumentParser(
        prog="tradelaw",
        description="What duty is owed on these goods, from this origin, entered at this "
        "moment — and why.",
        epilog="Exit status: 0 success, 1 a duty could not be resolved, 2 usage or input error.",
    )
    top.add_argument(
        "--version", action=_Version, nargs=0, help="show program's version number and exit"
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rate = commands.add_parser(
        "rate", help="the duty on one entry, explained", description="Resolve one entry."
    )
    _entry_options(rate)
    rate.add_argument("--on", required=True, metavar="WHEN", help="date or instant of entry")
    rate.add_argument("--value", metavar="N", help="customs value (without it: the rate only)")
    _query_options(rate)
    rate.set_defaults(run=_rate)

    timeline = commands.add_parser(
        "timeline",
        help="the periods in which the rate is constant",
        description="List the periods of [--from, --to) in which the resolution is constant.",
    )
    _entry_options(timeline)
    timeline.add_argument("--from", dest="start", required=True, metavar="WHEN")
    timeline.add_argument("--to", dest="end", required=True, metavar="WHEN")
    timeline.add_argument("--value", metavar="N", help="customs value (default: 100)")
    _query_options(timeline)
    timeline.set_defaults(run=_timeline)

    entries = commands.add_parser(
        "entries",
        help="resolve every row of a CSV file of entries",
        description="Resolve every row of FILE.csv (columns: "
        + ", ".join(_entries.COLUMNS)
        + ", and any declared fact) and write the results as CSV.",
    )
    entries.add_argument("file", metavar="FILE.csv")
    entries.add_argument("-o", "--output", metavar="OUT.csv", help="output file (default: stdout)")
    entries.add_argument(
        "--compare-latest",
        action="store_true",
        help="with --as-of: add the latest (as amended) duty and the difference per row",
    )
    entries.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: when standard error is a terminal)",
    )
    _query_options(entries)
    entries.set_defaults(run=_entries.run)

    _panel.add(commands, _query_options)

    check = commands.add_parser(
        "check",
        help="validate schedule files",
        description="Read schedule files, stack them in order, and list every problem.",
    )
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(run=_check)

    imported = commands.add_parser(
        "import-hts",
        help="convert an official HTS export into a schedule file",
        description="Convert a USITC HTS export (CSV or JSON) into a schedule file.",
    )
    imported.add_argument("file", metavar="FILE")
    imported.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="schedule file (.toml or .json)"
    )
    imported.add_argument(
        "--effective", default="2025-01-01", metavar="WHEN", help="when the rates take effect"
    )
    imported.add_argument("--name", help="schedule name (default: the file's stem)")
    imported.set_defaults(run=_import_hts)

    listed = commands.add_parser(
        "datasets",
        help="list the embedded datasets",
        description="List the embedded datasets with their coverage and dates.",
    )
    listed.add_argument("--format", choices=_FORMATS, default="text")
    listed.set_defaults(run=_datasets)
    return top


def commands(top: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Return the subcommands of ``top`` by name, in the order ``--help`` lists them."""
    for action in top._actions:  # argparse offers no public accessor for subparsers
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


# -- commands ---------------------------------------------------------------------------


def _value(args: argparse.Namespace) -> tuple[Money, bool]:
    """The customs value given, or a nominal 100 (and False: no value was given)."""
    if args.value is None:
        if args.quantity:
            raise InvalidInputError("--quantity", args.quantity, "needs --value too")
        return Money("100", args.currency), False
    return _inputs.money(args.value, args.currency, "--value", "--currency"), True


def _quantity(args: argparse.Namespace) -> Quantity | None:
    if not args.quantity:
        return None
    number, unit = args.quantity
    return _inputs.quantity(number, unit, "--quantity")


def _facts(args: argparse.Namespace, s: Schedule) -> dict[str, Any]:
    pairs = _inputs.fact_pairs(args.fact)
    if args.loaded is not None:
        pairs.append(("loaded", args.loaded, "--loaded"))
    return dict(_inputs.facts(pairs, s.declared_facts, args.currency))


_OPTION_OF = {
    "goods": "GOODS",
    "origin": "--origin",
    "entered": "--on",
    "value": "--value",
    "quantity": "--quantity",
}
# A timeline's first entry is entered on --from.
_TIMELINE_OPTION_OF = _OPTION_OF | {"entered": "--from"}


def _rate(args: argparse.Namespace) -> int:
    _inputs.locale(args.locale)
    s = _inputs.schedule(args)
    value, given = _value(args)
    amount = _quantity(args)
    entry = _inputs.entry(
        args.goods, args.origin, args.on, value, amount, _facts(args, s), _OPTION_OF
    )
    resolution = s.resolve(entry, as_of=_inputs.when(args.as_of, s.zone, "--as-of"))
    if args.format == "json":
        _print_json(_rate_json(resolution, args.on, given))
    else:
        print(resolution.format(args.locale) if args.locale else resolution.explain())
        if not given:
            nominal = fmt.money(value, args.locale) if args.locale else str(value)
            note = _(
                "(no --value: amounts are per {nominal}; give --value for the duty)",
                nominal=nominal,
            )
            print(_sayer(args.locale)(note))
    return EXIT_OK if resolution.is_known else EXIT_UNRESOLVED


def _rate_json(resolution: Resolution, on: str, given: bool) -> dict[str, Any]:
    data = resolution.to_dict()
    head = {"goods": data.pop("goods"), "origin": data.pop("origin"), "on": on}
    if not given:
        data["value"] = data["duty"] = None
    return head | data


def _timeline(args: argparse.Namespace) -> int:
    _inputs.locale(args.locale)
    s = _inputs.schedule(args)
    value, _given = _value(args)
    amount = _quantity(args)
    probe = _inputs.entry(
        args.goods, args.origin, args.start, value, amount, _facts(args, s), _TIMELINE_OPTION_OF
    )
    end = _inputs.when(args.end, s.zone, "--to")
    if end <= _inputs.when(args.start, s.zone, "--from"):
        raise InvalidInputError("--to", args.end, f"is not after --from {args.start}")
    segments = s.timeline(
        probe.goods,
        probe.origin,
        args.start,
        end,
        facts=probe.facts,
        as_of=_inputs.when(args.as_of, s.zone, "--as-of"),
        value=value,
        quantity=amount,
    )
    rows = [
        {
            "start": _moment(seg.period.start, s.zone),
            "end": None if seg.period.end is None else _moment(seg.period.end, s.zone),
            "total_rate": (
                str(seg.resolution.total_rate)
                if seg.resolution.is_known and value.amount
                else None
            ),
            "headings": list(seg.resolution.headings),
            "applied": [a.measure.id for a in seg.resolution.applied],
            "unknown": [
                {"id": u.id, "layer": u.layer, "reason": str(u.reason)}
                for u in seg.resolution.unknown
            ],
            "prohibited": [m.id for m in seg.resolution.prohibited],
        }
        for seg in segments
    ]
    if args.format == "json":
        _print_json(
            {"goods": probe.goods, "origin": probe.origin, "schedule": s.name, "periods": rows}
        )
    else:
        say = _sayer(args.locale)
        title = _(
            "{goods} from {origin} ({schedule})",
            goods=dotted(probe.goods),
            origin=probe.origin,
            schedule=s.name,
        )
        print(say(title))
        # Translators: a column heading of `tradelaw timeline`: when a period starts.
        start = say(_("from"))
        # Translators: a column heading of `tradelaw timeline`: when a period ends.
        end = say(_("to"))
        # Translators: a column heading of `tradelaw timeline`: the total rate of a period.
        rate = say(_("rate"))
        # Translators: a column heading of `tradelaw timeline`: the tariff headings applied.
        headings = say(_("headings"))
        print(f"{_pad(start, 17)} {_pad(end, 17)} {_pad(rate, 8, right=True)}  {headings}")
        for seg, row in zip(segments, rows, strict=True):
            # Translators: the rate of a period of `tradelaw timeline` that is unknown.
            unknown = say(_("unknown"))
            if seg.resolution.is_prohibited:
                # Translators: the rate of a period in which the goods may not be entered.
                unknown = say(_("prohibited"))
            if seg.resolution.is_known and not value.amount:
                rate = "-"  # a zero value has no ad valorem rate
            else:
                rate = _percent(seg, args.locale) if seg.resolution.is_known else unknown
            applied = " ".join(seg.resolution.headings)
            stop = row["end"] or "…"
            print(f"{row['start']:<17} {stop:<17} {_pad(rate, 8, right=True)}  {applied}")
            for line in seg.resolution.unknown:  # why the period is unknown
                print(f"{'':<17} {say(_unknown(line))}")
    known = all(seg.resolution.is_known for seg in segments)
    return EXIT_OK if known else EXIT_UNRESOLVED


def _sayer(locale: str | None) -> Callable[[Text], str]:
    """Say texts in ``locale``'s language (English without one)."""
    words = catalogue(fmt.locale(locale) if locale else None)
    return lambda text: text.say(words)


def _pad(text: str, width: int, right: bool = False) -> str:
    """Pad ``text`` to ``width`` columns of a terminal (wide characters take two)."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    space = " " * max(0, width - columns)
    return space + text if right else text + space


def _percent(segment: Segment, locale: str | None) -> str:
    rate = segment.resolution.total_rate
    return fmt.percent(rate, locale) if locale else f"{rate}%"


def _moment(moment: datetime, zone_name: str) -> str:
    """A date when the moment is 12:01 a.m. local (how instruments say it), else the time."""
    local = moment.astimezone(zone(zone_name))
    if (local.hour, local.minute, local.second) == (0, 1, 0):
        return local.date().isoformat()
    return local.isoformat(timespec="minutes")


def _check(args: argparse.Namespace) -> int:
    written: dict[int, str] = {}
    schedules = []
    for path in args.files:
        schedule, where = load_written(path)
        schedules.append(schedule)
        written |= where
    stacked = schedules[0].stack(*schedules[1:])
    found = stacked.problems(lambda item: written.get(id(item)))
    if found:
        raise ValidationError(found, f"schedule {stacked.name!r}")
    count = len(stacked.items)
    formats = ", ".join(sorted({format_of(path) for path in args.files}))
    files = f"{len(schedules)} file{'s' if len(schedules) > 1 else ''}"
    print(f"ok: {count} items in {files} (format {formats})")
    return EXIT_OK


def _import_hts(args: argparse.Namespace) -> int:
    imported = hts.load(args.file, effective=args.effective, name=args.name)
    dump(imported, args.output)
    print(f"wrote {len(imported.items)} measures to {args.output}")
    return EXIT_OK


def _datasets(args: argparse.Namespace) -> int:
    rows: list[dict[str, Any]] = []
    for dataset in datasets.available():
        c = dataset.coverage()
        rows.append(
            {
                "name": dataset.name,
                "title": dataset.title,
                "items": c.items,
                "first": None if c.first is None else c.first.isoformat(),
                "last": None if c.last is None else c.last.isoformat(),
                "recorded": None if c.recorded is None else c.recorded.isoformat(),
                "tables": list(c.tables),
                "default": dataset.name == datasets.DEFAULT,
            }
        )
    if args.format == "json":
        _print_json(rows)
        return EXIT_OK
    for row in rows:
        default = " (default)" if row["default"] else ""
        print(f"{row['name']}{default}: {row['title']}")
        print(
            f"  {row['items']} items; in effect {row['first']} to {row['last']}; "
            f"known as of {row['recorded'] or 'always'}"
        )
        for table in row["tables"]:
            print(f"  table (lines built when asked for): {table}")
    return EXIT_OK


# -- running ----------------------------------------------------------------------------


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _fail(lines: Sequence[str]) -> None:
    for line in lines:
        print(f"tradelaw: error: {line}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except ValidationError as error:
        _fail([str(problem) for problem in error.problems])
        return EXIT_INPUT
    except (UnknownDutyError, ConflictError) as error:
        _fail([str(error)])
        return EXIT_UNRESOLVED
    except TradelawError as error:
        _fail(str(error).splitlines())
        return EXIT_INPUT
    except BrokenPipeError:
        # The reader stopped reading (`tradelaw ... | head -1`): nothing more to say.
        _quiet_stdout()
        return EXIT_OK
    except OSError as error:
        where = error.filename if error.filename is not None else "output"
        _fail([f"{where}: {error.strerror or error}"])
        return EXIT_INPUT


def _quiet_stdout() -> None:
    """Point standard output at the null device, so that flushing it at exit is silent."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main_exit() -> None:
    """The console script's entry point: run :func:`main` and exit with its status."""
    sys.exit(main())

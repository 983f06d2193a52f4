"""The ``tradelaw`` command: query, check and import schedules from the shell.

Subcommands: ``rate``, ``timeline``, ``entries``, ``panel``, ``effective-rate``,
``compare``, ``plot``, ``check``, ``import-hts`` and ``datasets``; ``tradelaw SUBCOMMAND
--help`` describes each. Exit status: 0 on success, 1 when a duty cannot be resolved (an
unknown rate, a tie between measures), 2 on a usage or input error. Errors go to
standard error, one line each, naming the bad value.

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
from collections.abc import Callable, Sequence
from typing import Any

import tradelaw
from tradelaw import datasets, hts
from tradelaw import format as fmt
from tradelaw._i18n import _
from tradelaw.cli import _compare, _effective, _entries, _inputs, _panel, _plot, _timeline
from tradelaw.cli._status import EXIT_INPUT, EXIT_OK, EXIT_UNRESOLVED
from tradelaw.errors import (
    ConflictError,
    InvalidInputError,
    TradelawError,
    UnknownDutyError,
    ValidationError,
)
from tradelaw.io import dump, format_of, load_written
from tradelaw.overlays import idle as overlay_findings
from tradelaw.resolution import Resolution

__all__ = ["EXIT_INPUT", "EXIT_OK", "EXIT_UNRESOLVED", "commands", "main", "main_exit", "parser"]

_FORMATS = ("text", "json")


def _query_options(command: argparse.ArgumentParser, formats: tuple[str, ...] = _FORMATS) -> None:
    """Options shared by the commands that resolve entries.

    ``formats`` are the choices of ``--format``, the first the default (none: no option).
    """
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
        "--overlay",
        metavar="FILE",
        action="append",
        default=[],
        help="a schedule file stacked over the dataset or --schedule files: a scenario "
        "(repeatable; later files win)",
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
    if formats:
        command.add_argument(
            "--format",
            choices=formats,
            default=formats[0],
            help=f"output format (default: {formats[0]})",
        )


def _entry_options(command: argparse.ArgumentParser, many: bool = False) -> None:
    """Options describing an entry (for ``rate``; several goods and origins for ``timeline``)."""
    if many:
        command.add_argument("goods", nargs="+", metavar="GOODS", help="HTS codes")
        command.add_argument(
            "--origin", required=True, nargs="+", metavar="CC", help="countries of origin"
        )
    else:
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

    _timeline.add(commands, _entry_options, _query_options)

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
    _effective.add(commands, _query_options)
    _compare.add(commands, _query_options)
    _plot.add(commands, _query_options)

    check = commands.add_parser(
        "check",
        help="validate schedule files",
        description="Read schedule files, stack them in order, and list every problem. "
        "With --overlay, also stack the overlay files over them (or over --dataset) and "
        "list the overlay items that never apply.",
    )
    check.add_argument("files", nargs="*", metavar="FILE")
    check.add_argument(
        "--overlay",
        metavar="FILE",
        action="append",
        default=[],
        help="an overlay file to check over the files or the dataset (repeatable)",
    )
    check.add_argument(
        "--dataset", metavar="NAME", help="with --overlay and no FILE: the base to check over"
    )
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


_OPTION_OF = {
    "goods": "GOODS",
    "origin": "--origin",
    "entered": "--on",
    "value": "--value",
    "quantity": "--quantity",
}


def _rate(args: argparse.Namespace) -> int:
    _inputs.locale(args.locale)
    s = _inputs.schedule(args)
    value, given = _inputs.value(args)
    amount = _inputs.quantity_of(args)
    entry = _inputs.entry(
        args.goods, args.origin, args.on, value, amount, _inputs.entry_facts(args, s), _OPTION_OF
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
            print(_inputs.sayer(args.locale)(note))
    return EXIT_OK if resolution.is_known else EXIT_UNRESOLVED


def _rate_json(resolution: Resolution, on: str, given: bool) -> dict[str, Any]:
    data = resolution.to_dict()
    head = {"goods": data.pop("goods"), "origin": data.pop("origin"), "on": on}
    if not given:
        data["value"] = data["duty"] = None
    return head | data


def _check(args: argparse.Namespace) -> int:
    if not args.files and not args.overlay:
        raise InvalidInputError("FILE", "", "is needed: the files to check (or --overlay)")
    written: dict[int, str] = {}
    schedules = []
    for path in [*args.files, *args.overlay]:
        schedule, where = load_written(path)
        schedules.append(schedule)
        written |= where
    overlays = schedules[len(args.files) :]
    if args.files:
        base = schedules[0].stack(*schedules[1 : len(args.files)])
    else:
        base = datasets.load(args.dataset or os.environ.get(_inputs.DATASET_VARIABLE) or "us")
    stacked = base.stack(*overlays)
    found = stacked.problems(lambda item: written.get(id(item)))
    if found:
        raise ValidationError(found, f"schedule {stacked.name!r}")
    count = len(stacked.items)
    paths = [*args.files, *args.overlay]
    formats = ", ".join(sorted({format_of(path) for path in paths}))
    files = f"{len(schedules)} file{'s' if len(schedules) > 1 else ''}"
    idle = overlay_findings(base, *overlays) if overlays else []
    for finding in idle:
        print(f"overlay: {finding}")
    print(f"ok: {count} items in {files} (format {formats})")
    return EXIT_UNRESOLVED if idle else EXIT_OK


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

"""``tradelaw entries``: resolve every row of a CSV file of entries.

Each output row is the input row with the results appended, so nothing is lost: a row
that cannot be read is written too, with its error, while every other row is resolved.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from tradelaw.cli import _inputs
from tradelaw.cli._status import EXIT_INPUT, EXIT_OK, EXIT_UNRESOLVED
from tradelaw.errors import ConflictError, InvalidInputError, UnknownDutyError
from tradelaw.facts import FactSpec
from tradelaw.money import Money
from tradelaw.resolution import Resolution, tidy
from tradelaw.schedule import Schedule

#: The columns with a fixed meaning; any other column is a fact the schedule declares.
_ENTRY_FIELDS = ("goods", "origin", "entered", "value", "currency", "quantity")
COLUMNS = (*_ENTRY_FIELDS, "loaded")  # `loaded` is a well-known fact with its own column
_REQUIRED = ("goods", "origin", "entered", "value")
_RESULTS = ("total_rate", "duty", "headings", "status", "message")
_COMPARED = ("total_rate_latest", "duty_latest", "difference")


#: The statuses a row may get, in the order the summary counts them.
STATUSES = ("ok", "unknown", "prohibited", "unresolved", "error")


class _Totals:
    """Rows per status, and sums per currency: the duty, and latest minus as filed."""

    def __init__(self) -> None:
        self.duty: dict[str, Money] = {}
        self.difference: dict[str, Money] = {}
        self.rows = 0
        self.status = dict.fromkeys(STATUSES, 0)

    @staticmethod
    def add(sums: dict[str, Money], amount: Money) -> None:
        sums[amount.currency] = sums.get(amount.currency, Money.zero(amount.currency)) + amount

    def summary(self, compared: bool) -> str:
        """One line: the rows per status (as the ``status`` column says), then the sums."""

        def listed(sums: Mapping[str, Money]) -> str:
            return ", ".join(str(m.rounded()) for m in sums.values()) or "0"

        counts = ", ".join(f"{n} {status}" for status, n in self.status.items())
        text = f"{self.rows} rows: {counts}; total duty {listed(self.duty)}"
        if compared:
            text += f"; as amended minus as filed {listed(self.difference)}"
        return text


def _header(
    fields: Sequence[str] | None, source: str, declared: Mapping[str, object]
) -> list[str]:
    if not fields:
        raise InvalidInputError(source, "", "has no header row")
    missing = [c for c in _REQUIRED if c not in fields]
    if missing:
        raise InvalidInputError(f"{source}: header", ",".join(fields), f"lacks {missing}")
    seen: set[str] = set()
    for name in fields:
        if name in seen:
            raise InvalidInputError(f"{source}: header", name, "is a repeated column")
        seen.add(name)
        if name not in COLUMNS and name not in declared:
            raise InvalidInputError(
                f"{source}: header", name, "is neither an entry column nor a declared fact"
            )
    return list(fields)


def _resolve_row(
    row: dict[str, str],
    s: Schedule,
    declared: Mapping[str, FactSpec],
    args: argparse.Namespace,
) -> tuple[Resolution, Resolution | None]:
    extra = row.pop(None, None)  # type: ignore[call-overload]  # DictReader's overflow key
    if extra is not None:
        raise InvalidInputError("", extra, "has more cells than the header")

    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    currency = cell("currency") or args.currency
    value = _inputs.money(cell("value"), currency, "value", "currency")
    amount = None
    if cell("quantity"):
        number, _, unit = cell("quantity").partition(" ")
        if not unit.strip():
            raise InvalidInputError("quantity", cell("quantity"), "is not 'N UNIT' (e.g. 12 kg)")
        amount = _inputs.quantity(number, unit.strip(), "quantity")
    pairs = [
        (name, text, name)
        for name, text in row.items()
        if name not in _ENTRY_FIELDS and text is not None and text.strip()
    ]
    facts = _inputs.facts(pairs, declared, currency)
    entry = _inputs.entry(cell("goods"), cell("origin"), cell("entered"), value, amount, facts)
    filed = s.resolve(entry, as_of=args.as_of)
    latest = s.resolve(entry) if args.compare_latest else None
    return filed, latest


def _results(filed: Resolution, latest: Resolution | None, totals: _Totals) -> dict[str, str]:
    out = {"headings": " ".join(filed.headings)}
    if filed.is_known:
        totals.add(totals.duty, filed.duty)
        out["duty"] = str(tidy(filed.duty.amount))
        if filed.entry.value.amount:  # a zero value has a duty but no ad valorem rate
            out["total_rate"] = str(filed.total_rate)
        out["status"] = "ok"
    elif filed.is_prohibited:
        out["status"] = "prohibited"
        out["message"] = "; ".join(f"{m.id}: {m.citation}" for m in filed.prohibited)
    else:
        out["status"] = "unknown"
        out["message"] = "; ".join(f"{u.id}: {u.reason}" for u in filed.unknown)
    if latest is not None and latest.is_known:
        out["duty_latest"] = str(tidy(latest.duty.amount))
        if latest.entry.value.amount:
            out["total_rate_latest"] = str(latest.total_rate)
        if filed.is_known:
            difference = latest.duty - filed.duty
            totals.add(totals.difference, difference)
            out["difference"] = str(tidy(difference.amount))
    return out


@contextmanager
def _output(path: str | None) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        return
    try:
        with Path(path).open("w", encoding="utf-8", newline="") as file:
            yield file
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            raise
        problem = f"cannot be written: {error.strerror or error}"
        raise InvalidInputError("-o", path, problem) from None


def _read(source: str) -> tuple[list[str] | None, list[tuple[int, dict[str, str]]]]:
    """The header and rows of an entries file, each row with the line it starts on.

    Raises:
        InvalidInputError: the file is not UTF-8 text or not CSV (naming the line).
    """
    csv.field_size_limit(_LARGEST_CELL)  # a long cell is that row's problem, not the file's
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        file = Path(source).open(encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed below)
    except ValueError:  # a NUL, or a character no file name can hold
        raise InvalidInputError("FILE.csv", source, "is not a file name") from None
    with file:
        reader = csv.DictReader(_bounded(file, source))
        try:
            header = reader.fieldnames
            while True:
                start = reader.line_num + 1  # a quoted cell may span lines: report the first
                row = next(reader, None)
                if row is None:
                    return (list(header) if header else None), rows
                rows.append((start, row))
        except UnicodeDecodeError as error:
            problem = "is not UTF-8 text; save the file as UTF-8"
            raise InvalidInputError(
                source, error.object[error.start : error.start + 1], problem
            ) from None
        except csv.Error as error:
            raise InvalidInputError(
                f"{source}: line {reader.line_num}", "", f"is not valid CSV: {error}"
            ) from None


# The longest line an entries file may have (a cell can hold this much); past it, a file is
# not CSV (`/dev/zero` has no end of line at all), and reading on would only use memory.
_LARGEST_CELL = 1 << 24


def _bounded(file: IO[str], source: str) -> Iterator[str]:
    """The file's lines, refusing a line longer than any entries file has."""
    while True:
        line = file.readline(_LARGEST_CELL + 1)
        if not line:
            return
        if len(line) > _LARGEST_CELL:
            problem = f"has a line of more than {_LARGEST_CELL:,} characters: it is not CSV"
            raise InvalidInputError(source, line[:20], problem)
        yield line


def run(args: argparse.Namespace) -> int:
    """Run ``tradelaw entries``; see the command's ``--help``."""
    if args.compare_latest and args.as_of is None:
        raise InvalidInputError("--compare-latest", True, "needs --as-of (the as-filed view)")
    source = args.file
    header, rows = _read(source)
    s = _inputs.schedule(args)
    args.as_of = _inputs.when(args.as_of, s.zone, "--as-of")  # read once, named as typed
    declared = s.declared_facts
    fields = _header(header, source, declared)
    columns = fields + list(_RESULTS) + (list(_COMPARED) if args.compare_latest else [])
    totals = _Totals()
    with _output(args.output) as out:
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        # csv quotes a cell with "\n" but not one with a bare "\r", which a reader takes
        # for the end of a line: such a row is written with every cell quoted.
        quoted = csv.DictWriter(
            out, fieldnames=columns, lineterminator="\n", quoting=csv.QUOTE_ALL
        )
        writer.writeheader()
        from tqdm import tqdm  # here: only `entries` draws progress, and it costs a start

        for line, row in tqdm(rows, desc="entries", unit=" rows", disable=_quiet(args)):
            totals.rows += 1
            result: dict[str, str]
            try:
                result = _results(*_resolve_row(row, s, declared, args), totals)
            except InvalidInputError as error:
                result = {"status": "error", "message": str(error)}
                print(f"tradelaw: error: {source}: line {line}: {error}", file=sys.stderr)
            except (UnknownDutyError, ConflictError) as error:
                result = {"status": "unresolved", "message": str(error)}
            totals.status[result["status"]] += 1
            cells = {**{k: v or "" for k, v in row.items()}, **result}
            carriage = any("\r" in str(cell) for cell in cells.values())
            (quoted if carriage else writer).writerow(cells)
    summary = totals.summary(args.compare_latest)
    print(summary, file=sys.stderr if args.output is None else sys.stdout)
    if totals.status["error"]:
        return EXIT_INPUT
    settled = totals.status["ok"] + totals.status["error"]
    return EXIT_UNRESOLVED if settled < totals.rows else EXIT_OK


def _quiet(args: argparse.Namespace) -> bool | None:
    """Return tqdm's ``disable``: None lets it draw only on a terminal."""
    return None if args.progress is None else not args.progress

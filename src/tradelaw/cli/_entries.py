"""``tradelaw entries``: resolve every row of a CSV file of entries.

Each output row is the input row with the results appended, so nothing is lost: a row
that cannot be read is written too, with its error, while every other row is resolved.
"""

from __future__ import annotations

import argparse
import csv
import gc
import itertools
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from tradelaw.cli import _inputs
from tradelaw.cli._status import EXIT_INPUT, EXIT_OK, EXIT_UNRESOLVED
from tradelaw.errors import InvalidInputError
from tradelaw.frame._columns import Columns
from tradelaw.frame._engine import Compiled
from tradelaw.frame._rows import ENTRY_COLUMNS, missing_columns
from tradelaw.frame._run import collector_paused, resolve_columns
from tradelaw.money import Money
from tradelaw.resolution import tidy

#: The columns with a fixed meaning; any other column is a fact the schedule declares.
COLUMNS = (*ENTRY_COLUMNS, "loaded")  # `loaded` is a well-known fact with its own column
_RESULTS = ("total_rate", "duty", "headings", "status", "message")
_COMPARED = ("total_rate_latest", "duty_latest", "difference")
# Where a row's status and message are among its result cells (see _results).
_STATUS, _MESSAGE = _RESULTS.index("status"), _RESULTS.index("message")


#: The statuses a row may get, in the order the summary counts them.
STATUSES = ("ok", "unknown", "prohibited", "unresolved", "error")


# One unit of each currency seen, to turn exact duties into money without reading them again.
_ONE: dict[str, Money] = {}


class _Totals:
    """Rows per status, and sums per currency: the duty, and latest minus as filed."""

    def __init__(self) -> None:
        self.duty: dict[str, Money] = {}
        self.difference: dict[str, Money] = {}
        self.rows = 0
        self.status = dict.fromkeys(STATUSES, 0)

    @staticmethod
    def add(sums: dict[str, Money], currency: str, amount: Decimal) -> None:
        """Add an exact amount (a duty may have more decimals than money given as input)."""
        one = _ONE.get(currency) or _ONE.setdefault(currency, Money("1", currency))
        exact = one * amount  # arithmetic keeps every decimal of an exact duty
        sums[currency] = sums[currency] + exact if currency in sums else exact

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
    missing = missing_columns(fields)
    if missing:
        raise InvalidInputError(f"{source}: header", ",".join(fields), f"lacks {missing}")
    seen: set[str] = set()
    for name in fields:
        if name in seen:
            raise InvalidInputError(f"{source}: header", name, "is a repeated column")
        seen.add(name)  # a column that is neither an entry's nor a fact's is passed through
    return list(fields)


def _results(
    row: int,
    filed: Columns,
    latest: Columns | None,
    currencies: list[str],
    totals: _Totals,
) -> list[str]:
    """The result cells of one row (``_RESULTS``, then ``_COMPARED``), added to the totals."""
    status = filed.status[row]
    duty = filed.duty[row]
    currency = currencies[row]
    rate_cell = duty_cell = ""
    if status == "ok" and duty is not None:
        totals.add(totals.duty, currency, duty)
        duty_cell = str(duty)
        rate = filed.rate[row]
        rate_cell = "" if rate is None else str(rate)
    out = [rate_cell, duty_cell, filed.headings[row], status, filed.message[row]]
    if latest is None:
        return out
    compared = ["", "", ""]
    if latest.status[row] == "ok":
        newer = latest.duty[row]
        assert newer is not None
        rate = latest.rate[row]
        compared[:2] = "" if rate is None else str(rate), str(newer)
        if status == "ok" and duty is not None:
            difference = newer - duty
            totals.add(totals.difference, currency, difference)
            compared[2] = str(tidy(difference))
    return out + compared


@contextmanager
def _output(path: str | None) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        return
    target = Path(path)
    written = target.with_name(f".{target.name}.part") if _replaceable(path) else target
    try:
        with written.open("w", encoding="utf-8", newline="") as file:
            yield file
        if written != target:
            os.replace(written, target)
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            raise
        problem = f"cannot be written: {error.strerror or error}"
        raise InvalidInputError("-o", path, problem) from None
    finally:
        if written != target:
            written.unlink(missing_ok=True)


def _replaceable(path: str | None) -> bool:
    """Whether ``-o`` names a regular file (or none yet), which a new one may replace."""
    if path is None:
        return False
    target = Path(path)
    return not target.exists() or (target.is_file() and not target.is_symlink())


def _lines_in(source: str) -> int | None:
    """About how many rows a file has, for the progress bar (None if it cannot be read)."""
    try:
        with Path(source).open("rb") as file:
            return max(
                0, sum(block.count(b"\n") for block in iter(lambda: file.read(1 << 20), b"")) - 1
            )
    except (OSError, ValueError):
        return None  # reading it says why, naming the file


@contextmanager
def _rows(source: str) -> Iterator[tuple[list[str] | None, Iterator[tuple[int, list[str]]]]]:
    """The header and, lazily, the rows of an entries file, each with the line it starts on.

    Rows are lists of cells, as many as the file gives (blank lines are no rows).

    Raises:
        InvalidInputError: the file is not UTF-8 text or not CSV (naming the line).
    """
    csv.field_size_limit(_LARGEST_CELL)  # a long cell is that row's problem, not the file's
    try:
        file = Path(source).open(encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed below)
    except ValueError:  # a NUL, or a character no file name can hold
        raise InvalidInputError("FILE.csv", source, "is not a file name") from None
    with file:
        reader = csv.reader(_bounded(file, source))

        def rows() -> Iterator[tuple[int, list[str]]]:
            # One handler around the whole loop, not one per row: a file has millions.
            try:
                while True:
                    start = reader.line_num + 1  # a quoted cell may span lines: the first
                    row = next(reader, None)
                    if row is None:
                        return
                    if row:
                        yield start, row
            except (UnicodeDecodeError, csv.Error) as error:
                raise _unreadable(source, reader, error) from None

        with _readable(source, reader):
            header = next(reader, None)
        yield header or None, rows()


@contextmanager
def _readable(source: str, reader: Any) -> Iterator[None]:
    """Turn a file that is not UTF-8 text or not CSV into one clear error."""
    try:
        yield
    except (UnicodeDecodeError, csv.Error) as error:
        raise _unreadable(source, reader, error) from None


def _unreadable(
    source: str, reader: Any, error: UnicodeDecodeError | csv.Error
) -> InvalidInputError:
    """The error of a file that is not UTF-8 text or not CSV, naming the byte or line."""
    if isinstance(error, UnicodeDecodeError):
        problem = "is not UTF-8 text; save the file as UTF-8"
        return InvalidInputError(source, error.object[error.start : error.start + 1], problem)
    return InvalidInputError(f"{source}: line {reader.line_num}", "", f"is not valid CSV: {error}")


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


#: Rows resolved together: large enough that a chunk's distinct lines, places and groups
#: (worked out once per chunk) are few beside its rows, small enough that memory stays
#: flat in the length of the file (1M rows: 20,000 took 33 s and 385 MiB; 50,000 29 s
#: and 445 MiB; 100,000 31 s and 535 MiB).
CHUNK = 50_000


def run(args: argparse.Namespace) -> int:
    """Run ``tradelaw entries``; see the command's ``--help``."""
    if args.compare_latest and args.as_of is None:
        raise InvalidInputError("--compare-latest", True, "needs --as-of (the as-filed view)")
    source = args.file
    # A file output is written beside its place and renamed into it at the end: a file
    # that turns out to be unreadable halfway leaves no half-written output, so the input
    # is read only once. Elsewhere (standard output) it is read whole before anything.
    total = _lines_in(source) if _replaceable(args.output) else _readable_rows(source)
    with _rows(source) as (header, rows):
        s = _inputs.schedule(args)
        args.as_of = _inputs.when(args.as_of, s.zone, "--as-of")  # read once, named as typed
        currency = args.currency or s.currency
        if args.currency:
            _inputs.money("0", args.currency, "--currency", "--currency")
        fields = _header(header, source, s.declared_facts)
        columns = fields + list(_RESULTS) + (list(_COMPARED) if args.compare_latest else [])
        filed = Compiled(s, args.as_of)
        latest = Compiled(s, None) if args.compare_latest else None
        totals = _Totals()
        # The collector is paused for the whole file (see collector_paused), else it walks
        # the engine's objects again after every chunk; the youngest objects, a chunk's, are
        # looked at after it, so that a cycle a chunk made cannot pile up.
        with collector_paused(), _output(args.output) as out, _progress(args, total) as bar:
            write = _writer(out, columns, args.format)
            for chunk in _batched(rows, CHUNK):
                _resolve_chunk(chunk, fields, currency, filed, latest, totals, write, source)
                gc.collect(0)
                bar.update(len(chunk))
    summary = totals.summary(args.compare_latest)
    print(summary, file=sys.stderr if args.output is None else sys.stdout)
    if totals.status["error"]:
        return EXIT_INPUT
    settled = totals.status["ok"] + totals.status["error"]
    return EXIT_UNRESOLVED if settled < totals.rows else EXIT_OK


def _resolve_chunk(
    chunk: list[tuple[int, list[str]]],
    fields: list[str],
    currency: str,
    filed: Compiled,
    latest: Compiled | None,
    totals: _Totals,
    write: Any,
    source: str,
) -> None:
    """Resolve and write one chunk of rows, in order, reporting each bad row."""
    width = len(fields)
    overflow: dict[int, list[str]] = {}
    rows = []
    for n, (_line, row) in enumerate(chunk):
        if len(row) > width:
            overflow[n] = row[width:]
            row = row[:width]
        elif len(row) < width:  # a short row: its missing cells are empty
            row = row + [""] * (width - len(row))
        rows.append(row)
    if not rows:
        return
    columns = zip(*rows, strict=True)  # every row has been made as wide as the header
    cells: dict[str, list[object]] = {
        name: list(column) for name, column in zip(fields, columns, strict=True)
    }
    if "currency" in cells:
        cells["currency"] = [c or currency for c in cells["currency"]]
    else:
        cells["currency"] = [currency] * len(rows)
    # The columnar engine: the same answers as resolve(), row by row.
    found, currencies = resolve_columns(filed, cells, len(rows))
    found = found.listed()
    newer = resolve_columns(latest, cells, len(rows))[0].listed() if latest is not None else None
    blank = [""] * (len(_RESULTS) + (len(_COMPARED) if latest is not None else 0))
    for n, ((line, _given), row) in enumerate(zip(chunk, rows, strict=True)):
        totals.rows += 1
        if n in overflow:
            problem = InvalidInputError("", overflow[n], "has more cells than the header")
            result = blank.copy()
            result[_STATUS], result[_MESSAGE] = "error", str(problem)
        else:
            result = _results(n, found, newer, currencies, totals)
        status = result[_STATUS]
        if status == "error":
            print(f"tradelaw: error: {source}: line {line}: {result[_MESSAGE]}", file=sys.stderr)
        totals.status[status] += 1
        write(row + result)


def _batched(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while True:
        chunk = list(itertools.islice(rows, size))
        if not chunk:
            return
        yield chunk


def _writer(out: IO[str], columns: list[str], form: str) -> Any:
    """A function that writes one row of results (cells in the order of ``columns``)."""
    if form == "json":

        def line(cells: list[str]) -> None:
            out.write(json.dumps(dict(zip(columns, cells, strict=True)), ensure_ascii=False))
            out.write("\n")

        return line
    writer = csv.writer(out, lineterminator="\n")
    # csv quotes a cell with "\n" but not one with a bare "\r", which a reader takes for the
    # end of a line: such a row is written with every cell quoted.
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)

    def row(cells: list[str]) -> None:
        (quoted if "\r" in "".join(cells) else writer).writerow(cells)

    return row


@contextmanager
def _progress(args: argparse.Namespace, total: int | None) -> Iterator[Any]:
    """A progress bar over the file's rows."""
    from tqdm import tqdm  # here: only `entries` draws progress, and it costs a start

    bar = tqdm(total=total, desc="entries", unit=" rows", disable=_quiet(args))
    try:
        yield bar
    finally:
        bar.close()


def _readable_rows(source: str) -> int:
    """Read the whole file as CSV once, and count its rows.

    A file that cannot be read (not UTF-8 text, not CSV, a line longer than any) is one
    clear error before anything is written; its rows are then read again in chunks.
    """
    with _rows(source) as (_header, rows):
        return sum(1 for _ in rows)


def _quiet(args: argparse.Namespace) -> bool | None:
    """Return tqdm's ``disable``: None lets it draw only on a terminal."""
    return None if args.progress is None else not args.progress

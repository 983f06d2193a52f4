"""Reading HTS lines: the USITC exports (CSV, JSON) and tradelaw's generated edition tables.

An edition table is what ``scripts/hts_tables.py`` makes of an export: a gzip-compressed,
tab-separated text with a few ``# key: value`` lines first (the edition's name, the date
it takes effect, the export it was made from and that export's SHA-256), then a header
and one row per numbered line of chapters 1 to 98, rates as printed.
"""

from __future__ import annotations

import csv
import gzip
import json
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

from tradelaw.errors import InvalidInputError
from tradelaw.scope import goods_code

__all__ = ["CSV_HEADER", "TABLE_HEADER", "Line", "read_export", "read_table", "write_table"]

#: The header of the USITC CSV export, in order.
CSV_HEADER: tuple[str, ...] = (
    "HTS Number",
    "Indent",
    "Description",
    "Unit of Quantity",
    "General Rate of Duty",
    "Special Rate of Duty",
    "Column 2 Rate of Duty",
    "Quota Quantity",
    "Additional Duties",
)

#: The columns of an edition table.
TABLE_HEADER: tuple[str, ...] = ("line", "general", "special", "column 2")
_LENGTHS = frozenset({2, 4, 6, 8, 10})
#: The facts an edition table states about itself, in its ``# key: value`` lines.
TABLE_FACTS: tuple[str, ...] = ("edition", "effective", "source", "sha256")


class Line(NamedTuple):
    """One numbered HTS line, as read: where from, its code and its rates as printed.

    A named tuple, not an attrs class: an edition has tens of thousands of them.
    """

    where: str
    code: str
    printed: str
    general: str
    special: str
    other: str


def _csv_lines(path: Path) -> Iterator[Line]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.reader(file)
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != CSV_HEADER:
            raise InvalidInputError(
                f"{path}, row 1",
                header,
                f"is not the header of the USITC HTS CSV export ({', '.join(CSV_HEADER)})",
            )
        for number, row in enumerate(reader, start=2):
            where = f"{path}, row {number}"
            if len(row) != len(CSV_HEADER):
                raise InvalidInputError(
                    where, row, f"has {len(row)} fields; the header has {len(CSV_HEADER)}"
                )
            printed = row[0].strip()
            if printed:
                code = goods_code(printed, f"{where}, HTS Number")
                yield Line(where, code, printed, row[4], row[5], row[6])


def _text(record: Mapping[str, object], key: str, where: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInputError(f"{where}, {key}", value, "is not text")
    return value


def _json_lines(path: Path) -> Iterator[Line]:
    try:
        with path.open(encoding="utf-8-sig") as file:
            data = json.load(file)
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            str(path),
            f"line {error.lineno}, column {error.colno}",
            f"is not valid JSON: {error.msg}",
        ) from None
    if not isinstance(data, list):
        raise InvalidInputError(str(path), type(data).__name__, "is not a list of HTS lines")
    for number, record in enumerate(data):
        where = f"{path}, item {number}"
        if not isinstance(record, dict):
            raise InvalidInputError(where, record, "is not an object")
        printed = _text(record, "htsno", where).strip()
        if printed:
            code = goods_code(printed, f"{where}, htsno")
            yield Line(
                where,
                code,
                printed,
                _text(record, "general", where),
                _text(record, "special", where),
                _text(record, "other", where),
            )


def read_export(path: Path) -> list[Line]:
    """Read every numbered line of a USITC export (``.csv`` or ``.json``).

    Raises:
        InvalidInputError: naming the file (and row) when it cannot be read or is malformed.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise InvalidInputError(str(path), suffix, "is not a known HTS export (.csv or .json)")
    reader = _csv_lines if suffix == ".csv" else _json_lines
    try:
        return list(reader(path))
    except OSError as error:
        raise InvalidInputError(
            "HTS export", str(path), f"cannot be read: {error.strerror or error}"
        ) from None
    except UnicodeDecodeError as error:
        raise InvalidInputError(
            "HTS export", str(path), f"is not UTF-8 text (byte {error.start}: {error.reason})"
        ) from None
    except csv.Error as error:
        raise InvalidInputError("HTS export", str(path), f"is not valid CSV: {error}") from None


def write_table(lines: Iterable[Line], facts: Mapping[str, str]) -> bytes:
    """Return an edition table of ``lines``, with ``facts`` (see :data:`TABLE_FACTS`).

    The output is byte-for-byte the same for the same input (no time in the gzip header).
    """
    out = [f"# {key}: {facts[key]}" for key in TABLE_FACTS]
    out.append("\t".join(TABLE_HEADER))
    for line in lines:
        cells = (line.printed, line.general, line.special, line.other)
        out.append("\t".join(" ".join(cell.split()) for cell in cells))
    return gzip.compress(("\n".join(out) + "\n").encode("utf-8"), mtime=0)


def read_table(path: Path) -> tuple[dict[str, str], list[Line]]:
    """Read an edition table: its facts and its lines.

    Raises:
        InvalidInputError: naming the file and line when it is not such a table.
    """
    try:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    except OSError as error:
        problem = error.strerror or str(error)
        raise InvalidInputError(
            "HTS edition table", str(path), f"cannot be read: {problem}"
        ) from None
    except (EOFError, zlib.error, UnicodeDecodeError) as error:
        raise InvalidInputError(
            "HTS edition table", str(path), f"is not gzip-compressed UTF-8 text ({error})"
        ) from None
    rows = text.splitlines()
    facts: dict[str, str] = {}
    number = 0
    for number, row in enumerate(rows, start=1):  # noqa: B007 (number is used below)
        if not row.startswith("#"):
            break
        key, colon, value = row[1:].partition(":")
        if colon and key.strip() in TABLE_FACTS:
            facts[key.strip()] = value.strip()
    missing = [key for key in TABLE_FACTS if key not in facts]
    if missing:
        raise InvalidInputError(f"{path}, line 1", ", ".join(missing), "are missing facts")
    if number == 0 or tuple(rows[number - 1].split("\t")) != TABLE_HEADER:
        raise InvalidInputError(
            f"{path}, line {number}",
            rows[number - 1] if number else "",
            f"is not the header {', '.join(TABLE_HEADER)}",
        )
    lines = []
    where = f"{path}, line "
    line = tuple.__new__  # what Line(...) calls, less a Python frame per line
    for at, row in enumerate(rows[number:], start=number + 1):
        cells = row.split("\t")
        if len(cells) != len(TABLE_HEADER):
            raise InvalidInputError(f"{where}{at}", row, f"has {len(cells)} cells, not 4")
        printed, general, special, other = cells
        code = printed.replace(".", "")
        if not code.isdigit() or len(code) not in _LENGTHS:  # the quick check of goods_code
            code = goods_code(printed, f"{where}{at}")
        lines.append(line(Line, (where + str(at), code, printed, general, special, other)))
    return facts, lines

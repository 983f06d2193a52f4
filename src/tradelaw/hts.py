"""Import the official USITC export of the Harmonized Tariff Schedule (HTSUS).

The United States International Trade Commission publishes the HTSUS as a CSV file and as a
JSON file. :func:`load` reads either and returns a :class:`~tradelaw.schedule.Schedule`
of base-layer measures (``layer="mfn"``), on which other layers (Section 232, IEEPA, …)
can be stacked. The user brings the export, downloaded from the USITC.

What becomes a measure:

* **General (column 1).** One measure per HTS line that prints its own general rate, for
  every origin except the column 2 countries. A 10-digit statistical line without a rate
  of its own gets nothing: the measure of its 8-digit line covers it through the code
  prefix. A line with its own rate gets its own measure, and the longer prefix wins.
* **Special.** One measure per line and distinct rate of the special column, with
  ``priority=1`` and the condition ``claim is given and claim in {<codes>}`` naming the
  programmes printed with that rate (``mfn-<line>-special``, then ``-special-2`` … in
  printed order). An entry that claims nothing is not affected (the condition is false,
  not unknown); an entry whose ``claim`` fact names a programme gets its rate. Codes are
  compared as printed: a claim of ``"A"`` does not match a line that lists ``"A*"`` or
  ``"A+"``. Whether the
  origin is a beneficiary of the programme is not checked: the claim is the importer's.
  Special measures do not cover the column 2 countries, nor a longer line below that
  prints its own general rate.
* **Column 2.** One measure per line with a column 2 rate, for the origins in
  :data:`COLUMN_2`: Cuba and North Korea, and Russia and Belarus, whose normal trade
  relations were suspended by the Suspending Normal Trade Relations with Russia and
  Belarus Act (Public Law 117-110, April 2022). Every measure of an import shares one
  period starting at ``effective``; the exact instant at which Russia and Belarus moved
  to column 2 is out of scope here, so a schedule for dates before that Act is wrong
  for those two countries.

Rates are parsed exactly (:func:`parse_rate`, :func:`parse_special`); a text tradelaw
cannot read exactly, such as ``"See 9903.88.15"``, ``"33 1/3%"`` (not a finite decimal)
or ``"1.9¢/kg on drained weight"``, becomes an :class:`~tradelaw.rates.UnknownRate`
keeping the text: never zero, never a guess.

Units of specific rates are spelled as in the HTS "Unit of Quantity" column, so that the
statistical quantity of an entry can be declared as it is reported: ``"4.2¢/liter"`` is
per ``liters``, ``"$2.35/pf. liter"`` per ``pf.liters``, ``"/pr."`` per ``prs.``,
``"/1,000"`` per ``thousands``, and a rate "each" (per article) per ``No.``; ``kg``,
``doz.``, ``m2``, ``t`` and the rest keep their spelling. Any other unit, or a qualified
one ("on drained weight", "of total sugars", "on lead content"), makes the rate unknown.
tradelaw does not convert units, so a specific rate needs a
:class:`~tradelaw.money.Quantity` in exactly that unit (compared case-insensitively).

Example:
    >>> parse_rate("4.4¢/kg + 6%")
    Compound(parts=(Specific(amount=Money(amount=Decimal('0.044'), currency='USD'),
    unit='kg'), AdValorem(percent=Decimal('6'))))
    >>> sorted(parse_special("Free (AU,KR) 1.2% (JP)").items())
    [('AU', Free()), ('JP', AdValorem(percent=Decimal('1.2'))), ('KR', Free())]
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path

from attrs import frozen

from tradelaw.conditions import AllOf, Condition, OneOf, Present
from tradelaw.errors import InvalidInputError
from tradelaw.measures import Measure
from tradelaw.money import Money
from tradelaw.rates import AdValorem, Compound, Free, RateExpression, Specific, UnknownRate
from tradelaw.schedule import Schedule
from tradelaw.scope import Goods, Origins, goods_code
from tradelaw.time import Period, When

__all__ = ["COLUMN_2", "CSV_HEADER", "ZONE", "load", "parse_rate", "parse_special"]

#: The origins charged the column 2 rate (Cuba, North Korea, and since April 2022 Russia
#: and Belarus).
COLUMN_2: tuple[str, ...] = ("CU", "KP", "RU", "BY")

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

#: The zone in which US instruments (and so HTS revisions) take effect.
ZONE = "America/New_York"

_SPACES = re.compile(r"\s+")
# Footnote references printed after a rate, such as "6.5% 1/" or "Free 1/ 2/".
_FOOTNOTES = re.compile(r"(?:\s+\d{1,2}/)+$")
_NUMBER = r"\d+(?:\.\d+)?"
_PERCENT = re.compile(rf"({_NUMBER})%")
_SPECIFIC = re.compile(rf"(?:({_NUMBER})¢|\$({_NUMBER}))(?: ?/ ?(.+)| each)")
_PLUS = re.compile(r" ?\+ ?")
# Units of specific rates, written without spaces, and the unit tradelaw uses for each: the
# spelling of the HTS "Unit of Quantity" column where the HTS has one.
_UNITS = {
    "kg": "kg",
    "cleankg": "clean kg",
    "g": "g",
    "t": "t",
    "liter": "liters",
    "pf.liter": "pf.liters",
    "bbl": "bbl",
    "doz.": "doz.",
    "pr.": "prs.",
    "gross": "gross",
    "head": "head",
    "m": "m",
    "lin.m": "lin. m",
    "m2": "m2",
    "m3": "m3",
    "1000": "thousands",
    "1,000": "thousands",
    "thousand": "thousands",
    "pack": "pack",
}
_EACH = "No."
_GROUP = re.compile(r"([^()]*)\(([^()]*)\)")
_CODE = re.compile(r"[A-Z]{1,2}[+*]?")
_CODE_SEPARATORS = re.compile(r"[,\s]+")


def _clean(text: str) -> str:
    """Collapse whitespace (descriptions and rates may hold line breaks), drop footnotes."""
    return _FOOTNOTES.sub("", _SPACES.sub(" ", text).strip())


def _cents(text: str) -> Decimal:
    return Decimal(text).scaleb(-2)


def _part(text: str) -> RateExpression | None:
    """Parse one term of a rate (no "+"), or return ``None`` if it is not exact."""
    if text == "Free":
        return Free()
    match = _PERCENT.fullmatch(text)
    if match:
        return AdValorem(match[1])
    match = _SPECIFIC.fullmatch(text)
    if match is None:
        return None
    amount = _cents(match[1]) if match[1] is not None else Decimal(match[2])
    if match[3] is None:
        unit: str | None = _EACH
    else:
        unit = _UNITS.get(match[3].replace(" ", ""))
    if unit is None:
        return None
    return Specific(Money(amount, "USD"), unit)


@lru_cache(maxsize=4096)
def _parse(text: str) -> RateExpression:
    clean = _clean(text)
    terms = [_part(term) for term in _PLUS.split(clean)]
    parts = tuple(term for term in terms if term is not None)
    if len(parts) != len(terms) or (len(parts) > 1 and Free() in parts):
        return UnknownRate(text.strip())
    return parts[0] if len(parts) == 1 else Compound(parts)


def parse_rate(text: str, where: str = "") -> RateExpression:
    """Parse a general or column 2 rate of duty, exactly, into a rate expression.

    ``Free``, percentages, specific rates in cents (``¢``) or dollars (``$``) per unit
    (or "each", per article, in the unit ``No.``) and their sums are read. Footnote
    references at the end (``"6.5% 1/"``) are dropped. Anything else becomes an
    :class:`~tradelaw.rates.UnknownRate` holding the text.

    Args:
        text: the rate as printed in the HTS.
        where: where the text came from (e.g. a file and row), for error messages.

    Returns:
        The rate expression; never zero for a text it cannot read.

    Raises:
        InvalidInputError: if ``text`` is not text, or is blank (a blank rate is not a
            rate: the line takes the rate of the line above it).

    Example:
        >>> parse_rate("Free"), parse_rate("2.5%")
        (Free(), AdValorem(percent=Decimal('2.5')))
        >>> parse_rate("$1.50/doz.")
        Specific(amount=Money(amount=Decimal('1.50'), currency='USD'), unit='doz.')
        >>> parse_rate("1.9¢/kg on drained weight")
        UnknownRate(text='1.9¢/kg on drained weight')
        >>> parse_rate("6.5% 1/")
        AdValorem(percent=Decimal('6.5'))
    """
    if not isinstance(text, str):
        raise InvalidInputError(where or "rate", text, "is not text")
    if not text.strip():
        raise InvalidInputError(where or "rate", text, "is blank; a blank rate is not a rate")
    return _parse(text)


def parse_special(text: str) -> dict[str, RateExpression]:
    """Parse the special column: groups of ``rate (code,code,…)`` into a rate per code.

    A group whose rate cannot be read (``"See 9823.04.01-9823.04.54 (S+)"``) gives an
    :class:`~tradelaw.rates.UnknownRate` with the group's rate text. When the text does
    not split cleanly into such groups (stray text or parentheses, a code named twice
    with different rates), every programme code found gets ``UnknownRate`` of the whole
    text, because which rate belongs to which code is not certain. A text that names no
    programme (blank, ``"No change"``) gives an empty mapping.

    Args:
        text: the special rate of duty as printed in the HTS.

    Returns:
        The rate of each programme code, in the order printed.

    Example:
        >>> parse_special("Free (A+,AU,B)")
        {'A+': Free(), 'AU': Free(), 'B': Free()}
        >>> parse_special("Free (IL) See 9823.04.01-9823.04.54 (S+)")["S+"]
        UnknownRate(text='See 9823.04.01-9823.04.54')
        >>> parse_special("No change")
        {}
    """
    if not isinstance(text, str):
        raise InvalidInputError("special", text, "is not text")
    clean = _clean(text)
    found: dict[str, RateExpression] = {}
    exact = True
    position = 0
    for match in _GROUP.finditer(clean):
        rate_text = match[1].strip()
        codes = [c for c in _CODE_SEPARATORS.split(match[2]) if c]
        valid = [c for c in codes if _CODE.fullmatch(c)]
        if match.start() != position or not rate_text or not codes or len(valid) != len(codes):
            exact = False
        position = match.end()
        rate = _parse(rate_text) if rate_text else UnknownRate(clean)
        for code in valid:
            if found.get(code, rate) != rate:
                exact = False
            found[code] = rate
    if clean[position:].strip():
        exact = False
    if not exact:
        return dict.fromkeys(found, UnknownRate(clean))
    return found


@frozen
class _Line:
    """One HTS line with a number, as read from either export."""

    where: str
    code: str
    printed: str
    general: str
    special: str
    other: str


def _csv_lines(path: Path) -> Iterator[_Line]:
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
                yield _Line(where, code, printed, row[4], row[5], row[6])


def _text(record: Mapping[str, object], key: str, where: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInputError(f"{where}, {key}", value, "is not text")
    return value


def _json_lines(path: Path) -> Iterator[_Line]:
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
            yield _Line(
                where,
                code,
                printed,
                _text(record, "general", where),
                _text(record, "special", where),
                _text(record, "other", where),
            )


def _read(path: Path) -> list[_Line]:
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


@lru_cache(maxsize=1024)
def _claim(codes: tuple[str, ...]) -> Condition:
    # Present first: an entry that claims nothing is not covered (false, not unknown).
    return AllOf((Present("claim"), OneOf("claim", codes)))


def _overridden(lines: Iterable[_Line]) -> dict[str, tuple[str, ...]]:
    """For each code, the longer codes below it that print their own general rate."""
    rated = [line.code for line in lines if line.general.strip()]
    below: dict[str, list[str]] = {}
    for code in rated:
        for length in range(2, len(code), 2):
            below.setdefault(code[:length], []).append(code)
    return {code: tuple(codes) for code, codes in below.items()}


def _measures(
    lines: list[_Line], period: Period, label: str, wanted: frozenset[str] | None
) -> Iterator[Measure]:
    ordinary = Origins.all(exclude=COLUMN_2)
    column_2 = Origins.of(*COLUMN_2)
    overridden = _overridden(lines)
    seen: dict[str, str] = {}
    for line in lines:
        if line.code in seen:
            raise InvalidInputError(
                line.where, line.printed, f"is printed twice (first at {seen[line.code]})"
            )
        seen[line.code] = line.where
        if wanted is not None and line.code not in wanted:
            continue
        # What every measure of this line shares: its citation, heading, period, layer.
        of_line = partial(
            Measure,
            citations=(f"HTSUS {label}, {line.printed}",),
            heading=line.printed,
            period=period,
            layer="mfn",
        )
        goods = Goods.of(line.code)
        if line.general.strip():
            yield of_line(
                id=f"mfn-{line.printed}",
                title=f"General rate of duty: {_clean(line.general)}",
                goods=goods,
                origins=ordinary,
                rate=parse_rate(line.general, f"{line.where}, general"),
            )
        if line.other.strip():
            yield of_line(
                id=f"mfn-{line.printed}-col2",
                title=f"Column 2 rate of duty: {_clean(line.other)}",
                goods=goods,
                origins=column_2,
                rate=parse_rate(line.other, f"{line.where}, column 2"),
            )
        programmes = parse_special(line.special) if line.special.strip() else {}
        if programmes:
            goods = Goods.of(line.code, exclude=overridden.get(line.code, ()))
        by_rate: dict[RateExpression, list[str]] = {}
        for programme, rate in programmes.items():
            by_rate.setdefault(rate, []).append(programme)
        for number, (rate, codes) in enumerate(by_rate.items(), start=1):
            suffix = "" if number == 1 else f"-{number}"
            yield of_line(
                id=f"mfn-{line.printed}-special{suffix}",
                title=f"Special rate of duty ({', '.join(codes)}): {rate}",
                goods=goods,
                origins=ordinary,
                condition=_claim(tuple(codes)),
                rate=rate,
                priority=1,
            )


def load(
    path: str | os.PathLike[str],
    *,
    effective: When = "2025-01-01",
    name: str | None = None,
    codes: Iterable[str] | None = None,
) -> Schedule:
    r"""Load a USITC HTS export (``.csv`` or ``.json``) as a schedule of ``mfn`` measures.

    Args:
        path: the CSV export (UTF-8, with or without a byte-order mark) or the JSON export
            (a list of objects with ``htsno``, ``general``, ``special``, ``other`` …).
        effective: when the rates take effect (a date is 12:01 a.m. in New York).
        name: the schedule's name, also cited as ``HTSUS <name>``; the file's stem by
            default.
        codes: if given, only the lines that apply to these goods codes (the lines whose
            code is a prefix of one of them) become measures: resolving those codes gives
            the same answer as with the whole export, at a fraction of the cost. Every
            row is still read, but only those lines' rates are parsed.

    Returns:
        A schedule with jurisdiction ``"US"`` and zone ``"America/New_York"``.

    Raises:
        InvalidInputError: the file is missing or unreadable, its header is not the
            USITC header, it is not valid JSON, or a row is malformed; the message names
            the file and the row (or item) and field.

    Example:
        >>> import tempfile
        >>> from tradelaw import Entry, Money
        >>> folder = Path(tempfile.mkdtemp())
        >>> rows = [",".join(CSV_HEADER), '9503.00.00,0,Toys,"[""No.""]",Free,,70%,,']
        >>> _ = (folder / "mini.csv").write_text("\n".join(rows), encoding="utf-8-sig")
        >>> hts = load(folder / "mini.csv")
        >>> [m.id for m in hts.items]
        ['mfn-9503.00.00', 'mfn-9503.00.00-col2']
        >>> hts.resolve(Entry("9503.00.00", "CU", "2025-06-01", Money("100", "USD"))).duty
        Money(amount=Decimal('70'), currency='USD')
        >>> len(load(folder / "mini.csv", codes=["8703.23.01"]).items)
        0
    """
    file = Path(path)
    lines = _read(file)
    label = name if name is not None else file.stem
    period = Period.parse(effective, zone=ZONE)
    wanted = None
    if codes is not None:
        digits = [goods_code(code, "codes") for code in codes]
        wanted = frozenset(code[:n] for code in digits for n in range(2, len(code) + 1))
    items = list(_measures(lines, period, label, wanted))
    return Schedule(items, name=label, jurisdiction="US", zone=ZONE)

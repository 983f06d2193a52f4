"""Import the official USITC export of the Harmonized Tariff Schedule (HTSUS).

The United States International Trade Commission publishes the HTSUS as a CSV file and as a
JSON file. Two ways to use one as the base layer (``layer="mfn"``) under the other layers
(Section 232, IEEPA, …):

* :class:`Editions`, a lazy table of one or more editions (:class:`Edition`), each in
  force until the next takes effect, which builds only the lines an entry touches. The
  embedded ``us`` dataset ships two, generated from the official exports by
  ``scripts/hts_tables.py``: 2025 Rev. 13 for 2025 and 2026 Rev. 4 from 1 January 2026.
  A user adds a newer export of their own with :meth:`Edition.from_export`.
* :func:`load`, which builds every line of one export as a
  :class:`~tradelaw.schedule.Schedule` of measures (what ``tradelaw import-hts`` writes).

What becomes a measure:

* **General (column 1).** One measure per HTS line that prints its own general rate, for
  every origin except the column 2 countries. A 10-digit statistical line without a rate
  of its own gets nothing: the measure of its 8-digit line covers it through the code
  prefix. A line with its own rate gets its own measure, and the longer prefix wins.
  (:class:`Editions` also rates an 8-digit code whose rate only its 10-digit lines print,
  when they agree, and a 10-digit code whose statistical suffix the edition does not
  print, by its 8-digit line: suffixes are added during a year and carry no rate.)
* **Special.** One measure per line and distinct rate of the special column, with
  ``priority=1`` and the condition :class:`~tradelaw.conditions.Claim` naming the
  programmes printed with that rate (``mfn-<line>-special``, then ``-special-2`` … in
  printed order). An entry that claims nothing is not affected (the condition is false,
  not unknown); an entry whose ``claim`` fact names a programme, by its symbol or its
  name (``KR`` or ``KORUS``; :mod:`tradelaw.programmes`), gets its rate. The symbols of
  one programme are one claim: ``A``, ``GSP``, ``A*`` and ``A+`` all meet a line that
  lists ``A+``. Whether the origin is a beneficiary of the programme is not checked: the
  claim is the importer's. Special measures do not cover the column 2 countries, nor a
  longer line below that prints its own general rate.
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
:class:`~tradelaw.money.Quantity` in that unit (in any spelling :mod:`tradelaw.units`
knows: ``kilograms`` is ``kg``).

Example:
    >>> parse_rate("4.4¢/kg + 6%")
    Compound(parts=(Specific(amount=Money(amount=Decimal('0.044'), currency='USD'),
    unit='kg'), AdValorem(percent=Decimal('6'))))
    >>> sorted(parse_special("Free (AU,KR) 1.2% (JP)").items())
    [('AU', Free()), ('JP', AdValorem(percent=Decimal('1.2'))), ('KR', Free())]
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from tradelaw.errors import InvalidInputError
from tradelaw.measures import Measure
from tradelaw.schedule import Schedule
from tradelaw.scope import goods_code
from tradelaw.time import Period, When

from . import _editions, _export, _measures
from ._editions import Edition, Editions, LineGroup
from ._export import read_export
from ._measures import LineItem, line_measures, overridden
from ._rates import parse_rate, parse_special

__all__ = [
    "COLUMN_2",
    "CSV_HEADER",
    "ZONE",
    "Edition",
    "Editions",
    "LineGroup",
    "LineItem",
    "load",
    "parse_rate",
    "parse_special",
]

#: The origins charged the column 2 rate (Cuba, North Korea, and since April 2022 Russia
#: and Belarus).
COLUMN_2: tuple[str, ...] = _measures.COLUMN_2

#: The header of the USITC CSV export, in order.
CSV_HEADER: tuple[str, ...] = _export.CSV_HEADER

#: The zone in which US instruments (and so HTS revisions) take effect.
ZONE: str = _editions.ZONE


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
    lines = read_export(file)
    label = name if name is not None else file.stem
    period = Period.parse(effective, zone=ZONE)
    wanted = None
    if codes is not None:
        digits = [goods_code(code, "codes") for code in codes]
        wanted = frozenset(code[:n] for code in digits for n in range(2, len(code) + 1))
    below = overridden(lines)
    seen: dict[str, str] = {}
    items: list[Measure] = []
    for line in lines:
        if line.code in seen:
            raise InvalidInputError(
                line.where, line.printed, f"is printed twice (first at {seen[line.code]})"
            )
        seen[line.code] = line.where
        if wanted is None or line.code in wanted:
            items += line_measures(
                line, period=period, label=label, below=below.get(line.code, ())
            )
    return Schedule(items, name=label, jurisdiction="US", zone=ZONE)

"""Editions of the HTSUS as a lazy base layer: every line's rates, built when asked for.

An :class:`Edition` is one published HTSUS (say 2026 Rev. 4) with the instant it takes
effect, read from an edition table or a USITC export. :class:`Editions` puts several in
order, each in force until the next takes effect, and is the
:class:`~tradelaw.tables.ItemTable` a schedule consults for the ``mfn`` layer: asked about
a goods code, it builds the measures of the lines that code falls under, in every edition,
and no others.
"""

from __future__ import annotations

import gzip
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from attrs import field, frozen

from tradelaw._i18n import _
from tradelaw.errors import InvalidInputError
from tradelaw.measures import Measure
from tradelaw.scope import Goods, dotted
from tradelaw.time import Period, When, instant, zone

from ._export import TABLE_FACTS, Line, read_export, read_table
from ._measures import (
    LAYER,
    LineItem,
    heading_of,
    line_items,
    line_kinds,
    measures_of,
    specificity,
)

__all__ = ["ZONE", "Edition", "Editions", "LineGroup"]

#: The zone in which US instruments (and so HTS revisions) take effect.
ZONE = "America/New_York"
# Chapter 99 holds additional duties and their notes, not goods: the dataset models them.
_ADDITIONAL = "99"
_SHOWN = 6  # how many lines a message lists before "… N in all"
_INSTANTS = 4096  # how many instants Editions keeps the editions in force at


@lru_cache(maxsize=64)
def _stem(name: str) -> str:
    """The start of the ids of an edition's lines (asked once per line built)."""
    return "mfn-" + re.sub(r"[^0-9a-z]+", "-", name.lower()).strip("-") + "-"


class _Lines:
    """An edition's lines by code, with the range queries messages and measures need."""

    def __init__(self, lines: Iterable[Line]) -> None:
        self.by_code: dict[str, Line] = {}
        for line in lines:
            if line.code.startswith(_ADDITIONAL):
                continue
            seen = self.by_code.get(line.code)
            if seen is not None:
                raise InvalidInputError(
                    line.where, line.printed, f"is printed twice (first at {seen.where})"
                )
            self.by_code[line.code] = line
        self.codes = sorted(self.by_code)
        # The lines that print a rate (general or special): measures are made of them.
        self.rated = {
            code: line
            for code, line in self.by_code.items()
            if line.general.strip() or line.special.strip()
        }
        self._prefixes: dict[str, tuple[tuple[Line, None], ...]] = {}  # (rated_prefixes)

    def rated_prefixes(self, code: str) -> tuple[tuple[Line, None], ...]:
        """The lines that print a rate among ``code`` and its prefixes, shortest first."""
        found = self._prefixes.get(code)
        if found is None:
            rated = self.rated
            found = self._prefixes[code] = tuple(
                (line, None) for n in range(2, len(code) + 1, 2) if (line := rated.get(code[:n]))
            )
        return found

    def under(self, prefix: str) -> Iterator[Line]:
        """The lines whose code starts with ``prefix`` (itself included), in order."""
        for i in range(bisect_left(self.codes, prefix), len(self.codes)):
            code = self.codes[i]
            if not code.startswith(prefix):
                break
            yield self.by_code[code]

    def rated_under(self, code: str) -> list[Line]:
        """The longer lines under ``code`` that print a general rate."""
        if len(code) == 10:  # no line is longer
            return []
        return [x for x in self.under(code) if x.code != code and x.general.strip()]

    def rate_line(self, code: str) -> Line | None:
        """The longest line ``code`` falls under (itself included) that prints a rate."""
        for n in range(len(code), 1, -2):
            line = self.by_code.get(code[:n])
            if line is not None and line.general.strip():
                return line
        return None


@frozen
class Edition:
    """One edition of the HTSUS and the instant it takes effect.

    Build one with :meth:`from_table` (a table made by ``scripts/hts_tables.py``) or
    :meth:`from_export` (a USITC export a user downloaded). Its lines are read on first
    use. Chapter 99 (additional duties, which datasets model as their own measures) is
    left out.

    Attributes:
        name: the edition as cited, e.g. ``"2026 Rev. 4"`` (``"HTSUS 2026 Rev. 4, …"``).
        start: when it takes effect.
        source: the file it is read from.
    """

    name: str
    start: datetime
    source: Path
    _table: bool = field(default=True, repr=False)
    _read: list[_Lines] = field(init=False, factory=list, eq=False, repr=False)

    @classmethod
    def from_table(cls, path: str | Path) -> Edition:
        """Read an edition table's name and date (its lines are read on first use).

        Raises:
            InvalidInputError: the file is missing, or is not an edition table.
        """
        file = Path(path)
        facts: dict[str, str] = {}
        try:
            with gzip.open(file, "rt", encoding="utf-8") as stream:
                for row in stream:
                    if not row.startswith("#"):
                        break
                    key, _colon, value = row[1:].partition(":")
                    facts[key.strip()] = value.strip()
        except (OSError, EOFError, UnicodeDecodeError) as error:
            raise InvalidInputError(
                "HTS edition table", str(file), f"cannot be read as one ({error})"
            ) from None
        missing = [key for key in TABLE_FACTS if key not in facts]
        if missing:
            raise InvalidInputError(
                f"{file}, line 1", ", ".join(missing), "are missing from the table's facts"
            )
        start = instant(facts["effective"], ZONE, f"{file}: effective")
        return cls(facts["edition"], start, file)

    @classmethod
    def from_export(cls, path: str | Path, *, start: When, name: str | None = None) -> Edition:
        """An edition read from a USITC export (``.csv`` or ``.json``), in force from ``start``.

        Args:
            path: the export.
            start: when it takes effect (a date is 12:01 a.m. in New York).
            name: the edition as cited; the file's stem by default.
        """
        file = Path(path)
        if not file.is_file():
            raise InvalidInputError("HTS export", str(file), "is not a file")
        return cls(name or file.stem, instant(start, ZONE, "start"), file, False)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle where the edition is read from, not its lines (a copy reads them again)."""
        return (Edition, (self.name, self.start, self.source, self._table))

    @property
    def _lines(self) -> _Lines:
        """The edition's lines (read on first use)."""
        if not self._read:
            read = read_table(self.source)[1] if self._table else read_export(self.source)
            self._read.append(_Lines(read))
        return self._read[0]

    @property
    def is_table(self) -> bool:
        """Whether it is read from an edition table (not from an export)."""
        return self._table

    @property
    def day(self) -> str:
        """The date it takes effect, as text."""
        return self.start.astimezone(zone(ZONE)).date().isoformat()


class Editions:
    """The HTSUS base layer: editions in order, each in force until the next takes effect.

    It is the :class:`~tradelaw.tables.ItemTable` of the ``mfn`` layer. For a goods code
    it builds, in each edition where the code is a line, the measures of the line that
    prints the code's rate: the code's own line, the 8-digit line above a 10-digit one,
    or, for an 8-digit subheading whose rate only its 10-digit statistical lines print,
    those lines' rate when they all agree. A code that is not a line of the edition in
    force gets no measure there, and :meth:`missing` says why and names the nearest
    lines. Measure ids are ``mfn-<edition>-<line>``, e.g. ``mfn-2026-rev-4-8703.23.01``.

    Args:
        editions: the editions, in any order; of two with the same start, the later given
            wins.
    """

    name = "HTSUS"
    layers = frozenset({LAYER})
    id_prefix = "mfn-"

    def __init__(self, editions: Iterable[Edition]) -> None:
        by_start: dict[datetime, Edition] = {}
        for edition in editions:
            if not isinstance(edition, Edition):
                raise InvalidInputError("editions", edition, "is not an HTS Edition")
            by_start[edition.start] = edition
        self.editions: tuple[Edition, ...] = tuple(sorted(by_start.values(), key=_start))
        ends: list[datetime | None] = [e.start for e in self.editions[1:]]
        ends.append(None)
        self._periods = [Period(e.start, end) for e, end in zip(self.editions, ends, strict=False)]
        self._built: dict[tuple[str, int], tuple[Measure, ...]] = {}
        self._at: dict[datetime | None, list[int]] = {}  # the editions in force, by instant
        # Per edition, the items and measures of each line: the codes under it share them.
        scopes: _Scopes = {}
        self._lines_built = [
            _Built(e, period, scopes)
            for e, period in zip(self.editions, self._periods, strict=True)
        ]

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle the editions, not the lines built so far (a copy builds its own)."""
        return (Editions, (self.editions,))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Editions):
            return NotImplemented
        return self.editions == other.editions

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Editions({', '.join(f'{e.name} from {e.day}' for e in self.editions)})"

    def __str__(self) -> str:
        """The editions and their dates, e.g. ``HTSUS 2025 Rev. 13 from 2025-01-01, …``."""
        return ", ".join(f"HTSUS {e.name} from {e.day}" for e in self.editions)

    def with_edition(self, edition: Edition) -> Editions:
        """Return these editions with ``edition`` added (replacing one of the same start)."""
        return Editions([*self.editions, edition])

    def in_force(self, at: datetime) -> Edition | None:
        """Return the edition in force at ``at``, if any."""
        for edition, period in zip(self.editions, self._periods, strict=True):
            if period.contains(at):
                return edition
        return None

    # -- the ItemTable protocol ----------------------------------------------------------

    def codes(self, at: datetime) -> tuple[str, ...]:
        """Return the ten-digit lines of the edition in force at ``at`` (none if none is).

        Optional in the :class:`~tradelaw.tables.ItemTable` protocol: a panel of every line
        (:func:`tradelaw.frame.panel`) asks for them.
        """
        edition = self.in_force(at)
        if edition is None:
            return ()
        return tuple(line.code for line in edition._lines.under("") if len(line.code) == 10)

    def boundaries(self) -> tuple[datetime, ...]:
        """Return the instants at which the edition in force changes (each edition's start).

        Optional in the :class:`~tradelaw.tables.ItemTable` protocol: the columnar engine
        (:mod:`tradelaw.frame`) cuts time at them.
        """
        return tuple(e.start for e in self.editions)

    def items_for(self, code: str, at: datetime | None = None) -> Sequence[Measure]:
        """Return the measures of the editions' lines for ``code`` (see the class docs).

        With ``at``, only the edition in force then is read and built.
        """
        found: list[Measure] = []
        for number in self._in_force(at):
            found += self._built_for(code, number)
        return found

    def _in_force(self, at: datetime | None) -> list[int]:
        """The numbers of the editions in force at ``at`` (all of them for ``None``)."""
        found = self._at.get(at)
        if found is None:  # asked once per code, at a few instants
            found = [n for n, p in enumerate(self._periods) if at is None or p.contains(at)]
            if len(self._at) < _INSTANTS:
                self._at[at] = found
        return found

    def _built_for(self, code: str, number: int) -> tuple[Measure, ...]:
        built = self._built.get((code, number))
        if built is None:
            lines = self._lines_built[number]
            built = tuple(
                measure
                for line, covered in _covering(self.editions[number]._lines, code)
                for measure in lines.measures_of(line, covered)
            )
            self._built[code, number] = built
        return built

    def lines_for(self, code: str, at: datetime | None = None) -> Sequence[LineItem]:
        """The items :meth:`items_for` would build, as data: the same, in the same order.

        Optional in the :class:`~tradelaw.tables.ItemTable` protocol: the columnar engine
        reads lines in this form, and builds measures only for the rows it resolves.
        """
        numbers = self._in_force(at)
        if len(numbers) == 1:  # mostly: the items as kept (the engine keeps them, no copy)
            return self._lines_built[numbers[0]].items_for(code)
        return [item for number in numbers for item in self._lines_built[number].items_for(code)]

    def line_groups(self, codes: Sequence[str], at: datetime) -> tuple[list[int], list[LineGroup]]:
        """For each code, the number of its group; and each group of codes covered alike.

        Optional in the :class:`~tradelaw.tables.ItemTable` protocol (see
        :class:`~tradelaw.tables.TableLineGroup`): the columnar engine reads a table's
        lines so. The ten-digit lines under one eight-digit line that print no rate of
        their own are one group, and the ten-digit codes under it that the edition does
        not print another; any other code is a group of its own.
        """
        numbers = self._in_force(at)
        built = self._lines_built[numbers[0]] if numbers else None
        keys: tuple[dict[str, int], ...] = ({}, {}, {})  # by kind (see _Built.kind)
        groups: list[LineGroup] = []
        found: list[int] = []
        for code in codes:
            kind = built.kind(code) if built is not None else _OWN
            key = code if kind == _OWN else code[:8]
            number = keys[kind].get(key)
            if number is None:
                number = keys[kind][key] = len(groups)
                groups.append(LineGroup(built, code, kind))
            found.append(number)
        return found, groups

    def missing(self, code: str, at: datetime) -> str | None:
        """Say why no line of the edition in force at ``at`` gives ``code`` a rate."""
        edition = self.in_force(at)
        if edition is None:
            first = self.editions[0] if self.editions else None
            if first is None:
                return _("no edition of the HTSUS is loaded")
            return _(
                "no edition of the HTSUS is in force then; the first here, {edition}, "
                "takes effect on {day}",
                edition=first.name,
                day=first.day,
            )
        return _why(edition, code, self.editions)


def _start(edition: Edition) -> datetime:
    return edition.start


# How a code is covered (see _covering). _UNDER: a ten-digit line that prints no rate of
# its own, by its eight-digit line's rated lines (and their prefixes'); none is a longer
# line a special rate leaves out, for those print one, so the lines under one eight-digit
# line are covered alike. _UNPRINTED: a ten-digit code the edition does not print, by its
# eight-digit code's lines; likewise alike. _OWN: any other code, by lines of its own.
_OWN, _UNDER, _UNPRINTED = 0, 1, 2

#: Goods scopes made for lines, by (code, codes left out): the editions share them.
_Scopes = dict[tuple[str, tuple[str, ...]], Goods]


def _covering(lines: _Lines, code: str) -> list[tuple[Line, str | None]]:
    """The lines whose measures cover ``code``, each with the code they cover when not theirs."""
    if len(code) == 10 and code not in lines.by_code:
        # A statistical suffix the edition does not print (suffixes are added during a
        # year and carry no rate of their own): the 8-digit line rates it.
        code = code[:8]
    if code not in lines.by_code and not (len(code) == 8 and lines.rated_under(code)):
        return []  # not a line of this edition: `missing` says so
    if len(code) == 10:  # its 8-digit line's prefixes (siblings share them), and itself
        own = lines.rated.get(code)
        above = lines.rated_prefixes(code[:8])
        return [*above, (own, None)] if own is not None else [*above]
    found: list[tuple[Line, str | None]] = [*lines.rated_prefixes(code)]
    if len(code) == 8 and lines.rate_line(code) is None:
        statistical = lines.rated_under(code)
        if statistical and len({_rates(x) for x in statistical}) == 1:
            found.append((statistical[0], code))
    return found


class _Built:
    """An edition's lines as built: their items (data) and measures, by (line, code covered)."""

    def __init__(self, edition: Edition, period: Period, scopes: _Scopes) -> None:
        self.edition, self.period, self.scopes = edition, period, scopes
        self.items: dict[tuple[str, str | None], tuple[LineItem, ...]] = {}
        self.measures: dict[tuple[str, str | None], tuple[Measure, ...]] = {}
        # The items of an 8-digit code's rated lines: ten-digit lines under it that print
        # no rate of their own (most) share them.
        self.above: dict[str, tuple[LineItem, ...]] = {}
        self.stem = _stem(edition.name)
        self._below: dict[str, tuple[str, ...]] = {}  # (below)

    def kind(self, code: str) -> int:
        """How ``code`` is covered: ``_UNDER``, ``_UNPRINTED`` or ``_OWN`` (see them)."""
        if len(code) != 10:
            return _OWN
        lines = self.edition._lines
        if code not in lines.by_code:
            return _UNPRINTED
        return _OWN if code in lines.rated else _UNDER

    def covering(self, code: str, kind: int) -> Sequence[tuple[Line, str | None]]:
        """The lines that cover ``code`` (see ``_covering``), of the :meth:`kind` given."""
        lines = self.edition._lines
        return lines.rated_prefixes(code[:8]) if kind == _UNDER else _covering(lines, code)

    def items_for(self, code: str) -> tuple[LineItem, ...]:
        """The items of the lines that cover ``code`` (see ``_covering``), in order."""
        kind = self.kind(code)
        if kind != _UNDER:
            return self._joined(self.covering(code, kind))
        found = self.above.get(code[:8])
        if found is None:
            found = self.above[code[:8]] = self._joined(self.covering(code, kind))
        return found

    def below(self, line: Line, covered: str | None) -> tuple[str, ...]:
        """The longer lines the special rates of ``line`` leave out (they print a rate).

        Only a line's own special rates leave them out, not those it gives a code below.
        """
        if covered or not line.special.strip():
            return ()
        found = self._below.get(line.code)
        if found is None:
            lines = self.edition._lines
            found = self._below[line.code] = tuple(x.code for x in lines.rated_under(line.code))
        return found

    def _joined(self, covering: Sequence[tuple[Line, str | None]]) -> tuple[LineItem, ...]:
        """The items of the ``covering`` lines, one after another (kept as is for one)."""
        if len(covering) == 1:
            return self.items_of(*covering[0])
        return tuple(item for line, covered in covering for item in self.items_of(line, covered))

    def items_of(self, line: Line, covered: str | None) -> tuple[LineItem, ...]:
        found = self.items.get((line.code, covered))
        if found is None:
            found = self.items[line.code, covered] = tuple(
                line_items(
                    line,
                    period=self.period,
                    stem=self.stem,
                    code=covered,
                    below=self.below(line, covered),
                )
            )
        return found

    def measures_of(self, line: Line, covered: str | None) -> tuple[Measure, ...]:
        found = self.measures.get((line.code, covered))
        if found is None:
            citations = (f"HTSUS {self.edition.name}, {line.printed}",)
            found = self.measures[line.code, covered] = tuple(
                measures_of(self.items_of(line, covered), citations, self.scopes)
            )
        return found


class LineGroup:
    """Codes an edition's lines cover alike (a :class:`~tradelaw.tables.TableLineGroup`).

    :meth:`Editions.line_groups` makes them. Its ids, headings and shape are worked out
    from the lines' rates as printed; its lines (:class:`LineItem`) are built when first
    asked for. No edition in force, or no line for its codes, makes a group with no
    lines.

    Example:
        >>> from tradelaw import datasets
        >>> from tradelaw.time import instant
        >>> hts = datasets.load("us").tables[0]
        >>> at = instant("2026-06-01", "America/New_York")
        >>> numbers, groups = hts.line_groups(["8703230190", "8703230110", "8703"], at)
        >>> numbers  # two ten-digit lines that print no rate of their own, and a heading
        [0, 0, 1]
        >>> groups[0].headings
        ('8703.23.01', '8703.23.01', '8703.23.01')
        >>> groups[0].shape[:2], groups[0].shape[3:]  # rates as printed, specificities
        (('2.5%', '10%'), (8, 8, 8))
        >>> groups[1].ids  # not a tariff line: no line gives it a rate
        ()
    """

    __slots__ = ("_built", "_code", "_lines", "headings", "ids", "period", "shape")

    def __init__(self, built: _Built | None, code: str, kind: int = _OWN) -> None:
        self._built, self._code = built, code
        self._lines: tuple[LineItem, ...] | None = None
        self.period = built.period if built is not None else None
        found = _group(built, code, kind) if built is not None else ((), (), ())
        self.ids, self.headings, self.shape = found

    @property
    def lines(self) -> tuple[LineItem, ...]:
        """Its lines, as ``Editions.lines_for`` gives each of its codes."""
        if self._lines is None:
            self._lines = self._built.items_for(self._code) if self._built is not None else ()
        return self._lines


def _group(
    built: _Built, code: str, kind: int
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[Any, ...]]:
    """A group's ids, headings and shape (see LineGroup), from its lines' rates as printed."""
    ids: list[str] = []
    headings: list[str] = []
    # The rates as printed (a line's items are made of them alone), and the specificity
    # each item gives the code.
    shape: list[Any] = []
    for line, covered in built.covering(code, kind):
        heading = heading_of(line, covered)
        below, start = built.below(line, covered), built.stem + heading
        shape += (line.general, line.other, line.special)
        for item in line_kinds(line.general, line.other, line.special):
            ids.append(start + item[0])
            headings.append(heading)
            # Only a special rate (the kind with a condition) leaves out `below`.
            shape.append(specificity(covered or line.code, below if item[4] else (), code))
    return tuple(ids), tuple(headings), tuple(shape)


def _rates(line: Line) -> tuple[str, str, str]:
    return (" ".join(line.general.split()), " ".join(line.special.split()), line.other.strip())


def _listed(lines: Sequence[Line], rates: bool = False) -> str:
    shown = [
        f"{x.printed} ({' '.join(x.general.split()) or '-'})" if rates else x.printed
        for x in lines[:_SHOWN]
    ]
    more = f", … {len(lines)} in all" if len(lines) > _SHOWN else ""
    return ", ".join(shown) + more if shown else "—"


def _tariff_lines(lines: _Lines, prefix: str, length: int = 8) -> list[Line]:
    """The lines under ``prefix`` an entry can name at ``length`` digits.

    At 8 digits: each 8-digit line, or where the HTS prints none, the 10-digit line that
    carries its rate. At 10: the 10-digit lines.
    """
    found: dict[str, Line] = {}
    for line in lines.under(prefix):
        if len(line.code) == length or (length == 8 and len(line.code) == 10):
            key = line.code[:length]
            if key not in found and lines.rate_line(line.code) is not None:
                found[key] = lines.by_code.get(key, line)
    return list(found.values())


def _why(edition: Edition, code: str, editions: Sequence[Edition]) -> str:
    lines = edition._lines
    asked = dotted(code)
    if code.startswith(_ADDITIONAL):
        return _(
            "{goods} is a chapter 99 provision (an additional duty, which the dataset "
            "models as its own measure), not the goods' line: give the goods' line of "
            "chapters 1 to 97",
            goods=asked,
        )
    if len(code) < 8:
        under = _tariff_lines(lines, code)
        if not under and code in lines.by_code:
            return _(
                "{goods} prints no rate of duty in HTSUS {edition}",
                goods=asked,
                edition=edition.name,
            )
        if under:
            return _(
                "{goods} is a chapter, heading or subheading, not a tariff line of HTSUS "
                "{edition}; give 8 or 10 digits: {lines}",
                goods=asked,
                edition=edition.name,
                lines=_listed(under),
            )
    elif code[:8] in lines.by_code or lines.rated_under(code[:8]):
        code = code if code in lines.by_code else code[:8]
        asked = dotted(code)
        statistical = lines.rated_under(code)
        if len(code) == 8 and statistical:
            return _(
                "{goods} has statistical lines with different rates in HTSUS {edition}: "
                "{lines}; give the 10-digit line",
                goods=asked,
                edition=edition.name,
                lines=_listed(statistical, rates=True),
            )
        return _(
            "{goods} prints no rate of duty in HTSUS {edition}",
            goods=asked,
            edition=edition.name,
        )
    nearest: list[Line] = []
    for n in range(min(len(code), 8) - 2, 1, -2):
        nearest = _tariff_lines(lines, code[:n], len(code))
        if nearest:
            break
    elsewhere = [e for e in editions if e is not edition and code in e._lines.by_code]
    if elsewhere:
        return _(
            "{goods} is not a line of HTSUS {edition} (it is one of HTSUS {other}); "
            "the nearest lines are {lines}",
            goods=asked,
            edition=edition.name,
            other=elsewhere[-1].name,
            lines=_listed(nearest),
        )
    return _(
        "{goods} is not a line of HTSUS {edition}; the nearest lines are {lines}",
        goods=asked,
        edition=edition.name,
        lines=_listed(nearest),
    )

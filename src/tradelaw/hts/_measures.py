"""The ``mfn`` measures of one HTS line: general, column 2 and special rates."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from tradelaw.conditions import Claim
from tradelaw.measures import Measure
from tradelaw.rates import RateExpression
from tradelaw.scope import Goods, Origins, dotted
from tradelaw.time import Period

from ._export import Line
from ._rates import _parsed, clean, parse_special

__all__ = [
    "COLUMN_2",
    "LAYER",
    "LineItem",
    "heading_of",
    "line_items",
    "line_kinds",
    "line_measures",
    "measures_of",
    "overridden",
    "specificity",
]

#: The origins charged the column 2 rate (Cuba, North Korea, and since April 2022 Russia
#: and Belarus).
COLUMN_2: tuple[str, ...] = ("CU", "KP", "RU", "BY")
#: The layer of every measure made from the HTS.
LAYER = "mfn"

_ORDINARY = Origins.all(exclude=COLUMN_2)
_COLUMN_2 = Origins.of(*COLUMN_2)


@lru_cache(maxsize=1024)
def _claim(codes: tuple[str, ...]) -> Claim:
    return Claim(codes)


def overridden(lines: Iterable[Line]) -> dict[str, tuple[str, ...]]:
    """For each code, the longer codes below it that print their own general rate."""
    below: dict[str, list[str]] = {}
    for line in lines:
        if line.general.strip():
            for length in range(2, len(line.code), 2):
                below.setdefault(line.code[:length], []).append(line.code)
    return {code: tuple(codes) for code, codes in below.items()}


class LineItem(NamedTuple):
    """One measure of a line as plain data: what the measure is, less its goods scope.

    The columnar engine reads a line's items in this form (building a
    :class:`~tradelaw.measures.Measure` costs more, and most lines never need one);
    the editions build their measures from them, so the two agree.

    Example:
        >>> from tradelaw import datasets
        >>> from tradelaw.time import instant
        >>> table = datasets.load("us").tables[0]
        >>> car = "8703230190"
        >>> lines = table.lines_for(car, instant("2026-06-01", "America/New_York"))
        >>> for line in lines:
        ...     print(line.id, line.rate, line.specificity(car))
        mfn-2026-rev-4-8703.23.01 2.5% 8
        mfn-2026-rev-4-8703.23.01-col2 10% 8
        mfn-2026-rev-4-8703.23.01-special Free 8
    """

    id: str
    title: str
    heading: str
    rate: RateExpression
    origins: Origins
    condition: Claim | None
    priority: int
    period: Period
    covered: str  # the goods code the item covers
    exclude: tuple[str, ...]  # longer codes it leaves out

    # What every line's measure has (see measures_of).
    @property
    def layer(self) -> str:
        """The layer of every line's measures, ``mfn``."""
        return LAYER

    @property
    def base(self) -> str:
        """What it is charged on, the customs value."""
        return "value"

    @property
    def excludes(self) -> tuple[str, ...]:
        """The layers it excludes, none."""
        return ()

    @property
    def void(self) -> bool:
        """Whether it is void, never."""
        return False

    def specificity(self, code: str) -> int | None:
        """As ``Goods.of(covered, exclude=exclude).specificity(code)``, for digits."""
        return specificity(self.covered, self.exclude, code)


def specificity(covered: str, exclude: tuple[str, ...], code: str) -> int | None:
    """The specificity an item covering ``covered`` less ``exclude`` gives ``code``."""
    if not code.startswith(covered) or (exclude and any(map(code.startswith, exclude))):
        return None
    return len(covered)


# The fields' documentation (a named tuple's fields say only their position otherwise).
for _name, _doc in {
    "id": "The measure's id, ``mfn-<edition>-<line>`` and a suffix for its kind.",
    "title": "What it is, with the rate as printed.",
    "heading": "The line as printed (its tariff heading).",
    "rate": "Its rate of duty.",
    "origins": "The origins it covers (column 2 or all others).",
    "condition": "The programme claim a special rate needs, or ``None``.",
    "priority": "Its priority in the layer (1 for a special rate).",
    "period": "When the edition is in force.",
    "covered": "The goods code it covers.",
    "exclude": "Longer codes it leaves out (they print a rate of their own).",
}.items():
    getattr(LineItem, _name).__doc__ = _doc
del _name, _doc


def line_items(
    line: Line,
    *,
    period: Period,
    stem: str = "mfn-",
    code: str | None = None,
    below: tuple[str, ...] = (),
) -> list[LineItem]:
    """The items of ``line`` as data: general, column 2, then one per distinct special rate.

    The arguments are :func:`line_measures`'.
    """
    covered = code or line.code
    heading = heading_of(line, code)
    start = stem + heading
    # tuple.__new__ is what LineItem(...) calls, less a Python frame per item. A special
    # rate (the one kind with a condition) leaves out the longer lines in ``below``.
    return [
        _item(LineItem, (start + suffix, title, heading, rate, origins, condition, priority,
                         period, covered, below if condition else ()))
        for suffix, title, rate, origins, condition, priority in line_kinds(
            line.general, line.other, line.special
        )
    ]  # fmt: skip


_item = tuple.__new__
# An item of a line, less the line: id suffix, title, rate, origins, condition, priority.
_Kind = tuple[str, str, RateExpression, Origins, Claim | None, int]


def heading_of(line: Line, code: str | None) -> str:
    """The heading of the items of ``line`` for ``code`` (see line_items), as printed."""
    return dotted(code) if code else line.printed


@lru_cache(maxsize=1 << 14)
def line_kinds(general: str, other: str, special: str) -> tuple[_Kind, ...]:
    """What a line's items are for its rates as printed, less the line's own particulars.

    Per item: the id's suffix, title, rate, origins, condition and priority. Lines
    repeat a few thousand combinations of rates.
    """
    found: list[_Kind] = []
    for suffix, kind, text, origins in (
        ("", "General rate of duty", general, _ORDINARY),
        ("-col2", "Column 2 rate of duty", other, _COLUMN_2),
    ):
        if text.strip():
            # Not blank: parse_rate's checks hold, and its cache is read directly.
            found.append((suffix, f"{kind}: {clean(text)}", _parsed(text), origins, None, 0))
    # One item per distinct special rate, with the programmes that give it.
    by_rate: dict[RateExpression, list[str]] = {}
    for programme, rate in (parse_special(special) if special.strip() else {}).items():
        by_rate.setdefault(rate, []).append(programme)
    for number, (rate, codes) in enumerate(by_rate.items(), start=1):
        found.append(
            (
                "-special" if number == 1 else f"-special-{number}",
                f"Special rate of duty ({', '.join(codes)}): {rate}",
                rate,
                _ORDINARY,
                _claim(tuple(codes)),
                1,
            )
        )
    return tuple(found)


def line_measures(
    line: Line,
    *,
    period: Period,
    label: str,
    stem: str = "mfn-",
    code: str | None = None,
    below: tuple[str, ...] = (),
) -> list[Measure]:
    """The measures of ``line``: general, column 2, then one per distinct special rate.

    Args:
        line: the line, rates as printed.
        period: when its rates are in force.
        label: the edition, cited as ``HTSUS <label>, <line>``.
        stem: how every id begins; the line as printed follows.
        code: the goods code the measures cover, when not the line's own (an 8-digit
            subheading whose rate only its 10-digit line prints).
        below: longer codes under the line that print a general rate of their own; the
            special rates do not reach them.
    """
    return measures_of(
        line_items(line, period=period, stem=stem, code=code, below=below),
        (f"HTSUS {label}, {line.printed}",),
        {},
    )


def measures_of(
    items: Iterable[LineItem],
    citations: tuple[str, ...],
    scopes: dict[tuple[str, tuple[str, ...]], Goods],
) -> list[Measure]:
    """The measures of a line's ``items``, citing ``citations``; goods scopes shared."""
    found = []
    for item in items:
        goods = scopes.get((item.covered, item.exclude))
        if goods is None:
            goods = scopes[item.covered, item.exclude] = Goods.of(
                item.covered, exclude=item.exclude
            )
        found.append(
            Measure(
                id=item.id,
                title=item.title,
                citations=citations,
                heading=item.heading,
                goods=goods,
                origins=item.origins,
                period=item.period,
                condition=item.condition,
                rate=item.rate,
                layer=LAYER,
                priority=item.priority,
            )
        )
    return found

"""Item tables: items built on demand for the goods codes asked about.

A base layer such as the column 1 rates of a whole tariff (tens of thousands of lines,
each with a general, special and column 2 rate) is too big to build as items up front,
and every entry touches only a handful of its lines. An :class:`ItemTable` holds such a
layer as data and builds the items a goods code needs when it is first asked about. A
:class:`~tradelaw.schedule.Schedule` consults its tables beside its own items, so the
resolver sees the same :class:`~tradelaw.measures.Measure` objects either way.

The rules a table keeps:

* its items carry one version each (no ``recorded`` period): they are the law as
  published, known at every knowledge time;
* every item id starts with :attr:`ItemTable.id_prefix`, and an item of the schedule
  itself with the same id replaces the table's (so an overlay can change one line);
* when no item of its layers covers a code at an instant, :meth:`ItemTable.missing`
  says why, in words a user can act on (the resolver makes that the unknown line's
  reason).

:class:`tradelaw.hts.Editions` is the table of the HTSUS base layer.

A table may also have a method ``boundaries()`` returning the instants at which its
items may change (an edition's start): the columnar engine (:mod:`tradelaw.frame`) cuts
time there and builds a line's items once per piece. Without it, the engine still gives
the same answers, checking each item's period against the piece of time it resolves.

And a method ``lines_for(code, at)`` returning, for measures only, the items
``items_for(code, at)`` would build as plain data (:class:`TableLine`: one per item, in
the same order, with the same ids): the engine then reads a whole table's lines without
building a measure for each, and asks ``items_for`` only for the rows it resolves.

And, beside ``lines_for``, a method ``line_groups(codes, at)`` returning the codes'
lines in groups: for each code the number of its group, and each group as a
:class:`TableLineGroup`. Codes of one group have the same lines (those ``lines_for``
gives each of them) at the same specificities; groups of equal ``shape`` have lines
that agree item by item in all but their ids, headings and period. The engine then
works out what a shape's lines decide once, and builds a group's lines only for the
rows it resolves.

Example:
    >>> from tradelaw import AdValorem, Entry, Goods, Measure, Money, Period, Schedule
    >>> class Toys:
    ...     name, layers, id_prefix = "toys", frozenset({"mfn"}), "toy-"
    ...     def items_for(self, code, at=None):
    ...         if not code.startswith("9503"):
    ...             return ()
    ...         return (Measure(id="toy-9503", goods=Goods.of("9503"), layer="mfn",
    ...                         period=Period.always(), rate=AdValorem("4")),)
    ...     def missing(self, code, at):
    ...         return f"{code} is not a toy"
    >>> s = Schedule([], name="s", jurisdiction="US", zone="UTC", tables=[Toys()],
    ...              requires=["mfn"])
    >>> s.resolve(Entry("9503.00.00", "JP", "2025-01-02", Money("10", "USD"))).total_rate
    Decimal('4')
    >>> s.resolve(Entry("8703.23.01", "JP", "2025-01-02", Money("10", "USD"))).unknown[0].reason
    '87032301 is not a toy'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from tradelaw.conditions import Condition
from tradelaw.measures import Scoped
from tradelaw.rates import RateExpression
from tradelaw.scope import Origins
from tradelaw.time import Period

__all__ = ["ItemTable", "TableLine", "TableLineGroup"]


@runtime_checkable
class ItemTable(Protocol):
    """A source of items built on demand for goods codes (see the module docs).

    Attributes:
        name: what the table is, for messages (e.g. ``"HTSUS 2026 Rev. 4"``).
        layers: the layers of the measures it builds.
        id_prefix: how every id it builds begins (e.g. ``"mfn-"``).
    """

    name: str
    layers: frozenset[str]
    id_prefix: str

    def items_for(self, code: str, at: datetime | None = None) -> Sequence[Scoped]:
        """Return every item that may cover the goods ``code`` (digits) at ``at``.

        Without ``at``, at any time (a timeline asks so). The schedule's index checks each
        item's period, origins and goods scope, as it does for its own items; returning a
        few items too many is harmless, and ``at`` only lets a table build less.
        """
        ...

    def missing(self, code: str, at: datetime) -> str | None:
        """Say why no measure of the table covers ``code`` at ``at``, or ``None``."""
        ...


class TableLine(Protocol):
    """A table's measure as plain data (see ``lines_for`` in the module docs).

    It has the attributes of the :class:`~tradelaw.measures.Measure` it stands for that
    decide a resolution, and the specificity its goods scope gives a code.

    Example:
        >>> from tradelaw import datasets
        >>> hts = datasets.load("us").tables[0]  # its lines are tradelaw.hts.LineItem
        >>> line = hts.lines_for("8703230190", hts.editions[-1].start)[0]
        >>> line.id, line.layer, str(line.rate), line.specificity("8703230190")
        ('mfn-2026-rev-4-8703.23.01', 'mfn', '2.5%', 8)
    """

    @property
    def id(self) -> str:
        """The measure's id."""

    @property
    def heading(self) -> str:
        """Its tariff heading."""

    @property
    def rate(self) -> RateExpression:
        """Its rate."""

    @property
    def origins(self) -> Origins:
        """The origins it covers."""

    @property
    def condition(self) -> Condition | None:
        """Its condition on facts, if any."""

    @property
    def priority(self) -> int:
        """Its priority in its layer."""

    @property
    def period(self) -> Period:
        """When it is in force."""

    @property
    def layer(self) -> str:
        """Its layer."""

    @property
    def base(self) -> str:
        """What it is charged on."""

    @property
    def excludes(self) -> tuple[str, ...]:
        """The layers it excludes."""

    @property
    def void(self) -> bool:
        """Whether it is void."""

    def specificity(self, code: str) -> int | None:
        """As the measure's ``goods.specificity(code)``, for a code given as digits."""
        ...


class TableLineGroup(Protocol):
    """Some codes' lines, as a table's ``line_groups`` gives them (see the module docs).

    Example:
        >>> from tradelaw import datasets
        >>> hts = datasets.load("us").tables[0]
        >>> numbers, groups = hts.line_groups(["8703230190", "8703230110"],
        ...                                   hts.editions[-1].start)
        >>> numbers  # two ten-digit lines that print no rate of their own: one group
        [0, 0]
        >>> groups[0].ids[:2]
        ('mfn-2026-rev-4-8703.23.01', 'mfn-2026-rev-4-8703.23.01-col2')
        >>> [line.id for line in groups[0].lines] == list(groups[0].ids)
        True
    """

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of its lines, in order (none when its codes have no line)."""

    @property
    def headings(self) -> tuple[str, ...]:
        """The heading of each line, in order."""

    @property
    def period(self) -> Period | None:
        """The period all its lines share, or ``None`` if they do not share one."""

    @property
    def shape(self) -> object:
        """A hashable value, what its lines are less their ids, headings and period."""

    @property
    def lines(self) -> Sequence[TableLine]:
        """Its lines, as ``lines_for`` gives them (built when first asked for)."""

"""The base layer as the engine reads it: each code's lines, as parts its rows share.

A schedule's tables (the HTS editions, tens of thousands of lines) are not multiplied into
the engine's goods classes. For each code a table asks about, the engine reads the lines
that cover it, from the table's ``lines_for`` (plain data) or ``items_for``, and makes a
*part*: those lines and their *skeleton*, what of them decides a resolution less each
line's own particulars. The codes under one line share its part, so what is worked out
per line (the skeleton, each line's percentage and heading) is worked out once. A table
that gives its lines in groups (``line_groups``) is asked for many codes at once, and
what a group's lines decide is worked out once per shape, without building the lines of
the other groups of that shape.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tradelaw.errors import InvalidInputError
from tradelaw.frame._plans import Line, percent_of, rate_shape
from tradelaw.frame._values import scaled_percent
from tradelaw.measures import Measure
from tradelaw.schedule import Schedule
from tradelaw.tables import TableLineGroup

__all__ = ["BaseLayer", "Part"]

# A part's row: its lines' percentages, headings, and percentages in millionths.
_Row = tuple[tuple[Decimal, ...], tuple[str, ...], tuple[int, ...]]


class Part:
    """A code's base-layer lines in a piece of time, as the engine reads them.

    ``lines`` are the tables' lines (as data, or measures), in order: given, or those of
    ``group`` (a table's :class:`~tradelaw.tables.TableLineGroup`), built when first
    asked for; ``number`` is their skeleton's among the engine's ``skeletons``; ``row`` is
    what :meth:`BaseLayer.line_row` gives; ``code`` and ``segment`` say where they were
    read, and ``measures`` are the measures they stand for, once built
    (:meth:`BaseLayer.measures_of`).
    """

    __slots__ = ("_group", "_lines", "code", "measures", "number", "row", "segment")

    def __init__(
        self,
        lines: tuple[Line, ...] | None,
        number: int,
        row: _Row,
        code: str,
        segment: int,
        group: TableLineGroup | None = None,
    ) -> None:
        self._lines, self._group, self.number, self.row = lines, group, number, row
        self.code, self.segment = code, segment
        self.measures: tuple[Measure, ...] | None = None

    @property
    def lines(self) -> tuple[Line, ...]:
        """The lines, in order."""
        if self._lines is None:
            assert self._group is not None  # one of the two is given
            self._lines = tuple(self._group.lines)
        return self._lines


class BaseLayer:
    """What an engine (``_engine.Compiled``, which derives from this) reads of its tables.

    The engine gives the time (its cuts, :meth:`moment`, :meth:`epoch`) and the covers'
    memory that a newly met line may make stale (``_claimed``).
    """

    if TYPE_CHECKING:
        cuts: list[datetime]
        _claimed: dict[tuple[int, int], int]

        def moment(self, segment: int) -> datetime: ...

        def epoch(self, segment: int) -> int: ...

    def _read_tables(self, schedule: Schedule) -> None:
        """Set up the reading of ``schedule``'s tables (before the engine cuts time)."""
        # The layers the tables' lines met so far read and exclude (see Compiled.contending).
        self._table_reads: set[str] = set()
        self._table_excludes: set[str] = set()
        # A schedule's own item replaces a table's line of the same id.
        hidden = {item.id for item in schedule.items}
        self._hidden = frozenset(hidden) if schedule.tables else frozenset()
        # The instants the tables' lines change at, when every table gives them.
        self._table_cuts: list[datetime] = []
        self._bounded_tables = True
        # Each table, and its lines_for when it reads its lines as data (see table_parts).
        self._readers = [(table, getattr(table, "lines_for", None)) for table in schedule.tables]
        # One such table may give its lines in groups (see _grouped_parts).
        one = schedule.tables[0] if len(self._readers) == 1 and self._readers[0][1] else None
        self._groups_of = getattr(one, "line_groups", None)
        # What a group's lines decide (skeleton number, percentages), by its shape.
        self._shapes: dict[Hashable, tuple[int, tuple[Decimal, ...], tuple[int, ...]]] = {}
        for table in schedule.tables:
            found = getattr(table, "boundaries", None)
            if callable(found):
                self._table_cuts += list(found())
            else:
                self._bounded_tables = False
        self._tables: dict[int, dict[str, Part | None]] = {}  # by epoch, then code
        # The skeletons, each kept once and numbered; and the number of each part's.
        self._skeletons: dict[tuple[Any, ...], int] = {}
        self.skeletons: list[tuple[Any, ...]] = []  # by number
        self._shared: dict[tuple[Any, ...], Part] = {}
        self._given: dict[int, tuple[Any, Any]] = {}  # a table's sequences (_one_period)
        # What a part's lines' rates read as (see _read_lines), by a rate's id: its shape,
        # its percentage, and that in millionths.
        self._rates: dict[int, tuple[object, Decimal, int]] = {}
        self._interned: tuple[dict[Any, Any], dict[Any, Any]] = ({}, {})  # (line_row)

    def line_row(self, part: Part | None) -> _Row:
        """A part's items' percentages, headings, and percentages as integers, in order.

        The integers are millionths of a point, -1 where that is not a whole number (see
        ``_values.scaled_percent``); a missing part has no items.
        """
        return ((), (), ()) if part is None else part.row

    def table_parts(self, codes: Sequence[str], segments: Sequence[int]) -> list[Part | None]:
        """The base layer's lines for each code in its segment: their skeleton, and them.

        The lines are what a table's ``lines_for`` gives (plain data) or, for a table
        without it, the measures ``items_for`` builds; :meth:`measures_of` gives the
        measures. ``None`` when a row there must go through ``resolve()`` alone: the code
        has no line (the reason names the code), or an item's period does not span the
        segment. A code's part is kept for the segment's epoch (the tables' lines are
        the same in all its segments). A single table with ``line_groups`` is read in
        groups (:meth:`_grouped_parts`).
        """
        if self._groups_of is not None:
            return self._grouped_parts(self._groups_of, codes, segments)
        found: list[Part | None] = []
        at_segment: dict[int, tuple[dict[str, Part | None], datetime, datetime | None]] = {}
        spans: dict[tuple[int, int], bool] = {}  # by (period's id, segment): periods are kept
        reader = self._readers[0][1] if len(self._readers) == 1 else None
        for code, segment in zip(codes, segments, strict=True):
            known = at_segment.get(segment)
            if known is None:
                tables = self._tables.setdefault(self.epoch(segment), {})
                end = self.cuts[segment + 1] if segment + 1 < len(self.cuts) else None
                known = at_segment[segment] = (tables, self.moment(segment), end)
            tables, at, end = known
            if code in tables:
                found.append(tables[code])
                continue
            lines: Sequence[Any] | None = None
            if reader is not None:  # one table that gives its lines as data
                given = reader(code, at)
                period = self._one_period(given)
                if period is not None:
                    whole = spans.get((id(period), segment))
                    if whole is None:
                        whole = self._whole(period, at, end)
                        spans[id(period), segment] = whole
                    if whole:  # every line kept as the table keeps it (not copied)
                        lines = given
                        specific = tuple([item.specificity(code) for item in given])
            if lines is None:
                lines, specific = self._lines_at(code, segment)
            tables[code] = part = self._part(code, segment, lines, specific)
            found.append(part)
        return found

    def _grouped_parts(
        self, groups_of: Any, codes: Sequence[str], segments: Sequence[int]
    ) -> list[Part | None]:
        """:meth:`table_parts`, from a table that gives its lines in groups (``groups_of``).

        Each epoch's new codes are asked for at once; a group's part is made for its
        first code. What a group's lines decide is worked out once per shape, from the
        lines of the first group of that shape: the others' lines are not built.
        """
        # By epoch (a table's lines are the same in all its segments: each is read at
        # the first segment asked), so that codes of one group are asked for together.
        epochs = {segment: self.epoch(segment) for segment in set(segments)}
        by_epoch: dict[int, tuple[int, list[int]]] = {}
        for i, segment in enumerate(segments):
            by_epoch.setdefault(epochs[segment], (segment, []))[1].append(i)
        found: list[Part | None] = [None] * len(codes)
        for epoch, (segment, rows) in by_epoch.items():
            tables = self._tables.setdefault(epoch, {})
            asked = list(dict.fromkeys(code for i in rows if (code := codes[i]) not in tables))
            if asked:
                at = self.moment(segment)
                numbers, groups = groups_of(asked, at)
                end = self.cuts[segment + 1] if segment + 1 < len(self.cuts) else None
                spans: dict[int, bool] = {}  # by period's id: a table's groups share a few
                made: dict[int, Part | None] = {}
                for code, number in zip(asked, numbers, strict=True):
                    if number not in made:
                        group = groups[number]
                        period = group.period
                        whole = spans.get(id(period))
                        if whole is None:
                            whole = spans[id(period)] = self._whole(period, at, end)
                        made[number] = self._group_part(group, code, segment, whole)
                    tables[code] = made[number]
            for i in rows:
                found[i] = tables[codes[i]]
        return found

    def _group_part(
        self, group: TableLineGroup, code: str, segment: int, whole: bool
    ) -> Part | None:
        """The part of a group's codes in ``segment`` (see _grouped_parts).

        ``whole``: whether the lines share a period that spans the segment.
        """
        if not group.ids:
            return None  # no line: the row goes alone, and resolve() says why
        if not whole or not self._hidden.isdisjoint(group.ids):
            # Lines of several periods, or one the schedule replaces: read one by one.
            lines, specific = self._lines_at(code, segment)
            return self._part(code, segment, lines, specific)
        known = self._shapes.get(group.shape)
        if known is None:
            lines = group.lines
            skeleton, (percents, _headings, scaled) = self._read_lines(
                lines, tuple([item.specificity(code) for item in lines])
            )
            known = self._shapes[group.shape] = (self._number(skeleton, lines), percents, scaled)
        number, percents, scaled = known
        return Part(None, number, (percents, group.headings, scaled), code, segment, group)

    def _number(self, skeleton: tuple[Any, ...], lines: Sequence[Line]) -> int:
        """The number of ``skeleton`` (of ``lines``) among :attr:`skeletons`."""
        number = self._skeletons.setdefault(skeleton, len(self.skeletons))
        if number == len(self.skeletons):  # few distinct: each kept once
            self.skeletons.append(skeleton)
            # A skeleton holds its lines' rate shapes (so the layers their rates read)
            # and the layers they exclude.
            self._met(lines)
        return number

    def _part(
        self,
        code: str,
        segment: int,
        lines: Sequence[Any] | None,
        specific: tuple[int | None, ...],
    ) -> Part | None:
        """The part of ``lines`` at the specificities ``specific`` (see table_parts)."""
        if not lines:
            return None
        # Codes under one line have the same items, mostly at the same specificities:
        # they share one part, so what is worked out per part is worked out once.
        same = (*map(id, lines), *specific)  # lines live as long as their part
        found = self._shared.get(same)
        if found is None:
            skeleton, row = self._read_lines(lines, specific)
            number = self._number(skeleton, lines)
            found = self._shared[same] = Part(tuple(lines), number, row, code, segment)
        return found

    def _read_lines(
        self, lines: Sequence[Line], specific: Sequence[int | None]
    ) -> tuple[tuple[Any, ...], _Row]:
        """A part's skeleton and its row (see line_row), in one pass over its lines.

        The skeleton is what of the lines decides a resolution, less each line's own
        particulars: two rows whose lines agree there resolve alike (the same lines apply
        or are skipped, for the same reasons); only the ad valorem percentage, the ids
        and the headings differ, and a plan takes those from the row's own lines.
        """
        rates, skeleton, percents, headings, scaled = self._rates, [], [], [], []
        for item, specificity in zip(lines, specific, strict=True):
            rate = item.rate
            known = rates.get(id(rate))  # rates live in the parts, as long as this
            if known is None:
                percent = percent_of(rate)
                known = rates[id(rate)] = (rate_shape(rate), percent, scaled_percent(percent))
            heading = item.heading
            skeleton.append(
                (
                    known[0],
                    item.layer,
                    item.priority,
                    item.base,
                    item.excludes,
                    item.condition,
                    item.origins,
                    specificity,
                    item.void,
                    # What follows the heading in the id (-special, -col2): its kind.
                    item.id.rpartition(heading)[2] if heading else item.id,
                )
            )
            percents.append(known[1])
            headings.append(heading)
            scaled.append(known[2])
        # Few distinct: each kept once (memory, and the collector's walks).
        exact, whole = self._interned
        row = (
            exact.setdefault(p := tuple(percents), p),
            tuple(headings),
            whole.setdefault(n := tuple(scaled), n),
        )
        return tuple(skeleton), row

    def _lines_at(
        self, code: str, segment: int, build: bool = False
    ) -> tuple[Sequence[Any] | None, tuple[int | None, ...]]:
        """The tables' lines for ``code`` in ``segment``, and their specificities.

        ``None`` for lines when an item is not a measure or its period does not span the
        segment. With ``build``, measures, whether the table reads lines as data or not.
        """
        at = self.moment(segment)
        end = self.cuts[segment + 1] if segment + 1 < len(self.cuts) else None
        lines: list[Any] = []
        specific: list[int | None] = []
        whole = True
        for table, lines_for in self._readers:
            data = None if build else lines_for
            given: Iterable[Any] = table.items_for(code, at) if data is None else data(code, at)
            lasting = None  # a period in force at `at` (a table's lines share a few)
            for item in given:
                if item.id in self._hidden:  # the schedule's own item replaces it
                    continue
                if item.period is not lasting:
                    if not item.period.contains(at):
                        continue
                    lasting = item.period
                if data is None and not isinstance(item, Measure):
                    whole = False
                    continue
                if not self._spans(item.period, at, end):
                    whole = False
                lines.append(item)
                specific.append(
                    item.specificity(code) if data is not None else item.goods.specificity(code)
                )
        if not whole:
            return None, tuple(specific)
        return lines, tuple(specific)

    def _one_period(self, given: Any) -> Any:
        """The period of every item of ``given`` when they share one and none is hidden.

        ``None`` otherwise. Worked out once per sequence a table gives (codes under one of
        its lines are mostly given one sequence, kept).
        """
        if not isinstance(given, tuple):
            return None
        found = self._given.get(id(given))
        if found is None or found[0] is not given:
            period = given[0].period if given else None
            if any(item.period is not period for item in given) or not self._hidden.isdisjoint(
                [item.id for item in given]
            ):
                period = None
            found = self._given[id(given)] = (given, period)  # kept: its id holds
        return found[1]

    def _whole(self, period: Any, at: datetime, end: datetime | None) -> bool:
        """Whether ``period`` (of lines kept as given) is in force from ``at`` to ``end``."""
        return period is not None and period.contains(at) and self._spans(period, at, end)

    def _spans(self, period: Any, at: datetime, end: datetime | None) -> bool:
        """Whether a period in force at ``at`` lasts to ``end`` (a table's line must)."""
        return self._bounded_tables or not (
            period.start > at or (period.end is not None and (end is None or period.end < end))
        )

    def skeleton_number(self, part: Part | None) -> int:
        """The number of a part's skeleton among :attr:`skeletons` (-1 for no part)."""
        return -1 if part is None else part.number

    def measures_of(self, part: Part) -> tuple[Measure, ...]:
        """The measures a part's lines stand for: those ``resolve()`` reads for its rows.

        Built on first use (by the tables' ``items_for``), for the few parts whose rows
        some plan is made from.
        """
        found = part.measures
        if found is None:
            code = part.code
            built, _specific = self._lines_at(code, part.segment, build=True)
            found = tuple(built or ())
            ids = [line.id for line in part.lines]
            if [m.id for m in found] != ids:
                tables = ", ".join(t.name for t, _lines_for in self._readers)
                raise InvalidInputError(
                    f"{tables}: lines_for({code!r})",
                    ids,
                    f"are not the ids of the measures items_for builds, "
                    f"{[m.id for m in found]}: the two must agree",
                )
            part.measures = found
        return found

    def _met(self, lines: Sequence[Line]) -> None:
        """Note the layers that the tables' ``lines`` read and exclude (see contending)."""
        reads = {layer for line in lines for layer in line.rate.layers()}
        excludes = {layer for line in lines for layer in line.excludes}
        if not reads <= self._table_reads or not excludes <= self._table_excludes:
            self._table_reads |= reads
            self._table_excludes |= excludes
            self._claimed.clear()  # what covers kept was worked out without them

"""A schedule compiled to resolve many entries at once, by the resolver's own answers.

:meth:`Schedule.resolve <tradelaw.schedule.Schedule.resolve>` is the one source of
semantics. What an entry's answer depends on is (a) which of the schedule's items cover
it, and how specifically, (b) the base layer's line for its goods, (c) its facts, currency
and unit of quantity, and, only through arithmetic, (d) its value. This module computes
(a) to (c) for a whole table with few Python steps, groups the rows that agree on them,
resolves one row of each group with ``resolve()``, and applies that answer to the rest:

* **Goods classes.** Each goods code gets the set of items whose goods scope covers it,
  with the length of the matching prefix, as bits of an integer (:class:`GoodsClass`).
* **Origins and time.** Time is cut where any item starts or ends, a country group's
  membership changes or the base layer's edition changes; in a *segment* the items in
  force are constant. Each (origin, segment) gets the items in force that cover the
  origin, with how specifically, as bits of an integer (a :class:`Place`).
* The two sets' intersection is the items that cover a row, with both specificities
  (:meth:`Compiled.cover_numbers`): rows with the same intersection have the same
  candidates.
* **The base layer** (a table of tens of thousands of lines) is not multiplied into the
  classes. A row's table items are reduced to their *skeleton*: everything but the line's
  id, heading, citations and ad valorem percentage. Rows that share a skeleton resolve
  alike, and the plan refers to the row's own line for its percentage and heading
  (``_parts``: how the engine reads its tables' lines).
* **A plan** (``_plans``) is one group's answer in a form that applies to every row of
  it: each applied line's rate as a fixed percentage, the row's base-layer percentage, a
  top-up of it, or the row's own specific or compound rate. ``_apply`` and ``_linear``
  apply plans to rows by arrays; a group whose answer is not of a plan's form (content
  portions, credits, a zero value) is resolved row by row, with ``resolve()``: exact,
  never approximated.

Equivalence with ``resolve()`` row by row is the contract, held by a property test over
generated schedules and by a test over real entries of the ``us`` dataset.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from itertools import repeat
from typing import Any, cast

from tradelaw._resolve import rank
from tradelaw.errors import TradelawError
from tradelaw.frame._keys import unique_rows
from tradelaw.frame._parts import BaseLayer
from tradelaw.frame._plans import Outcome, Plan
from tradelaw.measures import Exemption, Measure, Pause, Rule, Scoped
from tradelaw.schedule import Schedule
from tradelaw.scope import Origins
from tradelaw.time import micros

_BEFORE_ALL = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)


class GoodsClass:
    """The items that cover the codes of one goods class.

    ``named`` maps the items named by a prefix of the codes to its length; ``out`` holds
    the all-goods items whose exclusions leave these codes out. ``bits`` and ``out_bits``
    are the same sets of slots as bits of an integer; ``number`` is the class's, among
    its engine's.
    """

    __slots__ = ("bits", "named", "number", "out", "out_bits")

    def __init__(self, named: dict[int, int], out: frozenset[int], number: int) -> None:
        self.named = named
        self.out = out
        self.bits = _bits(named)
        self.out_bits = _bits(out)
        self.number = number


class Place:
    """The items in force in a segment that cover an origin, and how specifically.

    ``levels`` maps each item's slot to its origin scope's specificity there (origins and
    segments with equal levels share one place); ``bits`` are those slots as bits of an
    integer, ``everywhere`` those of the all-goods items among them; ``number`` is the
    place's, among its engine's.
    """

    __slots__ = ("bits", "everywhere", "levels", "number")

    def __init__(self, levels: dict[int, int], everywhere: Iterable[int], number: int) -> None:
        self.levels = levels
        self.bits = _bits(levels)
        self.everywhere = _bits(s for s in levels if s in everywhere)
        self.number = number


#: How many linear forms an engine keeps (see _linear): they are cheap to make again.
FORMS = 20_000

#: How many array cells the covers of a table's new pairs may take at once (see
#: Compiled._new_covers): beyond, pair by pair.
_CELLS = 1 << 22

#: How many knowledge times a schedule keeps an engine for (see :func:`engine_for`).
KEPT = 8

_CREATING = threading.Lock()  # one engine made at a time: two threads, one engine


def engine_for(schedule: Schedule, as_of: datetime | None) -> Compiled:
    """The schedule's engine for a knowledge time, compiled on first use and kept with it.

    An engine's plans, lines and texts serve every later table: a second table resolves
    without making them again. They live as long as the schedule (for the last
    :data:`KEPT` knowledge times asked).
    """
    kept = schedule._derived()
    key = (Compiled, as_of)
    found = kept.get(key)
    if isinstance(found, Compiled):
        return found
    with _CREATING:
        found = kept.get(key)
        if not isinstance(found, Compiled):
            engines = [k for k in kept if isinstance(k, tuple) and k[0] is Compiled]
            for old in engines[: max(0, len(engines) - KEPT + 1)]:
                del kept[old]  # the oldest first: dicts keep their order
            found = kept[key] = Compiled(schedule, as_of, kept_by_schedule=True)
        return found


class Compiled(BaseLayer):
    """A schedule's items, for one knowledge time, as masks over goods, origins and time."""

    def __init__(
        self, schedule: Schedule, as_of: datetime | None, *, kept_by_schedule: bool = False
    ) -> None:
        # An engine the schedule keeps (engine_for) refers to it weakly: a strong reference
        # both ways would make a cycle, and a schedule with its engine and lines (a million
        # objects) would wait for a full collection to be freed, which walks them all.
        self._strong: Schedule | None = None if kept_by_schedule else schedule
        self._weak = weakref.ref(schedule)
        self.as_of = as_of
        # One run at a time: a run reads and grows the caches below (threads of a Dask
        # worker share one engine).
        self.lock = threading.Lock()
        # A void item takes no part in any resolution (the resolver skips it): leaving it
        # out makes rows that differ only by it share a plan. But a void measure still
        # covers its layer, which matters when the schedule requires that layer.
        known = schedule._known_items(as_of)
        self.items: tuple[Scoped, ...] = tuple(
            item
            for item in known
            if not item.void or (isinstance(item, Measure) and item.layer in schedule.requires)
        )
        self._tabled_layers = frozenset(
            layer for table in schedule.tables for layer in table.layers
        )
        # The layers that rates read and that measures exclude matter to what a cover
        # keeps (see contending): the schedule's, and the tables' lines met so far.
        self._read = frozenset(
            layer
            for item in self.items
            if isinstance(item, Measure)
            for layer in item.rate.layers()
        )
        by_prefix: dict[str, list[int]] = {}
        excluded_by: dict[str, set[int]] = {}  # the items that exclude a prefix
        self._everywhere_levels: dict[int, int] = {}
        excluding: list[int] = []  # all-goods items with exclusions
        cuts: set[datetime] = set()
        for slot, item in enumerate(self.items):
            for prefix in item.goods.prefixes:
                by_prefix.setdefault(prefix, []).append(slot)
            for prefix in item.goods.exclude:
                excluded_by.setdefault(prefix, set()).add(slot)
            if not item.goods.prefixes:
                self._everywhere_levels[slot] = 0
                if item.goods.exclude:
                    excluding.append(slot)
            cuts.add(item.period.start)
            if item.period.end is not None:
                cuts.add(item.period.end)
            for group in item.origins.groups:
                cuts.update(group.boundaries())
        self._by_prefix = by_prefix
        self._excluded_by = {prefix: frozenset(slots) for prefix, slots in excluded_by.items()}
        self._excluding = frozenset(excluding)
        # What the prefixes of codes name and exclude (see _prefix_scope).
        self._prefixes: dict[str, tuple[dict[int, int], frozenset[int]]] = {}
        self._read_tables(schedule)  # (BaseLayer) its lines, and the times they change
        cuts.update(self._table_cuts)
        self.cuts: list[datetime] = sorted(c for c in cuts if c > _BEFORE_ALL)
        self.cut_micros: list[int] = [micros(c) for c in self.cuts]
        self._goods: dict[str, GoodsClass] = {}
        self._goods_of: dict[str, GoodsClass] = {}  # by the longest prefix mentioned
        self._mentioned = frozenset(
            code for item in self.items for code in (*item.goods.prefixes, *item.goods.exclude)
        )
        self._mentioned_lengths = sorted({len(c) for c in self._mentioned}, reverse=True)
        self._classes: dict[tuple[Any, ...], GoodsClass] = {}
        self._class_list: list[GoodsClass] = []  # by number
        self._origins: dict[tuple[str, int], Place] = {}
        self._places: dict[tuple[tuple[int, int], ...], Place] = {}
        self._place_list: list[Place] = []  # by number
        self._by_origin: dict[str, int] = {}  # the slots that may cover an origin, as bits
        self._live_bits: dict[int, int] = {}
        # Numbers for the parts of a group's key, and the plans by key: kept for the
        # engine's life, so that the chunks of one file share them.
        self._numbers: dict[str, dict[object, int]] = {}
        self.plans: dict[tuple[int, ...], Plan] = {}
        self._covers: dict[int, int] = {}
        self._cover_list: list[tuple[Any, ...]] = []  # the covers, by number
        self._claimed: dict[tuple[int, int], int] = {}
        self._acting: dict[int, tuple[int, ...]] = {}
        self._slot_sets: dict[tuple[int, ...], tuple[int, ...]] = {}  # (_acting_slots)
        self._acts: dict[int, frozenset[int]] = {}
        self._groups: list[tuple[int, int]] | None = None  # see _rule_groups
        self._measure_bits = _bits(s for s, m in enumerate(self.items) if isinstance(m, Measure))
        self._table_rules: dict[int, bool] = {}
        self._on_tables_bits = _bits(  # the rules that may act on the tables' lines
            s
            for s, i in enumerate(self.items)
            if not isinstance(i, Measure) and self._on_tables(s)
        )
        self._epochs: dict[int, int] = {}
        # The answer of a per-line plan (Plan.per_line) for the rows of one part.
        self.line_answers: dict[tuple[int, int], Outcome] = {}
        # A plan's duty on the rows of one part, in one currency, as a linear form of
        # value and quantity (see _linear), or None; at most FORMS of them (memory).
        self.forms: dict[tuple[int, int, str], Any] = {}
        # What the text cells of the columns whose values recur read as (a code, a
        # country, an instant, a currency, a quantity), for every table this engine
        # resolves (at most _run._KNOWN of each).
        self.readings: dict[str, dict[str, Any]] = {
            name: {} for name in ("goods", "origin", "entered", "currency", "quantity")
        }
        # The base layer's items as they bear on rows (see _run._effective): the origin
        # scopes of its items, numbered; and the shape's number by (skeleton number, how
        # far each scope reaches, facts).
        self.origin_sets: dict[Origins, int] = {}
        # numbers: in full, and loose (see _run._loose).
        self.effective: dict[tuple[int, tuple[int | None, ...], int], tuple[int, int]] = {}
        self._ranks_tables: list[bool] = []  # by a claimed cover's number

    @property
    def schedule(self) -> Schedule:
        """The schedule compiled (an engine lives no longer than the schedule keeping it)."""
        found = self._strong if self._strong is not None else self._weak()
        if found is None:
            raise TradelawError("this engine's schedule was let go: ask engine_for again")
        return found

    def number(self, kind: str, value: object) -> int:
        """A number for ``value`` among those of its ``kind``: equal values, equal numbers."""
        numbers = self._numbers.setdefault(kind, {})
        found = numbers.get(value)
        if found is None:
            found = numbers[value] = len(numbers)
        return found

    # -- time ---------------------------------------------------------------------------

    def moment(self, segment: int) -> datetime:
        """An instant inside ``segment`` (segment -1 is before every cut)."""
        return self.cuts[segment] if segment >= 0 else _BEFORE_ALL

    def epoch(self, segment: int) -> int:
        """Which piece of the tables' time ``segment`` lies in (their items are constant)."""
        if not self._bounded_tables:
            return segment
        found = self._epochs.get(segment)
        if found is None:
            at = self.moment(segment)
            found = self._epochs[segment] = sum(1 for cut in self._table_cuts if cut <= at)
        return found

    # -- masks --------------------------------------------------------------------------

    def goods_levels(self, code: str) -> GoodsClass:
        """The class of the items whose goods scope covers ``code`` (one object per class).

        Codes of one class have the same items at the same prefix lengths: the items
        named by a prefix of the code, and the all-goods items less those whose exclusions
        leave the code out.
        """
        found = self._goods.get(code)
        if found is not None:
            return found
        # The class depends only on the prefixes of the code that some item names or
        # excludes, which are those of the longest such prefix: codes sharing it share it.
        mentioned = self._mentioned
        longest = next((code[:n] for n in self._mentioned_lengths if code[:n] in mentioned), "")
        found = self._goods_of.get(longest)
        if found is None:
            found = self._goods_of[longest] = self._goods_class(longest)
        self._goods[code] = found
        return found

    def _goods_class(self, code: str) -> GoodsClass:
        """The class of ``code`` (see goods_levels), worked out; "" names no prefix."""
        named, excluded = self._prefix_scope(code)
        # An item that excludes a prefix of the code leaves it out, whatever it names.
        out = excluded.intersection(self._excluding)
        if excluded:
            named = {slot: n for slot, n in named.items() if slot not in excluded}
        key = (tuple(sorted(named.items())), tuple(sorted(out)))
        found = self._classes.get(key)
        if found is None:
            found = self._classes[key] = GoodsClass(named, out, len(self._class_list))
            self._class_list.append(found)
        return found

    def _prefix_scope(self, prefix: str) -> tuple[dict[int, int], frozenset[int]]:
        """What the prefixes of ``prefix`` name (slot: longest length) and exclude (slots).

        Worked out from the prefix two digits shorter: each prefix once.
        """
        found = self._prefixes.get(prefix)
        if found is None:
            named, excluded = self._prefix_scope(prefix[:-2]) if prefix else ({}, frozenset())
            more = self._by_prefix.get(prefix)
            if more:
                named = {**named, **dict.fromkeys(more, len(prefix))}
            less = self._excluded_by.get(prefix)
            if less:
                excluded = excluded | less
            found = self._prefixes[prefix] = (named, excluded)
        return found

    def origin_levels(self, origin: str, segment: int) -> Place:
        """The items in force in ``segment`` whose origins cover ``origin``, and how."""
        found = self._origins.get((origin, segment))
        if found is not None:
            return found
        slots = self._by_origin.get(origin)
        if slots is None:
            slots = self._by_origin[origin] = _bits(
                slot
                for slot, item in enumerate(self.items)
                if origin in item.origins.countries
                or item.origins.is_all
                or item.origins.groups
                or item.origins.exclude
            )
        at, items = self.moment(segment), self.items
        levels = {}
        for slot in _slots(slots & self._live(segment)):
            level = items[slot].origins.specificity(origin, at)
            if level is not None:
                levels[slot] = level
        # Most segments change nothing for most origins: those with equal levels share
        # one place, and so their covers.
        key = tuple(levels.items())
        place = self._places.get(key)
        if place is None:
            place = self._places[key] = Place(
                levels, self._everywhere_levels, len(self._place_list)
            )
            self._place_list.append(place)
        self._origins[origin, segment] = place
        return place

    def _live(self, segment: int) -> int:
        """The slots of the items in force in ``segment``, as bits."""
        found = self._live_bits.get(segment)
        if found is None:
            at = self.moment(segment)
            found = self._live_bits[segment] = _bits(
                slot for slot, item in enumerate(self.items) if item.period.contains(at)
            )
        return found

    def cover_numbers(self, pairs: Any) -> Any:
        """The cover number of each (goods class, place) pair of numbers (an n × 2 array).

        A cover is the items that cover the rows of a goods class and a place, as far
        as they can matter (:meth:`covering`); equal covers have equal numbers.
        """
        import numpy as np

        # A pair as one integer (numbers stay far below 2**31): an integer, not a tuple,
        # for there are many thousands, and the collector walks tuples, not integers.
        keys = pairs[:, 0].astype(np.int64) << 32 | pairs[:, 1]
        covers = self._covers
        numbers = np.asarray([covers.get(k, -1) for k in keys.tolist()], dtype=np.int64)
        new = np.flatnonzero(numbers < 0)
        if len(new):
            numbers[new] = made = self._new_covers(pairs[new])
            covers.update(zip(keys[new].tolist(), made.tolist(), strict=True))
        return numbers

    def _new_covers(self, pairs: Any) -> Any:
        """:meth:`cover_numbers` of pairs not met before: equal covers found by arrays.

        A cover is its acting slots, and each slot's goods level (the class's) and origin
        level (the place's): pairs equal in those three are equal covers, whose tuple is
        made once, for the first of them.
        """
        import numpy as np

        classes, class_at = np.unique(pairs[:, 0], return_inverse=True)
        places, place_at = np.unique(pairs[:, 1], return_inverse=True)
        goods = [self._class_list[c] for c in classes.tolist()]
        where = [self._place_list[p] for p in places.tolist()]
        # Each pair's acting slots, numbered (each tuple is kept, once: its id holds).
        sets: dict[int, int] = {}
        slot_sets: list[tuple[int, ...]] = []
        set_at = np.empty(len(pairs), dtype=np.int64)
        for i, (c, p) in enumerate(zip(class_at.tolist(), place_at.tolist(), strict=True)):
            slots = self._acting_slots(goods[c], where[p])
            number = sets.setdefault(id(slots), len(sets))
            if number == len(slot_sets):
                slot_sets.append(slots)
            set_at[i] = number
        longest = max(map(len, slot_sets), default=0)
        used = sorted({slot for slots in slot_sets for slot in slots})
        if (len(goods) + len(where)) * (len(used) + 1) + len(pairs) * longest > _CELLS:
            # Arrays that large (a schedule of many thousand items): pair by pair.
            every = zip(class_at.tolist(), place_at.tolist(), strict=True)
            return self._covers_of(goods, where, every)
        # Levels by (class or place, slot met), a last column for the slots' padding.
        column = {slot: k for k, slot in enumerate(used)}
        named = np.zeros((len(goods), len(used) + 1), dtype=np.int16)
        for c, g in enumerate(goods):
            met = [slot for slot in g.named if slot in column]
            named[c, [column[slot] for slot in met]] = [g.named[slot] for slot in met]
        levels = np.full((len(where), len(used) + 1), -1, dtype=np.int16)
        for p, w in enumerate(where):
            met = [slot for slot in w.levels if slot in column]
            levels[p, [column[slot] for slot in met]] = [w.levels[slot] for slot in met]
        padded = np.full((len(slot_sets), longest), len(used), dtype=np.int32)
        for n, slots in enumerate(slot_sets):
            padded[n, : len(slots)] = [column[slot] for slot in slots]
        at = padded[set_at]  # per pair, its slots' columns
        columns = [set_at, *named[class_at[:, None], at].T, *levels[place_at[:, None], at].T]
        _rows, first, cover_at = unique_rows(*columns)
        firsts = zip(class_at[first].tolist(), place_at[first].tolist(), strict=True)
        return self._covers_of(goods, where, firsts)[cover_at]

    def _covers_of(
        self, goods: list[GoodsClass], where: list[Place], pairs: Iterable[tuple[int, int]]
    ) -> Any:
        """The cover numbers of (class, place) ``pairs`` (indexes into ``goods``, ``where``)."""
        import numpy as np

        made = []
        for c, p in pairs:
            cover = self.covering(goods[c], where[p])
            number = self.number("cover", cover)
            if number == len(self._cover_list):
                self._cover_list.append(cover)
            made.append(number)
        return np.asarray(made, dtype=np.int64)

    def claimed(self, cover: int, facts: int, given: Mapping[str, object]) -> int:
        """The number of cover ``cover`` less what cannot change an answer given ``facts``.

        ``given`` are the facts numbered ``facts``. What goes only adds skipped lines,
        which the results do not show, so rows that differ only by it share a plan
        (:meth:`contending`).
        """
        key = (cover, facts)
        found = self._claimed.get(key)
        if found is None:
            kept = self.contending(self._cover_list[cover], given)
            found = self._claimed[key] = self.number("claimed", kept)
            if found == len(self._ranks_tables):
                tabled, items = self._tabled_layers, self.items
                self._ranks_tables.append(
                    any(getattr(items[e[0]], "layer", None) in tabled for e in kept)
                )
        return found

    def ranks_tables(self, claimed: int) -> bool:
        """Whether a claimed cover has measures of the tables' layers (ranked with lines)."""
        return self._ranks_tables[claimed]

    def contending(self, cover: tuple[Any, ...], given: Mapping[str, object]) -> tuple[Any, ...]:
        """The entries of ``cover`` that can change the answer of rows with facts ``given``.

        Only what the resolver's steps show, from the cover alone, to add nothing but
        skipped lines (which the results do not show) goes:

        * a rule whose condition the facts do not meet (it is not claimed);
        * a measure whose condition they fail, or that is void (but such a measure still
          covers its layer: it stays when the schedule requires the layer and no other
          measure of it may apply);
        * in a layer the tables do not fill, the measures that the claimed pauses and
          exemptions remove, and those the measures left outrank
          (:func:`tradelaw._resolve.rank`). A layer left with none goes as a whole
          unless a rate reads it (it would read 0) or the schedule requires it;
        * a layer's one sure measure on the whole value, excluding nothing, that another
          layer's one sure measure on the whole value excludes, where nothing excludes
          that one (it is displaced on every part of the value), unless a rate reads it
          or the schedule requires it;
        * a rule then acting on none of the measures kept, and naming neither the tables'
          layers nor ids that may be their lines' (:meth:`_on_tables`).

        What stays is the items, each with the specificity that ranks it where that can
        matter (a layer the tables fill) and 0 elsewhere: rows that differ only by what
        went share a plan.
        """
        zone, items = self.schedule.zone, self.items
        required, tabled = self.schedule.requires, self._tabled_layers
        read = self._read | self._table_reads  # layers some rate reads
        rules: list[tuple[Any, ...]] = []
        layers: dict[str, list[tuple[Any, ...]]] = {}  # the measures that may apply
        sure: set[int] = set()
        markers: dict[str, list[tuple[Any, ...]]] = {}
        for entry in cover:
            item = items[entry[0]]
            holds = True if item.condition is None else item.condition.evaluate(given, zone)
            if isinstance(item, Measure):
                if item.void or holds is False:
                    if item.layer in required:
                        markers.setdefault(item.layer, []).append(entry)
                    continue
                layers.setdefault(item.layer, []).append(entry)
                if holds is True:
                    sure.add(entry[0])
            elif holds is True:
                rules.append(entry)
        removers = [items[e[0]] for e in rules if isinstance(items[e[0]], Pause | Exemption)]
        kept: list[tuple[Any, ...]] = []
        tops: dict[str, list[int]] = {}  # the best-ranked measures left in each layer
        for layer, group in layers.items():
            if layer in tabled:  # ranked against the tables' lines: kept as they are
                kept += group
                continue
            left = [e for e in group if not any(r.acts_on(items[e[0]]) for r in removers)]
            if not left:
                if layer in read or layer in required:
                    kept += [(e[0], 0, 0) for e in group]
                continue
            ranks = [rank(cast(Measure, items[e[0]]), e[1], e[2], 1) for e in left]
            best = max(ranks)
            tops[layer] = [e[0] for e, r in zip(left, ranks, strict=True) if r == best]
        excluded = set(self._table_excludes)  # the layers some measure may exclude
        for slot in [*(e[0] for e in kept), *(s for top in tops.values() for s in top)]:
            excluded.update(cast(Measure, items[slot]).excludes)

        def only_sure(slots: list[int]) -> Measure | None:
            """The layer's one sure measure on the whole value, if that is what it has."""
            if len(slots) != 1 or slots[0] not in sure:
                return None
            measure = cast(Measure, items[slots[0]])
            return measure if measure.base == "value" else None

        for layer, top in tops.items():
            measure = only_sure(top)
            if (
                measure is not None
                and not measure.excludes
                and layer not in read
                and layer not in required
                and any(
                    layer in other.excludes and other_layer not in excluded
                    for other_layer, slots in tops.items()
                    if other_layer != layer and (other := only_sure(slots)) is not None
                )
            ):
                continue  # displaced on every part of the value
            kept += [(slot, 0, 0) for slot in top]
        kept += [
            (e[0], 0, 0) for layer, group in markers.items() if layer not in layers for e in group
        ]
        slots = {e[0] for e in kept}
        kept += [(e[0], 0, 0) for e in rules if self._may_act(e[0], slots)]
        return tuple(sorted(kept))

    def covering(self, goods: GoodsClass, place: Place) -> tuple[Any, ...]:
        """The items that cover a row, with both specificities, as far as they can matter.

        A rule (exemption, pause, credit) that acts on none of the measures there cannot
        change the answer, only the list of skipped lines: it is left out, so that rows
        it would set apart share a plan.
        """
        slots = self._acting_slots(goods, place)
        named, levels = map(goods.named.get, slots, repeat(0)), map(place.levels.get, slots)
        return tuple(zip(slots, named, levels, strict=True))

    def _acting_slots(self, goods: GoodsClass, place: Place) -> tuple[int, ...]:
        """The slots of the items covering a class and a place that may act there (kept)."""
        found = (goods.bits & place.bits) | (place.everywhere & ~goods.out_bits)
        slots = self._acting.get(found)
        if slots is None:
            slots = self._acting_in(found)
            # Equal ones kept once: a cover's slots are then told apart by their id.
            slots = self._acting[found] = self._slot_sets.setdefault(slots, slots)
        return slots

    def _acting_in(self, found: int) -> tuple[int, ...]:
        """The slots of ``found`` (bits) less the rules acting on none of its measures."""
        measures = found & self._measure_bits
        kept = measures | (found & self._on_tables_bits)
        for acts, rules in self._rule_groups():
            if acts & measures:
                kept |= found & rules
        return _slots(kept)

    def _rule_groups(self) -> list[tuple[int, int]]:
        """The rules not on the tables, grouped by the measures they act on (bits, bits).

        Rules are many and the sets of measures they act on few: a cover asks each set.
        """
        if self._groups is None:
            groups: dict[int, int] = {}
            for slot, item in enumerate(self.items):
                if not isinstance(item, Measure) and not self._on_tables_bits >> slot & 1:
                    acts = _bits(self._targets(slot))
                    if acts:  # a rule acting on no measure here is never kept
                        groups[acts] = groups.get(acts, 0) | 1 << slot
            self._groups = list(groups.items())
        return self._groups

    def _may_act(self, slot: int, measures: set[int]) -> bool:
        """Whether the rule at ``slot`` may act on ``measures`` (slots) or the tables' lines."""
        return self._on_tables(slot) or not self._targets(slot).isdisjoint(measures)

    def _on_tables(self, slot: int) -> bool:
        """Whether the rule at ``slot`` may act on lines of the tables (by layer or id).

        A table's lines are not among the engine's items: a rule that names their layer,
        or ids that may begin as theirs do, is kept wherever it covers a row.
        """
        found = self._table_rules.get(slot)
        if found is None:
            targets = cast(Rule, self.items[slot]).targets
            found = self._table_rules[slot] = not self._tabled_layers.isdisjoint(
                targets.layers
            ) or any(targets.may_name_prefixed(t.id_prefix) for t in self.schedule.tables)
        return found

    def _targets(self, slot: int) -> frozenset[int]:
        """The slots of the measures that the rule at ``slot`` acts on."""
        found = self._acts.get(slot)
        if found is None:
            rule = self.items[slot]
            assert isinstance(rule, Rule)
            found = self._acts[slot] = frozenset(
                s for s, m in enumerate(self.items) if isinstance(m, Measure) and rule.acts_on(m)
            )
        return found


def _bits(slots: Any) -> int:
    """Slots (small integers) as the bits of one integer."""
    found = 0
    for slot in slots:
        found |= 1 << slot
    return found


def _slots(bits: int) -> tuple[int, ...]:
    """The slots of an integer's bits, in order."""
    found = []
    while bits:
        low = bits & -bits
        found.append(low.bit_length() - 1)
        bits ^= low
    return tuple(found)

"""A schedule compiled to resolve many entries at once, by the resolver's own answers.

:meth:`Schedule.resolve <tradelaw.schedule.Schedule.resolve>` is the one source of
semantics. What an entry's answer depends on is (a) which of the schedule's items cover
it, and how specifically, (b) the base layer's line for its goods, (c) its facts, currency
and unit of quantity, and, only through arithmetic, (d) its value. This module computes
(a) to (c) for a whole table with few Python steps, groups the rows that agree on them,
resolves one row of each group with ``resolve()``, and applies that answer to the rest:

* **Goods classes.** Each goods code gets the set of items whose goods scope covers it,
  with the length of the matching prefix, as a bit mask (``_goods_mask``).
* **Origins and time.** Time is cut where any item starts or ends, a country group's
  membership changes or the base layer's edition changes; in a *segment* the items in
  force are constant. Each (origin, segment) gets the items in force that cover the
  origin, with how specifically, as a bit mask (``_origin_mask``).
* The two masks' intersection is the set of items that cover a row, with both
  specificities: rows with the same intersection have the same candidates.
* **The base layer** (a table of tens of thousands of lines) is not multiplied into the
  classes. A row's table items are reduced to their *skeleton*: everything but the line's
  id, heading, citations and ad valorem percentage. Rows that share a skeleton resolve
  alike, and the plan refers to the row's own line for its percentage and heading.
* **A plan** is one group's answer in a form that applies to every row of it: each applied
  line's rate as a fixed percentage, the row's base-layer percentage, or a top-up of it.
  A group whose answer is not of that form (specific or compound rates, content portions,
  credits, a zero value) is resolved row by row, with ``resolve()``: exact, never
  approximated.

Equivalence with ``resolve()`` row by row is the contract, held by a property test over
generated schedules and by a test over real entries of the ``us`` dataset.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from tradelaw._resolve import equivalent
from tradelaw.entry import Entry
from tradelaw.errors import ConflictError, TradelawError, UnknownDutyError
from tradelaw.frame._values import scaled_percent
from tradelaw.measures import Measure, Rule, Scoped
from tradelaw.money import HUNDRED, Money, Quantity
from tradelaw.rates import AdValorem, Compound, Free, RateContext, Specific, TopUp
from tradelaw.resolution import Resolution, tidy
from tradelaw.schedule import Schedule
from tradelaw.scope import Origins
from tradelaw.time import micros

_BEFORE_ALL = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)


class Outcome:
    """One row's answer, in the form of the output columns."""

    __slots__ = ("duty", "headings", "layers", "message", "rate", "status")

    def __init__(
        self,
        status: str,
        *,
        rate: Decimal | None = None,
        duty: Decimal | None = None,
        headings: str = "",
        message: str = "",
        layers: Mapping[str, Decimal] | None = None,
    ) -> None:
        self.status = status
        self.rate = rate
        self.duty = duty
        self.headings = headings
        self.message = message
        self.layers = layers or {}


def outcome_of(resolution: Resolution) -> Outcome:
    """The output columns of a resolution (what ``resolve()`` says, in columns)."""
    headings = " ".join(resolution.headings)
    if resolution.status != "ok":
        message = "; ".join(f"{m.id}: {m.citation}" for m in resolution.prohibited) or "; ".join(
            f"{u.id}: {u.reason}" for u in resolution.unknown
        )
        return Outcome(resolution.status, headings=headings, message=message)
    duty = resolution.duty
    rate = resolution.total_rate if resolution.entry.value.amount else None
    layers = {line.measure.layer: line.duty.amount for line in resolution.applied}
    return Outcome("ok", rate=rate, duty=tidy(duty.amount), headings=headings, layers=layers)


def resolve_one(schedule: Schedule, entry: Entry, as_of: datetime | None) -> Outcome:
    """One row through ``resolve()``, its failure kept as the row's status and message."""
    try:
        return outcome_of(schedule.resolve(entry, as_of=as_of))
    except (UnknownDutyError, ConflictError) as error:
        return Outcome("unresolved", message=str(error))
    except TradelawError as error:
        return Outcome("error", message=str(error))


class GoodsClass:
    """The items that cover the codes of one goods class.

    ``named`` maps the items named by a prefix of the codes to its length; ``out`` holds
    the all-goods items whose exclusions leave these codes out.
    """

    __slots__ = ("named", "out")

    def __init__(self, named: dict[int, int], out: frozenset[int]) -> None:
        self.named = named
        self.out = out


#: How many linear forms an engine keeps (see _linear): they are cheap to make again.
FORMS = 20_000

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
            found = kept[key] = Compiled(schedule, as_of)
        return found


class Compiled:
    """A schedule's items, for one knowledge time, as masks over goods, origins and time."""

    def __init__(self, schedule: Schedule, as_of: datetime | None) -> None:
        self.schedule = schedule
        self.as_of = as_of
        # One run at a time: a run reads and grows the caches below (threads of a Dask
        # worker share one engine).
        self.lock = threading.Lock()
        # A void item takes no part in any resolution (the resolver skips it): leaving it
        # out makes rows that differ only by it share a plan.
        known = schedule._known_items(as_of)
        self.items: tuple[Scoped, ...] = tuple(item for item in known if not item.void)
        hidden = {item.id for item in schedule.items}
        self._hidden = frozenset(hidden) if schedule.tables else frozenset()
        by_prefix: dict[str, list[int]] = {}
        self._everywhere_levels: dict[int, int] = {}
        self._excluding: list[int] = []  # all-goods items with exclusions
        cuts: set[datetime] = set()
        for slot, item in enumerate(self.items):
            for prefix in item.goods.prefixes:
                by_prefix.setdefault(prefix, []).append(slot)
            if not item.goods.prefixes:
                self._everywhere_levels[slot] = 0
                if item.goods.exclude:
                    self._excluding.append(slot)
            cuts.add(item.period.start)
            if item.period.end is not None:
                cuts.add(item.period.end)
            for group in item.origins.groups:
                cuts.update(group.boundaries())
        self._by_prefix = by_prefix
        self._table_cuts: list[datetime] = []
        self._bounded_tables = True
        for table in schedule.tables:
            found = getattr(table, "boundaries", None)
            if callable(found):
                self._table_cuts += list(found())
            else:
                self._bounded_tables = False
        cuts.update(self._table_cuts)
        self.cuts: list[datetime] = sorted(c for c in cuts if c > _BEFORE_ALL)
        self.cut_micros: list[int] = [micros(c) for c in self.cuts]
        self._goods: dict[str, tuple[tuple[Any, ...], GoodsClass]] = {}
        self._classes: dict[tuple[Any, ...], GoodsClass] = {}
        self._origins: dict[tuple[str, int], dict[int, int]] = {}
        self._levels: dict[tuple[tuple[int, int], ...], dict[int, int]] = {}
        self._by_origin: dict[str, list[int]] = {}
        self._tables: dict[tuple[str, int], tuple[tuple[Any, ...], tuple[Measure, ...]] | None]
        self._tables = {}
        # Numbers for the parts of a group's key, and the plans by key: kept for the
        # engine's life, so that the chunks of one file share them.
        self._numbers: dict[str, dict[object, int]] = {}
        self.plans: dict[tuple[int, ...], Plan] = {}
        self._covers: dict[tuple[int, int], int] = {}
        self._everywhere_at: dict[int, list[int]] = {}
        self._acts: dict[int, frozenset[int]] = {}
        self._epochs: dict[int, int] = {}
        self._line_rows: dict[int, tuple[tuple[Decimal, ...], tuple[str, ...], tuple[int, ...]]]
        self._line_rows = {}
        # The answer of a per-line plan (Plan.per_line) for the rows of one part.
        self.line_answers: dict[tuple[int, int], Outcome] = {}
        # A plan's duty on the rows of one part, in one currency, as a linear form of
        # value and quantity (see _linear), or None; at most FORMS of them (memory).
        self.forms: dict[tuple[int, int, str], Any] = {}
        # What the text cells of the columns with few distinct values read as (a code, a
        # country, an instant, a currency), for every table this engine resolves.
        self.readings: dict[str, dict[str, Any]] = {
            name: {} for name in ("goods", "origin", "entered", "currency")
        }
        # The base layer's items as they bear on rows (see _run._effective): the origin
        # scopes of its items, numbered; and the shape's number by (part, how far each
        # scope reaches, facts), where a part is one of table_part's, kept as long as this.
        self.origin_sets: dict[Origins, int] = {}
        self.effective: dict[tuple[int, tuple[int | None, ...], int], int] = {}

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

    def goods_levels(self, code: str) -> tuple[tuple[Any, ...], GoodsClass]:
        """The items whose goods scope covers ``code``: a key, and the class it names.

        Codes with the same key have the same items at the same prefix lengths: the items
        named by a prefix of the code, and the all-goods items less those whose exclusions
        leave the code out.
        """
        found = self._goods.get(code)
        if found is not None:
            return found
        named: dict[int, int] = {}
        for length in range(2, len(code) + 1, 2):
            for slot in self._by_prefix.get(code[:length], ()):
                named[slot] = length
        items = self.items
        for slot in [s for s in named if items[s].goods.exclude]:
            if items[slot].goods.specificity(code) is None:
                del named[slot]
        out = frozenset(s for s in self._excluding if items[s].goods.specificity(code) is None)
        key = (tuple(sorted(named.items())), tuple(sorted(out)))
        same = self._classes.get(key)
        if same is None:
            same = self._classes[key] = GoodsClass(named, out)
        found = (key, same)
        self._goods[code] = found
        return found

    def origin_levels(self, origin: str, segment: int) -> dict[int, int]:
        """The items in force in ``segment`` whose origins cover ``origin``: slot -> how."""
        found = self._origins.get((origin, segment))
        if found is not None:
            return found
        slots = self._by_origin.get(origin)
        if slots is None:
            slots = [
                slot
                for slot, item in enumerate(self.items)
                if origin in item.origins.countries
                or item.origins.is_all
                or item.origins.groups
                or item.origins.exclude
            ]
            self._by_origin[origin] = slots
        at = self.moment(segment)
        levels = {}
        for slot in slots:
            item = self.items[slot]
            if item.period.contains(at):
                level = item.origins.specificity(origin, at)
                if level is not None:
                    levels[slot] = level
        # Most segments change nothing for most origins: places with equal levels share
        # one dict, and so their covers (cover_number keys on the dict).
        levels = self._levels.setdefault(tuple(levels.items()), levels)
        self._origins[origin, segment] = levels
        return levels

    def cover_number(self, goods: GoodsClass, origins: dict[int, int]) -> int:
        """The number of the items that cover rows of a goods class and an (origin, segment)."""
        key = (id(goods), id(origins))  # both are kept, one object per class and place
        found = self._covers.get(key)
        if found is None:
            found = self._covers[key] = self.number("cover", self.covering(goods, origins))
        return found

    def covering(self, goods: GoodsClass, origins: dict[int, int]) -> tuple[Any, ...]:
        """The items that cover a row, with both specificities, as far as they can matter.

        A rule (exemption, pause, credit) that acts on none of the measures there cannot
        change the answer, only the list of skipped lines: it is left out, so that rows
        it would set apart share a plan.
        """
        named, out = goods.named, goods.out
        levels = {s: length for s, length in named.items() if s in origins}
        for slot in self._everywhere_in(origins):
            if slot not in out:
                levels[slot] = 0
        items = self.items
        measures = {s for s in levels if isinstance(items[s], Measure)}
        kept = []
        for slot, length in levels.items():
            if slot not in measures and self._targets(slot).isdisjoint(measures):
                continue
            kept.append((slot, length, origins[slot]))
        return tuple(sorted(kept))

    def _everywhere_in(self, origins: dict[int, int]) -> list[int]:
        """The all-goods items among those that cover an (origin, segment)."""
        key = id(origins)  # one dict per place, kept by origin_levels
        found = self._everywhere_at.get(key)
        if found is None:
            everywhere = self._everywhere_levels
            found = self._everywhere_at[key] = [s for s in origins if s in everywhere]
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

    def line_row(
        self, part: tuple[tuple[Any, ...], tuple[Measure, ...]] | None
    ) -> tuple[tuple[Decimal, ...], tuple[str, ...], tuple[int, ...]]:
        """A part's items' percentages, headings, and percentages as integers, in order.

        The integers are millionths of a point, -1 where that is not a whole number (see
        ``_values.scaled_percent``); a missing part has no items.
        """
        if part is None:
            return (), (), ()
        found = self._line_rows.get(id(part))  # parts are kept by table_part: ids hold
        if found is None:
            items = part[1]
            percents = tuple(percent_of(i.rate) for i in items)
            found = (
                percents,
                tuple(i.heading for i in items),
                tuple(scaled_percent(p) for p in percents),
            )
            self._line_rows[id(part)] = found
        return found

    def table_part(
        self, code: str, segment: int
    ) -> tuple[tuple[Any, ...], tuple[Measure, ...]] | None:
        """The base layer's items for ``code`` in ``segment``: their skeleton, and them.

        ``None`` when a row there must go through ``resolve()`` alone: the code has no
        line (the reason names the code), or an item's period does not span the segment.
        """
        key = (code, self.epoch(segment))
        if key in self._tables:
            return self._tables[key]
        at = self.moment(segment)
        end = self.cuts[segment + 1] if segment + 1 < len(self.cuts) else None
        items: list[Measure] = []
        whole = True
        for table in self.schedule.tables:
            for item in table.items_for(code, at):
                if item.id in self._hidden or not item.period.contains(at):
                    continue
                if not isinstance(item, Measure):
                    whole = False
                    continue
                if not self._bounded_tables and (
                    item.period.start > at
                    or (item.period.end is not None and (end is None or item.period.end < end))
                ):
                    whole = False
                items.append(item)
        found = (_skeleton(items, code), tuple(items)) if whole and items else None
        self._tables[key] = found
        return found


def _skeleton(items: Sequence[Measure], code: str) -> tuple[Any, ...]:
    """What of the base layer's items decides a resolution, less the line's own particulars.

    Two rows whose items agree here resolve alike: the same lines apply or are skipped,
    for the same reasons; only the ad valorem percentage, the ids and the headings differ,
    and a plan takes those from the row's own items.
    """
    return tuple(
        (
            _rate_shape(item.rate),
            item.layer,
            item.priority,
            item.base,
            item.excludes,
            item.condition,
            item.origins,
            item.goods.specificity(code),
            item.void,
            _suffix(item),
        )
        for item in items
    )


def _rate_shape(rate: object) -> object:
    """A rate less its numbers, which a plan reads from the row's own item."""
    if isinstance(rate, AdValorem):
        return AdValorem
    if isinstance(rate, Specific):
        return (Specific, rate.unit, rate.amount.currency)
    if isinstance(rate, Compound):
        return (Compound, tuple(_rate_shape(part) for part in rate.parts))
    return rate


def _suffix(item: Measure) -> str:
    """What follows the heading in the id (``-special``, ``-col2``): the kind of line."""
    return item.id.rpartition(item.heading)[2] if item.heading else item.id


# -- plans -------------------------------------------------------------------------------

#: How a plan line's duty is had for a row: ("fixed", percent, _) a fixed percentage;
#: ("table", _, k) the percentage of the row's base-layer item k; ("topup", X, k) a top-up
#: to X of that percentage; ("rate", expression, _) a schedule's rate on the row's value
#: and quantity; ("own", _, k) the rate of the row's base-layer item k, likewise;
#: ("topup-own", top-up, k) a top-up of the duty of item k's rate (specific or compound).
_How = tuple[str, Any, int]
_PERCENT = frozenset({"fixed", "table", "topup"})


class Plan:
    """One group's answer, applicable to every row of the group.

    ``lines`` give each applied line's layer and how its duty is had (``_How``);
    ``headings`` give each heading, fixed or the row's base-layer item number k. A plan
    whose resolution is not of that form is ``per_row`` (``per_line`` when the rows of one
    base-layer line answer alike). A plan with ``fixed`` holds an
    answer that is the same for every row, but for the base-layer ids and headings it
    names.
    """

    __slots__ = ("fixed", "headings", "lines", "per_line", "per_row", "table_ids")

    def __init__(self) -> None:
        self.per_row = False
        self.per_line = False  # per_row, but rows of the same base-layer line answer alike
        self.fixed: Outcome | None = None
        self.lines: list[tuple[str, _How]] = []
        self.headings: list[str | int] = []  # fixed text, or the row's base-layer item k
        self.table_ids: tuple[str, ...] = ()

    def headings_for(self, table: Sequence[Measure]) -> str:
        """The applied headings of a row whose base-layer items are ``table``."""
        return " ".join(h if isinstance(h, str) else table[h].heading for h in self.headings)

    def message_for(self, table: Sequence[Measure]) -> str:
        """A fixed answer's message, naming the row's own base-layer items."""
        assert self.fixed is not None
        return _renamed(self.fixed.message, self.table_ids, table)

    def percents(self, table: Sequence[Measure]) -> dict[str, Decimal] | None:
        """Each layer's percentage of the value, or None when a duty is not a percentage."""
        if any(how not in _PERCENT for _layer, (how, _n, _k) in self.lines):
            return None
        return {layer: _line_percent(how, table) for layer, how in self.lines}

    def duties(
        self, value: Money, quantity: Quantity | None, table: Sequence[Measure]
    ) -> dict[str, Decimal]:
        """Each layer's duty on a row, computed by the rates themselves.

        Raises:
            UnknownDutyError: a rate cannot be computed for this row (its row goes alone).
        """
        context = RateContext(value, quantity)
        found: dict[str, Decimal] = {}
        for layer, (how, number, k) in self.lines:
            if how in _PERCENT:
                percent = _line_percent((how, number, k), table)
                found[layer] = value.amount * percent / HUNDRED
            elif how == "topup-own":
                # What the resolver reads of the row's own line: the equivalent of its
                # duty on the whole value (every line of the plan taxes the whole value).
                read = table[k].rate.duty(value, context).amount
                whole = value.amount
                topped = RateContext(
                    value, quantity, _fixed(equivalent(read, whole, whole, whole))
                )
                found[layer] = number.duty(value, topped).amount
            else:
                rate = number if how == "rate" else table[k].rate
                found[layer] = rate.duty(value, context).amount
        return found


def _fixed(rate: Decimal) -> Callable[[str], Decimal]:
    """A context's ``layer_rate`` that gives ``rate`` for the one layer a top-up reads."""
    return lambda _layer: rate


def _line_percent(line: _How, table: Sequence[Measure]) -> Decimal:
    """A percentage line's percentage for a row whose base-layer items are ``table``."""
    how, number, k = line
    if how == "fixed":
        return Decimal(number)
    read = percent_of(table[k].rate)
    return read if how == "table" else max(Decimal(0), number - read)


def percent_of(rate: object) -> Decimal:
    """The percentage of an ad valorem rate; 0 for a free one."""
    return rate.percent if isinstance(rate, AdValorem) else Decimal(0)


def _renamed(message: str, old: Sequence[str], table: Sequence[Measure]) -> str:
    """``message`` with the representative's base-layer ids made the row's own."""
    # The kept items are at the same positions in every row of a group (see _effective).
    swap = {b: item.id for b, item in zip(old, table, strict=False) if b != item.id}
    if not swap or not message:
        return message
    pattern = "|".join(re.escape(i) for i in sorted(swap, key=len, reverse=True))
    return re.sub(f"(?:{pattern})(?![\\w.-])", lambda m: swap[m.group(0)], message)


def make_plan(resolution: Resolution | TradelawError, table: Sequence[Measure]) -> Plan:
    """Turn one row's resolution into a plan for its group (see :class:`Plan`)."""
    plan = Plan()
    plan.table_ids = tuple(item.id for item in table)
    position = {id(item): k for k, item in enumerate(table)}
    if isinstance(resolution, TradelawError):
        if isinstance(resolution, UnknownDutyError | ConflictError):
            plan.fixed = Outcome("unresolved", message=str(resolution))
        else:
            plan.per_row = True  # the row's own input is at fault: it says how
        return plan
    plan.headings = [
        position.get(id(line.measure), line.heading) for line in resolution.applied if line.heading
    ]
    if resolution.is_prohibited or not resolution.is_known:
        if any(_quotes_own_line(u.measure, position) for u in resolution.unknown):
            # The reason quotes the row's own line (its rate, its unit): rows of one line
            # share it, whatever their values.
            plan.per_row = plan.per_line = True
        else:
            plan.fixed = outcome_of(resolution)
        return plan
    value = resolution.entry.value
    if not value.amount:
        plan.per_row = True
        return plan
    winners = {line.measure.layer: line.measure for line in resolution.applied}
    for line in resolution.applied:
        how = _how(line.measure, line.base, line.gross, winners, position)
        if how is None or line.relief or line.base != value:
            plan.per_row = True
            return plan
        plan.lines.append((line.measure.layer, how))
    return plan


def _quotes_own_line(measure: Measure | None, position: Mapping[int, int]) -> bool:
    """Whether an unknown line's reason may quote what differs between a group's rows.

    A base-layer line whose rate is whole in the skeleton (a rate tradelaw cannot read,
    kept with its text) gives every row of the group the same reason, but for its id,
    which :meth:`Plan.message_for` renames; another line's reason may quote its numbers.
    """
    if measure is None or id(measure) not in position:
        return False
    return _rate_shape(measure.rate) is not measure.rate


def _how(
    measure: Measure,
    base: Money,
    gross: Money,
    winners: Mapping[str, Measure],
    position: Mapping[int, int],
) -> _How | None:
    """How a line's percentage is had for any row of the group, or None if it cannot be."""
    rate = measure.rate
    k = position.get(id(measure))
    if isinstance(rate, AdValorem | Free):
        return ("table", Decimal(0), k) if k is not None else ("fixed", percent_of(rate), 0)
    if isinstance(rate, Specific | Compound) and not rate.layers():
        return ("own", None, k) if k is not None else ("rate", rate, 0)
    if isinstance(rate, TopUp):
        read = winners.get(rate.layer)
        if read is None:
            return None
        j = position.get(id(read))
        if not isinstance(read.rate, AdValorem | Free):
            # The row's own line, a specific or compound rate: its duty is the row's.
            own = isinstance(read.rate, Specific | Compound) and not read.rate.layers()
            return ("topup-own", rate, j) if own and j is not None else None
        if j is not None:
            return ("topup", rate.percent, j)
        return ("fixed", gross.amount * HUNDRED / base.amount, 0)
    return None

"""The :class:`Schedule`: an immutable, stackable collection of items that resolves entries.

Example:
    >>> from tradelaw import AdValorem, Entry, Goods, Measure, Money, Origins, Period
    >>> baseline = Measure(
    ...     id="baseline", heading="9903.01.25", goods=Goods.all(), origins=Origins.all(),
    ...     period=Period.parse("2025-04-05", zone="America/New_York"),
    ...     rate=AdValorem("10"), layer="ieepa-reciprocal",
    ... )
    >>> us = Schedule([baseline], name="example", jurisdiction="US", zone="America/New_York")
    >>> us.resolve(Entry("9503.00.00", "JP", "2025-04-05", Money("100", "USD"))).total_rate
    Decimal('10')
    >>> us.resolve(Entry("9503.00.00", "JP", "2025-04-04", Money("100", "USD"))).total_rate
    Decimal('0')
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from fnmatch import fnmatchcase
from itertools import combinations
from typing import Any

from attrs import field, frozen

from tradelaw import _resolve
from tradelaw._index import Index, View
from tradelaw._ties import describe, ties
from tradelaw.conditions import FactValue
from tradelaw.entry import Entry
from tradelaw.errors import InvalidInputError, Problem, ValidationError
from tradelaw.facts import FactSpec, declared
from tradelaw.measures import Measure, Rule, Scoped, content_fact
from tradelaw.money import Money, Quantity
from tradelaw.registry import kind_of
from tradelaw.resolution import Resolution
from tradelaw.scope import CodeList
from tradelaw.tables import ItemTable
from tradelaw.time import Period, When, instant, micros, zone

__all__ = ["Schedule", "Segment"]


class _Built:
    """What a schedule builds on first use."""

    __slots__ = ("derived", "facts", "index", "knowledge", "latest", "memo")

    def __init__(
        self, items: tuple[Scoped, ...], tables: tuple[ItemTable, ...], facts: Iterable[FactSpec]
    ) -> None:
        self.index = Index(items, tables)
        self.latest = _latest_versions(items)  # the id() of each latest version
        self.facts: Mapping[str, FactSpec] = declared(facts)  # by name
        self.memo = _resolve.Remembered()  # what its resolutions remember
        # What the layers above derive from the schedule and keep as long as it lives
        # (the columnar engine, per knowledge time), by their own keys.
        self.derived: dict[object, object] = {}
        # When (in microseconds) the versions known change, sorted.
        self.knowledge = sorted(
            {
                micros(moment)
                for item in items
                if item.recorded is not None
                for moment in (item.recorded.start, item.recorded.end)
                if moment is not None
            }
        )

    def view(self, known_at: datetime | None) -> View:
        """The index's view of the versions known at ``known_at`` (``None``: the latest)."""
        if known_at is None:
            latest = self.latest
            return self.index.view(None, lambda item: id(item) in latest)
        span = bisect_right(self.knowledge, micros(known_at))  # the same versions all along
        return self.index.view(span, lambda item: item.known_at(known_at))


def _items(values: Iterable[Scoped]) -> tuple[Scoped, ...]:
    items = tuple(values)
    for i, item in enumerate(items):
        if not isinstance(item, Scoped):
            raise InvalidInputError(
                f"items[{i}]", item, "is not a measure, exemption, pause or credit"
            )
    return items


def _facts(values: Iterable[FactSpec]) -> tuple[FactSpec, ...]:
    specs = tuple(values)
    for i, spec in enumerate(specs):
        if not isinstance(spec, FactSpec):
            raise InvalidInputError(f"facts[{i}]", spec, "is not a FactSpec")
    declared(specs)  # refuses a spec that retypes a well-known fact
    return tuple(sorted({s.name: s for s in specs}.values(), key=lambda s: s.name))


def _layers(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InvalidInputError("requires", values, "is not a list of layer names")
    layers = tuple(dict.fromkeys(values))
    for layer in layers:
        if not isinstance(layer, str) or not layer:
            raise InvalidInputError("requires", layer, "is not a layer name")
    return layers


def _tables(values: Iterable[ItemTable]) -> tuple[ItemTable, ...]:
    tables = tuple(values)
    for i, table in enumerate(tables):
        if not isinstance(table, ItemTable):
            raise InvalidInputError(f"tables[{i}]", table, "is not an item table")
    return tables


def _code_lists(values: Iterable[CodeList]) -> tuple[CodeList, ...]:
    by_name: dict[str, CodeList] = {}
    for i, code_list in enumerate(values):
        if not isinstance(code_list, CodeList):
            raise InvalidInputError(f"lists[{i}]", code_list, "is not a CodeList")
        seen = by_name.get(code_list.name)
        if seen is not None and seen != code_list:
            raise InvalidInputError(f"lists[{i}]", code_list.name, "names two different lists")
        by_name[code_list.name] = code_list
    return tuple(sorted(by_name.values(), key=lambda x: x.name))


def _zone(name: str) -> str:
    zone(name)
    return name


@frozen
class Segment:
    """A period in which the resolution of a timeline is constant, with that resolution."""

    period: Period
    resolution: Resolution


@frozen(eq=False)
class Schedule:
    """An immutable collection of measures, exemptions, pauses and credits.

    Args:
        items: the items, in any order (order never changes a result).
        name: a name for the schedule, shown in explanations.
        jurisdiction: the importing jurisdiction (e.g. ``"US"``).
        zone: the IANA zone in which dates are read (12:01 a.m. local).
        currency: the currency of nominal values in timelines.
        facts: the facts the schedule reads beyond the well-known ones, with their types.
        requires: layers every entry must be covered by (e.g. ``("mfn",)``): where no
            measure of such a layer covers an entry, its duty is unknown, not zero.
        tables: item tables (:mod:`tradelaw.tables`) whose items are built on demand,
            e.g. the column 1 rates of every line of a tariff; an item of ``items``
            with the same id replaces a table's item.
        lists: the named code lists its items' goods were written with (see
            :class:`~tradelaw.scope.CodeList`); they do not change a result.
    """

    items: tuple[Scoped, ...] = field(converter=_items)
    name: str = field(kw_only=True)
    jurisdiction: str = field(kw_only=True)
    zone: str = field(kw_only=True, converter=_zone)
    currency: str = field(kw_only=True, default="USD")
    facts: tuple[FactSpec, ...] = field(kw_only=True, default=(), converter=_facts)
    requires: tuple[str, ...] = field(kw_only=True, default=(), converter=_layers)
    tables: tuple[ItemTable, ...] = field(kw_only=True, default=(), converter=_tables)
    lists: tuple[CodeList, ...] = field(kw_only=True, default=(), converter=_code_lists)
    # Built on first use, so that schedules made only to be stacked never pay for them.
    _built: _Built | None = field(init=False, default=None, repr=False)

    @property
    def _index(self) -> Index:
        return self._lookup().index

    @property
    def _latest(self) -> frozenset[int]:
        return self._lookup().latest

    def _lookup(self) -> _Built:
        built = self._built
        if built is None:
            built = _Built(self.items, self.tables, self.facts)
            object.__setattr__(self, "_built", built)
        return built

    def _derived(self) -> dict[object, object]:
        """A place for what is derived from this schedule and lives as long as it does."""
        return self._lookup().derived

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle the schedule's fields, not its lookup caches.

        The caches hold the ``id()`` of items, which name other objects in another process
        (a Dask worker's); the copy builds its own on first use.
        """
        fields = {
            "name": self.name,
            "jurisdiction": self.jurisdiction,
            "zone": self.zone,
            "currency": self.currency,
            "facts": self.facts,
            "requires": self.requires,
            "tables": self.tables,
            "lists": self.lists,
        }
        return (_unpickled, (self.items, fields))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schedule):
            return NotImplemented
        return self._header() == other._header() and _sorted(self.items) == _sorted(other.items)

    def _header(self) -> tuple[object, ...]:
        """Everything but the items, which compare in any order."""
        return (
            self.name,
            self.jurisdiction,
            self.zone,
            self.currency,
            self.facts,
            self.requires,
            self.tables,
            self.lists,
        )

    __hash__ = None  # type: ignore[assignment]

    # -- composition ---------------------------------------------------------------

    def stack(self, *overlays: Schedule) -> Schedule:
        """Return a schedule where each overlay's items replace base items of the same id.

        Later overlays win over earlier ones; every version of a replaced id goes. An
        overlay's table replaces a table of the same name, and adds to the others.

        Example:
            >>> from tradelaw import AdValorem, Goods, Measure, Origins, Period
            >>> def rate(pct):
            ...     return Measure(id="r", goods=Goods.all(), origins=Origins.all(),
            ...                    period=Period.parse("2025-01-01", zone="UTC"),
            ...                    rate=AdValorem(pct), layer="x")
            >>> base = Schedule([rate("10")], name="base", jurisdiction="US", zone="UTC")
            >>> plan = Schedule([rate("15")], name="plan", jurisdiction="US", zone="UTC")
            >>> [str(i.rate) for i in (base | plan).items]
            ['15%']
        """
        items = list(self.items)
        names = [self.name]
        facts = {spec.name: spec for spec in self.facts}
        requires = list(self.requires)
        tables = {table.name: table for table in self.tables}
        lists = {code_list.name: code_list for code_list in self.lists}
        for overlay in overlays:
            replaced = {item.id for item in overlay.items}
            items = [i for i in items if i.id not in replaced] + list(overlay.items)
            tables.update((table.name, table) for table in overlay.tables)
            lists.update((code_list.name, code_list) for code_list in overlay.lists)
            names.append(overlay.name)
            facts.update((spec.name, spec) for spec in overlay.facts)
            requires.extend(overlay.requires)
        return Schedule(
            items,
            name=" | ".join(names),
            jurisdiction=self.jurisdiction,
            zone=self.zone,
            currency=self.currency,
            facts=facts.values(),
            requires=requires,
            tables=tables.values(),
            lists=lists.values(),
        )

    def __or__(self, overlay: Schedule) -> Schedule:
        return self.stack(overlay)

    @property
    def declared_facts(self) -> Mapping[str, FactSpec]:
        """Return every fact the schedule understands (well-known and its own), by name.

        Example:
            >>> from tradelaw.examples import japan_us_2025 as jp
            >>> jp.schedule().declared_facts["us_auto_investment"].type
            <FactType.MONEY: 'money'>
        """
        return declared(self.facts)

    def versions(self, item_id: str) -> tuple[Scoped, ...]:
        """Return every version of ``item_id``, oldest knowledge first."""
        return tuple(sorted((i for i in self.items if i.id == item_id), key=_recorded_start))

    # -- validation ----------------------------------------------------------------

    def problems(self, where: Callable[[Scoped], str | None] | None = None) -> tuple[Problem, ...]:
        """Return every problem of the schedule (empty when it is sound).

        Args:
            where: says where an item was written (e.g. ``"us.toml: items[3]"``), for the
                messages; by default its place in the schedule's ``items``.
        """
        return tuple(_problems(self.items, self.declared_facts, self.tables, where))

    def validate(self) -> Schedule:
        """Check the schedule; raise :class:`~tradelaw.errors.ValidationError` with every problem.

        Returns:
            The schedule itself, so that ``Schedule(...).validate()`` chains.
        """
        found = self.problems()
        if found:
            raise ValidationError(found, f"schedule {self.name!r}")
        return self

    # -- resolution ----------------------------------------------------------------

    def _known(self, as_of: datetime | None) -> _Knowledge:
        return _Knowledge(self._latest, as_of)

    def _known_items(self, as_of: datetime | None) -> tuple[Scoped, ...]:
        """The items known at ``as_of``: the latest versions when it is ``None``."""
        known = self._known(as_of)
        return tuple(item for item in self.items if known(item))

    def _resolve(
        self, entry: Entry, as_of: When | None, pool_hook: _resolve.PoolHook | None
    ) -> Resolution:
        if not isinstance(entry, Entry):
            raise InvalidInputError("entry", entry, "is not an Entry")
        at = instant(entry.entered, self.zone, "entered")
        known_at = None if as_of is None else instant(as_of, self.zone, "as_of")
        built = self._lookup()
        return _resolve.resolve(
            built.index.matches(entry.goods, entry.origin, at, built.view(known_at)),
            entry,
            at,
            known_at,
            self.zone,
            self.name,
            pool_hook,
            self.requires,
            self.tables,
            built.facts,
            built.memo,
        )

    def resolve(self, entry: Entry, *, as_of: When | None = None) -> Resolution:
        """Return what duty is owed on ``entry``, and why.

        Args:
            entry: the entry.
            as_of: read the law as known at this time ("as filed"); ``None`` reads the
                latest versions ("as amended").

        Raises:
            ConflictError: two measures tie for a layer.
            InvalidInputError: an input is malformed (e.g. content above the value).
        """
        return self._resolve(entry, as_of, None)

    def timeline(
        self,
        goods: str,
        origin: str,
        start: When,
        end: When,
        *,
        facts: Mapping[str, FactValue] | None = None,
        as_of: When | None = None,
        value: Money | None = None,
        quantity: Quantity | None = None,
    ) -> tuple[Segment, ...]:
        """Return the periods of ``[start, end)`` in which the resolution is constant.

        A segment ends where an applied line (measure, base, duty) or an unknown line
        changes. Without ``value``, a nominal value of 100 in the schedule's currency is
        used, so rates are exact for ad valorem measures; pass ``value`` and ``quantity``
        for specific rates.

        Example:
            >>> from tradelaw import AdValorem, Goods, Measure, Origins, Period
            >>> m = Measure(id="m", goods=Goods.all(), origins=Origins.all(),
            ...             period=Period.parse("2025-04-05", "2025-04-09", zone="UTC"),
            ...             rate=AdValorem("10"), layer="x")
            >>> s = Schedule([m], name="s", jurisdiction="US", zone="UTC")
            >>> for seg in s.timeline("9503", "JP", "2025-04-01", "2025-04-30"):
            ...     print(seg.period.start.date(), seg.resolution.total_rate)
            2025-04-01 0
            2025-04-05 10
            2025-04-09 0
        """
        first = instant(start, self.zone, "start")
        last = instant(end, self.zone, "end")
        if last <= first:
            raise InvalidInputError("end", end, f"is not after start {start}")
        value = value or Money(100, self.currency)
        probe = Entry(goods, origin, first, value, quantity, facts or {})
        knowledge = self._known(None if as_of is None else instant(as_of, self.zone, "as_of"))
        moments = {first}
        for item in self._index.lookup(probe.goods, probe.origin, knowledge):
            moments.add(item.period.start)
            if item.period.end is not None:
                moments.add(item.period.end)
            for group in item.origins.groups:
                moments.update(group.boundaries())
        segments: list[Segment] = []
        for moment in sorted(m for m in moments if first <= m < last):
            entry = Entry(probe.goods, probe.origin, moment, value, quantity, probe.facts)
            resolution = self.resolve(entry, as_of=as_of)
            if segments and _signature(segments[-1].resolution) == _signature(resolution):
                continue
            if segments:
                segments[-1] = Segment(
                    Period(segments[-1].period.start, moment), segments[-1].resolution
                )
            segments.append(Segment(Period(moment, last), resolution))
        return tuple(segments)


def _unpickled(items: tuple[Scoped, ...], fields: dict[str, Any]) -> Schedule:
    return Schedule(items, **fields)


class _Knowledge:
    """Which versions are known: at a knowledge time, or the latest ones."""

    __slots__ = ("as_of", "latest")

    def __init__(self, latest: frozenset[int], as_of: datetime | None) -> None:
        self.latest = latest
        self.as_of = as_of

    def __call__(self, item: Scoped) -> bool:
        if self.as_of is None:
            return id(item) in self.latest
        return item.known_at(self.as_of)


_ALWAYS = Period.always()


def _latest_versions(items: tuple[Scoped, ...]) -> frozenset[int]:
    """The ``id()`` of each item that is among the latest known versions of its id."""
    newest: dict[str, list[Scoped]] = defaultdict(list)
    for item in items:
        newest[item.id].append(item)
    latest: set[int] = set()
    for versions in newest.values():
        if len(versions) == 1:
            latest.add(id(versions[0]))
            continue
        top = max(_recorded_start(v) for v in versions)
        latest.update(id(v) for v in versions if _recorded_start(v) == top)
    return frozenset(latest)


def _recorded_start(item: Scoped) -> datetime:
    return item.recorded.start if item.recorded is not None else _ALWAYS.start


def _sorted(items: Iterable[Scoped]) -> list[Scoped]:
    return sorted(items, key=lambda i: (i.id, _recorded_start(i), repr(i)))


def _signature(resolution: Resolution) -> object:
    applied = tuple(
        (a.measure.id, a.base, a.duty, tuple(r.amount for r in a.relief))
        for a in resolution.applied
    )
    prohibited = tuple(m.id for m in resolution.prohibited)
    return applied, tuple(u.id for u in resolution.unknown), prohibited


def _facts_read(item: Scoped) -> set[str]:
    names = set(item.condition.fact_names()) if item.condition is not None else set()
    if isinstance(item, Measure) and (content := content_fact(item.base)):
        names.add(content)
    form = getattr(item, "form", None)
    if isinstance(fact := getattr(form, "fact", None), str):
        names.add(fact)
    return names


def _problems(
    items: tuple[Scoped, ...],
    facts: Mapping[str, FactSpec],
    tables: tuple[ItemTable, ...],
    written: Callable[[Scoped], str | None] | None = None,
) -> Iterable[Problem]:
    """Every problem of a list of items, each with where it is."""
    where = {
        id(item): f"{(written and written(item)) or f'items[{i}]'} ({item.id})"
        for i, item in enumerate(items)
    }
    measures = [i for i in items if isinstance(i, Measure)]
    layers = {m.layer for m in measures}.union(*(t.layers for t in tables))
    ids = {m.id for m in measures}
    # A pattern may name a table's items, which are not built here: its fixed start
    # must then agree with the table's id prefix.
    prefixes = [t.id_prefix for t in tables]
    by_id: defaultdict[str, list[Scoped]] = defaultdict(list)
    for item in items:
        here = where[id(item)]
        by_id[item.id].append(item)
        if item.period.is_empty:
            yield Problem(f"{here}.period", f"is empty: {item.period}")
        if item.recorded is not None and item.recorded.is_empty:
            yield Problem(f"{here}.recorded", f"is empty: {item.recorded}")
        for name in sorted(_facts_read(item) - facts.keys()):
            yield Problem(here, f"reads fact {name!r}, which the schedule does not declare")
        if isinstance(item, Measure):
            for layer in sorted(set(item.excludes) - layers):
                yield Problem(f"{here}.excludes", f"names layer {layer!r}, which no measure has")
            for layer in sorted(item.rate.layers() - layers):
                yield Problem(f"{here}.rate", f"reads layer {layer!r}, which no measure has")
        if isinstance(item, Rule):
            for pattern in item.targets.measures:
                if not any(fnmatchcase(i, pattern) for i in ids) and not _may_name(
                    pattern, prefixes
                ):
                    yield Problem(f"{here}.targets.measures", f"{pattern!r} matches no measure")
            for layer in item.targets.layers:
                if layer not in layers:
                    yield Problem(
                        f"{here}.targets.layers", f"{layer!r} is the layer of no measure"
                    )
    for item_id, versions in by_id.items():
        if len({kind_of(v) for v in versions}) > 1:
            yield Problem(f"id {item_id!r}", "has versions of different kinds")
        for a, b in combinations(versions, 2):
            if (a.recorded or Period.always()).overlaps(b.recorded or Period.always()):
                yield Problem(
                    f"{where[id(a)]} and {where[id(b)]}",
                    "are versions of one id whose recorded periods overlap",
                )
    yield from _exclusion_cycles(measures)
    for tie in ties(measures):
        yield Problem(where[id(tie[0])], describe(tie))


def _may_name(pattern: str, prefixes: list[str]) -> bool:
    """Whether ``pattern`` may match ids that start with one of ``prefixes``."""
    fixed = pattern.split("*")[0].split("?")[0].split("[")[0]
    return any(fixed.startswith(p) or p.startswith(fixed) for p in prefixes)


def _exclusion_cycles(measures: list[Measure]) -> Iterable[Problem]:
    graph: defaultdict[str, set[str]] = defaultdict(set)
    for m in measures:
        graph[m.layer].update(x for x in m.excludes if x != m.layer)
    state: dict[str, int] = {}

    def visit(layer: str, path: list[str]) -> Iterable[Problem]:
        state[layer] = 1
        for nxt in sorted(graph.get(layer, ())):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt] if nxt in path else [layer, nxt]
                yield Problem(
                    "excludes", f"layers exclude each other in a cycle: {' -> '.join(cycle)}"
                )
            elif nxt not in state:
                yield from visit(nxt, [*path, nxt])
        state[layer] = 2

    for layer in sorted(graph):
        if layer not in state:
            yield from visit(layer, [layer])

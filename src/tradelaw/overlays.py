"""Overlay items that never apply: a scenario that silently changes nothing, found.

An overlay is stacked over a base (``base | overlay``). An item of it may change nothing,
and say nothing about it: a measure outranked everywhere by a more specific item of the
base (an overlay naming ``8703`` where the base names eight-digit lines), a rule whose
targets match no measure, an item whose period lies outside the base's data. :func:`idle`
finds those, by the resolver's own answers on a sample of the goods, origins and times
the item names, and says what outranks it and how to fix it.

Example:
    >>> from tradelaw import AdValorem, Goods, Measure, Origins, Period, Schedule
    >>> from tradelaw.overlays import idle
    >>> def car_duty(item_id, prefix, percent):
    ...     return Measure(id=item_id, goods=Goods.of(prefix), origins=Origins.all(),
    ...                    period=Period.parse("2025-01-01", zone="UTC"),
    ...                    rate=AdValorem(percent), layer="cars")
    >>> base = Schedule([car_duty("cars-25", "8703.23", "25")], name="base",
    ...                 jurisdiction="US", zone="UTC")
    >>> plan = Schedule([car_duty("cars-15", "8703", "15")], name="plan",
    ...                 jurisdiction="US", zone="UTC")
    >>> [finding] = idle(base, plan)
    >>> print(finding.problem)
    never applies: outranked by cars-25 (its goods are named more specifically, 6 digits
    against 4)
    >>> finding.hint
    'name the same goods as cars-25 or give cars-15 a priority above 0'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from fnmatch import fnmatchcase

from attrs import frozen

from tradelaw.entry import Entry
from tradelaw.errors import TradelawError
from tradelaw.measures import Measure, Rule, Scoped
from tradelaw.money import Money
from tradelaw.resolution import Reason
from tradelaw.schedule import Schedule
from tradelaw.scope import countries

__all__ = ["Finding", "idle"]

#: Origins tried first for an item that covers many (the largest US suppliers).
_LIKELY = ("CN", "MX", "CA", "DE", "JP", "KR", "VN", "IN", "GB", "TW", "IT", "BR", "CH", "FR")
_CODES_PER_PREFIX = 2
_MAX_CODES = 12
_MAX_ORIGINS = 4


@frozen
class Finding:
    """An overlay item that never applies, why, and how to make it apply."""

    item: str
    problem: str
    hint: str

    def __str__(self) -> str:
        return f"{self.item}: {self.problem}; {self.hint}"


def idle(base: Schedule, *overlays: Schedule) -> list[Finding]:
    """Return the items of ``overlays`` that never apply when stacked over ``base``.

    A measure is tried on a sample of the lines under its goods, the origins it covers
    and times in its period (within the base's data); it is reported when it applies in
    none, with what outranks it (or removes it) most often. A measure with a condition
    is reported only when outranked or removed, since the sample gives no facts. A rule
    is reported when its targets match no measure.
    """
    scenario = base.stack(*overlays)
    span = _span(base)
    found = []
    for overlay in overlays:
        for item in overlay.items:
            if item.void:
                continue
            finding = _check(scenario, item, span)
            if finding is not None:
                found.append(finding)
    return found


def _check(
    scenario: Schedule, item: Scoped, span: tuple[datetime, datetime] | None
) -> Finding | None:
    if span is not None and not _overlaps(item, span):
        first, last = (moment.date().isoformat() for moment in span)
        return Finding(
            item.id,
            f"its period {item.period} is outside the base's data ({first} to {last})",
            "move its period into the base's, or add the base's law for that time",
        )
    if isinstance(item, Rule):
        if _targets_something(scenario, item):
            return None
        return Finding(
            item.id,
            f"its targets ({item.targets}) match no measure",
            "name a measure id, an id pattern or a layer of the base",
        )
    if not isinstance(item, Measure):
        return None
    return _measure(scenario, item, span)


def _measure(
    scenario: Schedule, item: Measure, span: tuple[datetime, datetime] | None
) -> Finding | None:
    why: Counter[tuple[Reason, tuple[str, ...]]] = Counter()
    winners: dict[str, Measure] = {}
    tried = 0
    for moment in _moments(item, span):
        for origin in _origins(item, moment):
            for code in _codes(scenario, item, moment):
                entry = Entry(code, origin, moment, Money(100, scenario.currency))
                try:
                    resolution = scenario.resolve(entry)
                except TradelawError:
                    continue
                tried += 1
                if any(line.measure.id == item.id for line in resolution.applied):
                    return None
                for skipped in resolution.skipped:
                    if skipped.item.id == item.id:
                        by = tuple(b.id for b in skipped.by)
                        why[skipped.reason, by] += 1
                        winners.update((b.id, b) for b in skipped.by if isinstance(b, Measure))
    if not tried:
        return None
    if not why:
        if item.condition is not None:
            return None  # its condition reads facts the sample does not give
        return Finding(
            item.id,
            f"never applies: it covers none of the {tried} entries tried",
            "check its goods and origins against the base's lines and countries",
        )
    (reason, by), _count = why.most_common(1)[0]
    if reason is Reason.OUTRANKED and by and by[0] in winners:
        return _outranked(item, winners[by[0]], scenario)
    return Finding(
        item.id,
        f"never applies: {reason.value} by {', '.join(by) or 'the base'}",
        "change or void what removes it, or narrow it to where it should apply",
    )


def _outranked(item: Measure, winner: Measure, scenario: Schedule) -> Finding:
    """What makes ``winner`` rank above ``item``, and the fix."""
    if winner.priority > item.priority:
        because = f"its priority is higher, {winner.priority} against {item.priority}"
    else:
        mine = max((len(p) for p in item.goods.prefixes), default=0)
        theirs = max((len(p) for p in winner.goods.prefixes), default=0)
        if theirs > mine:
            because = f"its goods are named more specifically, {theirs} digits against {mine}"
        else:
            because = "its origins are named more specifically"
    return Finding(
        item.id,
        f"never applies: outranked by {winner.id} ({because})",
        f"name the same goods as {winner.id} or give {item.id} a priority above {winner.priority}",
    )


def _targets_something(scenario: Schedule, rule: Rule) -> bool:
    targets = rule.targets
    for measure in scenario.items:
        if isinstance(measure, Measure) and rule.acts_on(measure):
            return True
    for table in scenario.tables:
        if set(targets.layers) & set(table.layers):
            return True
        probe = f"{table.id_prefix}0000"
        if any(fnmatchcase(probe, p) or p.startswith(table.id_prefix) for p in targets.measures):
            return True
    return False


def _span(base: Schedule) -> tuple[datetime, datetime] | None:
    """The instants the base's items start and end at: the span of its data."""
    moments = [i.period.start for i in base.items if i.period.start.year > 1900]
    moments += [i.period.end for i in base.items if i.period.end is not None]
    return (min(moments), max(moments)) if moments else None


def _overlaps(item: Scoped, span: tuple[datetime, datetime]) -> bool:
    first, last = span
    return item.period.start <= last and (item.period.end is None or item.period.end > first)


def _moments(item: Scoped, span: tuple[datetime, datetime] | None) -> list[datetime]:
    """Its start (within the base's data), a month on, and its last day."""
    start = item.period.start if span is None else max(item.period.start, span[0])
    found = [start]
    end = item.period.end
    later = start + timedelta(days=30)
    if end is None or later < end:
        found.append(later)
    if end is not None and end - timedelta(days=1) > start:
        found.append(end - timedelta(days=1))
    return found


def _origins(item: Scoped, moment: datetime) -> list[str]:
    named = sorted(item.origins.countries)
    if named and not item.origins.groups:
        return [c for c in named if item.origins.specificity(c, moment) is not None][:_MAX_ORIGINS]
    pool: Iterable[str] = (*_LIKELY, *countries())
    found: list[str] = []
    for country in pool:
        if country not in found and item.origins.specificity(country, moment) is not None:
            found.append(country)
        if len(found) == _MAX_ORIGINS:
            break
    return found


def _codes(scenario: Schedule, item: Scoped, moment: datetime) -> list[str]:
    """Lines of the base under the item's goods (the prefixes themselves without lines)."""
    lines: list[str] = []
    for table in scenario.tables:
        listed = getattr(table, "codes", None)
        if callable(listed):
            lines += list(listed(moment))
    if not lines:  # no table of lines: the codes the schedule's items name stand for them
        named = {p for i in scenario.items if isinstance(i, Measure) for p in i.goods.prefixes}
        lines = sorted(named)
    prefixes = item.goods.prefixes
    if not prefixes:  # all goods: a spread of lines
        step = max(1, len(lines) // _MAX_CODES)
        chosen = lines[::step][:_MAX_CODES] or ["0101", "8703", "9503"]
        return [c for c in chosen if item.goods.specificity(c) is not None]
    found: list[str] = []
    for prefix in prefixes:
        longer = [c for c in lines if c.startswith(prefix) and len(c) > len(prefix)]
        under = longer[:_CODES_PER_PREFIX] or [prefix]
        found += [c for c in under if item.goods.specificity(c) is not None]
        if len(found) >= _MAX_CODES:
            break
    return found[:_MAX_CODES]

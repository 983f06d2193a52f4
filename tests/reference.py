"""A deliberately naive reference resolver, for property tests.

It follows DESIGN.md, "Semantics of resolution", one step at a time, scanning every item of
the schedule for every question. It shares no code with ``tradelaw._resolve`` or
``tradelaw._index``; it uses only the value types (dates, scopes, conditions, rates).
Clarity over speed: nothing here is clever, so a disagreement points at the real resolver.

OffsetPool credits are ignored (they need a ledger).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from fnmatch import fnmatchcase

from tradelaw import (
    ConflictError,
    ContributionCredit,
    Entry,
    Exemption,
    InvalidInputError,
    Measure,
    Money,
    Pause,
    RateContext,
    RateReduction,
    Schedule,
    UnknownDutyError,
    instant,
)

REST = "the rest of the value"


@dataclass(frozen=True)
class ReferenceResult:
    """What the reference resolver found for one entry.

    ``total`` is ``None`` when some applicable duty is unknown. ``duties`` maps every applied
    measure id to its duty after credits; ``unknown`` holds the ids of the measures whose
    duty is unknown, and ``unknown_layers`` the layers whose top-ranked measure has a
    condition that cannot be evaluated (so no one knows which measure applies).
    """

    total: Decimal | None
    applied: frozenset[str]
    duties: dict[str, Decimal]
    unknown: frozenset[str]
    unknown_layers: frozenset[str]


def reference_resolve(
    schedule: Schedule, entry: Entry, *, as_of: object = None
) -> ReferenceResult:
    zone = schedule.zone
    facts = entry.facts
    at = instant(entry.entered, zone)  # 1. a date is 12:01 a.m. in the schedule's zone

    def holds(item):  # True, False, or None (unknown)
        return True if item.condition is None else item.condition.evaluate(facts, zone)

    # 2. knowledge time, then void versions go; a table's lines (one version each) join,
    # but for those whose id the schedule's own items take
    known = known_versions(schedule.items, None if as_of is None else instant(as_of, zone))
    own_ids = {i.id for i in schedule.items}
    tabled = [i for t in schedule.tables for i in t.items_for(entry.goods) if i.id not in own_ids]
    from_tables = {id(i) for i in tabled}
    found = [i for i in [*known, *tabled] if covers(i, entry, at)]
    items = [i for i in found if not i.void]
    # A layer the schedule requires is unknown when no measure at all covers the entry
    # (a void one or one whose condition fails does cover it).
    uncovered = set(schedule.requires) - {i.layer for i in found if isinstance(i, Measure)}

    # 3. candidates: measures whose condition is not false; rules apply only when true
    measures = [i for i in items if isinstance(i, Measure) and holds(i) is not False]
    considered = {m.layer for m in measures}
    rules = [i for i in items if not isinstance(i, Measure) and holds(i) is True]

    # 4. pauses, then exemptions, remove their targets
    for kind in (Pause, Exemption):
        acting = [r for r in rules if isinstance(r, kind)]
        measures = [m for m in measures if not any(targets(r, m) for r in acting)]

    # 5. one measure per layer; the schedule's own over a table's, all else equal
    def rank(m):
        return (
            m.priority,
            m.goods.specificity(entry.goods),
            m.origins.specificity(entry.origin, at),
            0 if id(m) in from_tables else 1,
        )

    winners: dict[str, Measure] = {}
    unknown: set[str] = set()
    unknown_layers: set[str] = set()
    for layer in sorted({m.layer for m in measures}):
        group = [m for m in measures if m.layer == layer]
        top = [m for m in group if rank(m) == max(rank(g) for g in group)]
        sure = [m for m in top if holds(m) is True]
        if len(sure) > 1:
            raise ConflictError(layer, [m.id for m in sure])
        if len(sure) < len(top):  # a top-ranked measure's condition is unknown
            unknown.update(m.id for m in top if holds(m) is None)
            unknown_layers.add(layer)
        else:
            winners[layer] = sure[0]

    # 6. bases and exclusions: split the value into portions
    portions: dict[str, Decimal] = {}
    for m in winners.values():
        fact = content_fact(m.base)
        if fact is not None and fact in facts:
            portions[m.base] = facts[fact].amount
    portions[REST] = entry.value.amount - sum(portions.values(), Decimal(0))
    if portions[REST] < 0:
        raise InvalidInputError("facts", portions, "add up to more than the value")

    def covered(m, portion):
        return m.base == portion or m.base not in portions

    def applies(m, present, chain=()):
        if m.id in chain:
            raise ConflictError(m.layer, chain, "their layers exclude each other")
        excluders = [o for o in present if o is not m and m.layer in o.excludes]
        return not any(applies(o, present, (*chain, m.id)) for o in excluders)

    bases: dict[str, Decimal] = {}  # by layer, for the measures that apply
    parts: dict[str, set[str]] = {}  # by layer: the portions it applies on
    for m in winners.values():
        base, applies_somewhere, displaced = Decimal(0), False, False
        for portion, amount in portions.items():
            if not covered(m, portion):
                continue
            if applies(m, [o for o in winners.values() if covered(o, portion)]):
                base, applies_somewhere = base + amount, True
                parts.setdefault(m.layer, set()).add(portion)
            else:
                displaced = True
        if applies_somewhere and not (displaced and base == 0):  # else "displaced by"
            bases[m.layer] = base

    # 7. rate expressions; a top-up reads another layer's gross duty
    grosses: dict[str, Money | UnknownDutyError] = {}

    def gross(layer):
        if layer not in grosses:
            m = winners[layer]
            context = RateContext(
                entry.value, entry.quantity, lambda read: layer_rate(read, layer)
            )
            try:
                grosses[layer] = m.rate.duty(Money(bases[layer], entry.value.currency), context)
            except UnknownDutyError as error:
                grosses[layer] = error
        found = grosses[layer]
        if isinstance(found, UnknownDutyError):
            raise UnknownDutyError(str(found))
        return found

    def layer_rate(layer, reader):
        if layer in bases:  # the layer applies: its duty on what the reader taxes, in percent
            if not entry.value.amount:
                raise UnknownDutyError("zero value")
            duty = gross(layer).amount
            theirs, mine = parts.get(layer, set()), parts.get(reader, set())
            taxed = sum((portions[p] for p in theirs), Decimal(0))
            read = sum((portions[p] for p in mine), Decimal(0))
            if not taxed or not read:
                return Decimal(0)
            shared = sum((portions[p] for p in theirs & mine), Decimal(0))
            return duty * shared / taxed * 100 / read
        if layer in unknown_layers:
            raise UnknownDutyError(f"layer {layer} is unknown")
        if layer in considered:  # it had candidates, and none applies
            return Decimal(0)
        raise UnknownDutyError(f"layer {layer} has no measure here")

    # 8. credits (rate reductions only), in id order
    credits = sorted(
        (
            r
            for r in rules
            if isinstance(r, ContributionCredit) and isinstance(r.form, RateReduction)
        ),
        key=lambda c: c.id,
    )
    duties: dict[str, Decimal] = {}
    for layer, base in bases.items():
        m = winners[layer]
        try:
            duty = gross(layer).amount
        except UnknownDutyError:
            unknown.add(m.id)
            continue
        for credit in credits:
            form = credit.form
            if not targets(credit, m) or form.fact not in facts or base == 0:
                continue
            rate = duty * 100 / base
            reduced = max(form.floor, rate - form.points * units(form, facts[form.fact]))
            if reduced < rate:
                duty = base * reduced / 100
        duties[m.id] = duty

    # 9. totals: unknown is never zero
    total = None if unknown or uncovered else sum(duties.values(), Decimal(0))
    return ReferenceResult(
        total, frozenset(duties), duties, frozenset(unknown), frozenset(unknown_layers)
    )


def known_versions(items, as_of: datetime | None):
    """The versions known at ``as_of``, or the latest version(s) of each id."""
    if as_of is not None:
        return [i for i in items if i.recorded is None or within(as_of, i.recorded)]
    newest: dict[str, datetime] = {}
    for item in items:
        newest[item.id] = max(start(item), newest.get(item.id, start(item)))
    return [i for i in items if start(i) == newest[i.id]]


def start(item) -> datetime:
    return item.recorded.start if item.recorded is not None else datetime.min.replace(tzinfo=UTC)


def within(moment: datetime, period) -> bool:
    return period.start <= moment and (period.end is None or moment < period.end)


def covers(item, entry: Entry, at: datetime) -> bool:
    return (
        within(at, item.period)
        and item.goods.specificity(entry.goods) is not None
        and item.origins.specificity(entry.origin, at) is not None
    )


def targets(rule, measure: Measure) -> bool:
    wanted = rule.targets
    return measure.layer in wanted.layers or any(
        fnmatchcase(measure.id, p) for p in wanted.measures
    )


def content_fact(base: str) -> str | None:
    return None if base == "value" else base.removeprefix("content:") + "_value"


def units(form: RateReduction, contribution) -> Decimal:
    if isinstance(form.per, Money):
        return contribution.amount / form.per.amount
    return Decimal(contribution) / form.per

"""Ties found before any entry is resolved: two measures of a layer that would tie.

Resolving picks one measure per layer by priority, then goods specificity (the longest
matching prefix), then origin specificity; a tie that remains is a ``ConflictError`` at
the worst moment, on a user's entry. Two measures can tie only if, at some instant known
to both versions, they have the same priority and both match some entry at equal
specificity. For goods that means a prefix both name, excluded by neither (the entry
whose code is that prefix matches both at its length, and nothing longer matches it); for
origins, a country both name, or both all origins, or a group both name. Their
conditions must also be able to hold together: two conditions that pin one fact to
different values cannot. A measure of the layer with a higher priority that covers that
prefix at all those times, with no condition, settles the tie and is not reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import combinations

from tradelaw.conditions import AllOf, Claim, Compare, Condition, OneOf
from tradelaw.measures import Measure
from tradelaw.programmes import programme
from tradelaw.scope import Goods, Origins, dotted
from tradelaw.time import Period

__all__ = ["Tie", "describe", "ties"]

#: Two measures that would tie, and the goods prefix ("" for all goods) they would tie on.
Tie = tuple[Measure, Measure, str]


def ties(measures: Iterable[Measure]) -> Iterator[Tie]:
    """Every pair of measures of one layer that can tie (see the module docs)."""
    by_layer: defaultdict[str, list[Measure]] = defaultdict(list)
    for measure in measures:
        if not measure.void:
            by_layer[measure.layer].append(measure)
    for layer_measures in by_layer.values():
        for a, b in combinations(layer_measures, 2):
            if a.id == b.id or a.priority != b.priority:
                continue
            if not a.period.overlaps(b.period) or not _recorded(a).overlaps(_recorded(b)):
                continue
            if not _same_origins(a.origins, b.origins) or _exclusive(a.condition, b.condition):
                continue
            for prefix in _shared(a.goods, b.goods):
                if not _settled(prefix, a, b, layer_measures):
                    yield a, b, prefix
                    break


def describe(tie: Tie) -> str:
    """Say what would tie, and how to settle it."""
    a, b, prefix = tie
    goods = dotted(prefix) if prefix else "all goods"
    return (
        f"ties with {b.id} in layer {a.layer!r} for goods {goods}: same priority and "
        "specificity; give one a higher priority, narrow a scope, or settle that code with a "
        "measure of higher priority"
    )


def _recorded(measure: Measure) -> Period:
    return measure.recorded or Period.always()


def _same_origins(a: Origins, b: Origins) -> bool:
    if not a.terms and not b.terms:
        return True
    shared = set(a.countries) & set(b.countries)
    if shared - set(a.exclude) - set(b.exclude):
        return True
    return bool({g.name for g in a.groups} & {g.name for g in b.groups})


def _shared(a: Goods, b: Goods) -> Iterator[str]:
    """The prefixes (or "" for all goods) both scopes name and neither excludes."""
    if not a.prefixes and not b.prefixes:
        yield ""  # both all goods: they tie on every code neither excludes
        return
    for prefix in sorted(set(a.prefixes) & set(b.prefixes)):
        if not any(prefix.startswith(x) for x in (*a.exclude, *b.exclude)):
            yield prefix


def _pinned(condition: Condition, fact: str) -> set[object] | None:
    """The values ``condition`` requires ``fact`` to take, if it pins it."""
    if isinstance(condition, Compare) and condition.fact == fact and condition.op == "==":
        return {condition.value}
    if isinstance(condition, OneOf) and condition.fact == fact:
        return set(condition.values)
    if isinstance(condition, Claim) and fact == "claim":  # one claim names one programme
        return {programme(p) or p.casefold() for p in condition.programmes}
    if isinstance(condition, AllOf):
        found: set[object] | None = None
        for part in condition.conditions:
            values = _pinned(part, fact)
            if values is not None:
                found = values if found is None else found & values
        return found
    return None


def _exclusive(a: Condition | None, b: Condition | None) -> bool:
    """Whether the two conditions cannot hold together (a fact pinned to different values)."""
    if a is None or b is None:
        return False
    for fact in a.fact_names() & b.fact_names():
        values_a, values_b = _pinned(a, fact), _pinned(b, fact)
        if values_a is not None and values_b is not None and not values_a & values_b:
            return True
    return False


def _settled(prefix: str, a: Measure, b: Measure, others: list[Measure]) -> bool:
    """Whether a measure of higher priority always takes the code ``prefix`` from both."""
    when = [a.period, b.period]
    for other in others:
        if other.priority <= a.priority or other.condition is not None:
            continue
        covers = (
            other.goods.specificity(prefix) is not None if prefix else not other.goods.prefixes
        )
        if not covers:
            continue
        if not _same_origins(other.origins, a.origins):
            continue
        if all(_within(period, other.period) for period in when):
            return True
    return False


def _within(inner: Period, outer: Period) -> bool:
    ends_in = outer.end is None or (inner.end is not None and inner.end <= outer.end)
    return outer.start <= inner.start and ends_in

"""The resolution algorithm (DESIGN.md, "Semantics of resolution", steps 3 to 9).

Given the items that may cover an entry (from the index), it keeps those in effect and
known at the query's knowledge time, removes paused then exempted measures, picks one
measure per layer, splits the value into portions for content bases and exclusions,
computes each duty (base layers first, for top-up rates), and applies credits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any

from tradelaw._i18n import Text, _
from tradelaw._index import Found, Match
from tradelaw.conditions import Condition, Facts, examples
from tradelaw.credits import ContributionCredit, OffsetPool, RateReduction
from tradelaw.entry import Entry
from tradelaw.errors import ConflictError, InvalidInputError, ProhibitedError, UnknownDutyError
from tradelaw.facts import FactSpec
from tradelaw.measures import Exemption, Measure, Pause, Rule, Scoped, content_fact
from tradelaw.money import HUNDRED, Money
from tradelaw.rates import RateContext
from tradelaw.resolution import Applied, Reason, Relief, Resolution, Skipped, Unknown, tidy
from tradelaw.scope import dotted
from tradelaw.tables import ItemTable

#: Applies an offset-pool credit to one applied line; returns the relief, if any.
PoolHook = Callable[[ContributionCredit, Applied, Entry, datetime], Relief | None]

_REST = "rest of value"


@lru_cache(maxsize=4096)
def _needs(condition: Any, missing: tuple[tuple[str, FactSpec | None], ...]) -> str:
    """The facts a condition needs that an entry does not give, each with how to give it.

    Cached: the same conditions miss the same facts, entry after entry.
    """
    hints = []
    for name, spec in missing:
        shown = examples(condition, name) if spec is not None and condition is not None else ()
        hints.append(name if spec is None else spec.hint(shown[0] if shown else None))
    return "; ".join(hints)


@lru_cache(maxsize=4096)
def _reads(condition: Any) -> tuple[str, ...]:
    """The facts a condition reads, sorted; cached, as the same conditions are asked."""
    return tuple(sorted(condition.fact_names()))


@lru_cache(maxsize=4096)
def _text(condition: Any) -> str:
    """A condition as text, cached: skipped lines show the same few conditions."""
    return str(condition)


def _by_condition(cached: Any, condition: Condition | None, *args: Any) -> Any:
    """``cached(condition, *args)``, or uncached for a plug-in's condition not hashable."""
    try:
        return cached(condition, *args)
    except TypeError:
        return cached.__wrapped__(condition, *args)


def _shown(condition: Condition | None) -> str:
    return str(_by_condition(_text, condition))


class _Sorted:
    """Matches sorted by what resolution does with them (step 1 of :meth:`_Resolver.run`).

    Void and unmet measures become skipped lines; the rest are sure or unsure measures,
    pauses, exemptions, credits, or rules whose condition does not hold. This depends on
    the matches, the facts and the zone only.
    """

    __slots__ = (
        "considered",
        "credits",
        "exemptions",
        "layers",
        "pauses",
        "skipped",
        "sure",
        "unclaimed",
        "unsure",
    )

    def __init__(self, found: Iterable[Match], facts: Facts, zone: str) -> None:
        self.skipped: list[Skipped] = []
        self.sure: list[Match] = []
        self.unsure: list[Match] = []
        self.pauses: list[Pause] = []
        self.exemptions: list[Exemption] = []
        self.credits: list[ContributionCredit] = []
        self.unclaimed: list[Rule] = []
        self.layers: set[str] = set()  # of every measure found, applicable or not
        self.considered: set[str] = set()  # of the sure and unsure measures
        for match in found:
            item = match.item
            if isinstance(item, Measure):
                self.layers.add(item.layer)
            if item.void:
                if isinstance(item, Measure):
                    self.skipped.append(Skipped(item, Reason.VOID, (), item.note or item.citation))
                continue
            holds = True if item.condition is None else item.condition.evaluate(facts, zone)
            if isinstance(item, Measure):
                if holds is False:
                    self.skipped.append(
                        Skipped(item, Reason.CONDITION_NOT_MET, (), _shown(item.condition))
                    )
                else:
                    (self.sure if holds else self.unsure).append(match)
                    self.considered.add(item.layer)
            elif isinstance(item, Rule) and not holds:
                self.unclaimed.append(item)
            elif isinstance(item, Pause):
                self.pauses.append(item)
            elif isinstance(item, Exemption):
                self.exemptions.append(item)
            elif isinstance(item, ContributionCredit):
                self.credits.append(item)


class Remembered:
    """What a schedule's resolutions remember, for entries that give no facts.

    The index gives the same tuple of matches for every entry it decides alike (see
    :class:`tradelaw._index.Index`); without facts, sorting it (:class:`_Sorted`) gives the
    same answer too, and a rule not claimed gives the same line.
    """

    REMEMBERED = 100_000

    def __init__(self) -> None:
        self._sorted: dict[int, tuple[tuple[Match, ...], _Sorted]] = {}
        self._unclaimed: dict[int, tuple[Rule, Skipped]] = {}  # by the rule's id()

    def unclaimed(self, rule: Rule) -> Skipped | None:
        """The line kept for ``rule`` not claimed by an entry without facts, if any."""
        kept = self._unclaimed.get(id(rule))
        return kept[1] if kept is not None and kept[0] is rule else None

    def keep_unclaimed(self, rule: Rule, line: Skipped) -> None:
        """Keep the line of ``rule`` not claimed by an entry without facts."""
        self._unclaimed[id(rule)] = (rule, line)

    def sorted(self, own: tuple[Match, ...], facts: Facts, zone: str) -> _Sorted | None:
        """The sorted matches, remembered by the tuple's identity when ``facts`` is empty."""
        if facts:
            return None
        kept = self._sorted.get(id(own))
        if kept is not None and kept[0] is own:
            return kept[1]
        found = _Sorted(own, facts, zone)
        if len(self._sorted) >= self.REMEMBERED:
            self._sorted.clear()
        self._sorted[id(own)] = (own, found)
        return found


def rank(measure: Measure, goods: int, origin: int, own: int) -> tuple[int, int, int, int]:
    """How ``measure`` ranks among the candidates of its layer (step 5): the highest wins.

    Its priority, then how long a prefix of the code its goods scope names (0 for all
    goods), then how specifically its origins name the origin, then 1 for the schedule's
    own items over 0 for a table's.

    Example:
        >>> from tradelaw import AdValorem, Goods, Period
        >>> cars = Measure(
        ...     id="cars", layer="s232-autos", goods=Goods.of("8703"),
        ...     period=Period.always(), rate=AdValorem("25"),
        ... )
        >>> rank(cars, 4, 2, 1) > rank(cars, 2, 2, 1)  # named by 4 digits over 2
        True
    """
    return (measure.priority, goods, origin, own)


class _Resolver:
    """One resolution in progress; holds the working state of the steps."""

    def __init__(
        self,
        entry: Entry,
        at: datetime,
        zone: str,
        pool_hook: PoolHook | None,
        declared: Mapping[str, FactSpec],
        memo: Remembered | None = None,
    ):
        self.memo = memo
        self.declared = declared
        self.entry = entry
        self.at = at
        self.zone = zone
        self.facts: Facts = entry.facts
        self.pool_hook = pool_hook
        self.skipped: list[Skipped] = []
        self.unknown: list[Unknown] = []
        self.prohibited: list[Measure] = []
        self.covered: set[str] = set()  # the layers of every measure found

    def run(self, found: Found) -> tuple[list[Applied], list[Skipped], list[Unknown]]:
        own = None
        if self.memo is not None:
            own = self.memo.sorted(found.own, self.facts, self.zone)
        if own is None:
            own = _Sorted(found.own, self.facts, self.zone)
        tabled = _Sorted(found.tabled, self.facts, self.zone)
        self.skipped = [*own.skipped, *tabled.skipped]
        sure, unsure = [*own.sure, *tabled.sure], [*own.unsure, *tabled.unsure]
        pauses, exemptions = [*own.pauses, *tabled.pauses], [*own.exemptions, *tabled.exemptions]
        credits, unclaimed = [*own.credits, *tabled.credits], [*own.unclaimed, *tabled.unclaimed]
        self.covered = own.layers | tabled.layers
        considered = own.considered | tabled.considered
        sure, unsure = self._remove(sure, unsure, pauses, Reason.PAUSED)
        sure, unsure = self._remove(sure, unsure, exemptions, Reason.EXEMPTED)
        self._note_unclaimed(unclaimed, sure + unsure)
        winners = self._pick(sure, unsure)
        applied = self._apply(winners, considered - winners.keys())
        if credits:
            credits.sort(key=_item_key)
            applied = [self._credit(line, credits) for line in applied]
        return applied, self.skipped, self.unknown

    def _remove(
        self,
        sure: list[Match],
        unsure: list[Match],
        rules: list[Exemption] | list[Pause],
        reason: Reason,
    ) -> tuple[list[Match], list[Match]]:
        if not rules:
            return sure, unsure
        kept: tuple[list[Match], list[Match]] = ([], [])
        for bucket, group in zip(kept, (sure, unsure), strict=True):
            for match in group:
                measure = match.item
                assert isinstance(measure, Measure)
                by = [r for r in rules if r.acts_on(measure)]
                if not by:
                    bucket.append(match)
                    continue
                by.sort(key=_item_key)
                self.skipped.append(Skipped(measure, reason, tuple(by)))
        return kept

    def _note_unclaimed(self, rules: list[Rule], remaining: list[Match]) -> None:
        if not rules:
            return
        measures = [m.item for m in remaining if isinstance(m.item, Measure)]
        layers = {m.layer for m in measures}
        ids = [m.id for m in measures]
        memo = self.memo if not self.facts else None  # without facts, a rule's line is fixed
        for rule in rules:
            targets = rule.targets
            if layers.isdisjoint(targets.layers) and not targets.names_any(ids):
                continue
            line = memo.unclaimed(rule) if memo is not None else None
            if line is None:
                line = self._unclaimed(rule)
                if memo is not None:
                    memo.keep_unclaimed(rule, line)
            self.skipped.append(line)

    def _unclaimed(self, rule: Rule) -> Skipped:
        """The line of a rule not claimed: the facts it needs, or its condition."""
        needs = self._hints(rule.condition)
        detail = (
            _("needs {facts}", facts=needs)
            if needs
            else _("condition {condition} not met", condition=_shown(rule.condition))
        )
        return Skipped(rule, Reason.NOT_CLAIMED, (), detail)

    def _hint(self, name: str) -> str:
        """Name a missing fact, its type and how to give it."""
        return _needs(None, ((name, self.declared.get(name)),))

    def _hints(self, condition: Condition | None) -> str:
        """The facts ``condition`` reads that the entry does not give, with hints."""
        if condition is None:
            return ""
        facts, declared = self.facts, self.declared
        reads = _by_condition(_reads, condition)
        specs = tuple((name, declared.get(name)) for name in reads if name not in facts)
        return str(_by_condition(_needs, condition, specs))

    def _pick(self, sure: list[Match], unsure: list[Match]) -> dict[str, Measure]:
        """One measure per layer: priority, goods, origin specificity, then own over table."""
        by_layer: defaultdict[str, list[tuple[Match, bool, tuple[int, int, int, int]]]]
        by_layer = defaultdict(list)
        for group, certain in ((sure, True), (unsure, False)):
            for match in group:
                measure = match.item
                assert isinstance(measure, Measure)
                standing = rank(measure, match.goods, match.origin, match.own)
                by_layer[measure.layer].append((match, certain, standing))
        winners: dict[str, Measure] = {}
        for layer, ranked in by_layer.items():
            if len(ranked) == 1 and ranked[0][1]:  # the common case: one sure candidate
                only = ranked[0][0].item
                assert isinstance(only, Measure)
                winners[layer] = only
                continue
            best = max(standing for _match, _certain, standing in ranked)
            top = [(m, certain) for m, certain, standing in ranked if standing == best]
            certain_top = [m for m, certain in top if certain]
            if len(certain_top) > 1:
                raise ConflictError(layer, (m.item.id for m in certain_top))
            doubtful = [m.item for m, certain in top if not certain]
            if doubtful:
                for measure in doubtful:
                    assert isinstance(measure, Measure)
                    assert measure.condition is not None
                    needs = self._hints(measure.condition)
                    reason = _("its condition needs fact(s) {facts}", facts=needs)
                    self.unknown.append(Unknown(measure, reason))
                continue
            winner = certain_top[0].item
            assert isinstance(winner, Measure)
            winners[layer] = winner
            for match, _certain, _standing in ranked:
                if match.item is not winner:
                    self.skipped.append(Skipped(match.item, Reason.OUTRANKED, (winner,)))
        return winners

    def _portions(self, winners: Iterable[Measure]) -> dict[str, Money]:
        """Split the value into the content portions the winners tax, and the rest."""
        value = self.entry.value
        portions: dict[str, Money] = {}
        for measure in winners:
            fact = content_fact(measure.base)
            if fact is None or fact not in self.facts or measure.base in portions:
                continue
            amount = self.facts[fact]
            if not isinstance(amount, Money) or amount.currency != value.currency:
                raise InvalidInputError(
                    f"facts.{fact}", amount, f"is not money in {value.currency}"
                )
            portions[measure.base] = amount
        rest = value
        for amount in portions.values():
            rest -= amount
        if rest.amount < 0:
            raise InvalidInputError(
                "facts",
                {k: str(v) for k, v in portions.items()},
                f"add up to more than the customs value {value}",
            )
        portions[_REST] = rest
        return portions

    def _bases(
        self, winners: dict[str, Measure]
    ) -> tuple[dict[str, Money], dict[str, set[str]], dict[str, dict[str, Money]]]:
        """Each winner's base after exclusions, who displaced (part of) it, and its portions."""
        if all(m.base == "value" and not m.excludes for m in winners.values()):
            value = self.entry.value  # the common case: every measure on the full value
            whole = {_REST: value}
            return (
                {m.id: value for m in winners.values()},
                {},
                {m.id: whole for m in winners.values()},
            )
        portions = self._portions(winners.values())
        parts: dict[str, dict[str, Money]] = defaultdict(dict)
        covers = {
            m.id: (tuple(portions) if m.base not in portions else (m.base,))
            for m in winners.values()
        }
        bases: dict[str, Money] = {}
        displaced: dict[str, set[str]] = defaultdict(set)
        for portion, amount in portions.items():
            present = [m for m in winners.values() if portion in covers[m.id]]
            status: dict[str, bool] = {}
            for measure in present:
                if _applies(measure, present, status, ()):
                    bases[measure.id] = bases.get(measure.id, Money.zero(amount.currency)) + amount
                    parts[measure.id][portion] = amount
                else:
                    displaced[measure.id].update(
                        n.id
                        for n in present
                        if measure.layer in n.excludes and _applies(n, present, status, ())
                    )
        for measure_id in displaced:
            if measure_id in bases and not bases[measure_id].amount:
                del bases[measure_id]  # left only with empty portions: displaced, charges 0
        return bases, displaced, parts

    def _apply(self, winners: dict[str, Measure], emptied: set[str]) -> list[Applied]:
        """Compute each winner's line; ``emptied`` are layers whose candidates all went."""
        bases, displaced, parts = self._bases(winners)
        by_id = {m.id: m for m in winners.values()}
        unknown_layers = {u.layer for u in self.unknown}
        engine = _Duties(
            self.entry, winners, bases, parts, emptied - unknown_layers, unknown_layers
        )
        applied = []
        for layer in sorted(winners):
            measure = winners[layer]
            base = bases.get(measure.id)
            blockers = (
                tuple(sorted((by_id[i] for i in displaced[measure.id]), key=_item_key))
                if measure.id in displaced
                else ()
            )
            if base is None:
                self.skipped.append(Skipped(measure, Reason.DISPLACED, blockers))
                continue
            try:
                gross = engine.duty(layer)
            except UnknownDutyError as error:
                self.unknown.append(Unknown(measure, _said(error)))
                continue
            except ProhibitedError:
                self.prohibited.append(measure)
                continue
            applied.append(Applied(measure, base, gross, self.entry.value, (), blockers))
        return applied

    def _credit(self, line: Applied, credits: list[ContributionCredit]) -> Applied:
        reliefs: list[Relief] = []
        net = line.gross
        for credit in credits:  # sorted by id
            if not credit.acts_on(line.measure):
                continue
            form = credit.form
            if isinstance(form, OffsetPool):
                relief = self.pool_hook and self.pool_hook(
                    credit, Applied(line.measure, line.base, net, line.value), self.entry, self.at
                )
                if self.pool_hook is None:
                    self.skipped.append(Skipped(credit, Reason.NEEDS_LEDGER, (line.measure,)))
            elif form.fact not in self.facts:
                needs = _("needs {facts}", facts=self._hint(form.fact))
                self.skipped.append(Skipped(credit, Reason.NOT_CLAIMED, (), needs))
                relief = None
            else:
                relief = _reduce(credit, form, line, net, self.facts[form.fact])
            if relief is not None and relief.amount.amount > 0:
                reliefs.append(relief)
                net -= relief.amount
        if not reliefs:
            return line
        return Applied(
            line.measure, line.base, line.gross, line.value, tuple(reliefs), line.displaced_by
        )


def _reduce(
    credit: ContributionCredit,
    form: RateReduction,
    line: Applied,
    net: Money,
    contribution: object,
) -> Relief | None:
    amount, cut = form.relief(line.base, net, contribution)
    detail = _("{cut} points off the rate, floor {floor}%", cut=tidy(cut), floor=tidy(form.floor))
    return Relief(credit, amount, detail)


class _Duties:
    """Computes gross duties per layer, base layers first (for top-up rates)."""

    def __init__(
        self,
        entry: Entry,
        winners: Mapping[str, Measure],
        bases: Mapping[str, Money],
        parts: Mapping[str, Mapping[str, Money]],
        emptied: set[str],
        unknown: set[str],
    ) -> None:
        self.entry = entry
        self.winners = winners
        self.bases = bases
        self.parts = parts
        self.emptied = emptied
        self.unknown = unknown
        self.done: dict[str, Money | UnknownDutyError] = {}
        self.busy: set[str] = set()

    def duty(self, layer: str) -> Money:
        found = self.done.get(layer)
        if found is None:
            measure = self.winners[layer]
            base = self.bases.get(measure.id)
            if base is None:  # displaced everywhere: it charges nothing
                found = Money.zero(self.entry.value.currency)
            elif layer in self.busy:
                raise UnknownDutyError(
                    _("layer {layer} reads its own rate through top-ups", layer=repr(layer))
                )
            else:
                self.busy.add(layer)
                context = RateContext(
                    self.entry.value, self.entry.quantity, partial(self.layer_rate, reader=layer)
                )
                try:
                    found = measure.rate.duty(base, context)
                except UnknownDutyError as error:  # kept without its frames: no cycle
                    found = error.with_traceback(None)
                finally:
                    self.busy.discard(layer)
            self.done[layer] = found
        if isinstance(found, UnknownDutyError):
            raise UnknownDutyError(_said(found))
        return found

    def layer_rate(self, layer: str, reader: str) -> Decimal:
        """The ad valorem equivalent of ``layer``'s duty on the value ``reader`` taxes.

        "X% inclusive of the column 1 rate" tops up the column 1 duty *on the same goods*:
        where a content base or an exclusion splits the value, only the part of ``layer``'s
        duty that falls on the portions ``reader`` applies to counts (shared out by value),
        so that removing ``layer`` never raises the total.
        """
        if layer not in self.winners:
            if layer in self.unknown:
                raise UnknownDutyError(
                    _("the rate reads layer {layer}, whose duty is unknown", layer=repr(layer))
                )
            if layer in self.emptied:
                return Decimal(0)
            raise UnknownDutyError(
                _("the rate reads layer {layer}, which has no measure here", layer=repr(layer))
            )
        value = self.entry.value.amount
        if not value:
            raise UnknownDutyError(_("the customs value is zero; there is no ad valorem rate"))
        try:
            duty = self.duty(layer)
        except ProhibitedError:
            raise UnknownDutyError(
                _("the rate reads layer {layer}, whose goods are prohibited", layer=repr(layer))
            ) from None
        mine = self.parts.get(self.winners[reader].id, {})
        theirs = self.parts.get(self.winners[layer].id, {})
        taxed = sum((a.amount for a in theirs.values()), Decimal(0))
        read = sum((a.amount for a in mine.values()), Decimal(0))
        if not taxed or not read:
            return Decimal(0)  # nothing of it falls on what the reader taxes
        shared = sum((a.amount for p, a in theirs.items() if p in mine), Decimal(0))
        return equivalent(duty.amount, shared, taxed, read)


def equivalent(duty: Decimal, shared: Decimal, taxed: Decimal, read: Decimal) -> Decimal:
    """The equivalent, in percent of ``read``, of the part of ``duty`` that falls on ``shared``.

    ``duty`` is charged on ``taxed``; see ``_Duties.layer_rate``.

    Example:
        >>> equivalent(Decimal("50"), Decimal("1000"), Decimal("1000"), Decimal("1000"))
        Decimal('5')
    """
    return duty * shared / taxed * HUNDRED / read


def _applies(
    measure: Measure, present: list[Measure], status: dict[str, bool], stack: tuple[str, ...]
) -> bool:
    """Whether ``measure`` applies on a portion: no applying measure there excludes it."""
    known = status.get(measure.id)
    if known is not None:
        return known
    if measure.id in stack:
        cycle = stack[stack.index(measure.id) :]
        raise ConflictError(measure.layer, cycle, "their layers exclude each other")
    result = not any(
        _applies(other, present, status, (*stack, measure.id))
        for other in present
        if other is not measure and measure.layer in other.excludes
    )
    status[measure.id] = result
    return result


def _said(error: UnknownDutyError) -> str:
    """The error's message, as a :class:`Text` when it was raised with one (to translate)."""
    message = error.args[0] if len(error.args) == 1 else None
    return message if isinstance(message, Text) else str(error)


def _item_key(item: Scoped) -> str:
    return item.id


def _uncovered(layer: str, entry: Entry, at: datetime, tables: tuple[ItemTable, ...]) -> str:
    """Why no measure of the required ``layer`` covers the entry."""
    for table in tables:
        if layer in table.layers:
            reason = table.missing(entry.goods, at)
            if reason:
                return reason
    return _(
        "no {layer} measure covers {goods} from {origin}",
        layer=repr(layer),
        goods=dotted(entry.goods),
        origin=entry.origin,
    )


def resolve(
    found: Found,
    entry: Entry,
    at: datetime,
    as_of: datetime | None,
    zone: str,
    schedule: str,
    pool_hook: PoolHook | None = None,
    requires: tuple[str, ...] = (),
    tables: tuple[ItemTable, ...] = (),
    declared: Mapping[str, FactSpec] | None = None,
    memo: Remembered | None = None,
) -> Resolution:
    """Resolve ``entry`` at ``at`` given the items that cover it (see the module docs).

    A layer in ``requires`` that no measure covers at all is an unknown line: a schedule
    that lacks a line's base rate must not report that rate as zero. A table of that
    layer says why it has no line for the goods.
    """
    resolver = _Resolver(entry, at, zone, pool_hook, declared or {}, memo)
    applied, skipped, unknown = resolver.run(found)
    covered = resolver.covered
    unknown.extend(
        Unknown(None, _uncovered(layer, entry, at, tables), layer)
        for layer in requires
        if layer not in covered
    )
    return Resolution(
        entry=entry,
        at=at,
        as_of=as_of,
        schedule=schedule,
        applied=tuple(applied),
        skipped=tuple(sorted(skipped, key=lambda s: (s.item.id, s.reason))),
        unknown=tuple(sorted(unknown, key=lambda u: (u.layer, u.id))),
        prohibited=tuple(sorted(resolver.prohibited, key=_item_key)),
    )

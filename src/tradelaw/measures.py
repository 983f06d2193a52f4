"""The items of a schedule: :class:`Measure`, :class:`Exemption` and :class:`Pause`.

Every item has an ``id``, a ``title``, its legal ``citations``, the ``period`` in which it
has effect, and optionally ``recorded``: the period during which this *version* was the
known law. Several versions of one id, with disjoint ``recorded`` periods, tell the
history of an amendment; a version with ``void=True`` says that, as known from its
``recorded`` start, the item never had effect (an invalidation).

A :class:`Measure` charges a duty. An :class:`Exemption` removes target measures; a
:class:`Pause` suspends them, so that the next measure of the layer applies. Credits live
in :mod:`tradelaw.credits`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from fnmatch import translate

from attrs import field, frozen

from tradelaw.conditions import Condition, Facts
from tradelaw.errors import InvalidInputError
from tradelaw.rates import RateExpression
from tradelaw.registry import kind
from tradelaw.scope import Goods, Origins
from tradelaw.time import Period

__all__ = [
    "Exemption",
    "Item",
    "Measure",
    "Pause",
    "Rule",
    "Scoped",
    "Targets",
    "content_fact",
]


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise InvalidInputError("id", value, "is not a non-empty name without outer spaces")
    return value


def _strings(value: Iterable[str] | str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def content_fact(base: str) -> str | None:
    """Return the fact holding a content base's amount, or ``None`` for ``"value"``.

    Example:
        >>> content_fact("content:steel")
        'steel_value'
        >>> content_fact("value") is None
        True
    """
    if base == "value":
        return None
    return f"{base.removeprefix('content:')}_value"


def _base(value: object) -> str:
    if value == "value":
        return "value"
    if isinstance(value, str) and value.startswith("content:") and value[8:].isidentifier():
        return value
    raise InvalidInputError(
        "base", value, "is not 'value' or 'content:<material>' (e.g. 'content:steel')"
    )


@frozen(kw_only=True)
class Item:
    """What every item of a schedule has: identity, citations, effect and knowledge time.

    Attributes:
        id: the item's name, shared by all its versions.
        title: a short human title.
        citations: the legal instruments (EO, Proclamation, FR citation, CBP guidance).
        period: when the item has effect, half-open.
        recorded: when this version was the known law; ``None`` means always.
        void: this version says the item never had effect (e.g. struck down).
        note: free text, e.g. what is uncertain about the item.
    """

    id: str = field(converter=_text)
    title: str = ""
    citations: tuple[str, ...] = field(default=(), converter=_strings)
    period: Period
    recorded: Period | None = None
    void: bool = False
    note: str = ""

    @property
    def citation(self) -> str:
        """All citations joined with "; " (empty when there are none)."""
        return "; ".join(self.citations)

    def known_at(self, moment: datetime) -> bool:
        """Return whether this version was the known law at ``moment``."""
        return self.recorded is None or self.recorded.contains(moment)


@frozen(kw_only=True)
class Targets:
    """Which measures a rule acts on: ids (or ``fnmatch`` patterns) and whole layers.

    Example:
        >>> t = Targets(measures=("ieepa-*",), layers=("s232-autos",))
        >>> t.matches("ieepa-jp", "ieepa-reciprocal"), t.matches("mfn-x", "mfn")
        (True, False)
    """

    measures: tuple[str, ...] = field(default=(), converter=_strings)
    layers: tuple[str, ...] = field(default=(), converter=_strings)
    # Asked on every resolution: ids as a set, patterns as one expression.
    _ids: frozenset[str] = field(init=False, eq=False, repr=False)
    _patterns: re.Pattern[str] | None = field(init=False, eq=False, repr=False)
    _heads: tuple[str, ...] = field(init=False, eq=False, repr=False)  # what patterns start with

    def __attrs_post_init__(self) -> None:
        if not self.measures and not self.layers:
            raise InvalidInputError("targets", self, "names no measure and no layer")
        patterns = [m for m in self.measures if any(c in m for c in "*?[")]
        object.__setattr__(self, "_ids", frozenset(self.measures) - set(patterns))
        joined = "|".join(f"(?:{translate(p)})" for p in patterns)
        object.__setattr__(self, "_patterns", re.compile(joined) if patterns else None)
        object.__setattr__(self, "_heads", tuple(re.split(r"[*?\[]", p)[0] for p in patterns))

    def matches(self, measure_id: str, layer: str) -> bool:
        """Return whether a measure with ``measure_id`` in ``layer`` is targeted."""
        return layer in self.layers or self.names(measure_id)

    def names(self, measure_id: str) -> bool:
        """Return whether ``measure_id`` is one of the measures named (by id or pattern)."""
        if measure_id in self._ids:
            return True
        if self._patterns is None or not measure_id.startswith(self._heads):
            return False
        return self._patterns.match(measure_id) is not None

    def may_name_prefixed(self, prefix: str) -> bool:
        """Return whether some id beginning with ``prefix`` may be named (by id or pattern).

        Example:
            >>> t = Targets(measures=("mfn-2026-*",))
            >>> t.may_name_prefixed("mfn-"), t.may_name_prefixed("line-")
            (True, False)
        """
        return any(i.startswith(prefix) for i in self._ids) or any(
            h.startswith(prefix) or prefix.startswith(h) for h in self._heads
        )

    def names_any(self, measure_ids: Iterable[str]) -> bool:
        """Return whether any of ``measure_ids`` is named (see :meth:`names`)."""
        if not self._ids.isdisjoint(measure_ids):
            return True
        patterns, heads = self._patterns, self._heads
        if patterns is None:
            return False
        return any(i.startswith(heads) and patterns.match(i) is not None for i in measure_ids)

    def __str__(self) -> str:
        parts = [*self.measures, *(f"layer {layer}" for layer in self.layers)]
        return ", ".join(parts)


@frozen(kw_only=True)
class Scoped(Item):
    """An item that applies to some goods from some origins, under an optional condition."""

    goods: Goods = field(factory=Goods.all)
    origins: Origins = field(factory=Origins.all)
    condition: Condition | None = None

    def condition_holds(self, facts: Facts, zone: str) -> bool | None:
        """Evaluate the condition (True when there is none)."""
        return True if self.condition is None else self.condition.evaluate(facts, zone)


@kind("measure")
@frozen(kw_only=True)
class Measure(Scoped):
    """One rule of law that charges a duty.

    Attributes:
        heading: the tariff heading it is reported under (e.g. ``"9903.01.25"``).
        rate: the rate expression.
        layer: its layer; one measure applies per layer.
        priority: higher wins within a layer, before specificity.
        base: ``"value"`` or ``"content:<material>"`` (read from fact ``<material>_value``).
        excludes: layers that do not apply on the part of the value this measure covers.

    Example:
        >>> from tradelaw import AdValorem, Goods, Origins, Period
        >>> car = Measure(
        ...     id="s232-autos", title="Section 232 passenger vehicles",
        ...     citations=("Proclamation 10908",), heading="9903.94.01",
        ...     goods=Goods.of("8703"), origins=Origins.all(),
        ...     period=Period.parse("2025-04-03", zone="America/New_York"),
        ...     rate=AdValorem("25"), layer="s232-autos", excludes=("ieepa-reciprocal",),
        ... )
        >>> car.heading, str(car.rate)
        ('9903.94.01', '25%')
    """

    heading: str = ""
    rate: RateExpression
    layer: str = field(converter=_text)
    priority: int = 0
    base: str = field(default="value", converter=_base)
    excludes: tuple[str, ...] = field(default=(), converter=_strings)


@frozen(kw_only=True)
class Rule(Scoped):
    """An item that acts on other measures (a pause, an exemption, a credit)."""

    targets: Targets

    def acts_on(self, measure: Measure) -> bool:
        """Return whether ``measure`` is one of this rule's targets."""
        return self.targets.matches(measure.id, measure.layer)


@kind("exemption")
@frozen(kw_only=True)
class Exemption(Rule):
    """Removes target measures for some goods and origins, in a period, under a condition.

    An exemption whose condition reads a fact the entry does not give is not claimed.

    Example:
        >>> from tradelaw import Goods, Period
        >>> chips = Exemption(
        ...     id="annex-ii-semiconductors", goods=Goods.of("8541", "8542"),
        ...     period=Period.parse("2025-04-05", zone="America/New_York"),
        ...     targets=Targets(layers=("ieepa-reciprocal",)),
        ... )
        >>> str(chips.targets)
        'layer ieepa-reciprocal'
    """


@kind("pause")
@frozen(kw_only=True)
class Pause(Rule):
    """Suspends target measures for a period; the next measure of their layer applies.

    An extension is a later version of the pause (new ``period.end``, new ``recorded``).
    """

"""Rate expressions: how a measure turns a base amount into a duty.

Every expression implements :class:`RateExpression`: ``duty(base, context)`` returns the
exact duty, or raises :class:`~tradelaw.errors.UnknownDutyError` when an input it needs is
missing (a specific rate with no quantity). A custom expression implements the same
protocol and registers a kind (see :mod:`tradelaw.measures`).

Example:
    >>> from tradelaw.money import Money, Quantity
    >>> ctx = RateContext(Money("1000", "USD"), Quantity("50", "kg"))
    >>> Compound((AdValorem("2.5"), Specific(Money("0.10", "USD"), "kg"))).duty(
    ...     Money("1000", "USD"), ctx
    ... )
    Money(amount=Decimal('30.00'), currency='USD')
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Protocol, runtime_checkable

from attrs import field, frozen

from tradelaw._i18n import _
from tradelaw.errors import InvalidInputError, ProhibitedError, UnknownDutyError
from tradelaw.money import HUNDRED, Money, Quantity, to_decimal
from tradelaw.registry import kind
from tradelaw.units import unit as _unit

__all__ = [
    "AdValorem",
    "Bounded",
    "Compound",
    "Free",
    "Prohibited",
    "RateContext",
    "RateExpression",
    "Specific",
    "TopUp",
    "UnknownRate",
    "percent",
]


def percent(value: object) -> Decimal:
    """Check a percentage rate: an exact, non-negative number (``"2.5"`` is 2.5%).

    Example:
        >>> percent("24")
        Decimal('24')
    """
    result = to_decimal(value, "rate")
    if result < 0:
        raise InvalidInputError("rate", value, "is negative; a duty rate is 0% or more")
    return result


def _no_layer(layer: str) -> Decimal:
    raise UnknownDutyError(
        _("the rate needs layer {layer}, which is not available here", layer=repr(layer))
    )


@frozen
class RateContext:
    """What a rate expression may read about the entry besides its base.

    Attributes:
        value: the customs value of the entry (the base of ad valorem equivalents).
        quantity: the declared quantity, if any.
        layer_rate: returns the ad valorem equivalent (percent of the customs value) of the
            duty applied in another layer; raises ``UnknownDutyError`` if unknown.
    """

    value: Money
    quantity: Quantity | None = None
    layer_rate: Callable[[str], Decimal] = _no_layer


@runtime_checkable
class RateExpression(Protocol):
    """The protocol of every rate expression."""

    def duty(self, base: Money, context: RateContext) -> Money:
        """Return the duty on ``base``; raise ``UnknownDutyError`` if an input is missing."""
        ...

    def layers(self) -> frozenset[str]:
        """Return the layers whose applied rate this expression reads (usually none)."""
        ...


class _Reads:
    """Mixin for expressions that read no other layer."""

    def layers(self) -> frozenset[str]:
        """No other layer is read."""
        return frozenset()


@kind("ad-valorem")
@frozen
class AdValorem(_Reads):
    """A percentage of the base: ``AdValorem("25")`` is 25%.

    Example:
        >>> AdValorem("25").duty(Money("100", "USD"), RateContext(Money("100", "USD")))
        Money(amount=Decimal('25'), currency='USD')
    """

    percent: Decimal = field(converter=percent)

    def duty(self, base: Money, context: RateContext) -> Money:
        """``base × percent / 100``."""
        return base * self.percent / HUNDRED

    def __str__(self) -> str:
        return f"{self.percent}%"


@kind("free")
@frozen
class Free(_Reads):
    """No duty ("Free" in the HTS)."""

    def duty(self, base: Money, context: RateContext) -> Money:
        """Always zero, in the base's currency."""
        return Money.zero(base.currency)

    def __str__(self) -> str:
        return "Free"


@kind("specific")
@frozen
class Specific(_Reads):
    """An amount per unit of quantity (``Specific(Money("0.034", "USD"), "kg")``).

    Needs the entry's quantity in the same unit; without it the duty is unknown.

    Example:
        >>> rate = Specific(Money("0.034", "USD"), "kg")
        >>> rate.duty(Money("100", "USD"), RateContext(Money("100", "USD")))
        Traceback (most recent call last):
        ...
        tradelaw.errors.UnknownDutyError: USD 0.034/kg needs the quantity in kg ... none
    """

    amount: Money
    unit: str = field(converter=_unit)

    def duty(self, base: Money, context: RateContext) -> Money:
        """``amount × quantity`` in the rate's unit."""
        if context.quantity is None:
            raise UnknownDutyError(
                _(
                    "{rate} needs the quantity in {unit} (--quantity N {unit}), and the "
                    "entry gives none",
                    rate=str(self),
                    unit=self.unit,
                )
            )
        units = context.quantity.in_unit(self.unit)
        if units is None:
            raise UnknownDutyError(
                _(
                    "{rate} needs the quantity in {unit} (--quantity N {unit}), and the "
                    "entry gives it in {given}; tradelaw does not convert units",
                    rate=str(self),
                    unit=self.unit,
                    given=context.quantity.unit,
                )
            )
        return self.amount * units

    def __str__(self) -> str:
        return f"{self.amount.currency} {self.amount.amount}/{self.unit}"


def _expressions(values: object) -> tuple[RateExpression, ...]:
    parts = tuple(values) if hasattr(values, "__iter__") else ()
    if len(parts) < 2 or not all(isinstance(p, RateExpression) for p in parts):
        raise InvalidInputError("rate.parts", values, "is not a list of two or more rates")
    return parts


@kind("compound")
@frozen
class Compound:
    """The sum of several rates, e.g. ``2.5% + USD 0.10/kg``."""

    parts: tuple[RateExpression, ...] = field(converter=_expressions)

    def duty(self, base: Money, context: RateContext) -> Money:
        """The sum of the parts' duties."""
        total = Money.zero(base.currency)
        for part in self.parts:
            total += part.duty(base, context)
        return total

    def layers(self) -> frozenset[str]:
        """The layers any part reads."""
        return frozenset().union(*(p.layers() for p in self.parts))

    def __str__(self) -> str:
        return " + ".join(map(str, self.parts))


@kind("bounded")
@frozen
class Bounded:
    """A rate held between a minimum and/or a maximum rate.

    Example:
        >>> rate = Bounded(AdValorem("10"), minimum=Specific(Money("2", "USD"), "kg"))
        >>> ctx = RateContext(Money("100", "USD"), Quantity("8", "kg"))
        >>> rate.duty(Money("100", "USD"), ctx)
        Money(amount=Decimal('16'), currency='USD')
        >>> str(rate)
        '10%, minimum USD 2/kg'
    """

    rate: RateExpression
    minimum: RateExpression | None = None
    maximum: RateExpression | None = None

    def __attrs_post_init__(self) -> None:
        if self.minimum is None and self.maximum is None:
            raise InvalidInputError(
                "rate", str(self.rate), "is bounded by neither a minimum nor a maximum"
            )

    def duty(self, base: Money, context: RateContext) -> Money:
        """The rate's duty, raised to the minimum and lowered to the maximum."""
        result = self.rate.duty(base, context)
        if self.minimum is not None:
            result = max(result, self.minimum.duty(base, context))
        if self.maximum is not None:
            result = min(result, self.maximum.duty(base, context))
        return result

    def layers(self) -> frozenset[str]:
        """The layers the rate and its bounds read."""
        bounds = (b for b in (self.minimum, self.maximum) if b is not None)
        return self.rate.layers().union(*(b.layers() for b in bounds))

    def __str__(self) -> str:
        text = str(self.rate)
        if self.minimum is not None:
            text += f", minimum {self.minimum}"
        if self.maximum is not None:
            text += f", maximum {self.maximum}"
        return text


@kind("top-up")
@frozen
class TopUp:
    """*X% inclusive* of the base layer: ``max(0, X − AVE of the base layer)``.

    The base layer's duty (usually ``mfn``, column 1) is turned into its ad valorem
    equivalent on the part of the value the top-up taxes (the resolver's
    ``layer_rate``), so a specific base rate counts too, and "inclusive" compares the
    duties on the same goods.

    Example:
        >>> ctx = RateContext(Money("100", "USD"), layer_rate=lambda layer: Decimal("2.5"))
        >>> TopUp("15").duty(Money("100", "USD"), ctx)
        Money(amount=Decimal('12.5'), currency='USD')
    """

    percent: Decimal = field(converter=percent)
    layer: str = "mfn"

    def rate(self, context: RateContext) -> Decimal:
        """The percentage that tops the base layer up to ``percent`` (never negative)."""
        return max(Decimal(0), self.percent - context.layer_rate(self.layer))

    def duty(self, base: Money, context: RateContext) -> Money:
        """``base × max(0, X − base AVE) / 100``."""
        return base * self.rate(context) / HUNDRED

    def layers(self) -> frozenset[str]:
        """The base layer."""
        return frozenset({self.layer})

    def __str__(self) -> str:
        return f"{self.percent}% inclusive of {self.layer}"


@kind("prohibited")
@frozen
class Prohibited(_Reads):
    """The goods may not be entered: no duty makes the import lawful (an import ban).

    A measure with this rate applies like any other (it can win its layer, be paused or
    exempted); when it applies, the resolution reports the entry as prohibited.

    Example:
        >>> Prohibited().duty(Money("1", "USD"), RateContext(Money("1", "USD")))
        Traceback (most recent call last):
        ...
        tradelaw.errors.ProhibitedError: the goods may not be entered
    """

    def duty(self, base: Money, context: RateContext) -> Money:
        """Always raises: a prohibited import owes no duty, it is not allowed."""
        raise ProhibitedError(_("the goods may not be entered"))

    def __str__(self) -> str:
        return "prohibited"


@kind("unknown")
@frozen
class UnknownRate(_Reads):
    """A rate tradelaw could not read (kept with its raw text): its duty is unknown.

    Example:
        >>> UnknownRate("See 9903.88.15").duty(
        ...     Money("1", "USD"), RateContext(Money("1", "USD"))
        ... )
        Traceback (most recent call last):
        ...
        tradelaw.errors.UnknownDutyError: the rate 'See 9903.88.15' is not known
    """

    text: str

    def duty(self, base: Money, context: RateContext) -> Money:
        """Always raises: an unknown rate is never zero."""
        raise UnknownDutyError(_("the rate {text} is not known", text=repr(self.text)))

    def __str__(self) -> str:
        return f"unknown ({self.text})"

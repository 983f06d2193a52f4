"""A tradelaw plug-in: the rate kind ``above-threshold``.

Some duties charge only the part of a value above a threshold, such as a tax on the part
of a car's price above a luxury threshold. :class:`AboveThreshold` is that rate: nothing
up to ``threshold``, ``percent`` of the excess above it. It implements tradelaw's rate
expression protocol (``duty`` and ``layers``) and registers the kind ``above-threshold``,
so that schedule files can name it once the package is installed.
"""

from __future__ import annotations

from decimal import Decimal

from attrs import field, frozen

from tradelaw import Money, RateContext, kind
from tradelaw.rates import percent

__all__ = ["AboveThreshold"]

_HUNDRED = Decimal(100)


@kind("above-threshold")
@frozen
class AboveThreshold:
    """``percent`` of the part of the base above ``threshold``; nothing up to it.

    Attributes:
        percent: the rate on the excess, in percent (``"33"`` is 33%).
        threshold: the part of the base that is not charged. It must be in the base's
            currency: amounts in two currencies are never mixed silently.
    """

    percent: Decimal = field(converter=percent)
    threshold: Money

    def duty(self, base: Money, context: RateContext) -> Money:
        """Return ``percent`` of ``base - threshold``, or zero at or below the threshold."""
        excess = base - self.threshold
        if excess.amount <= 0:
            return Money.zero(base.currency)
        return excess * self.percent / _HUNDRED

    def layers(self) -> frozenset[str]:
        """This rate reads no other layer."""
        return frozenset()

    def __str__(self) -> str:
        return f"{self.percent}% above {self.threshold}"

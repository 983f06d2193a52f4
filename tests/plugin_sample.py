"""A plug-in module as a third party would ship it: registers a custom rate kind."""

from decimal import Decimal

from attrs import frozen

from tradelaw import Money, RateContext, kind


@kind("test-per-vehicle-cap")
@frozen
class PerVehicleCap:
    """25% of the value, but at most a fixed amount: a custom rate expression."""

    cap: Money

    def duty(self, base: Money, context: RateContext) -> Money:
        return min(base * Decimal("0.25"), self.cap)

    def layers(self) -> frozenset[str]:
        return frozenset()

"""tradelaw: what duty is owed on these goods, from this origin, entered at this moment — and why.

The public API. Everything a user needs is importable from here::

    >>> import tradelaw
    >>> tradelaw.Goods.of("8703.23.01").prefixes
    ('87032301',)
"""

from tradelaw.conditions import AllOf, AnyOf, Compare, Condition, Fact, Not, OneOf, Present
from tradelaw.credits import ContributionCredit, OffsetPool, RateReduction
from tradelaw.entry import Entry
from tradelaw.errors import (
    ConflictError,
    CurrencyError,
    ExactnessError,
    InvalidInputError,
    MissingExtraError,
    Problem,
    ProhibitedError,
    TradelawError,
    UnknownDutyError,
    ValidationError,
)
from tradelaw.facts import FactSpec, FactType
from tradelaw.io import dump, dumps, load, loads
from tradelaw.ledger import Ledger
from tradelaw.measures import Exemption, Item, Measure, Pause, Rule, Scoped, Targets
from tradelaw.money import Money, Quantity, to_decimal
from tradelaw.rates import (
    AdValorem,
    Bounded,
    Compound,
    Free,
    Prohibited,
    RateContext,
    RateExpression,
    Specific,
    TopUp,
    UnknownRate,
)
from tradelaw.registry import kind, kind_of, kinds
from tradelaw.resolution import Applied, Reason, Relief, Resolution, Skipped, Unknown
from tradelaw.schedule import Schedule, Segment
from tradelaw.scope import EU, CountryGroup, Goods, Membership, Origins, group, register_group
from tradelaw.time import Period, instant


def __getattr__(name: str) -> str:
    # The version is looked up when asked for: importing the package metadata machinery
    # costs a noticeable part of the command's start.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("tradelaw")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            return "0+unknown"
    raise AttributeError(f"module 'tradelaw' has no attribute {name!r}")


__all__ = [
    "EU",
    "AdValorem",
    "AllOf",
    "AnyOf",
    "Applied",
    "Bounded",
    "Compare",
    "Compound",
    "Condition",
    "ConflictError",
    "ContributionCredit",
    "CountryGroup",
    "CurrencyError",
    "Entry",
    "ExactnessError",
    "Exemption",
    "Fact",
    "FactSpec",
    "FactType",
    "Free",
    "Goods",
    "InvalidInputError",
    "Item",
    "Ledger",
    "Measure",
    "Membership",
    "MissingExtraError",
    "Money",
    "Not",
    "OffsetPool",
    "OneOf",
    "Origins",
    "Pause",
    "Period",
    "Present",
    "Problem",
    "Prohibited",
    "ProhibitedError",
    "Quantity",
    "RateContext",
    "RateExpression",
    "RateReduction",
    "Reason",
    "Relief",
    "Resolution",
    "Rule",
    "Schedule",
    "Scoped",
    "Segment",
    "Skipped",
    "Specific",
    "Targets",
    "TopUp",
    "TradelawError",
    "Unknown",
    "UnknownDutyError",
    "UnknownRate",
    "ValidationError",
    "__version__",
    "dump",
    "dumps",
    "group",
    "instant",
    "kind",
    "kind_of",
    "kinds",
    "load",
    "loads",
    "register_group",
    "to_decimal",
]

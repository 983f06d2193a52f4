"""Contribution credits: duty relief earned by contributions to the importing country.

A :class:`ContributionCredit` acts on target measures in one of two forms:

* :class:`RateReduction` — per entry, the target's rate falls by ``points`` percentage
  points per ``per`` of contribution (read from an entry fact), never below ``floor``;
* :class:`OffsetPool` — a ``share`` of contributions becomes a pool of money that offsets
  target duties across many entries; a :class:`~tradelaw.ledger.Ledger` keeps the pool, never
  lets it go below zero, caps each offset at the target duty, and carries an unused
  balance into the next window only when ``carry_forward`` is set.

Example:
    >>> cut = RateReduction(fact="us_auto_investment", points="1",
    ...                     per=Money("10000000000", "USD"), floor="15")
    >>> cut.reduced_rate(Decimal("25"), Money("30000000000", "USD"))
    Decimal('22')
    >>> cut.reduced_rate(Decimal("25"), Money("500000000000", "USD"))
    Decimal('15')
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from attrs import field, frozen

from tradelaw.errors import InvalidInputError
from tradelaw.measures import Rule
from tradelaw.money import HUNDRED, Money, to_decimal
from tradelaw.rates import percent
from tradelaw.registry import kind
from tradelaw.time import Period

__all__ = ["ContributionCredit", "OffsetPool", "RateReduction"]


def _positive(value: object) -> Decimal | Money:
    if isinstance(value, Money):
        amount = value.amount
        result: Decimal | Money = value
    else:
        amount = result = to_decimal(value, "per")
    if amount <= 0:
        raise InvalidInputError("per", value, "is not a positive amount of contribution")
    return result


def _share(value: object) -> Decimal:
    result = to_decimal(value, "share")
    if not 0 < result <= 1:
        raise InvalidInputError("share", value, "is not a fraction in (0, 1]")
    return result


@kind("rate-reduction")
@frozen(kw_only=True)
class RateReduction:
    """Lower the target rate by ``points`` per ``per`` of contribution, down to ``floor``.

    Attributes:
        fact: the entry fact holding the contribution (money, or a number of units).
        points: percentage points of reduction for each ``per`` of contribution.
        per: the contribution that earns ``points`` (money, or a number of units).
        floor: the rate (percent) below which the credit never takes the target.
    """

    fact: str
    points: Decimal = field(converter=percent)
    per: Decimal | Money = field(converter=_positive)
    floor: Decimal = field(converter=percent)

    def contribution_units(self, contribution: object) -> Decimal:
        """How many ``per`` the contribution is worth."""
        where = f"facts.{self.fact}"
        if isinstance(self.per, Money):
            if not isinstance(contribution, Money):
                raise InvalidInputError(
                    where, contribution, f"is not money in {self.per.currency}"
                )
            return contribution.ratio(self.per)
        return to_decimal(contribution, where) / self.per

    def reduced_rate(self, rate: Decimal, contribution: object) -> Decimal:
        """Return the target rate after the credit (unchanged if already at the floor)."""
        if rate <= self.floor:
            return rate
        cut = self.points * self.contribution_units(contribution)
        return max(self.floor, rate - cut)

    def relief(self, base: Money, duty: Money, contribution: object) -> tuple[Money, Decimal]:
        """Return the duty taken off a target charging ``duty`` on ``base``, and the cut.

        Computed from amounts, never from a divided rate, so it stays exact: the relief is
        ``base × cut / 100``, but never more than takes the duty down to ``base × floor``.

        Example:
            >>> cut = RateReduction(fact="x", points="1", per="10", floor="15")
            >>> cut.relief(Money("100", "USD"), Money("25", "USD"), 30)
            (Money(amount=Decimal('3'), currency='USD'), Decimal('3'))
            >>> cut.relief(Money("100", "USD"), Money("25", "USD"), 1000)[0]
            Money(amount=Decimal('10'), currency='USD')
        """
        cut = self.points * self.contribution_units(contribution)
        headroom = duty - base * self.floor / HUNDRED
        if headroom.amount <= 0:
            return Money.zero(duty.currency), cut
        return min(base * cut / HUNDRED, headroom), cut

    def __str__(self) -> str:
        return f"−{self.points} points per {self.per} of {self.fact}, floor {self.floor}%"


@kind("offset-pool")
@frozen(kw_only=True)
class OffsetPool:
    """A pool of offsets: ``share`` of each contribution, spent against target duties.

    Attributes:
        share: the fraction of a contribution that enters the pool (e.g. ``"0.0375"``).
        carry_forward: whether an unused balance moves into the next window.
        windows: the accounting windows, in order; empty means one window, the credit's
            period.
    """

    share: Decimal = field(converter=_share)
    carry_forward: bool = False
    windows: tuple[Period, ...] = field(default=(), converter=tuple)

    def window_of(self, moment: datetime, period: Period) -> int | None:
        """Return the index of the window containing ``moment``, or ``None``."""
        windows = self.windows or (period,)
        return next((i for i, w in enumerate(windows) if w.contains(moment)), None)

    def __str__(self) -> str:
        carry = ", carried forward" if self.carry_forward else ""
        return f"offset pool of {self.share} of contributions{carry}"


@kind("credit")
@frozen(kw_only=True)
class ContributionCredit(Rule):
    """Relief from target measures earned by contributions; see the module docs.

    Example:
        >>> from tradelaw import Goods, Period, Targets
        >>> proposal = ContributionCredit(
        ...     id="jp-auto-investment-credit", goods=Goods.of("8703"),
        ...     period=Period.parse("2025-04-03", zone="America/New_York"),
        ...     targets=Targets(layers=("s232-autos",)),
        ...     form=RateReduction(fact="us_auto_investment", points="1",
        ...                        per=Money("10000000000", "USD"), floor="15"),
        ... )
        >>> proposal.needs_ledger
        False
    """

    form: RateReduction | OffsetPool

    @property
    def needs_ledger(self) -> bool:
        """True for an offset pool, which only a :class:`~tradelaw.ledger.Ledger` can apply."""
        return isinstance(self.form, OffsetPool)

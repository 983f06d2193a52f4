"""The :class:`Ledger`: offset pools of contribution credits, spent across many entries.

A pool belongs to one credit and one importer (the entry's ``importer`` fact; entries
without it share the pool of importer ``None``). Contributions add ``share × amount`` to
the window they fall in. Each entry's offset is the smaller of the pool's balance and the
target duty, so the pool never goes below zero and no duty below zero. At the end of a
window an unused balance moves to the next window only if the credit says
``carry_forward``; otherwise it lapses.

Entries of one pool must be resolved in the order they were entered (balances depend on
what came before); an earlier entry after a later one is refused.

Example:
    An illustrative pool: 3.75% of the value of vehicles assembled domestically offsets
    a 25% duty on parts.

    >>> from tradelaw import *
    >>> parts = Measure(id="parts", goods=Goods.of("8708"), rate=AdValorem("25"),
    ...                 period=Period.parse("2025-05-03", zone="UTC"), layer="s232-parts")
    >>> offset = ContributionCredit(
    ...     id="offset", period=Period.parse("2025-04-03", zone="UTC"),
    ...     targets=Targets(layers=["s232-parts"]), form=OffsetPool(share="0.0375"))
    >>> ledger = Ledger(Schedule([parts, offset], name="s", jurisdiction="US", zone="UTC"))
    >>> ledger.contribute("offset", Money("800000", "USD"), "2025-05-01", importer="ACME")
    >>> entry = Entry("8708.30", "DE", "2025-06-10", Money("100000", "USD"),
    ...               facts={"importer": "ACME"})
    >>> ledger.resolve(entry).duty
    Money(amount=Decimal('0'), currency='USD')
    >>> ledger.balance("offset", "ACME", "2025-06-10")
    Money(amount=Decimal('5000.0000'), currency='USD')
"""

from __future__ import annotations

from datetime import datetime

from attrs import define, field

from tradelaw._i18n import _
from tradelaw.credits import ContributionCredit, OffsetPool
from tradelaw.entry import Entry
from tradelaw.errors import InvalidInputError
from tradelaw.money import Money
from tradelaw.resolution import Applied, Relief, Resolution
from tradelaw.schedule import Schedule
from tradelaw.time import When, instant

__all__ = ["Ledger"]

_PoolKey = tuple[str, str | None]


@define
class _Pool:
    """Amounts earned and spent per window, for one credit and importer."""

    currency: str
    earned: dict[int, Money] = field(factory=dict)
    spent: dict[int, Money] = field(factory=dict)
    last_entry: datetime | None = None

    def left(self, window: int) -> Money:
        zero = Money.zero(self.currency)
        return self.earned.get(window, zero) - self.spent.get(window, zero)

    def add(self, table: dict[int, Money], window: int, amount: Money) -> None:
        table[window] = table.get(window, Money.zero(self.currency)) + amount


class Ledger:
    """Keeps offset pools over many entries of one schedule; see the module docs."""

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self._pools: dict[_PoolKey, _Pool] = {}

    def _credit(self, credit_id: str) -> tuple[ContributionCredit, OffsetPool]:
        for item in reversed(self.schedule.versions(credit_id)):
            if isinstance(item, ContributionCredit) and isinstance(item.form, OffsetPool):
                return item, item.form
        raise InvalidInputError(
            "credit", credit_id, "is not an offset-pool credit of the schedule"
        )

    def _pool(self, credit_id: str, importer: str | None, currency: str) -> _Pool:
        return self._pools.setdefault((credit_id, importer), _Pool(currency))

    def contribute(
        self, credit_id: str, amount: Money, on: When, *, importer: str | None = None
    ) -> None:
        """Record a contribution; ``share × amount`` enters the pool's window for ``on``.

        Raises:
            InvalidInputError: for an unknown credit, a negative amount, or a date outside
                every window of the credit.
        """
        credit, form = self._credit(credit_id)
        if amount.amount < 0:
            raise InvalidInputError("amount", str(amount), "is negative")
        moment = instant(on, self.schedule.zone, "on")
        window = form.window_of(moment, credit.period)
        if window is None:
            raise InvalidInputError("on", on, f"falls in no window of credit {credit_id}")
        pool = self._pool(credit_id, importer, amount.currency)
        pool.add(pool.earned, window, amount * form.share)

    def balance(self, credit_id: str, importer: str | None, on: When) -> Money:
        """Return what the pool can still offset at ``on``."""
        credit, form = self._credit(credit_id)
        moment = instant(on, self.schedule.zone, "on")
        window = form.window_of(moment, credit.period)
        if window is None:
            return Money.zero(self.schedule.currency)
        pool = self._pools.get((credit_id, importer))
        if pool is None:
            return Money.zero(self.schedule.currency)
        return self._available(pool, form, window)

    @staticmethod
    def _available(pool: _Pool, form: OffsetPool, window: int) -> Money:
        if not form.carry_forward:
            return pool.left(window)
        total = pool.left(0)
        for index in range(1, window + 1):
            total += pool.left(index)
        return total

    def resolve(self, entry: Entry, *, as_of: When | None = None) -> Resolution:
        """Resolve like :meth:`~tradelaw.schedule.Schedule.resolve`, spending offset pools."""
        importer = entry.facts.get("importer")
        owner = None if importer is None else str(importer)
        return self.schedule._resolve(
            entry, as_of, lambda c, line, e, at: self._spend(c, line, owner, at)
        )

    def _spend(
        self, credit: ContributionCredit, line: Applied, importer: str | None, at: datetime
    ) -> Relief | None:
        form = credit.form
        assert isinstance(form, OffsetPool)
        window = form.window_of(at, credit.period)
        if window is None:
            return None
        pool = self._pool(credit.id, importer, line.gross.currency)
        if pool.last_entry is not None and at < pool.last_entry:
            raise InvalidInputError(
                "entered",
                at.isoformat(),
                f"is before an entry already charged to pool {credit.id}",
            )
        pool.last_entry = at
        available = self._available(pool, form, window)
        amount = min(available, line.gross)
        if amount.amount <= 0:
            return None
        pool.add(pool.spent, window, amount)
        return Relief(credit, amount, _("offset from pool, {left} left", left=available - amount))

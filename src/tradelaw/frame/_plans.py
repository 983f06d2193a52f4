"""Plans: one group's answer, from ``resolve()``, in a form every row of the group takes.

A row's answer depends on its group's resolution and, through arithmetic only, on its
own base-layer line, value and quantity. :func:`make_plan` turns one row's resolution
into a :class:`Plan` saying, for each applied line, how its duty is had for any row of
the group; an answer that is not of that form makes the plan per row (see
``tradelaw.frame._engine`` for how groups are formed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from tradelaw._resolve import equivalent
from tradelaw.entry import Entry
from tradelaw.errors import ConflictError, TradelawError, UnknownDutyError
from tradelaw.measures import Measure
from tradelaw.money import HUNDRED, Money, Quantity
from tradelaw.rates import AdValorem, Compound, Free, RateContext, Specific, TopUp
from tradelaw.resolution import Resolution, tidy
from tradelaw.schedule import Schedule
from tradelaw.tables import TableLine

#: A base-layer line as the engine reads it: a table's line as data, or the measure.
Line = TableLine | Measure


class Outcome:
    """One row's answer, in the form of the output columns."""

    __slots__ = ("duty", "headings", "layers", "message", "rate", "status")

    def __init__(
        self,
        status: str,
        *,
        rate: Decimal | None = None,
        duty: Decimal | None = None,
        headings: str = "",
        message: str = "",
        layers: Mapping[str, Decimal] | None = None,
    ) -> None:
        self.status = status
        self.rate = rate
        self.duty = duty
        self.headings = headings
        self.message = message
        self.layers = layers or {}


def outcome_of(resolution: Resolution) -> Outcome:
    """The output columns of a resolution (what ``resolve()`` says, in columns)."""
    headings = " ".join(resolution.headings)
    if resolution.status != "ok":
        message = "; ".join(f"{m.id}: {m.citation}" for m in resolution.prohibited) or "; ".join(
            f"{u.id}: {u.reason}" for u in resolution.unknown
        )
        return Outcome(resolution.status, headings=headings, message=message)
    duty = resolution.duty
    rate = resolution.total_rate if resolution.entry.value.amount else None
    layers = {line.measure.layer: line.duty.amount for line in resolution.applied}
    return Outcome("ok", rate=rate, duty=tidy(duty.amount), headings=headings, layers=layers)


def resolve_one(schedule: Schedule, entry: Entry, as_of: datetime | None) -> Outcome:
    """One row through ``resolve()``, its failure kept as the row's status and message."""
    try:
        return outcome_of(schedule.resolve(entry, as_of=as_of))
    except (UnknownDutyError, ConflictError) as error:
        return Outcome("unresolved", message=str(error))
    except TradelawError as error:
        return Outcome("error", message=str(error))


def rate_shape(rate: object) -> object:
    """A rate less its numbers, which a plan reads from the row's own item."""
    if isinstance(rate, AdValorem):
        return AdValorem
    if isinstance(rate, Specific):
        return (Specific, rate.unit, rate.amount.currency)
    if isinstance(rate, Compound):
        return (Compound, tuple(rate_shape(part) for part in rate.parts))
    return rate


#: How a plan line's duty is had for a row: ("fixed", percent, _) a fixed percentage;
#: ("table", _, k) the percentage of the row's base-layer item k; ("topup", X, k) a top-up
#: to X of that percentage; ("rate", expression, _) a schedule's rate on the row's value
#: and quantity; ("own", _, k) the rate of the row's base-layer item k, likewise;
#: ("topup-own", top-up, k) a top-up of the duty of item k's rate (specific or compound).
_How = tuple[str, Any, int]
_PERCENT = frozenset({"fixed", "table", "topup"})


class Plan:
    """One group's answer, applicable to every row of the group.

    ``lines`` give each applied line's layer and how its duty is had (``_How``);
    ``headings`` give each heading, fixed or the row's base-layer item number k. A plan
    whose resolution is not of that form is ``per_row`` (``per_line`` when the rows of one
    base-layer line answer alike). A plan with ``fixed`` holds an
    answer that is the same for every row, but for the base-layer ids and headings it
    names.
    """

    __slots__ = ("fixed", "headings", "lines", "per_line", "per_row", "table_ids")

    def __init__(self) -> None:
        self.per_row = False
        self.per_line = False  # per_row, but rows of the same base-layer line answer alike
        self.fixed: Outcome | None = None
        self.lines: list[tuple[str, _How]] = []
        self.headings: list[str | int] = []  # fixed text, or the row's base-layer item k
        self.table_ids: tuple[str, ...] = ()

    def headings_for(self, table: Sequence[Line]) -> str:
        """The applied headings of a row whose base-layer items are ``table``."""
        return " ".join(h if isinstance(h, str) else table[h].heading for h in self.headings)

    def message_for(self, table: Sequence[Line]) -> str:
        """A fixed answer's message, naming the row's own base-layer items."""
        assert self.fixed is not None
        return _renamed(self.fixed.message, self.table_ids, table)

    def percents(self, table: Sequence[Line]) -> dict[str, Decimal] | None:
        """Each layer's percentage of the value, or None when a duty is not a percentage."""
        if any(how not in _PERCENT for _layer, (how, _n, _k) in self.lines):
            return None
        return {layer: _line_percent(how, table) for layer, how in self.lines}

    def duties(
        self, value: Money, quantity: Quantity | None, table: Sequence[Line]
    ) -> dict[str, Decimal]:
        """Each layer's duty on a row, computed by the rates themselves.

        Raises:
            UnknownDutyError: a rate cannot be computed for this row (its row goes alone).
        """
        context = RateContext(value, quantity)
        found: dict[str, Decimal] = {}
        for layer, (how, number, k) in self.lines:
            if how in _PERCENT:
                percent = _line_percent((how, number, k), table)
                found[layer] = value.amount * percent / HUNDRED
            elif how == "topup-own":
                # What the resolver reads of the row's own line: the equivalent of its
                # duty on the whole value (every line of the plan taxes the whole value).
                read = table[k].rate.duty(value, context).amount
                whole = value.amount
                topped = RateContext(
                    value, quantity, _fixed(equivalent(read, whole, whole, whole))
                )
                found[layer] = number.duty(value, topped).amount
            else:
                rate = number if how == "rate" else table[k].rate
                found[layer] = rate.duty(value, context).amount
        return found


def _fixed(rate: Decimal) -> Callable[[str], Decimal]:
    """A context's ``layer_rate`` that gives ``rate`` for the one layer a top-up reads."""
    return lambda _layer: rate


def _line_percent(line: _How, table: Sequence[Line]) -> Decimal:
    """A percentage line's percentage for a row whose base-layer items are ``table``."""
    how, number, k = line
    if how == "fixed":
        return Decimal(number)
    read = percent_of(table[k].rate)
    return read if how == "table" else max(Decimal(0), number - read)


def percent_of(rate: object) -> Decimal:
    """The percentage of an ad valorem rate; 0 for a free one."""
    return rate.percent if isinstance(rate, AdValorem) else Decimal(0)


def _renamed(message: str, old: Sequence[str], table: Sequence[Line]) -> str:
    """``message`` with the representative's base-layer ids made the row's own."""
    # The kept items are at the same positions in every row of a group (see _effective).
    swap = {b: item.id for b, item in zip(old, table, strict=False) if b != item.id}
    if not swap or not message or not any(b in message for b in swap):
        return message
    return _renaming(tuple(sorted(swap))).sub(lambda m: swap[m.group(0)], message)


@lru_cache(maxsize=4096)
def _renaming(ids: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern matching any of ``ids`` as a whole id (the longest first)."""
    pattern = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(f"(?:{pattern})(?![\\w.-])")


def make_plan(resolution: Resolution | TradelawError, table: Sequence[Measure]) -> Plan:
    """Turn one row's resolution into a plan for its group (see :class:`Plan`)."""
    plan = Plan()
    plan.table_ids = tuple(item.id for item in table)
    # The row's own lines by id, not by object: a table may build new objects each time
    # it is asked, and the schedule's own items never share a line's id (they replace it).
    position = {item.id: k for k, item in enumerate(table)}
    if len(position) < len(table):  # ids a table repeats cannot tell its lines apart
        plan.per_row = True
        return plan
    if isinstance(resolution, TradelawError):
        if isinstance(resolution, UnknownDutyError | ConflictError):
            plan.fixed = Outcome("unresolved", message=str(resolution))
        else:
            plan.per_row = True  # the row's own input is at fault: it says how
        return plan
    plan.headings = [
        position.get(line.measure.id, line.heading) for line in resolution.applied if line.heading
    ]
    if resolution.is_prohibited or not resolution.is_known:
        if any(u.measure is None for u in resolution.unknown):
            plan.per_row = True  # a required layer no measure covers: the reason names
            return plan  # the row's goods and origin
        if any(_quotes_own_line(u.measure, position) for u in resolution.unknown):
            # The reason quotes the row's own line (its rate, its unit): rows of one line
            # share it, whatever their values.
            plan.per_row = plan.per_line = True
        else:
            plan.fixed = outcome_of(resolution)
        return plan
    value = resolution.entry.value
    if not value.amount:
        plan.per_row = True
        return plan
    winners = {line.measure.layer: line.measure for line in resolution.applied}
    for line in resolution.applied:
        how = _how(line.measure, line.base, line.gross, winners, position)
        if how is None or line.relief or line.base != value:
            plan.per_row = True
            return plan
        plan.lines.append((line.measure.layer, how))
    return plan


def _quotes_own_line(measure: Measure | None, position: Mapping[str, int]) -> bool:
    """Whether an unknown line's reason may quote what differs between a group's rows.

    A base-layer line whose rate is whole in the skeleton (a rate tradelaw cannot read,
    kept with its text) gives every row of the group the same reason, but for its id,
    which :meth:`Plan.message_for` renames; another line's reason may quote its numbers.
    """
    if measure is None or measure.id not in position:
        return False
    return rate_shape(measure.rate) is not measure.rate


def _how(
    measure: Measure,
    base: Money,
    gross: Money,
    winners: Mapping[str, Measure],
    position: Mapping[str, int],
) -> _How | None:
    """How a line's percentage is had for any row of the group, or None if it cannot be."""
    rate = measure.rate
    k = position.get(measure.id)
    if isinstance(rate, AdValorem | Free):
        return ("table", Decimal(0), k) if k is not None else ("fixed", percent_of(rate), 0)
    if isinstance(rate, Specific | Compound) and not rate.layers():
        return ("own", None, k) if k is not None else ("rate", rate, 0)
    if isinstance(rate, TopUp):
        read = winners.get(rate.layer)
        if read is None:
            return None
        j = position.get(read.id)
        if not isinstance(read.rate, AdValorem | Free):
            # The row's own line, a specific or compound rate: its duty is the row's.
            own = isinstance(read.rate, Specific | Compound) and not read.rate.layers()
            return ("topup-own", rate, j) if own and j is not None else None
        if j is not None:
            return ("topup", rate.percent, j)
        return ("fixed", gross.amount * HUNDRED / base.amount, 0)
    return None

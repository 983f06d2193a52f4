"""Rows whose duty is a percentage of their value plus amounts per unit of their quantity.

A plan whose lines are ad valorem, specific (an amount per unit) or compound rates of
those gives each row the duty ``value × P / 100 + Σ amount × quantity``, where ``P`` and
the amounts depend on the row's (plan, line) pair alone. That is exact integer
arithmetic when the numbers have few decimals: this module computes it for many rows by
arrays, and leaves every other row (a unit that differs, a finer number, a product
beyond 64 bits, any other rate) to the rates themselves, row by row.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from tradelaw.frame._columns import Columns
from tradelaw.frame._engine import FORMS, Compiled, Plan, percent_of
from tradelaw.frame._values import DIGITS, PLACES, Values, decimals, scaled_percent
from tradelaw.measures import Measure
from tradelaw.money import HUNDRED, Quantity
from tradelaw.rates import AdValorem, Compound, Free, Specific
from tradelaw.resolution import tidy

__all__ = ["linear_rows"]

# The decimals of a duty as an integer: a value's, a percentage's, and percent itself.
_SCALE = DIGITS + PLACES + 2

# The most decimals an amount per unit or a quantity may have here.
_FINEST = 6

_LARGEST = (1 << 63) - 1

# A plan's duty on a row as a linear form: the percentage of the value (in millionths of
# a point), and the amounts per unit (an integer, its decimals, the unit casefolded).
_Form = tuple[int, tuple[tuple[int, int, str], ...]]


def linear_rows(
    engine: Compiled,
    columns: Columns,
    values: Values,
    quantity_at: Any,
    quantities: Sequence[object],
    rows: Any,
    plan_pair: Any,
    plans: Sequence[Plan],
    parts: Sequence[Any],
    currencies: Sequence[str],
) -> Any:
    """Answer the ``rows`` whose duty is a linear form of value and quantity; return the rest.

    ``plan_pair[i]`` is row ``rows[i]``'s (plan number, part number); ``quantity_at``
    numbers each row's quantity cell among ``quantities``.
    """
    import numpy as np

    if not len(rows):
        return rows
    pairs, firsts, pair_at = np.unique(plan_pair, axis=0, return_index=True, return_inverse=True)
    pair_at = pair_at.reshape(-1)
    forms = [
        _form_of(engine, plans[p], parts[n][1], currencies[int(rows[firsts[i]])])
        for i, (p, n) in enumerate(pairs.tolist())
    ]
    width = max((len(f[1]) for f in forms if f is not None), default=0)
    units: dict[str, int] = {}
    percent = np.full(len(forms), -1, dtype=np.int64)  # -1: not a linear form
    amount = np.zeros((width, len(forms)), dtype=np.int64)
    places = np.zeros((width, len(forms)), dtype=np.int64)
    unit = np.full((width, len(forms)), -1, dtype=np.int64)  # -1: no term
    for i, form in enumerate(forms):
        if form is None:
            continue
        percent[i] = form[0]
        for t, (each, digits, name) in enumerate(form[1]):
            amount[t, i], places[t, i] = each, digits
            unit[t, i] = units.setdefault(name, len(units))
    # Each quantity cell: its amount as an integer, its decimals, its unit (-2: none here).
    q_amount = np.zeros(len(quantities) + 1, dtype=np.int64)
    q_places = np.zeros(len(quantities) + 1, dtype=np.int64)
    q_unit = np.full(len(quantities) + 1, -2, dtype=np.int64)  # -2: matches no term
    for k, quantity in enumerate(quantities):
        scaled = _scaled(quantity.amount) if isinstance(quantity, Quantity) else None
        if scaled is not None and isinstance(quantity, Quantity):
            q_amount[k], q_places[k] = scaled
            q_unit[k] = units.get(quantity.unit.casefold(), -2)
    which = pair_at  # each row's form
    fine = percent[which] >= 0
    value = values.scaled[rows]
    q = np.asarray(quantity_at, dtype=np.int64)[rows]
    rate = np.maximum(percent[which], 0)
    fine &= value <= _LARGEST // np.maximum(rate, 1)
    duty = np.where(fine, value, 0) * rate  # in units of 10**-_SCALE
    for t in range(width):
        term = unit[t, which] >= 0
        fine &= ~term | (q_unit[q] == unit[t, which])
        shift = _SCALE - places[t, which] - q_places[q]
        fine &= ~term | (shift >= 0)
        a = np.where(term & fine, amount[t, which], 0)
        factor = 10 ** np.clip(shift, 0, _SCALE)
        n = np.where(term & fine, q_amount[q], 0)
        fine &= n <= _LARGEST // np.maximum(a, 1)
        part = np.where(fine, a * n, 0)
        fine &= part <= _LARGEST // factor
        part = np.where(fine, part * factor, 0)
        fine &= duty <= _LARGEST - part
        duty = np.where(fine, duty + part, 0)
    done = rows[fine]
    if len(done):
        totals = decimals(duty[fine], np.full(len(done), _SCALE))
        amounts = values.of_rows(done)
        columns.duty[done] = totals
        columns.rate[done] = [
            tidy(total * HUNDRED / value)
            for total, value in zip(totals.tolist(), amounts, strict=True)
        ]
    return rows[~fine]


def _form_of(
    engine: Compiled, plan: Plan, items: Sequence[Measure], currency: str
) -> _Form | None:
    """A plan's duty on the rows of one part as a linear form (None if it is not one)."""
    key = (id(plan), id(items), currency)  # plans and parts live as long as the engine
    if key in engine.forms:
        known: _Form | None = engine.forms[key]
        return known
    found = _form(plan, items, currency)
    if len(engine.forms) < FORMS:
        engine.forms[key] = found
    return found


def _form(plan: Plan, items: Sequence[Measure], currency: str) -> _Form | None:
    percent = 0
    terms: list[tuple[int, int, str]] = []
    for _layer, (how, number, k) in plan.lines:
        if how in ("fixed", "table", "topup"):
            read = percent_of(items[k].rate) if how != "fixed" else Decimal(number)
            share = max(Decimal(0), number - read) if how == "topup" else read
            found = scaled_percent(share)
        elif how in ("own", "rate"):
            rate = number if how == "rate" else items[k].rate
            found = 0
            for part in rate.parts if isinstance(rate, Compound) else (rate,):
                if isinstance(part, AdValorem | Free):
                    scaled = scaled_percent(percent_of(part))
                    if scaled < 0:
                        return None
                    found += scaled
                elif isinstance(part, Specific) and part.amount.currency == currency:
                    each = _scaled(part.amount.amount)
                    if each is None:
                        return None
                    terms.append((*each, part.unit.casefold()))
                else:
                    return None
        else:
            return None
        if found < 0:
            return None
        percent += found
    return percent, tuple(terms)


def _scaled(number: Decimal) -> tuple[int, int] | None:
    """A non-negative number as an integer and its decimals (None: finer, or negative)."""
    if not number.is_finite() or number < 0:
        return None
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    decimals = max(0, -exponent)
    if decimals > _FINEST:
        return None
    found = int(number.scaleb(decimals))
    return (found, decimals) if found < 1 << 62 else None

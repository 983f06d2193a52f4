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
from tradelaw.frame._engine import FORMS, Compiled
from tradelaw.frame._keys import unique_rows
from tradelaw.frame._plans import Line, Plan, percent_of
from tradelaw.frame._values import DUTY_PLACES, LARGEST, Values, decimals, scaled_percent
from tradelaw.money import HUNDRED, Quantity
from tradelaw.rates import AdValorem, Compound, Free, Specific
from tradelaw.resolution import tidy

__all__ = ["linear_rows"]

# The most decimals an amount per unit or a quantity may have here.
_FINEST = 6

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
    layers: bool,
) -> Any:
    """Answer the ``rows`` whose duty is a linear form of value and quantity; return the rest.

    ``plan_pair[i]`` is row ``rows[i]``'s (plan number, part number); ``quantity_at``
    numbers each row's quantity cell among ``quantities``. With ``layers``, each layer's
    duty too.
    """
    import numpy as np

    if not len(rows):
        return rows
    pairs, firsts, which = unique_rows(plan_pair[:, 0], plan_pair[:, 1])  # which: each row's
    per_layer = [
        _form_of(engine, plans[p], parts[n].lines, currencies[int(rows[firsts[i]])])
        for i, (p, n) in enumerate(pairs.tolist())
    ]
    units: dict[str, int] = {}
    quantity = _Quantities(quantities, units, np.asarray(quantity_at, dtype=np.int64)[rows])
    value = values.scaled[rows]
    totals = [None if f is None else _sum(f.values()) for f in per_layer]
    fine, duty = _Forms(totals, units).duties(which, value, quantity)
    done = rows[fine]
    if not len(done):
        return rows
    total = decimals(duty[fine], np.full(len(done), DUTY_PLACES))
    columns.duty[done] = total
    columns.rate[done] = [
        tidy(t * HUNDRED / v) for t, v in zip(total.tolist(), values.of_rows(done), strict=True)
    ]
    if layers:  # each no larger than the total: the integers fit
        names = sorted({name for f in per_layer if f is not None for name in f})
        for name in names:
            forms = [None if f is None else f.get(name) for f in per_layer]
            has, found = _Forms(forms, units).duties(which, value, quantity)
            has &= fine
            columns.layer(name)[rows[has]] = decimals(
                found[has], np.full(int(has.sum()), DUTY_PLACES)
            )
    return rows[~fine]


class _Quantities:
    """The rows' quantities: each one's amount as an integer, its decimals and its unit."""

    def __init__(self, quantities: Sequence[object], units: dict[str, int], at: Any) -> None:
        import numpy as np

        count = len(quantities) + 1
        amount = np.zeros(count, dtype=np.int64)
        places = np.zeros(count, dtype=np.int64)
        unit = np.full(count, -2, dtype=np.int64)  # -2: in no unit a rate names here
        for k, quantity in enumerate(quantities):
            if isinstance(quantity, Quantity):
                scaled = _scaled(quantity.amount)
                if scaled is not None:
                    amount[k], places[k] = scaled
                    unit[k] = units.setdefault(quantity.unit.casefold(), len(units))
        self.amount, self.places, self.unit = amount[at], places[at], unit[at]


class _Forms:
    """Linear forms as arrays: the percentage, and each term's amount, decimals, unit."""

    def __init__(self, forms: Sequence[_Form | None], units: dict[str, int]) -> None:
        import numpy as np

        width = max((len(f[1]) for f in forms if f is not None), default=0)
        self.percent = np.full(len(forms), -1, dtype=np.int64)  # -1: no form
        self.amount = np.zeros((width, len(forms)), dtype=np.int64)
        self.places = np.zeros((width, len(forms)), dtype=np.int64)
        self.unit = np.full((width, len(forms)), -1, dtype=np.int64)  # -1: no term
        for i, form in enumerate(forms):
            if form is None:
                continue
            self.percent[i] = form[0]
            for t, (each, digits, name) in enumerate(form[1]):
                self.amount[t, i], self.places[t, i] = each, digits
                self.unit[t, i] = units.setdefault(name, len(units))

    def duties(self, which: Any, value: Any, quantity: _Quantities) -> tuple[Any, Any]:
        """Per row: whether its form gives its duty here, and the duty in 10**-DUTY_PLACES."""
        import numpy as np

        fine = self.percent[which] >= 0
        rate = np.maximum(self.percent[which], 0)
        fine &= value <= LARGEST // np.maximum(rate, 1)
        duty = np.where(fine, value, 0) * rate
        for t in range(len(self.amount)):
            unit = self.unit[t, which]
            term = unit >= 0
            shift = DUTY_PLACES - self.places[t, which] - quantity.places
            fine &= ~term | ((quantity.unit == unit) & (shift >= 0))
            each = np.where(term & fine, self.amount[t, which], 0)
            count = np.where(term & fine, quantity.amount, 0)
            fine &= count <= LARGEST // np.maximum(each, 1)
            part = np.where(fine, each * count, 0)
            factor = 10 ** np.clip(shift, 0, DUTY_PLACES)
            fine &= part <= LARGEST // factor
            part = np.where(fine, part * factor, 0)
            fine &= duty <= LARGEST - part
            duty = np.where(fine, duty + part, 0)
        return fine, duty


def _sum(forms: Any) -> _Form:
    """The linear form of the sum of several."""
    percent, terms = 0, []
    for share, more in forms:
        percent += share
        terms += more
    return percent, tuple(terms)


def _form_of(
    engine: Compiled, plan: Plan, items: Sequence[Line], currency: str
) -> dict[str, _Form] | None:
    """A plan's duty on the rows of one part, per layer, as linear forms (None: not one)."""
    key = (id(plan), id(items), currency)  # plans and parts live as long as the engine
    if key in engine.forms:
        known: dict[str, _Form] | None = engine.forms[key]
        return known
    found = _form(plan, items, currency)
    if len(engine.forms) < FORMS:
        engine.forms[key] = found
    return found


def _form(plan: Plan, items: Sequence[Line], currency: str) -> dict[str, _Form] | None:
    found: dict[str, _Form] = {}
    for layer, (how, number, k) in plan.lines:
        terms: list[tuple[int, int, str]] = []
        if how in ("fixed", "table", "topup"):
            read = percent_of(items[k].rate) if how != "fixed" else Decimal(number)
            share = max(Decimal(0), number - read) if how == "topup" else read
            percent = scaled_percent(share)
        elif how in ("own", "rate"):
            rate = number if how == "rate" else items[k].rate
            percent = 0
            for part in rate.parts if isinstance(rate, Compound) else (rate,):
                if isinstance(part, AdValorem | Free):
                    scaled = scaled_percent(percent_of(part))
                    if scaled < 0:
                        return None
                    percent += scaled
                elif isinstance(part, Specific) and part.amount.currency == currency:
                    each = _scaled(part.amount.amount)
                    if each is None:
                        return None
                    terms.append((*each, part.unit.casefold()))
                else:
                    return None
        else:
            return None
        if percent < 0:
            return None
        found[layer] = (percent, tuple(terms))
    return found


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

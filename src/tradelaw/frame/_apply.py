"""Plans applied to their rows, by arrays over each (plan, base-layer line) pair.

A plan's answer depends on a row's base-layer line (its percentages, headings and ids)
and, through arithmetic only, on the row's value. What each (plan, line) pair says is
worked out for all pairs at once, with percentages as integers (millionths of a point);
a row then costs an integer product, and a ``Decimal`` is made once per distinct duty.
Whatever does not fit that form (a percentage finer than a millionth, a product beyond
64 bits, a rate that is not a percentage) is computed by the rates themselves, exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import zip_longest
from typing import Any

from tradelaw.frame._columns import Columns, Words
from tradelaw.frame._engine import Compiled
from tradelaw.frame._keys import unique_rows
from tradelaw.frame._plans import Outcome, Plan
from tradelaw.frame._values import DUTY_PLACES, LARGEST, PLACES, Values, decimals, scaled_percent

__all__ = ["Applied", "apply_plans"]

# How a (plan, line) pair answers its rows.
_FIXED, _PERCENT, _BY_RATES, _ALONE, _PER_LINE = 0, 1, 2, 3, 4

# How a plan's line of one layer has its percentage (see _engine._How).
_NONE, _SET, _TABLE, _TOPUP = 0, 1, 2, 3
_HOW = {"fixed": _SET, "table": _TABLE, "topup": _TOPUP}


class Applied:
    """What :func:`apply_plans` leaves to compute row by row, by the rates.

    ``by_rates`` marks those rows; ``pair_of[row]`` is the number of a row's (plan, line)
    pair among ``combos`` (plan number, line number).
    """

    def __init__(self, by_rates: Any, combos: Any, pair_of: Any) -> None:
        self.by_rates = by_rates
        self.combos = combos
        self.pair_of = pair_of


def apply_plans(
    engine: Compiled,
    columns: Columns,
    values: Values,
    plans: Sequence[Plan],
    plan_at: Any,
    grouped: Any,
    pair_at: Any,
    parts: Sequence[Any],
    alone: Any,
    answer: Callable[[int], Outcome],
    layers: bool,
) -> Applied:
    """Answer the ``grouped`` rows by their plans; mark in ``alone`` those left to resolve().

    ``plan_at`` and ``pair_at`` give each grouped row's plan and base-layer line (a part);
    ``answer(row)`` resolves one row on its own (for a plan whose rows of one line answer
    alike).
    """
    import numpy as np

    combos, first, combo_at = unique_rows(plan_at, pair_at)  # by plan, then line
    pairs = _Pairs(engine, columns.words, plans, parts, combos)
    pairs.per_line(engine, grouped[first], answer)
    pairs.texts()
    pairs.percentages(layers)

    # The rows: each takes its pair's answer.
    row_kind = pairs.kind[combo_at]
    alone[grouped[row_kind == _ALONE]] = True
    answered = row_kind != _ALONE
    rows, at = grouped[answered], combo_at[answered]
    columns.status[rows], columns.headings[rows] = pairs.status[at], pairs.headings[at]
    columns.message[rows] = pairs.message[at]
    by_rates = np.zeros(len(alone), dtype=bool)
    took = row_kind == _PERCENT
    rows, at = grouped[took], combo_at[took]
    value, rate = values.scaled[rows], pairs.total[at]
    fine = value <= LARGEST // np.maximum(rate, 1)  # else the product would not fit
    by_rates[rows[~fine]] = True
    rows, at, value, rate = rows[fine], at[fine], value[fine], rate[fine]
    columns.rate[rows] = pairs.rate[at]
    columns.duty[rows] = decimals(value * rate, np.full(len(rows), DUTY_PLACES))
    for layer, share in pairs.shares.items():
        mine = share[at]
        present = mine >= 0
        columns.layer(layer)[rows[present]] = decimals(
            value[present] * mine[present], np.full(int(present.sum()), DUTY_PLACES)
        )
    by_rates[grouped[row_kind == _BY_RATES]] = True
    pair_of = np.full(len(alone), -1, dtype=np.int64)
    pair_of[grouped] = combo_at
    return Applied(by_rates, combos, pair_of)


class _Pairs:
    """The answers of a run's (plan, line) pairs, as arrays over the pairs.

    ``kind`` says how a pair answers its rows; ``status``, ``headings`` and ``message`` are
    numbers into the run's words; ``total`` is the total percentage (millionths of a
    point) and ``rate`` its ``Decimal``, for the pairs whose duty is a percentage of the
    value; ``shares`` each layer's percentage (-1: not there), when layers are asked for.
    """

    def __init__(
        self,
        engine: Compiled,
        words: Words,
        plans: Sequence[Plan],
        parts: Sequence[Any],
        combos: Any,
    ) -> None:
        import numpy as np

        self.words, self.plans, self.parts = words, plans, parts
        self.plan, self.line = combos[:, 0], combos[:, 1]
        count = len(combos)
        self.lines = [engine.line_row(part) for part in parts]
        self.table = table = _PlanTable(plans, words, engine)
        self.kind = table.kind[self.plan]
        self.status = table.status[self.plan]
        self.headings = np.zeros(count, dtype=np.int32)
        self.message = np.zeros(count, dtype=np.int32)
        self.total = np.zeros(count, dtype=np.int64)
        self.rate = np.full(count, None, dtype=object)
        self.shares: dict[str, Any] = {}

    def per_line(self, engine: Compiled, rows: Any, answer: Callable[[int], Outcome]) -> None:
        """The pairs of per-line plans: one row of each line through resolve(), kept.

        ``rows[c]`` is a row of pair c.
        """
        import numpy as np

        words = self.words
        for c in np.flatnonzero(self.kind == _PER_LINE).tolist():
            plan, part = self.plans[int(self.plan[c])], self.parts[int(self.line[c])]
            key = (id(plan), id(part))  # plans and parts live as long as the engine
            said = engine.line_answers.get(key)
            if said is None:
                said = engine.line_answers[key] = answer(int(rows[c]))
            self.status[c] = words.number(said.status)
            self.headings[c] = words.number(said.headings)
            self.message[c] = words.number(said.message)
            self.kind[c] = _FIXED if said.status != "ok" else _ALONE

    def texts(self) -> None:
        """Headings by each plan's pattern of them and the line; a fixed answer's message."""
        import numpy as np

        pattern = self.table.pattern[self.plan]
        named = np.flatnonzero(pattern >= 0)  # not the per-line pairs: theirs is said
        if len(named):
            keys, _, key_at = unique_rows(pattern[named], self.line[named])
            found = _headings(keys, self.table.patterns, self.lines, self.words)
            self.headings[named] = found[key_at]
        fixed = np.flatnonzero((self.kind == _FIXED) & (pattern >= 0))
        self.message[fixed] = self.words.numbers(
            self.plans[p].message_for(self.parts[n].lines)
            for p, n in zip(self.plan[fixed].tolist(), self.line[fixed].tolist(), strict=True)
        )

    def percentages(self, layers: bool) -> None:
        """Each percentage pair's total (and each layer's share); the finer ones by rates."""
        import numpy as np

        percent = np.asarray(
            list(zip_longest(*(ln[2] for ln in self.lines), fillvalue=-1)), np.int64
        ).reshape(-1, len(self.lines))  # percent[k, line]: item k's, or -1
        if not len(percent):  # no line has an item: what is read is never used
            percent = np.full((1, len(self.lines)), -1, dtype=np.int64)
        by_value = np.flatnonzero(self.kind == _PERCENT)
        p, n = self.plan[by_value], self.line[by_value]
        fits = self.table.exact[p]
        for layer, (how, number, k) in self.table.specs.items():
            how_c = how[p]
            if not how_c.any():
                continue
            read = percent[k[p], n]
            share = np.where(
                how_c == _SET,
                number[p],
                np.where(how_c == _TABLE, read, np.maximum(0, number[p] - read)),
            )
            share[how_c == _NONE] = 0
            fits &= ~((how_c >= _TABLE) & (read < 0))
            self.total[by_value] += share
            if layers:
                self.shares[layer] = np.full(len(self.kind), -1, dtype=np.int64)
                self.shares[layer][by_value] = np.where(how_c == _NONE, -1, share)
        self.kind[by_value[~fits]] = _BY_RATES  # a percentage finer than a millionth
        took = np.flatnonzero(self.kind == _PERCENT)
        if len(took):
            self.rate[took] = decimals(self.total[took], np.full(len(took), PLACES))


def _headings(
    keys: Any, patterns: dict[int, tuple[str | int, ...]], lines: Sequence[Any], words: Words
) -> Any:
    """The numbers of the headings texts of (pattern, line) ``keys``, sorted by pattern.

    Each pattern's texts are joined by object arrays over its lines at once: a pattern
    is fixed text and the line's item k's heading, in order.
    """
    import numpy as np

    count = max((len(line[1]) for line in lines), default=0)
    heading = np.full((max(count, 1), len(lines)), "", dtype=object)  # heading[k, line]
    for n, line in enumerate(lines):
        heading[: len(line[1]), n] = line[1]
    found = np.zeros(len(keys), dtype=np.int32)
    bounds = np.flatnonzero(np.diff(keys[:, 0])) + 1
    for lo, hi in zip([0, *bounds.tolist()], [*bounds.tolist(), len(keys)], strict=True):
        on = keys[lo:hi, 1]
        texts: Any = None
        for part in patterns[int(keys[lo, 0])]:
            cells = part if isinstance(part, str) else heading[part, on]
            texts = cells if texts is None else texts + " " + cells
        if texts is None or isinstance(texts, str):  # no heading, or fixed ones only
            found[lo:hi] = words.number(texts or "")
        else:
            found[lo:hi] = words.added(texts.tolist())  # (pattern, line): mostly distinct
    return found


class _PlanTable:
    """The plans of a run as arrays, one element per plan.

    ``kind``, ``status`` (a word's number), ``exact`` (its percentages are whole
    millionths), ``pattern`` (the number of its headings' pattern in ``patterns``, -1 for
    none) and, per layer, ``specs[layer]``: how the plan's line there has its percentage
    (``_NONE``, ``_SET``…), the number it sets, and the line's item k it reads.
    """

    def __init__(self, plans: Sequence[Plan], words: Words, engine: Compiled) -> None:
        import numpy as np

        count = len(plans)
        self.kind = np.full(count, _PERCENT, dtype=np.int8)
        self.status = np.zeros(count, dtype=np.int32)
        self.exact = np.ones(count, dtype=bool)
        self.pattern = np.full(count, -1, dtype=np.int64)
        self.patterns: dict[int, tuple[str | int, ...]] = {}
        self.specs: dict[str, tuple[Any, Any, Any]] = {}
        ok = words.number("ok")
        for p, plan in enumerate(plans):
            if plan.per_line or plan.per_row:
                self.kind[p] = _PER_LINE if plan.per_line else _ALONE
                continue
            headings = tuple(plan.headings)
            self.pattern[p] = number = engine.number("headings", headings)
            self.patterns[number] = headings
            if plan.fixed is not None:
                self.kind[p], self.status[p] = _FIXED, words.number(plan.fixed.status)
                continue
            self.status[p] = ok
            if any(how not in _HOW for _layer, (how, _n, _k) in plan.lines):
                self.kind[p] = _BY_RATES
                continue
            for layer, (how, number, k) in plan.lines:
                self._line(p, layer, how, number, k, count)

    def _line(self, p: int, layer: str, how: str, number: Any, k: int, count: int) -> None:
        import numpy as np

        spec = self.specs.get(layer)
        if spec is None:
            spec = self.specs[layer] = (
                np.zeros(count, dtype=np.int8),
                np.zeros(count, dtype=np.int64),
                np.zeros(count, dtype=np.int64),
            )
        spec[0][p], spec[2][p] = _HOW[how], k
        if how != "table":
            scaled = scaled_percent(Decimal(number))
            self.exact[p] &= scaled >= 0
            spec[1][p] = max(scaled, 0)

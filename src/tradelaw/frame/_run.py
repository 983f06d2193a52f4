"""One resolution of a whole table: its columns read, its rows grouped, each answered.

:func:`resolve_columns` is the engine's entry point for any source of rows: a data frame
(:func:`tradelaw.frame.resolve`) or a CSV file read in chunks (``tradelaw entries``). It
needs numpy; the columns are plain lists, one per column name.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from itertools import zip_longest
from typing import Any

from tradelaw.errors import TradelawError
from tradelaw.facts import FactType
from tradelaw.frame._engine import (
    Compiled,
    GoodsClass,
    Outcome,
    Plan,
    make_plan,
    resolve_one,
)
from tradelaw.frame._rows import entry_of, fact_columns, is_empty, quantity_of, text
from tradelaw.money import HUNDRED, Money, Quantity
from tradelaw.resolution import tidy
from tradelaw.scope import Origins, country_code, goods_code
from tradelaw.time import instant, micros

__all__ = ["Columns", "collector_paused", "resolve_columns"]


def resolve_columns(
    engine: Compiled, cells: Mapping[str, Any], rows: int, layers: bool = False
) -> tuple[Columns, list[str]]:
    """Resolve ``rows`` rows given as columns; return the result columns and each currency.

    Without numpy (the ``frames`` extra brings it), every row goes through ``resolve()``:
    the same answers, one at a time.
    """
    run = _Run(engine, cells, rows, layers)
    if not rows:
        return Columns(0), []
    try:
        import numpy  # noqa: F401 - optional: the engine's arrays
    except ImportError:
        return run.one_by_one()
    with engine.lock, collector_paused():
        return run.outcomes()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a run; restore it after.

    A run makes millions of small objects, none in a cycle, beside a table of millions of
    cells: each full collection walks them all, which cost a fifth of a run's time.
    Reference counting still frees everything; cycles made meanwhile are found later.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class Columns:
    """The result columns, filled row by row (lists, or numpy arrays while a run fills them)."""

    def __init__(self, n: int, filled: Callable[[object], Any] | None = None) -> None:
        self.n = n
        self._filled = filled or (lambda value: [value] * n)
        self.rate: Any = self._filled(None)
        self.duty: Any = self._filled(None)
        self.headings: Any = self._filled("")
        self.status: Any = self._filled("")
        self.message: Any = self._filled("")
        self.layers: dict[str, Any] = {}

    def layer(self, name: str) -> Any:
        """The duty column of one layer (made empty when first asked for)."""
        column = self.layers.get(name)
        if column is None:
            column = self.layers[name] = self._filled(None)
        return column

    def listed(self) -> Columns:
        """The same columns as lists."""
        if isinstance(self.rate, list):
            return self
        done = Columns(self.n)
        done.rate, done.duty = self.rate.tolist(), self.duty.tolist()
        done.headings, done.status = self.headings.tolist(), self.status.tolist()
        done.message = self.message.tolist()
        done.layers = dict(self.layers)  # object arrays: a panel has millions of rows
        return done

    def put(self, row: int, outcome: Outcome) -> None:
        """Write one row's answer."""
        self.status[row], self.rate[row], self.duty[row] = (
            outcome.status,
            outcome.rate,
            outcome.duty,
        )
        self.headings[row], self.message[row] = outcome.headings, outcome.message
        for layer, amount in outcome.layers.items():
            self.layer(layer)[row] = amount


class _Run:
    """One call of :func:`resolve`: the rows read column by column, grouped, answered.

    Every step works on the distinct values of a column or on integer arrays: a row costs
    a few array elements, and Python work is done once per distinct value or group.
    """

    def __init__(
        self, engine: Compiled, cells: Mapping[str, Any], rows: int, layers: bool
    ) -> None:
        self.engine = engine
        self.schedule = engine.schedule
        self.layers = layers
        self.columns = list(cells)
        self.cells = cells  # lists, or pandas Series (read by pandas, not cell by cell)
        self.rows = rows
        self.declared = self.schedule.declared_facts
        self.facts = fact_columns(self.columns, self.declared)
        self._texts: dict[str, _Texts] = {}  # text Series, numbered
        self._lists: dict[str, list[object]] = {}  # other Series, as lists once a row is read

    def row(self, n: int) -> dict[str, object]:
        return {c: self._cell(c, n) for c in self.columns}

    def _cell(self, name: str, n: int) -> object:
        cells = self.cells[name]
        if isinstance(cells, list):
            return cells[n]
        texts = self._texts.get(name)
        if texts is not None:
            code = int(texts[0][n])
            return texts[1][code] if code >= 0 else cells.iat[n]
        listed = self._lists.get(name)
        if listed is None:
            listed = self._lists[name] = cells.tolist()
        return listed[n]

    def column(self, name: str) -> Any:
        """A column's cells (a list or a pandas Series); all missing if there is none."""
        found = self.cells.get(name)
        return [None] * self.rows if found is None else found

    def distinct(
        self, name: str, read: Any, known: dict[str, Any] | None = None, ready: Any = None
    ) -> Any:
        """:func:`_distinct` of a column, keeping a text Series' numbering for :meth:`row`."""
        cells = self.column(name)
        texts = _text_codes(cells)
        if texts is not None and not isinstance(cells, list):
            self._texts[name] = texts
        return _distinct_of(cells, texts, read, known, ready)

    def outcomes(self) -> tuple[Columns, list[str]]:
        import numpy as np

        engine, n, zone = self.engine, self.rows, self.schedule.zone
        default = self.schedule.currency
        alone = np.zeros(n, dtype=bool)  # rows to resolve on their own

        def read(name: str, reader: Any) -> tuple[Any, list[Any]]:
            """Per row: the index of its distinct cell; per distinct cell: what it reads."""
            index, values = self.distinct(name, reader, engine.readings.get(name))
            bad = np.asarray([v is _BAD for v in values] + [False], dtype=bool)
            alone[bad[index]] = True
            return index, values

        def needed(index: Any, values: list[Any]) -> None:
            missing = np.asarray([v is None for v in values] + [True], dtype=bool)
            alone[missing[index]] = True

        codes_at, codes = read("goods", lambda c: goods_code(text(c, "goods")))
        needed(codes_at, codes)
        origins_at, origins = read("origin", lambda c: country_code(text(c, "origin")))
        needed(origins_at, origins)
        when_at, whens = read("entered", lambda c: micros(_entered(c, zone)))
        needed(when_at, whens)
        currency_at, currencies = read("currency", lambda c: _currency(text(c, "currency")))
        currency_of = [c if isinstance(c, str) else default for c in currencies] + [default]
        units_at, quantities = read("quantity", quantity_of)
        self._quantity_at, self._quantities = units_at, quantities
        units = [q.unit if isinstance(q, Quantity) else q for q in quantities]
        unit_rows = np.asarray([engine.number("unit", u) for u in units] + [-1], dtype=np.int64)[
            units_at
        ]
        facts_at = []
        self._fact_values: dict[str, list[Any]] = {}
        for name in self.facts:
            index, values = read(name, self._fact_reader(name))
            facts_at.append(index)
            self._fact_values[name] = values
        amounts_at, distinct_amounts = self.distinct("value", _amount_or_bad, None, _plain_amounts)
        readable = [None if a is _BAD else a for a in distinct_amounts]
        self._values, self._value_at = np.asarray(readable, dtype=object), amounts_at
        alone[np.asarray([a is None for a in readable], dtype=bool)[amounts_at]] = True
        zero_at = np.asarray([a is not None and not a for a in readable], dtype=np.int64)[
            amounts_at
        ]
        row_currency = np.asarray(currency_of, dtype=object)[currency_at].tolist()

        moments = np.asarray([w if isinstance(w, int) else 0 for w in whens] + [0], dtype=np.int64)
        segments = (
            np.searchsorted(
                np.asarray(engine.cut_micros, dtype=np.int64), moments[when_at], side="right"
            )
            - 1
        )
        epochs = np.asarray([engine.epoch(s) for s in range(-1, len(engine.cuts))])[segments + 1]
        grouped = np.flatnonzero(~alone).astype(_small(n))

        # The base layer: one look per (code, epoch) the rows use.
        pairs, pair_first, pair_at = _unique_rows(codes_at[grouped], epochs[grouped])
        parts = [
            engine.table_part(codes[int(c)], int(segments[grouped[first]]))
            for (c, _e), first in zip(pairs, pair_first, strict=True)
        ]
        # The schedule's items: a goods mask per code, an origin mask per (origin, segment).
        goods_ids: dict[object, int] = {}  # a goods class's key -> its number
        goods_list: list[GoodsClass] = []
        gid_list = []
        for c in codes:
            if not isinstance(c, str):
                gid_list.append(-1)
                continue
            key, levels = engine.goods_levels(c)
            number = goods_ids.get(key)
            if number is None:
                number = goods_ids[key] = len(goods_list)
                goods_list.append(levels)
            gid_list.append(number)
        gid = np.asarray([*gid_list, -1])
        places, _, place_at = _unique_rows(origins_at[grouped], segments[grouped])
        origin_list = [engine.origin_levels(origins[int(o)], int(t)) for o, t in places]
        same: dict[int, int] = {}  # places with equal levels share one dict: one cover
        level_of = np.asarray([same.setdefault(id(d), k) for k, d in enumerate(origin_list)])
        covers, _, cover_at = _unique_rows(gid[codes_at[grouped]], level_of[place_at])
        sid = np.asarray([engine.cover_number(goods_list[g], origin_list[o]) for g, o in covers])
        sid_rows = sid[cover_at]

        # Facts, as one key per row.
        if facts_at:
            fact_keys, _, fact_at = _unique_rows(*(f[grouped] for f in facts_at))
        else:
            fact_keys, fact_at = (
                np.zeros((1, 0), dtype=np.int64),
                np.zeros(len(grouped), dtype=np.int64),
            )

        # The base layer's items as they bear on each row: those that cover its origin and
        # whose condition its facts do not rule out (the others are skipped, whatever they say).
        origin_sets = engine.origin_sets
        for part in parts:
            for item in part[1] if part else ():
                origin_sets.setdefault(item.origins, len(origin_sets))
        pattern_ids: dict[tuple[int | None, ...], int] = {}
        patterns = np.asarray(
            [
                pattern_ids.setdefault(
                    tuple(
                        o.specificity(origins[int(g)], engine.moment(int(t))) for o in origin_sets
                    ),
                    len(pattern_ids),
                )
                for g, t in places
            ]
        )
        pattern_list = list(pattern_ids)
        no_part = np.asarray([p is None for p in parts], dtype=bool)
        alone[grouped[no_part[pair_at]]] = True
        triples, _, triple_at = _unique_rows(pair_at, patterns[place_at], fact_at)
        facts_of = [self._facts_of(key) for key in fact_keys]
        fact_ids = np.asarray([engine.number("facts", _frozen(f)) for f in facts_of])
        eid = []
        for pair, pattern, facts in triples.tolist():
            part = parts[pair]
            if part is None:
                eid.append(-1)
                continue
            key = (id(part), pattern_list[pattern], int(fact_ids[facts]))
            found = engine.effective.get(key)  # the chunks of a file share their parts
            if found is None:
                shape = _effective(part, pattern_list[pattern], origin_sets, facts_of[facts], zone)
                found = engine.effective[key] = engine.number("effective", shape)
            eid.append(found)
        eid_rows = np.asarray(eid)[triple_at]

        # What else sets rows apart: their currency, and a value of zero (no rate to give).
        extras, _, extra_at = _unique_rows(currency_at[grouped], zero_at[grouped])
        extra_rows = np.asarray(
            [engine.number("extra", (currency_of[c], bool(z))) for c, z in extras.tolist()],
            dtype=np.int64,
        )[extra_at]
        keep = ~alone[grouped]
        key_columns = [sid_rows, eid_rows, extra_rows, unit_rows[grouped], fact_ids[fact_at]]
        grouped, pair_at = grouped[keep], pair_at[keep]
        unique_keys, first, plan_at = _unique_rows(*(k[keep] for k in key_columns))
        # The per-row arrays that made the keys go before the answers come (memory).
        del key_columns, sid_rows, eid_rows, extra_rows, unit_rows, fact_at, triple_at
        del codes_at, origins_at, when_at, segments, epochs, place_at, cover_at, zero_at
        columns = Columns(n, filled=lambda value: np.full(n, value, dtype=object))
        if len(grouped):
            plans = []
            for key, rep in zip(unique_keys.tolist(), first.tolist(), strict=True):
                plan = engine.plans.get(tuple(key))
                if plan is None:  # no row of an earlier chunk was in this group
                    row, part = int(grouped[rep]), parts[int(pair_at[rep])]
                    assert part is not None
                    try:
                        entry = entry_of(self.row(row), self.facts, self.declared, default)
                        result: Any = self.schedule.resolve(entry, as_of=engine.as_of)
                    except TradelawError as error:  # kept without its frames: no cycle
                        result = error.with_traceback(None)
                    plan = make_plan(result, part[1])
                    engine.plans[tuple(key)] = plan
                plans.append(plan)
            self._apply(columns, plans, plan_at, grouped, pair_at, parts, alone)
            for row in np.flatnonzero(self._by_rates).tolist():
                amount = self._values[self._value_at[row]]
                self._by_rate(columns, row, amount, row_currency[row], alone)
        for i in np.flatnonzero(alone).tolist():
            columns.put(i, self._alone(i, default))
        return columns.listed(), row_currency

    def _apply(
        self,
        columns: Columns,
        plans: list[Plan],
        plan_at: Any,
        grouped: Any,
        pair_at: Any,
        parts: list[Any],
        alone: Any,
    ) -> None:
        """Apply each group's plan to its rows, by arrays over each (plan, line) pair.

        A plan's answer depends on the row's base-layer line (its percentage, heading and
        ids) and, through arithmetic only, on the row's value: what a pair says is worked
        out once, and a row costs a multiplication of exact decimals.
        """
        import numpy as np

        combos, first, combo_at = _unique_rows(plan_at, pair_at)  # by plan, then line
        count = len(combos)
        kind = np.zeros(count, dtype=np.int8)  # _FIXED, _PERCENT_OF_VALUE, _BY_RATES, _ALONE
        status, headings, message = (np.full(count, "", dtype=object) for _ in range(3))
        summed, rate = np.empty(count, dtype=object), np.empty(count, dtype=object)
        shares: dict[str, Any] = {}  # layer -> each pair's percentage (None: not there)
        lines = _LineTable([self.engine.line_row(part) for part in parts])
        bounds = np.searchsorted(combos[:, 0], np.arange(len(plans) + 1))
        tidied: dict[Decimal, Decimal] = {}
        for number, plan in enumerate(plans):
            lo, hi = int(bounds[number]), int(bounds[number + 1])
            if lo == hi:
                continue
            pairs = combos[lo:hi, 1]
            if plan.per_line:  # one row of each line through resolve(), for all its rows
                for c in range(lo, hi):
                    # Plans and parts live as long as the engine: so does their answer.
                    line = (id(plan), id(parts[int(combos[c, 1])]))
                    said = self.engine.line_answers.get(line)
                    if said is None:
                        said = self._alone(int(grouped[first[c]]), self.schedule.currency)
                        self.engine.line_answers[line] = said
                    status[c], headings[c], message[c] = said.status, said.headings, said.message
                    kind[c] = _FIXED if said.status != "ok" else _ALONE
                continue
            if plan.per_row:
                kind[lo:hi] = _ALONE
                continue
            headings[lo:hi] = lines.headings(plan, pairs)
            if plan.fixed is not None:
                status[lo:hi] = plan.fixed.status
                message[lo:hi] = [plan.message_for(parts[p][1]) for p in pairs.tolist()]
                continue
            status[lo:hi] = "ok"
            percents = lines.percents(plan, pairs)
            if percents is None:
                kind[lo:hi] = _BY_RATES
                continue
            kind[lo:hi] = _PERCENT_OF_VALUE
            # A row whose duties are percentages of its value has their sum as its total
            # rate, whatever the value (resolve() divides it out again).
            total = np.full(hi - lo, Decimal(0), dtype=object)
            for layer, percent in percents.items():
                total = total + percent
                share = shares.get(layer)
                if share is None:
                    share = shares[layer] = np.full(count, None, dtype=object)
                share[lo:hi] = percent
            summed[lo:hi] = total
            rate[lo:hi] = [
                tidied[t] if t in tidied else tidied.setdefault(t, tidy(t)) for t in total.tolist()
            ]
        row_kind = kind[combo_at]
        alone[grouped[row_kind == _ALONE]] = True
        answered = row_kind != _ALONE
        rows, at = grouped[answered], combo_at[answered]
        columns.status[rows], columns.headings[rows] = status[at], headings[at]
        columns.message[rows] = message[at]
        by_value = row_kind == _PERCENT_OF_VALUE
        rows, at = grouped[by_value], combo_at[by_value]
        columns.rate[rows] = rate[at]
        # Each distinct (value, pair) is multiplied once: a panel's cells share one value.
        products, _, product_at = _unique_rows(self._value_at[rows], at)
        value, line = self._values[products[:, 0]], products[:, 1]
        # Divided by 100 once per pair, not per row: exact either way, and tidied alike.
        fraction = np.asarray([None if t is None else t / HUNDRED for t in summed], dtype=object)
        duty = [tidy(d) for d in (value * fraction[line]).tolist()]
        columns.duty[rows] = np.asarray(duty, dtype=object)[product_at]
        if self.layers:
            for layer, share in shares.items():
                present = share[line] != None  # noqa: E711 - elementwise, on objects
                duties = np.full(len(products), None, dtype=object)
                duties[present] = value[present] * share[line][present] / HUNDRED
                per_row = duties[product_at]
                given = per_row != None  # noqa: E711
                columns.layer(layer)[rows[given]] = per_row[given]
        self._by_rates = np.zeros(self.rows, dtype=bool)
        self._by_rates[grouped[row_kind == _BY_RATES]] = True
        self._combos, self._plans, self._parts = combos, plans, parts
        self._pair_of = np.full(self.rows, -1, dtype=np.int64)
        self._pair_of[grouped] = combo_at

    def _by_rate(
        self, columns: Columns, row: int, amount: Decimal | None, currency: str, alone: Any
    ) -> None:
        """A row whose plan has a rate that is not a percentage: the rates compute it."""
        p, pair = self._combos[int(self._pair_of[row])].tolist()
        plan, items = self._plans[p], self._parts[pair][1]
        assert amount is not None
        quantity = self._quantities[self._quantity_at[row]]  # read once per distinct cell
        try:
            duties = plan.duties(Money(amount, currency), quantity, items)
        except TradelawError:
            alone[row] = True  # its reason is resolve()'s to give
            return
        total = sum(duties.values(), Decimal(0))
        columns.rate[row] = tidy(total * HUNDRED / amount)
        columns.duty[row] = tidy(total)
        if self.layers:
            for layer, duty in duties.items():
                columns.layer(layer)[row] = duty

    def one_by_one(self) -> tuple[Columns, list[str]]:
        """Every row through ``resolve()`` (when numpy is missing)."""
        default = self.schedule.currency
        columns = Columns(self.rows)
        currencies = []
        for row in range(self.rows):
            columns.put(row, self._alone(row, default))
            cell = self._cell("currency", row) if "currency" in self.cells else None
            currencies.append(default if is_empty(cell) else text(cell, "currency"))
        return columns, currencies

    def _alone(self, n: int, currency: str) -> Outcome:
        """A row resolved on its own (its input may be at fault: that is its message)."""
        try:
            entry = entry_of(self.row(n), self.facts, self.declared, currency)
        except TradelawError as error:
            return Outcome("error", message=str(error))
        return resolve_one(self.schedule, entry, self.engine.as_of)

    def _fact_reader(self, name: str) -> Any:
        spec = self.declared[name]

        def read(cell: object) -> object:
            if spec.type is FactType.MONEY:
                return _BAD  # a content value splits the value: such a row goes alone
            return spec.parse(text(cell, name))

        return read

    def _facts_of(self, key: Any) -> dict[str, object]:
        """The facts of a row whose fact cells have the distinct indexes ``key``."""
        found: dict[str, object] = {}
        for name, k in zip(self.facts, key, strict=True):
            values = self._fact_values[name]
            if int(k) < len(values) and values[int(k)] is not None:
                found[name] = values[int(k)]
        return found


def _frozen(facts: Mapping[str, object]) -> tuple[tuple[str, object], ...]:
    return tuple(sorted(facts.items()))


def _effective(
    part: tuple[Any, Any],
    pattern: tuple[int | None, ...],
    origin_sets: Mapping[Origins, int],
    facts: Mapping[str, object],
    zone: str,
) -> tuple[Any, ...]:
    """The base layer's items of a row, as far as they bear on its answer."""
    skeleton, items = part
    kept = []
    for k, (shape, item) in enumerate(zip(skeleton, items, strict=True)):
        reach = pattern[origin_sets[item.origins]]
        if reach is None:
            continue
        holds = None if item.condition is None else item.condition.evaluate(facts, zone)
        if holds is False:
            continue
        kept.append((k, shape[:5], shape[7:], reach, holds))
    return tuple(kept)


def _unique_rows(*columns: Any) -> tuple[Any, Any, Any]:
    """The distinct rows of integer ``columns``: them, each one's first row, each row's.

    Like ``numpy.unique(..., axis=0)`` (rows in lexicographic order), which sorts the rows
    as records, slowly. Here the columns are folded into one integer per row, renumbered
    densely only when the next fold could leave 63 bits (the columns are mostly small
    codes already); pandas' hash tables do the renumbering when pandas is there.
    """
    import numpy as np

    dense = _factorize()
    key = np.zeros(len(columns[0]), dtype=np.int64)
    if not len(key):
        return np.zeros((0, len(columns)), dtype=np.int64), key, key
    span = 1  # every key is below this
    for column in columns:
        codes = np.asarray(column, dtype=np.int64)
        low = int(codes.min())
        count = int(codes.max()) - low + 1
        if count > _FOLD:  # sparse values: numbered densely first
            codes, count = dense(codes)
        elif low:
            codes = codes - low
        if span * count > _FOLD * _FOLD:
            key, span = dense(key)
        key = key * count + codes
        span *= count
    key, _ = dense(key)
    # Codes in order of first appearance (a new code exceeds every earlier one).
    seen = np.maximum.accumulate(key)
    first = np.flatnonzero(np.concatenate(([True], key[1:] > seen[:-1])))
    rows = np.stack([np.asarray(c, dtype=np.int64)[first] for c in columns], axis=1)
    order = np.lexsort(rows.T[::-1])
    rank = np.empty(len(order), dtype=np.int32 if len(order) < _FOLD else np.int64)
    rank[order] = np.arange(len(order))
    return rows[order], first[order], rank[key]  # per row: 4 bytes (a panel has millions)


# The widest range of values folded into a key as they are (two such fit in 63 bits).
_FOLD = 1 << 31


def _small(count: int) -> Any:
    """The integer type of indexes below ``count``: 4 bytes a row where they fit."""
    import numpy as np

    return np.int32 if count < _FOLD else np.int64


def _factorize() -> Any:
    """A function giving an integer array's dense codes by first appearance, and their count."""
    import numpy as np

    try:
        import pandas as pd
    except ImportError:

        def by_sorting(values: Any) -> tuple[Any, int]:
            distinct, first, inverse = np.unique(values, return_index=True, return_inverse=True)
            # Renumber by first appearance, as pandas does.
            order = np.argsort(first, kind="stable")
            rank = np.empty(len(order), dtype=np.int64)
            rank[order] = np.arange(len(order))
            return rank[inverse.reshape(-1)], len(distinct)

        return by_sorting

    def by_hashing(values: Any) -> tuple[Any, int]:
        codes, distinct = pd.factorize(values, sort=False)
        return codes.astype(np.int64, copy=False), len(distinct)

    return by_hashing


class _LineTable:
    """The base-layer lines of a run's (code, epoch) pairs, as arrays over the pairs.

    Column k holds each pair's k-th item's percentage and heading, so that a plan's lines
    are worked out for all its pairs at once.
    """

    def __init__(self, rows: list[tuple[tuple[Decimal, ...], tuple[str, ...]]]) -> None:
        # Each pair's row (see Compiled.line_row), turned into one column per position.
        percents = zip_longest(*(row[0] for row in rows), fillvalue=None)
        self.percent = [_objects(list(column)) for column in percents]
        headings = zip_longest(*(row[1] for row in rows), fillvalue="")
        self.heading = [_objects(list(column)) for column in headings]

    def headings(self, plan: Plan, pairs: Any) -> Any:
        """Each pair's applied headings under ``plan`` (space-separated)."""
        found: Any = ""
        for n, heading in enumerate(plan.headings):
            part = heading if isinstance(heading, str) else self.heading[heading][pairs]
            found = part if n == 0 else found + " " + part
        return found

    def percents(self, plan: Plan, pairs: Any) -> dict[str, Any] | None:
        """Each layer's percentage of the value for each pair, or None (see Plan.percents)."""
        found: dict[str, Any] = {}
        for layer, (how, number, k) in plan.lines:
            if how == "fixed":
                found[layer] = Decimal(number)
            elif how == "table":
                found[layer] = self.percent[k][pairs]
            elif how == "topup":
                zero = Decimal(0)
                found[layer] = [max(zero, number - p) for p in self.percent[k][pairs].tolist()]
            else:
                return None
        return found


def _objects(values: list[Any]) -> Any:
    """A numpy array of objects holding ``values`` as they are (never split into elements)."""
    import numpy as np

    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


# How a (plan, line) pair answers its rows (see _Run._apply).
_FIXED, _PERCENT_OF_VALUE, _BY_RATES, _ALONE = 0, 1, 2, 3

# A marker: the cell cannot take part in a group (it is bad, or its row must go alone).
_BAD = object()


#: How many readings of one column an engine keeps (a column of instants may be all distinct).
_KNOWN = 100_000


def _distinct(
    cells: Any,
    read: Any,
    known: dict[str, Any] | None = None,
    ready: Callable[[_Texts], list[Any]] | None = None,
) -> tuple[Any, list[Any]]:
    """Per row, the index of its distinct cell; per distinct cell, what ``read`` makes of it.

    An empty cell reads as ``None``, one that ``read`` refuses as ``_BAD``. ``known`` holds
    what earlier tables' text cells read as (the chunks of a file repeat their codes).
    ``ready`` reads the distinct text cells it can all at once (``_UNREAD`` for the rest).
    """
    return _distinct_of(cells, _text_codes(cells), read, known, ready)


def _distinct_of(
    cells: Any,
    texts: _Texts | None,
    read: Any,
    known: dict[str, Any] | None,
    ready: Callable[[_Texts], list[Any]] | None,
) -> tuple[Any, list[Any]]:
    """:func:`_distinct`, given the cells' numbering (``None``: they are not all text)."""
    import numpy as np

    values: list[Any] = []
    if texts is not None:  # the common case: text cells, numbered by pandas' hash table
        codes, distinct, _uniques = texts
        done = ready(texts) if ready is not None else None
        for number, word in enumerate(distinct):
            if done is not None and done[number] is not _UNREAD:
                values.append(done[number])
                continue
            if known is not None and word in known:
                values.append(known[word])
                continue
            if not word.strip():
                value: Any = None
            else:
                try:
                    value = read(word)
                except TradelawError:
                    value = _BAD
            values.append(value)
            if known is not None and len(known) < _KNOWN:
                known[word] = value
        values.append(None)  # code -1: a missing cell
        return np.where(codes < 0, len(values) - 1, codes).astype(_small(len(values))), values
    if not isinstance(cells, list):
        cells = cells.tolist()
    seen: dict[object, int] = {}
    index = np.empty(len(cells), dtype=np.int64)
    for row, cell in enumerate(cells):
        key = cell if type(cell) is str else _hashable(cell)  # text: the common case
        found = seen.get(key)
        if found is None:
            found = len(values)
            seen[key] = found
            if is_empty(cell):
                values.append(None)
            else:
                try:
                    values.append(read(cell))
                except TradelawError:
                    values.append(_BAD)
        index[row] = found
    return index, values


# A text column numbered: each cell's number (-1: missing), the distinct cells as Python
# text, and as pandas holds them.
_Texts = tuple[Any, list[str], Any]

_UNREAD = object()  # a cell that a bulk reader left to be read on its own


def _plain_amounts(texts: _Texts) -> list[Any]:
    """The distinct value cells that are plain amounts (see :func:`_amount`), as decimals.

    Pandas finds them all at once; ``Decimal`` reads each, as :func:`_amount` would.
    """
    import pandas as pd

    _codes, words, uniques = texts
    found = pd.Series(uniques, dtype=None).str.fullmatch(_PLAIN_AMOUNT.pattern)
    plain = found.to_numpy(dtype=bool, na_value=False)
    return [Decimal(w) if p else _UNREAD for w, p in zip(words, plain.tolist(), strict=True)]


def _text_codes(cells: Any) -> _Texts | None:
    """Each cell's number among the distinct ones, when every cell is text or missing.

    A pandas Series of a string dtype is numbered as it is (by pandas' own hash table,
    without a Python object per cell); a list, or a Series of objects, when it holds text.
    """
    try:
        import pandas as pd
    except ImportError:
        return None
    if isinstance(cells, pd.Series) and cells.dtype != object:
        if not isinstance(cells.dtype, pd.StringDtype):
            return None
        series = cells
    else:
        if pd.api.types.infer_dtype(cells, skipna=True) not in ("string", "empty"):
            return None
        series = pd.Series(cells, dtype=object)
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    return codes.astype("int64", copy=False), distinct.tolist(), distinct


def _hashable(cell: object) -> object:
    if cell is None or (isinstance(cell, float) and cell != cell):
        return None
    try:
        hash(cell)
    except TypeError:
        return repr(cell)
    return (type(cell), cell)


def _entered(cell: object, zone: str) -> datetime:
    from tradelaw.entry import Entry

    when = cell if isinstance(cell, datetime) else text(cell, "entered")
    probe = Entry("0101", "US", when, Money("1", "USD"))
    return instant(probe.entered, zone, "entered")


# A value as files write it: up to 14 digits and 4 decimals (see _amount), nothing else.
_PLAIN_AMOUNT = re.compile(r"\d{1,14}(?:\.\d{0,4})?")


def _amount(cell: object) -> Decimal | None:
    """A customs value that a group can take (else ``None``: its row goes alone)."""
    if type(cell) is str and _PLAIN_AMOUNT.fullmatch(cell):  # the common case, read once
        return Decimal(cell)
    if isinstance(cell, bool) or is_empty(cell):
        return None
    if isinstance(cell, str):
        try:
            amount = Decimal(cell.strip())
        except ArithmeticError:
            return None
    elif isinstance(cell, Decimal | int):
        amount = Decimal(cell)
    else:
        return None
    # Exact Decimal arithmetic stays exact for values of up to 14 digits and 4 decimals
    # times any rate; a larger or finer value is resolved on its own.
    if not amount.is_finite() or amount < 0 or amount.adjusted() > 13:
        return None
    return amount if amount.as_tuple().exponent >= -4 else None  # type: ignore[operator]


def _amount_or_bad(cell: object) -> object:
    """:func:`_amount` for :func:`_distinct`: a value a group cannot take is ``_BAD``."""
    found = _amount(cell)
    return _BAD if found is None else found


def _currency(code: str) -> str:
    return Money("0", code).currency

"""One resolution of a whole table: its columns read, its rows grouped, each answered.

:func:`resolve_columns` is the engine's entry point for any source of rows: a data frame
(:func:`tradelaw.frame.resolve`) or a CSV file read in chunks (``tradelaw entries``). It
needs numpy; the columns are lists or pandas Series, one per column name.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from typing import Any

from tradelaw.errors import TradelawError
from tradelaw.facts import FactType
from tradelaw.frame._apply import apply_plans
from tradelaw.frame._columns import Columns
from tradelaw.frame._engine import Compiled
from tradelaw.frame._keys import distinct_cells, small, unique_rows
from tradelaw.frame._linear import linear_rows
from tradelaw.frame._plans import Line, Outcome, Plan, make_plan, resolve_one
from tradelaw.frame._rows import entry_of, fact_columns, is_empty, quantity_of, text
from tradelaw.frame._values import Values, pool, read_values
from tradelaw.money import HUNDRED, Money, Quantity
from tradelaw.rates import AdValorem, Free
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

    What the run keeps (an engine's plans and lines: a few hundred thousand objects)
    would then be walked by the next young collection and the one after, only to be
    found alive and moved to the oldest generation. It goes there at once, unwalked
    (``gc.freeze`` then ``gc.unfreeze``; objects the caller froze stay frozen: then it
    does not).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if not gc.get_freeze_count():
                gc.freeze()  # every tracked object, to the permanent generation...
                gc.unfreeze()  # ...and back into the oldest: young ones skip two walks
            gc.enable()


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
        self.values: Values | None = None  # the value column, once read

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
        if name == "value" and self.values is not None and self.values.cell is not None:
            return self.values.cell(n)  # by Arrow: few rows are read, one by one
        listed = self._lists.get(name)
        if listed is None:
            listed = self._lists[name] = cells.tolist()
        return listed[n]

    def column(self, name: str) -> Any:
        """A column's cells (a list or a pandas Series); all missing if there is none."""
        found = self.cells.get(name)
        return [None] * self.rows if found is None else found

    def distinct(self, name: str, read: Any, known: dict[str, Any] | None = None) -> Any:
        """:func:`_distinct` of a column, keeping a text Series' numbering for :meth:`row`."""
        if name not in self.cells:  # no such column: every cell is missing
            import numpy as np

            return np.zeros(self.rows, dtype=small(1)), [None]
        cells = self.column(name)
        texts = _text_codes(cells)
        if texts is not None and not isinstance(cells, list):
            self._texts[name] = texts
        return _distinct_of(cells, texts, read, known)

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
        cells = self.column("value")  # a Series of text is read by Arrow, not numbered
        worth = read_values(cells, _text_codes(cells) if isinstance(cells, list) else None)
        self.values = worth
        alone[worth.scaled < 0] = True  # no value a group can take: resolve() says why
        zero_at = (worth.scaled == 0).astype(np.int64)
        row_currency = np.asarray(currency_of, dtype=object)[currency_at].tolist()

        moments = np.asarray([w if isinstance(w, int) else 0 for w in whens] + [0], dtype=np.int64)
        segments = (
            np.searchsorted(
                np.asarray(engine.cut_micros, dtype=np.int64), moments[when_at], side="right"
            )
            - 1
        )
        epochs = np.asarray([engine.epoch(s) for s in range(-1, len(engine.cuts))])[segments + 1]
        grouped = np.flatnonzero(~alone).astype(small(n))

        # The base layer: one look per (code, epoch) the rows use.
        pairs, pair_first, pair_at = unique_rows(codes_at[grouped], epochs[grouped])
        parts = engine.table_parts(
            [codes[c] for c in pairs[:, 0].tolist()], segments[grouped[pair_first]].tolist()
        )
        # Codes under one line share its part: from here on a row's number is its part's.
        numbered: dict[int, int] = {}
        part_of = np.asarray(
            [numbered.setdefault(id(p), len(numbered)) for p in parts], dtype=np.int64
        )
        parts = list({id(p): p for p in parts}.values())
        pair_at = part_of[pair_at]
        # The schedule's items: a goods class per code, a place per (origin, segment).
        gid = np.asarray(
            [engine.goods_levels(c).number if isinstance(c, str) else -1 for c in codes] + [-1]
        )
        places, _, place_at = unique_rows(origins_at[grouped], segments[grouped])
        place_list = [engine.origin_levels(origins[int(o)], int(t)) for o, t in places]
        place_of = np.asarray([p.number for p in place_list], dtype=np.int64)
        covers, _, cover_at = unique_rows(gid[codes_at[grouped]], place_of[place_at])
        sid = engine.cover_numbers(covers)
        sid_rows = sid[cover_at]

        # Facts, as one key per row.
        if facts_at:
            fact_keys, _, fact_at = unique_rows(*(f[grouped] for f in facts_at))
        else:
            fact_keys, fact_at = (
                np.zeros((1, 0), dtype=np.int64),
                np.zeros(len(grouped), dtype=np.int64),
            )

        # The base layer's items as they bear on each row: those that cover its origin and
        # whose condition its facts do not rule out (the others are skipped, whatever they say).
        # What decides that is in a part's skeleton: parts that share one bear alike.
        skeleton_of = np.asarray([engine.skeleton_number(p) for p in parts] + [-1])
        skeletons = engine.skeletons
        origin_sets = engine.origin_sets
        for number in np.unique(skeleton_of[skeleton_of >= 0]).tolist():
            for entry in skeletons[number]:
                origin_sets.setdefault(entry[6], len(origin_sets))
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
        triples, _, triple_at = unique_rows(skeleton_of[pair_at], patterns[place_at], fact_at)
        facts_of = [self._facts_of(key) for key in fact_keys]
        fact_ids = np.asarray([engine.number("facts", _frozen(f)) for f in facts_of])
        sid_rows = self._claimed(sid_rows, fact_at, fact_ids, facts_of)
        # Each row's base-layer items, as a number: in full where the row's coverage has
        # measures of the tables' layers (they are ranked against them), else loose.
        eid, loose = [], []
        for number, pattern, facts in triples.tolist():
            if number < 0:  # no part
                eid.append(-1)
                loose.append(-1)
                continue
            key = (number, pattern_list[pattern], int(fact_ids[facts]))
            found = engine.effective.get(key)  # the chunks of a file share them
            if found is None:
                skeleton, reach = skeletons[number], pattern_list[pattern]
                shape = _effective(skeleton, reach, origin_sets, facts_of[facts], zone)
                found = engine.effective[key] = (
                    engine.number("effective", shape),
                    engine.number("effective", _loose(shape)),
                )
            eid.append(found[0])
            loose.append(found[1])
        sid_rows = sid_rows.astype(np.int64, copy=False)  # (floats when there are none)
        ranked = [engine.ranks_tables(c) for c in range(int(sid_rows.max(initial=-1)) + 1)]
        eid_rows = np.where(
            np.asarray([*ranked, False], dtype=bool)[sid_rows],
            np.asarray(eid, dtype=np.int64)[triple_at],
            np.asarray(loose, dtype=np.int64)[triple_at],
        )

        # What else sets rows apart: their currency, and a value of zero (no rate to give).
        extras, _, extra_at = unique_rows(currency_at[grouped], zero_at[grouped])
        extra_rows = np.asarray(
            [engine.number("extra", (currency_of[c], bool(z))) for c, z in extras.tolist()],
            dtype=np.int64,
        )[extra_at]
        # Rows found since to go alone (a code with no line) stay in the arrays, under a
        # key of their own whose plan sends them alone: masking every column costs more.
        sid_rows = np.where(alone[grouped], _LEFT, sid_rows)
        key_columns = [sid_rows, eid_rows, extra_rows, unit_rows[grouped], fact_ids[fact_at]]
        unique_keys, first, plan_at = unique_rows(*key_columns)
        # The per-row arrays that made the keys go before the answers come (memory).
        del key_columns, sid_rows, eid_rows, extra_rows, unit_rows, fact_at, triple_at
        del codes_at, origins_at, when_at, segments, epochs, place_at, cover_at, zero_at
        columns = Columns(n, numbered=True)
        columns.currencies = (currency_at, currency_of)
        if len(grouped):
            plans = []
            for key, rep in zip(unique_keys.tolist(), first.tolist(), strict=True):
                plan = _GO_ALONE if key[0] == _LEFT else engine.plans.get(tuple(key))
                if plan is None:  # no row of an earlier chunk was in this group
                    row, part = int(grouped[rep]), parts[int(pair_at[rep])]
                    assert part is not None
                    try:
                        entry = entry_of(self.row(row), self.facts, self.declared, default)
                        result: Any = self.schedule.resolve(entry, as_of=engine.as_of)
                    except TradelawError as error:  # kept without its frames: no cycle
                        result = error.with_traceback(None)
                    plan = make_plan(result, engine.measures_of(part))
                    engine.plans[tuple(key)] = plan
                plans.append(plan)
            applied = apply_plans(
                engine,
                columns,
                worth,
                plans,
                plan_at,
                grouped,
                pair_at,
                parts,
                alone,
                lambda row: self._alone(row, default),
                self.layers,
            )
            by_rates = np.flatnonzero(applied.by_rates)
            if len(by_rates):  # amounts per unit and percentages, by arrays
                by_rates = linear_rows(
                    engine,
                    columns,
                    worth,
                    self._quantity_at,
                    self._quantities,
                    by_rates,
                    applied.combos[applied.pair_of[by_rates]],
                    plans,
                    parts,
                    row_currency,
                    self.layers,
                )
            amounts = worth.of_rows(by_rates)  # read at once
            for row, amount in zip(by_rates.tolist(), amounts, strict=True):
                p, pair = applied.combos[int(applied.pair_of[row])].tolist()
                part = parts[pair]
                assert part is not None
                assert amount is not None
                self._by_rate(columns, row, amount, plans[p], part.lines, row_currency[row], alone)
        for i in np.flatnonzero(alone).tolist():
            columns.put(i, self._alone(i, default))
        return columns, row_currency

    def _claimed(self, covers: Any, fact_at: Any, fact_ids: Any, facts_of: list[Any]) -> Any:
        """Each row's cover less what its facts leave out (see ``Compiled.claimed``)."""
        import numpy as np

        engine = self.engine
        if not len(covers):
            return covers
        if len(facts_of) == 1:  # one set of facts (none, mostly): a number per cover
            found = {
                int(c): engine.claimed(int(c), int(fact_ids[0]), facts_of[0])
                for c in np.unique(covers).tolist()
            }
            return np.asarray([found.get(c, -1) for c in range(int(covers.max()) + 1)])[covers]
        pairs, _, pair_at = unique_rows(covers, fact_at)
        claimed = [
            engine.claimed(int(c), int(fact_ids[f]), facts_of[f]) for c, f in pairs.tolist()
        ]
        return np.asarray(claimed, dtype=np.int64)[pair_at]

    def _by_rate(
        self,
        columns: Columns,
        row: int,
        amount: Decimal,
        plan: Plan,
        items: Sequence[Line],
        currency: str,
        alone: Any,
    ) -> None:
        """A row whose plan has a rate that is not a percentage: the rates compute it."""
        quantity = self._quantities[self._quantity_at[row]]  # read once per distinct cell
        try:
            duties = plan.duties(Money._trusted(amount, currency), quantity, items)
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
    skeleton: tuple[Any, ...],
    pattern: tuple[int | None, ...],
    origin_sets: Mapping[Origins, int],
    facts: Mapping[str, object],
    zone: str,
) -> tuple[Any, ...]:
    """The base layer's items of a row, as far as they bear on its answer.

    ``skeleton`` is its part's (see ``_parts.BaseLayer._read_lines``): each item's origins and
    condition are in it, and ``pattern`` says how far each origin scope reaches the row.
    """
    kept = []
    for k, shape in enumerate(skeleton):
        reach = pattern[origin_sets[shape[6]]]
        if reach is None:
            continue
        condition = shape[5]
        holds = None if condition is None else condition.evaluate(facts, zone)
        if holds is False:
            continue
        kept.append((k, shape[:5], shape[7:], reach, holds))
    return tuple(kept)


def _loose(shape: tuple[Any, ...]) -> tuple[Any, ...]:
    """An effective shape less what only ranks its items against measures of their layer.

    With one item per layer, a line's goods specificity and its kind (the id's suffix)
    decide nothing unless the row's coverage has a measure of that layer (see
    ``Compiled.ranks_tables``); a free rate and a percentage are both a percentage the
    plan reads from the row's own line.
    """
    layers = [kept[1][1] for kept in shape]
    if len(set(layers)) < len(layers):
        return shape  # items of one layer rank against each other: all of it counts
    return (
        "loose",
        *(
            (
                k,
                (AdValorem if isinstance(five[0], Free) else five[0], *five[1:]),
                rest[1],
                reach,
                holds,
            )
            for k, five, rest, reach, holds in shape
        ),
    )


# A marker: the cell cannot take part in a group (it is bad, or its row must go alone).
_BAD = object()

# The cover number of the rows that go alone after all (see outcomes), and their plan.
_LEFT = -1
_GO_ALONE = Plan()
_GO_ALONE.per_row = True


#: How many readings of one column an engine keeps (a column of instants may be all distinct).
_KNOWN = 100_000


def _distinct(cells: Any, read: Any, known: dict[str, Any] | None = None) -> tuple[Any, list[Any]]:
    """Per row, the index of its distinct cell; per distinct cell, what ``read`` makes of it.

    An empty cell reads as ``None``, one that ``read`` refuses as ``_BAD``. ``known`` holds
    what earlier tables' text cells read as (the chunks of a file repeat their codes).
    """
    return _distinct_of(cells, _text_codes(cells), read, known)


def _distinct_of(
    cells: Any,
    texts: _Texts | None,
    read: Any,
    known: dict[str, Any] | None,
) -> tuple[Any, list[Any]]:
    """:func:`_distinct`, given the cells' numbering (``None``: they are not all text)."""
    import numpy as np

    values: list[Any] = []
    if texts is not None:  # the common case: text cells, numbered by pandas' hash table
        codes, distinct, _uniques = texts
        for word in distinct:
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
        return np.where(codes < 0, len(values) - 1, codes).astype(small(len(values))), values
    index, cells_read = distinct_cells(cells if isinstance(cells, list) else cells.tolist())
    for cell in cells_read:
        if is_empty(cell):
            values.append(None)
        else:
            try:
                values.append(read(cell))
            except TradelawError:
                values.append(_BAD)
    return index, values


# A text column numbered: each cell's number (-1: missing), the distinct cells as Python
# text, and as pandas holds them.
_Texts = tuple[Any, list[str], Any]


def _text_codes(cells: Any) -> _Texts | None:
    """Each cell's number among the distinct ones, when every cell is text or missing.

    A pandas Series of a string dtype is numbered as it is, without a Python object per
    cell (by Arrow when Arrow holds it, else by pandas' own hash table); a list, or a
    Series of objects, when it holds text.
    """
    try:
        import pandas as pd
    except ImportError:
        return None
    if isinstance(cells, pd.Series) and cells.dtype != object:
        if not isinstance(cells.dtype, pd.StringDtype):
            return None
        if str(cells.dtype.storage).startswith("pyarrow"):
            return _arrow_codes(cells)
        series = cells
    else:
        if pd.api.types.infer_dtype(cells, skipna=True) not in ("string", "empty"):
            return None
        series = pd.Series(cells, dtype=object)
    codes, distinct = pd.factorize(series, use_na_sentinel=True)
    return codes.astype("int64", copy=False), distinct.tolist(), distinct


def _arrow_codes(cells: Any) -> _Texts:
    """:func:`_text_codes` of a Series of text held by Arrow, numbered by Arrow itself.

    As pandas numbers such a Series (a dictionary encoding: numbers in order of first
    appearance, -1 for a missing cell), but in the engine's own memory pool.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = pa.array(cells, from_pandas=True, memory_pool=pool())
    if isinstance(arrow, pa.ChunkedArray):  # one dictionary for all the cells
        arrow = arrow.combine_chunks(memory_pool=pool())
    encoded = pc.dictionary_encode(arrow, memory_pool=pool())
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    return codes.astype("int64", copy=False), encoded.dictionary.to_pylist(), encoded.dictionary


def _entered(cell: object, zone: str) -> datetime:
    from tradelaw.entry import Entry

    when = cell if isinstance(cell, datetime) else text(cell, "entered")
    probe = Entry("0101", "US", when, Money("1", "USD"))
    return instant(probe.entered, zone, "entered")


def _currency(code: str) -> str:
    return Money("0", code).currency

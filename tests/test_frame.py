"""tradelaw.frame: the columnar engine equals resolve() row by row."""

from __future__ import annotations

import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference import reference_resolve
from strategies import as_of, families, schedules
from tradelaw import ConflictError, Entry, InvalidInputError, Money, Schedule, datasets, frame
from tradelaw.errors import MissingExtraError
from tradelaw.frame._plans import resolve_one
from tradelaw.io import load
from tradelaw.scope import countries
from tradelaw.time import instant

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from real_entries import real_entries

COMPARED = ("status", "total_rate", "duty", "headings", "message")


def table_of(rows: list[Entry]) -> pd.DataFrame:
    """The entries as a table of the columns `tradelaw entries` reads, cells as objects."""
    facts = sorted({name for e in rows for name in e.facts})
    data: dict[str, list[Any]] = {
        "goods": [e.goods for e in rows],
        "origin": [e.origin for e in rows],
        "entered": [e.entered for e in rows],
        "value": [e.value.amount for e in rows],
        "quantity": [f"{e.quantity.amount} {e.quantity.unit}" if e.quantity else "" for e in rows],
    }
    for name in facts:
        data[name] = [_cell(e.facts.get(name)) for e in rows]
    return pd.DataFrame(data)


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Money):
        return str(value.amount)
    return value


def expected(schedule: Schedule, rows: list[Entry], when: Any) -> list[tuple[Any, ...]]:
    known = None if when is None else instant(when, schedule.zone)
    outcomes = [resolve_one(schedule, e, known) for e in rows]
    return [(o.status, o.rate, o.duty, o.headings, o.message) for o in outcomes]


def got(out: pd.DataFrame) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in out[list(COMPARED)].itertuples(index=False)]


# -- the contract ---------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules(tables=True), families(), as_of(), st.integers(2, 5))
def test_the_engine_equals_resolve_row_by_row(schedule, rows, when, times):
    # Most schedules have a base-layer table: without one, every row goes alone. Entries
    # come in families, alike but in one respect; each again at other values, so that
    # groups of rows share a plan.
    more = [
        Entry(e.goods, e.origin, e.entered, Money(e.value.amount * k, "USD"), e.quantity, e.facts)
        for e in rows
        for k in range(1, times)
    ]
    rows = rows + more
    layers = times % 2 == 0  # both ways of computing the results
    out = frame.resolve(schedule, table_of(rows), as_of=when, layers=layers)
    assert got(out) == expected(schedule, rows, when)
    for row, entry in zip(out.itertuples(index=False), rows, strict=True):
        # The naive reference resolver is a third opinion on the total.
        try:
            reference = reference_resolve(schedule, entry, as_of=when)
        except ConflictError:
            assert row.status == "unresolved"
            continue
        if row.status == "ok":
            assert reference.total is not None
            assert abs(row.duty - reference.total) <= Decimal("1e-12")
            if layers:
                names = [c for c in out.columns if c.startswith("duty_")]
                parts = [getattr(row, c) for c in names if getattr(row, c) is not None]
                assert sum(parts, Decimal(0)) == row.duty


@pytest.fixture(scope="module")
def us():
    return datasets.load("us")


def test_a_top_up_over_a_specific_base_rate_is_worked_out_per_row_as_resolve_does(us):
    # Japan's "15% inclusive" over a line whose column 1 rate is specific (1501.90.00:
    # 3.3 cents/kg): the top-up reads that duty's equivalent on each row's own value.
    from tradelaw import Quantity

    values = ["1725.04", "10", "999999.99", "0.5", "33", "7.0001", "123456789.1234"]
    rows = [
        Entry("1501900000", "JP", "2026-10-17", Money(v, "USD"), quantity=Quantity(q, "kg"))
        for v in values
        for q in ("1342", "0.5", "1000000")
    ]
    rows.append(Entry("1501900000", "JP", "2026-10-17", Money("10", "USD")))  # no quantity
    table = table_of(rows)
    table["entered"] = [e.entered.isoformat() for e in rows]
    out = frame.resolve(us, table, layers=True)
    assert got(out) == expected(us, rows, None)
    assert out["status"].tolist() == ["ok"] * (len(rows) - 1) + ["unknown"]
    for row, entry in zip(out.to_dict("records"), rows[:-1], strict=False):
        duties = {line.measure.layer: line.duty.amount for line in us.resolve(entry).applied}
        assert {k[5:]: v for k, v in row.items() if k.startswith("duty_") and v} == {
            k: v for k, v in duties.items() if v
        }


@pytest.mark.parametrize("layers", [False, True])
def test_specific_and_compound_rates_are_worked_out_as_resolve_does(us, layers):
    # Amounts per unit (0102.29.40.24: 1 cent/kg; 0402.29.50.00: USD 1.104/kg + 14.9%),
    # by integer arrays where the numbers allow; else by the rates, or by resolve().
    from tradelaw import Quantity

    quantities = [("1342", "kg"), ("0.5", "KG"), ("7.1234567", "kg"), ("3", "t"), None]
    quantities += [("99999999999999", "kg")]  # a product beyond 64 bits
    rows = [
        Entry(code, origin, when, Money(v, "USD"), quantity=None if q is None else Quantity(*q))
        for code in ("0102294024", "0402295000")
        for origin in ("CN", "CA", "BR")
        for when in ("2025-03-01", "2026-03-02")
        for v in ("1725.04", "0.01", "99999999999999")
        for q in quantities
    ]
    table = table_of(rows)
    out = frame.resolve(us, table, layers=layers)
    assert got(out) == expected(us, rows, None)
    assert {"ok", "unknown"} <= set(out["status"])
    if layers:  # each layer's duty, as resolve() gives it
        for row, entry in zip(out.to_dict("records"), rows, strict=True):
            if row["status"] == "ok":
                answer = us.resolve(entry)
                duties = {line.measure.layer: line.duty.amount for line in answer.applied}
                found = {k[5:]: v for k, v in row.items() if k.startswith("duty_") and v}
                assert found == {k: v for k, v in duties.items() if v}


@pytest.mark.parametrize("when", [None, "2025-06-01"])
def test_20000_real_entries_of_the_us_dataset_equal_resolve(us, when):
    rows = real_entries(us, 20_000, seed=3)
    table = table_of(rows)
    table["entered"] = [e.entered.isoformat() for e in rows]  # as text, as files give it
    table["value"] = [str(e.value.amount) for e in rows]
    layers = when is None  # both ways of computing the results
    out = frame.resolve(us, table, as_of=when, layers=layers)
    assert got(out) == expected(us, rows, when)
    assert set(out["status"]) <= {"ok", "unknown", "prohibited"}
    if layers:  # each layer's duty, as resolve() gives it, on every 10th row
        for row, entry in list(zip(out.to_dict("records"), rows, strict=True))[::10]:
            if row["status"] != "ok":
                continue
            answer = us.resolve(entry)
            duties = {line.measure.layer: line.duty.amount for line in answer.applied}
            found = {k[5:]: v for k, v in row.items() if k.startswith("duty_") and v}
            assert found == {k: v for k, v in duties.items() if v}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-3, 3) | st.integers(0, 2**31 - 1),  # wide: the key is refolded
            st.integers(0, 2) | st.integers(0, 2**31 - 1),
            st.integers(-1, 40) | st.integers(-(2**62), 2**62),  # sparse: numbered first
        ),
        max_size=40,
    ),
    st.booleans(),
)
def test_distinct_rows_are_numpy_s_distinct_rows_with_or_without_pandas(rows, hide_pandas):
    import numpy as np

    from tradelaw.frame._keys import unique_rows as _unique_rows

    columns = [np.asarray([r[k] for r in rows], dtype=np.int64) for k in range(3)]
    with pytest.MonkeyPatch.context() as patch:
        if hide_pandas:
            patch.setitem(sys.modules, "pandas", None)
        found, first, at = _unique_rows(*columns)
    if not rows:
        assert found.shape == (0, 3)
        assert len(at) == 0
        return
    want, want_first, want_at = np.unique(
        np.stack(columns, axis=1), axis=0, return_index=True, return_inverse=True
    )
    assert found.tolist() == want.tolist()
    assert first.tolist() == want_first.tolist()
    assert at.tolist() == want_at.reshape(-1).tolist()


# -- the table in, the table out ----------------------------------------------------------


def test_the_results_follow_the_entries_columns_which_pass_through(us):
    table = pd.DataFrame(
        {
            "reference": ["A-1", "A-2"],
            "goods": ["8703.23.01", "9503.00.00"],
            "origin": ["JP", "CN"],
            "entered": ["2025-06-10", date(2025, 6, 10)],
            "value": ["40000", Decimal("1000")],
        }
    )
    out = frame.resolve(us, table, layers=True)
    assert list(out.columns[:5]) == list(table.columns)
    assert list(out.columns[5:11]) == list(frame.RESULTS)
    assert out["reference"].tolist() == ["A-1", "A-2"]
    assert out["total_rate"].tolist() == [Decimal("27.5"), Decimal("0")]  # IEEPA void
    assert out["duty"].tolist() == [Decimal("11000"), Decimal("0")]
    assert out["currency"].tolist() == ["USD", "USD"]
    assert out.loc[0, "headings"] == "8703.23.01 9903.94.01"
    assert out.loc[0, "duty_s232-autos"] == Decimal("10000")


def test_each_row_keeps_its_own_currency_and_an_empty_one_is_the_schedule_s(us):
    table = pd.DataFrame(
        {
            "goods": ["9503.00.00"] * 4,
            "origin": ["DE"] * 4,
            "entered": ["2026-06-10"] * 4,
            "value": ["100", "100", "100", "100"],
            "currency": ["EUR", "", "USD", "eur"],
        }
    )
    out = frame.resolve(us, table)
    assert out["currency"].tolist() == ["EUR", "USD", "USD", "EUR"]
    for row in range(4):
        entry = Entry("9503.00.00", "DE", "2026-06-10", Money("100", out["currency"][row]))
        assert out["duty"][row] == us.resolve(entry).duty.amount


def test_a_bad_row_is_that_row_s_error_and_no_other_row_is_lost(us):
    table = pd.DataFrame(
        {
            "goods": ["9503.00.00", "95", "9503.00.00", "9503.00.00", "9503.00.00", ""],
            "origin": ["CN", "CN", "ZZ", "CN", "CN", "CN"],
            "entered": ["2025-06-10"] * 3 + ["10 June", "2025-06-10", "2025-06-10"],
            "value": ["1000", "1000", "1000", "1000", 1000.0, "1000"],
        }
    )
    out = frame.resolve(us, table)
    assert out["status"].tolist() == ["ok", "unknown", "error", "error", "error", "error"]
    assert "origin" in out.loc[2, "message"]
    assert "entered" in out.loc[3, "message"]
    assert "float" in out.loc[4, "message"]
    assert "goods" in out.loc[5, "message"]
    assert out.loc[0, "duty"] == Decimal("0")  # as amended: the IEEPA duties are void
    every = frame.resolve(us, table.iloc[2:])  # no row in a group: each goes alone
    assert every["status"].tolist() == ["error"] * 4


def test_text_columns_read_by_pandas_answer_as_columns_of_python_objects(us):
    # A column of pandas' string dtype is numbered by pandas; one of objects cell by cell.
    table = pd.DataFrame(
        {
            "goods": ["9503.00.00", None, "8703.23.01", "9503.00.00", "", "7208.10.15"],
            "origin": ["CN", "CN", "ZZ", None, "JP", "KR"],
            "entered": ["2025-06-10", "2025-06-10", None, "2026-02-01", "2025-06-10", "x"],
            "value": ["1000", "1000", "1000", "250.5", None, "1000"],
        }
    )
    assert all(isinstance(table[c].dtype, pd.StringDtype) for c in table.columns)
    out = frame.resolve(us, table)
    as_objects = frame.resolve(us, table.astype(object))
    assert got(out) == got(as_objects)
    assert out["status"].tolist() == ["ok", "error", "error", "error", "error", "error"]


def test_an_arrow_table_is_read_too(us):
    table = pa.table(
        {
            "goods": ["8703.23.01"],
            "origin": ["JP"],
            "entered": [date(2025, 10, 1)],
            "value": pa.array([Decimal("40000")], pa.decimal128(12, 2)),
        }
    )
    out = frame.resolve(us, table)
    assert out.loc[0, "total_rate"] == Decimal("15")


def test_text_columns_held_by_arrow_in_several_chunks_read_as_one(us):
    def chunked(*parts: list[str | None]) -> pd.Series:
        return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(parts, pa.string())))

    table = pd.DataFrame(
        {
            "goods": chunked(["8703.23.01", "9503.00.00"], ["8703.23.01", None]),
            "origin": chunked(["JP"], ["CN", "JP", "JP"]),
            "entered": chunked(["2025-06-10", "2025-06-10"], ["2025-10-01", "2025-10-01"]),
            "value": chunked(["40000", "1000"], ["40000", "5"]),
        }
    )
    assert table["goods"].array._pa_array.num_chunks == 2
    plain = table.astype(object)
    columns = ["total_rate", "duty", "headings", "status", "message"]
    assert frame.resolve(us, table)[columns].equals(frame.resolve(us, plain)[columns])
    assert frame.resolve(us, table)["status"].tolist() == ["ok", "ok", "ok", "error"]


def test_a_cell_missing_as_pandas_na_among_objects_is_missing(us):
    table = pd.DataFrame(
        {
            "goods": pd.Series(["9503.00.00", pd.NA], dtype=object),
            "origin": ["CN", "CN"],
            "entered": ["2026-06-10", "2026-06-10"],
            "value": pd.Series([pd.NA, "100"], dtype=object),
        }
    )
    out = frame.resolve(us, table)
    assert out["status"].tolist() == ["error", "error"]
    assert "value" in out.loc[0, "message"]
    assert "goods" in out.loc[1, "message"]


def test_an_aware_timestamp_is_an_instant(us):
    moment = datetime.fromisoformat("2025-04-09T00:00:30-04:00")  # before 12:01 a.m.
    table = pd.DataFrame(
        {"goods": ["9503.00.00"], "origin": ["JP"], "entered": [moment], "value": ["100"]}
    )
    out = frame.resolve(us, table, as_of="2025-04-09")
    want = us.resolve(Entry("9503.00.00", "JP", moment, Money("100", "USD")), as_of="2025-04-09")
    assert out.loc[0, "total_rate"] == want.total_rate


def test_a_table_without_a_required_column_is_refused(us):
    with pytest.raises(InvalidInputError, match="entered"):
        frame.resolve(us, pd.DataFrame({"goods": ["9503"], "origin": ["JP"], "value": ["1"]}))
    with pytest.raises(InvalidInputError, match="list"):
        frame.resolve(us, [{"goods": "9503"}])


def test_without_pandas_the_error_names_the_extra(monkeypatch, us):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtraError, match=r'pip install "tradelaw\[frames\]"'):
        frame.resolve(us, None)


def test_large_fine_and_out_of_range_values_answer_as_resolve_does(us):
    values = ["99999999999999.99", "0.0000001", "1E+3", "1000000000000000", "-1", "0"]
    table = pd.DataFrame(
        {"goods": "8703.23.01", "origin": "JP", "entered": "2025-06-10", "value": values}
    )
    out = frame.resolve(us, table)
    for value, row in zip(values, out.itertuples(index=False), strict=True):
        try:
            entry = Entry("8703.23.01", "JP", "2025-06-10", Money(value, "USD"))
        except InvalidInputError as error:
            refused = str(error).replace("amount", "value")
        else:
            refused = None
        if refused is not None:
            assert (row.status, row.message) == ("error", refused)
            continue
        resolution = us.resolve(entry)
        assert row.duty == resolution.duty.amount
        assert row.total_rate == (resolution.total_rate if entry.value.amount else None)


# -- panels -----------------------------------------------------------------------------------


def test_a_panel_gives_every_line_under_the_goods_from_each_origin_as_resolve_does(us):
    cells = frame.panel(us, ["2025-06-10", "2026-06-10"], goods=["8703.23", "0201.10"],
                        origins=["JP", "CN", "AR"])  # fmt: skip
    lines_2025 = list(cells[cells["on"] == "2025-06-10"]["goods"].unique())
    assert "8703.23.01.10" in lines_2025
    assert all(g.startswith(("8703.23", "0201.10")) for g in cells["goods"])
    assert list(cells.columns[: len(frame.PANEL)]) == list(frame.PANEL)
    layers = [c for c in cells.columns if c.startswith("rate_")]
    for row in cells.to_dict("records"):
        entry = Entry(row["goods"], row["origin"], row["on"], Money("100", "USD"))
        o = resolve_one(us, entry, None)
        assert (row["status"], row["total_rate"], row["headings"], row["message"]) == (
            o.status, o.rate, o.headings, o.message,
        )  # fmt: skip
        if row["status"] == "ok":
            assert sum(row[c] for c in layers) == row["total_rate"]
        else:  # unknown is never zero
            assert all(row[c] is None for c in layers)
    unknown = cells[cells["status"] == "unknown"]
    assert len(unknown) > 0
    assert unknown["message"].str.contains("needs the quantity").all()


def test_a_panel_defaults_to_every_country(us):
    cells = frame.panel(us, ["2026-03-01"], goods=["8703.23.01.10"])
    assert cells["origin"].tolist() == list(countries())
    assert cells.loc[cells["origin"] == "JP", "total_rate"].item() == Decimal("15")


def test_a_panel_refuses_what_it_cannot_read(us):
    with pytest.raises(InvalidInputError, match="on"):
        frame.panel(us, [])
    with pytest.raises(InvalidInputError, match="origin"):
        frame.panel(us, ["2025-06-10"], goods=["8703"], origins=["XX"])


@pytest.mark.parametrize("enabled", [True, False])
def test_a_run_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    import gc

    from tradelaw.frame._run import collector_paused

    (gc.enable if enabled else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled

        def failing() -> None:
            with collector_paused():
                raise RuntimeError("a run that fails")

        with pytest.raises(RuntimeError):
            failing()
        assert gc.isenabled() is enabled
        frame.resolve(datasets.load("us"), table_of([]))
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() == 0  # what a run keeps is not left frozen
    finally:
        gc.enable()


def test_what_a_run_keeps_goes_to_the_oldest_generation_and_the_caller_s_frozen_stay() -> None:
    import gc

    from tradelaw.frame._run import collector_paused

    gc.collect()
    with collector_paused():
        kept = [[n] for n in range(1000)]  # what a run makes and keeps
    gc.disable()  # a young collection now would move them on
    try:
        oldest = {id(o) for o in gc.get_objects(generation=2)}
        assert all(id(o) in oldest for o in kept)  # not left for young collections to walk
    finally:
        gc.enable()
    assert gc.get_freeze_count() == 0
    gc.freeze()  # a caller's (say, before forking workers)
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            kept += [[n] for n in range(1000)]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


@given(st.from_regex(r"\s?[0-9]{1,16}(\.[0-9]{0,6})?\s?", fullmatch=True))
def test_a_value_as_text_is_read_exactly_or_left_to_its_row(cell: str) -> None:
    from tradelaw.frame._values import amount as read

    amount = Decimal(cell.strip())
    fits = amount.adjusted() <= 13 and amount.as_tuple().exponent >= -4  # type: ignore[operator]
    assert read(cell) == (amount if fits else None)
    if fits:
        assert str(read(cell)) == str(amount)  # the digits as written: 1.50 stays 1.50


_ODD_VALUES = [
    "",
    " ",
    None,
    "1e3",
    "\u0663\u0664",
    "-5",
    "12.",
    ".5",
    "1,000",
    "7 ",
    "0",
    "0.0000",
]


@given(
    st.lists(
        st.one_of(
            st.from_regex(r"\s?[0-9]{1,16}(\.[0-9]{0,6})?\s?", fullmatch=True),
            st.sampled_from(_ODD_VALUES),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_values_read_by_pandas_at_once_read_as_they_do_one_by_one(cells: list[str]) -> None:
    from tradelaw.frame._run import _text_codes
    from tradelaw.frame._values import DIGITS, amount, read_values

    ways = [
        read_values(pd.Series(cells, dtype="str"), None),  # by Arrow, row by row
        read_values(pd.Series(cells, dtype=object), None),
        read_values(list(cells), _text_codes(list(cells))),  # distinct cells, by Arrow
        read_values(list(cells), None),  # one by one
    ]
    for row, cell in enumerate(cells):
        want = amount(cell)
        for values in ways:
            assert repr(values.of_row(row)) == repr(want)
            assert values.scaled[row] == (-1 if want is None else want.scaleb(DIGITS))


@given(st.lists(st.tuples(st.integers(0, 10**18), st.integers(0, 31)), min_size=1, max_size=30))
def test_integers_become_the_decimals_tidy_makes(numbers: list[tuple[int, int]]) -> None:
    import numpy as np

    from tradelaw.frame._values import decimals
    from tradelaw.resolution import tidy

    made = decimals(np.array([n for n, _ in numbers]), np.array([p for _, p in numbers]))
    for (n, p), got in zip(numbers, made.tolist(), strict=True):
        assert repr(got) == repr(tidy(Decimal(n).scaleb(-p)))


@pytest.mark.parametrize("distinct", [10, 100_000])
def test_many_integers_become_the_decimals_tidy_makes_whether_they_repeat_or_not(distinct):
    # Past a few thousand numbers, mostly distinct ones are made one by one, others once.
    import numpy as np

    from tradelaw.frame._values import decimals
    from tradelaw.resolution import tidy

    rng = np.random.default_rng(distinct)
    numbers = rng.integers(0, distinct, 6_000) * 10 ** rng.integers(0, 4, 6_000)
    places = rng.integers(0, 13, 6_000)
    made = decimals(numbers, places).tolist()
    want = [tidy(Decimal(int(n)).scaleb(-int(p))) for n, p in zip(numbers, places, strict=True)]
    assert [repr(d) for d in made] == [repr(d) for d in want]


def test_a_schedule_keeps_its_engines_so_a_second_table_makes_no_plan(monkeypatch):
    from tradelaw.frame import _engine, _plans, _run

    us = datasets.load("us")
    us._derived().clear()  # no engine of an earlier test
    table = table_of(real_entries(us, 300, seed=5))
    first = frame.resolve(us, table)
    made = []
    monkeypatch.setattr(_run, "make_plan", lambda *a: made.append(a) or _plans.make_plan(*a))
    again = frame.resolve(us, table)
    assert not made
    assert got(again) == got(first)
    assert _engine.engine_for(us, None) is _engine.engine_for(us, None)
    times = [instant(f"2025-0{m}-01", us.zone) for m in range(1, 10)]
    engines = [_engine.engine_for(us, t) for t in times]
    assert _engine.engine_for(us, times[-1]) is engines[-1]
    assert _engine.engine_for(us, times[0]) is not engines[0]  # the oldest went first
    kept = [k for k in us._derived() if isinstance(k, tuple) and k[0] is _engine.Compiled]
    assert len(kept) == _engine.KEPT


def test_a_schedule_with_its_engine_is_freed_when_let_go_without_a_collection():
    import gc
    import weakref

    from tradelaw.frame import _engine

    us = load(Path(datasets.__file__).parent / "us" / "index.toml")  # a copy of its own
    frame.resolve(us, table_of(real_entries(us, 200, seed=3)))
    engine = weakref.ref(_engine.engine_for(us, None))
    gone = weakref.ref(us)
    was = gc.isenabled()
    gc.disable()  # freed by reference counting, or not at all
    try:
        del us
        assert gone() is None
        assert engine() is None
    finally:
        if was:
            gc.enable()


def test_rows_that_differ_by_a_rule_they_do_not_claim_share_a_plan(us):
    # An exemption of one ten-digit line that must be claimed (the `loaded` fact): the
    # line's rows that do not claim it answer as the next line's rows, with one plan.
    from conftest import on, schedule
    from tradelaw import Exemption, Fact, Goods, Targets
    from tradelaw.frame import _engine

    claim = Exemption(
        id="toy-claim",
        period=on("2025-01-01"),
        goods=Goods.of("9503000011"),
        condition=Fact("loaded").lt("2025-04-09"),
        targets=Targets(layers="s122"),
    )
    law = us.stack(schedule(claim))
    rows = [
        Entry(code, "CN", "2026-03-02", Money(value, "USD"))
        for code in ("9503000011", "9503000013")
        for value in ("100", "250")
    ]
    out = frame.resolve(law, table_of(rows))
    assert got(out) == expected(law, rows, None)
    assert len(_engine.engine_for(law, None).plans) == 1
    claimed = Entry(
        "9503000011", "CN", "2026-03-02", Money("100", "USD"), facts={"loaded": "2025-04-01"}
    )
    assert got(frame.resolve(law, table_of([claimed]))) == expected(law, [claimed], None)
    assert out.loc[0, "total_rate"] != frame.resolve(law, table_of([claimed])).loc[0, "total_rate"]


def test_threads_sharing_one_engine_take_turns_and_get_their_own_answers(us, monkeypatch):
    # A Dask worker's threads share one compiled engine, whose caches a run reads and grows.
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from tradelaw.frame._engine import Compiled

    tables = [table_of(real_entries(us, 1_500, seed=seed)) for seed in range(3)]
    alone = [frame.resolve(us, t) for t in tables]
    numbering, lock = Compiled.number, threading.Lock()
    seen = {"inside": 0, "together": False, "calls": 0}

    def number(self: Compiled, kind: str, value: object) -> int:
        with lock:
            seen["inside"] += 1
            seen["together"] |= seen["inside"] > 1
            seen["calls"] += 1
            pause = seen["calls"] < 60
        if pause:
            time.sleep(0.002)  # lets another thread in, if anything would let it
        try:
            return numbering(self, kind, value)
        finally:
            with lock:
                seen["inside"] -= 1

    monkeypatch.setattr(Compiled, "number", number)
    shared = Compiled(us, None)
    with ThreadPoolExecutor(max_workers=3) as pool:
        together = list(pool.map(lambda t: frame.resolved(shared, t, False), tables))
    assert not seen["together"]
    for want, got in zip(alone, together, strict=True):
        for column in COMPARED:
            assert got[column].tolist() == want[column].tolist()


class _Group:
    """Codes' lines as a table's line_groups gives them (tradelaw.tables.TableLineGroup)."""

    def __init__(self, lines):
        self.lines = lines
        self.ids = tuple(x.id for x in lines)
        self.headings = tuple(x.heading for x in lines)
        periods = {x.period for x in lines}
        self.period = periods.pop() if len(periods) == 1 else None
        self.shape = tuple(
            (x.rate, x.origins, x.covered, x.id.rpartition("9503")[2]) for x in lines
        )


def _grouped(table):
    """``table`` with a line_groups that puts every code in one group."""

    class Grouped(type(table)):
        def line_groups(self, codes, at):
            return [0] * len(codes), [_Group(self.lines_for(codes[0], at))]

    return Grouped()


@pytest.mark.parametrize("grouped", [False, True])
@pytest.mark.parametrize("replaced", [False, True])
def test_a_table_s_lines_out_of_force_or_replaced_are_left_out_as_resolve_does(replaced, grouped):
    from tradelaw import AdValorem, Goods, Measure, Origins, Period
    from tradelaw.hts import LineItem

    turn = instant("2026-01-01", "UTC")
    early, late = Period(instant("2025-01-01", "UTC"), turn), Period(turn, None)

    # Lines of both periods whenever asked (a few too many, as allowed), and new objects
    # each time (as the tables module's example makes them).
    class Toys:
        name, layers, id_prefix = "toys", frozenset({"mfn"}), "toy-"

        def items_for(self, code, at=None):
            return tuple(
                Measure(id=f"toy-{n}", heading="9503", goods=Goods.of("9503"), layer="mfn",
                        period=period, rate=AdValorem(rate))
                for n, period, rate in (("early", early, "4"), ("late", late, "6"))
            )  # fmt: skip

        def lines_for(self, code, at=None):
            return tuple(
                LineItem(m.id, "", "9503", m.rate, Origins.all(), None, 0, m.period, "9503", ())
                for m in self.items_for(code, at)
            )

        def boundaries(self):
            return (early.start, turn)

        def missing(self, code, at):
            return None

    own = [Measure(id="toy-late", heading="9503", goods=Goods.of("9503"), layer="mfn",
                   period=late, rate=AdValorem("8"))] if replaced else []  # fmt: skip
    table = _grouped(Toys()) if grouped else Toys()
    toys = Schedule(own, name="s", jurisdiction="US", zone="UTC", tables=[table])
    rows = [
        Entry("9503.00.00", "JP", when, Money(value, "USD"))
        for when in ("2025-06-01", "2026-06-01")
        for value in ("10", "25")
    ]
    out = frame.resolve(toys, table_of(rows))
    assert got(out) == expected(toys, rows, None)
    assert out["total_rate"].tolist() == ([4, 4, 8, 8] if replaced else [4, 4, 6, 6])


@pytest.mark.parametrize("grouped", [False, True])
@pytest.mark.parametrize("replaced", [False, True])
def test_a_table_s_kept_lines_of_one_period_are_read_as_resolve_does(replaced, grouped):
    # One sequence of lines, of one period, kept and given whatever the instant: the engine
    # checks its period and the schedule's ids once per sequence, and must still leave it
    # out where it is not in force, and a line the schedule's own item replaces.
    from tradelaw import AdValorem, Goods, Measure, Origins, Period
    from tradelaw.hts import LineItem

    turn = instant("2026-01-01", "UTC")
    early = Period(instant("2025-01-01", "UTC"), turn)
    kept = (
        LineItem("toy-9503", "", "9503", AdValorem("4"), Origins.all(), None, 0, early, "9503",
                 ()),
        LineItem("toy-9503-col2", "", "9503", AdValorem("30"), Origins.of("KP"), None, 0, early,
                 "9503", ()),
    )  # fmt: skip

    class Toys:
        name, layers, id_prefix = "toys", frozenset({"mfn"}), "toy-"

        def items_for(self, code, at=None):
            return tuple(
                Measure(id=i.id, heading=i.heading, goods=Goods.of(i.covered), layer="mfn",
                        origins=i.origins, period=i.period, rate=i.rate)
                for i in kept
            )  # fmt: skip

        def lines_for(self, code, at=None):
            return kept

        def boundaries(self):
            return (early.start, turn)

        def missing(self, code, at):
            return "no toy line then"

    own = [Measure(id="toy-9503", heading="9503", goods=Goods.of("9503"), layer="mfn",
                   period=early, rate=AdValorem("8"))] if replaced else []  # fmt: skip
    table = _grouped(Toys()) if grouped else Toys()
    toys = Schedule(own, name="s", jurisdiction="US", zone="UTC", tables=[table])
    rows = [
        Entry("9503.00.00", origin, when, Money(value, "USD"))
        for when in ("2025-06-01", "2026-06-01")
        for origin in ("JP", "KP")
        for value in ("10", "25")
    ]
    out = frame.resolve(toys, table_of(rows))
    assert got(out) == expected(toys, rows, None)
    early_rates = [8, 8, 30, 30] if replaced else [4, 4, 30, 30]
    assert out["total_rate"].tolist()[:4] == early_rates
    assert set(out["headings"][4:]) == {""}  # out of force: no line applies


def test_a_table_whose_lines_are_not_its_measures_is_named_not_trusted():
    from tradelaw import AdValorem, Goods, Measure, Origins, Period
    from tradelaw.hts import LineItem

    class Toys:
        name, layers, id_prefix = "toys", frozenset({"mfn"}), "toy-"
        period = Period.always()

        def items_for(self, code, at=None):
            return (
                Measure(id="toy-9503", goods=Goods.of("9503"), layer="mfn", period=self.period,
                        rate=AdValorem("4")),
            )  # fmt: skip

        def lines_for(self, code, at=None):
            return (
                LineItem("toy-other", "", "9503", AdValorem("4"), Origins.all(), None, 0,
                         self.period, "9503", ()),
            )  # fmt: skip

        def missing(self, code, at):
            return None

    toys = Schedule([], name="s", jurisdiction="US", zone="UTC", tables=[Toys()])
    rows = [Entry("9503.00.00", "JP", "2025-01-02", Money("10", "USD"))]
    with pytest.raises(InvalidInputError, match=r"toys: lines_for\('95030000'\).*toy-9503"):
        frame.resolve(toys, table_of(rows))

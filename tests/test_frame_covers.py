"""What a cover keeps: rows that differ only by what cannot change an answer share a plan.

Each case holds two kinds of rows side by side: rows the engine must keep apart (a test
fails if they share a plan, because their answers differ) and rows it may group (a test
fails if they do not). The property test over generated schedules rarely meets these
shapes; here each reduction of ``Compiled.contending`` has one.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import ZONE, measure, on
from strategies import Lines, table_line
from test_frame import expected, got, table_of
from tradelaw import (
    Entry,
    Exemption,
    Fact,
    Free,
    Goods,
    Money,
    Origins,
    Period,
    Schedule,
    Targets,
    TopUp,
    frame,
)
from tradelaw.frame._engine import engine_for
from tradelaw.rates import AdValorem

pytest.importorskip("pandas")


def law(*items: Any, line: str = "87", percent: str = "2", requires: Any = ()) -> Schedule:
    """A schedule of ``items`` over a table with one ``mfn`` line, ``line``, at ``percent``."""
    table = Lines(
        (
            table_line(
                "", line, 0, Period.always(), origins=Origins.all(), rate=AdValorem(percent)
            ),
        ),
        None,
    )
    return Schedule(
        items, name="covers", jurisdiction="US", zone=ZONE, tables=[table], requires=requires
    )


def rows(*codes: str, **facts: Any) -> list[Entry]:
    return [
        Entry(code, "JP", "2025-03-02", Money(value, "USD"), facts=facts)
        for code in codes
        for value in ("100", "250")
    ]


def answers(schedule: Schedule, entries: list[Entry]) -> tuple[list[Any], int]:
    """The engine's answers, checked against resolve() row by row, and its plans."""
    out = got(frame.resolve(schedule, table_of(entries)))
    assert out == expected(schedule, entries, None)
    return out, len(engine_for(schedule, None).plans)


def test_a_measure_outranked_in_its_layer_does_not_set_rows_apart():
    high = measure("high", layer="recip", rate="10", priority=1)
    low = measure("low", layer="recip", rate="30", goods=Goods.of("8703"))
    out, plans = answers(law(high, low), rows("87032301", "87089950"))
    assert plans == 1
    assert {row[1] for row in out} == {12}


def test_in_a_layer_the_tables_fill_a_measure_s_specificity_still_decides():
    # Against the table's line of 8703 (4 digits), the own measure wins where it names
    # the code's 8 digits and loses where it names only the chapter.
    own = measure("own", layer="mfn", rate="5", goods=Goods.of("87", "87032301"))
    out, plans = answers(law(own, line="8703", percent="3"), rows("87032301", "87032350"))
    assert [row[1] for row in out] == [5, 5, 3, 3]
    assert plans == 2


def test_a_measure_displaced_on_the_whole_value_does_not_set_rows_apart():
    steel = measure("steel", layer="s232", rate="25", excludes=("recip",))
    recip = measure("recip", layer="recip", rate="10", goods=Goods.of("8703"))
    out, plans = answers(law(steel, recip), rows("87032301", "87089950"))
    assert {row[1] for row in out} == {27}
    assert plans == 1


def test_a_measure_whose_condition_is_unknown_is_not_displaced():
    # Without the model year, the reciprocal line is in doubt: its layer is unknown,
    # whatever excludes it.
    steel = measure("steel", layer="s232", rate="25", excludes=("recip",))
    doubt = Fact("model_year").ge(2020)
    recip = measure("recip", layer="recip", rate="10", goods=Goods.of("8703"), condition=doubt)
    out, _plans = answers(law(steel, recip), rows("87032301", "87089950"))
    assert [row[0] for row in out] == ["unknown", "unknown", "ok", "ok"]
    out, plans = answers(law(steel, recip), rows("87032301", "87089950", model_year=2021))
    assert plans == 1  # sure, it is displaced: the rows share a plan


def test_a_measure_excluded_by_one_that_is_itself_displaced_applies():
    first = measure("first", layer="s232", rate="25", excludes=("extra",))
    extra = measure("extra", layer="extra", rate="5", excludes=("recip",))
    recip = measure("recip", layer="recip", rate="10", goods=Goods.of("8703"))
    out, _plans = answers(law(first, extra, recip), rows("87032301", "87089950"))
    assert [row[1] for row in out] == [37, 37, 27, 27]


def test_a_layer_a_top_up_reads_is_kept_when_its_measures_are_all_removed():
    # Where its one measure is exempted, layer x reads as 0; where none covers the goods,
    # the top-up that reads it is unknown.
    topup = measure("topup", layer="recip", rate_expr=TopUp("15", layer="x"))
    x = measure("x", layer="x", rate="5", goods=Goods.of("8703"))
    exempt = Exemption(
        id="exempt", goods=Goods.of("8703"), period=on("2025-01-01"), targets=Targets(layers="x")
    )
    out, _plans = answers(law(topup, x, exempt), rows("87089950", "87032301"))
    assert [row[0] for row in out] == ["unknown", "unknown", "ok", "ok"]


def test_a_void_or_unmet_measure_still_covers_a_layer_the_schedule_requires():
    void = measure("void", layer="x", rate="7", goods=Goods.of("870323"), void=True)
    unmet = measure(
        "unmet",
        layer="x",
        rate="9",
        goods=Goods.of("870899"),
        condition=Fact("model_year").lt(2000),
    )
    schedule = law(void, unmet, requires=("mfn", "x"))
    out, _plans = answers(schedule, rows("87032301", "87089950", "87042100", model_year=2020))
    assert [row[0] for row in out] == ["ok", "ok", "ok", "ok", "unknown", "unknown"]


def test_a_rule_that_acts_only_on_the_tables_lines_is_kept():
    # The exemption removes the base rate of 8703 (a table's line): no measure of the
    # schedule's own is its target there, yet it sets the rows apart.
    exempt = Exemption(
        id="no-mfn", goods=Goods.of("8703"), period=on("2025-01-01"), targets=Targets(layers="mfn")
    )
    other = measure("other", layer="recip", rate="10")
    out, _plans = answers(law(other, exempt), rows("87089950", "87032301"))
    assert [row[1] for row in out] == [12, 12, 10, 10]


def test_lines_that_differ_only_by_their_length_or_a_free_rate_share_a_plan():
    # Two tables' worth of lines in one: 8703 at 4 digits, 870899 at 6 and free.
    table = Lines(
        (
            table_line("", "8703", 0, Period.always(), origins=Origins.all(), rate=AdValorem("2")),
            table_line("", "870899", 0, Period.always(), origins=Origins.all(), rate=Free()),
        ),
        None,
    )
    schedule = Schedule(
        [measure("recip", layer="recip", rate="10")],
        name="lines",
        jurisdiction="US",
        zone=ZONE,
        tables=[table],
    )
    out, plans = answers(schedule, rows("87032301", "87089950"))
    assert [row[1] for row in out] == [12, 12, 10, 10]
    assert plans == 1


def test_where_a_measure_of_the_tables_layer_covers_rows_their_lines_length_decides():
    # The own measure names 8703 and 8708 (4 digits): it ties with the line of 8703 (and
    # wins, being the schedule's own) and is outranked by the line of 870899.
    table = Lines(
        (
            table_line("", "8703", 0, Period.always(), origins=Origins.all(), rate=AdValorem("2")),
            table_line(
                "", "870899", 0, Period.always(), origins=Origins.all(), rate=AdValorem("3")
            ),
        ),
        None,
    )
    own = measure("own", layer="mfn", rate="5", goods=Goods.of("8703", "8708"))
    schedule = Schedule([own], name="lines", jurisdiction="US", zone=ZONE, tables=[table])
    out, plans = answers(schedule, rows("87032301", "87089950"))
    assert [row[1] for row in out] == [5, 5, 3, 3]
    assert plans == 2


def _own_covers(law: Schedule, table: Any) -> None:
    """Every (class, place) pair the engine met has the number of its own cover."""
    import numpy as np

    from tradelaw.frame._engine import Compiled

    frame.resolve(law, table)
    seen = engine_for(law, None)
    pairs = np.asarray([[key >> 32, key & 0xFFFFFFFF] for key in seen._covers], dtype=np.int64)
    fresh = Compiled(law, None)  # numbers its classes and places as the first engine did
    fresh._class_list, fresh._place_list = seen._class_list, seen._place_list
    numbers = fresh.cover_numbers(pairs).tolist()
    alone = [fresh.covering(seen._class_list[c], seen._place_list[p]) for c, p in pairs.tolist()]
    assert len(set(numbers)) == len(set(alone))
    assert all(fresh._cover_list[n] == cover for n, cover in zip(numbers, alone, strict=True))


@pytest.mark.parametrize("cells", [None, 0])
def test_pairs_grouped_by_arrays_get_the_number_of_their_own_cover(cells, monkeypatch):
    # A table's (class, place) pairs are told apart by arrays (the items that may act, and
    # each one's goods and origin levels) and each distinct cover is made once: every pair
    # must still get the number of the cover worked out for it alone. One item here is
    # named by two prefixes and by a country and a group: the same items, at other levels.
    # With no room for arrays (cells=0, as for a schedule of many thousand items), the
    # pairs are numbered one by one, alike.
    if cells is not None:
        monkeypatch.setattr("tradelaw.frame._engine._CELLS", cells)
    item = measure(
        "x", goods=Goods.of("87", "8703"), origins=Origins.of("FR", "EU"), period=on("2025-01-01")
    )
    entries = [
        Entry(code, origin, "2025-03-02", Money("100", "USD"))
        for code in ("8703.23.01", "8701.20.00")
        for origin in ("FR", "DE")
    ]
    small = law(item)
    _own_covers(small, table_of(entries))
    assert len(set(engine_for(small, None)._covers.values())) == 4


def test_the_real_dataset_s_pairs_get_the_number_of_their_own_cover():
    from real_entries import real_entries
    from tradelaw import datasets

    us = datasets.load("us")
    _own_covers(us, table_of(real_entries(us, 3_000, seed=5)))
    assert len(engine_for(us, None)._cover_list) > 100

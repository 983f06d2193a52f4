"""The lazy HTSUS base layer: editions in force by date, lines built when asked for."""

from __future__ import annotations

import gzip
from decimal import Decimal
from pathlib import Path

import pytest

from tradelaw import Entry, InvalidInputError, Money, Schedule, ValidationError, load
from tradelaw.hts import CSV_HEADER, Edition, Editions

ROWS = [
    # An 8-digit line with its own rate, and its statistical lines.
    '"8712.00.15","1","Bicycles","","11%","Free (AU,KR,S) 5.5% (JP)","30%","",""',
    '"8712.00.15.10","2","Small","[""No.""]","","","","",""',
    '"8712.00.15.20","2","Other","[""No.""]","","","","",""',
    # An 8-digit subheading whose rate only its one statistical line prints.
    '"3924.10.40.00","1","Kitchenware","[""kg""]","3.4%","Free (A*,KR)","80%","",""',
    # An 8-digit subheading whose statistical lines print different rates.
    '"0406.90.94.10","1","Cheese, type A","[""kg""]","10%","","35%","",""',
    '"0406.90.94.90","1","Cheese, other","[""kg""]","12%","","35%","",""',
    # A heading and a chapter 99 line.
    '"8703","0","Motor cars","","","","","",""',
    '"9903.01.25","1","Baseline","","The duty provided in the applicable subheading + 10%","","","",""',
]


def _export(folder: Path, name: str, rows: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join([",".join(CSV_HEADER), *rows]), encoding="utf-8")
    return path


@pytest.fixture
def editions(tmp_path: Path) -> Editions:
    first = Edition.from_export(_export(tmp_path, "y2025.csv", ROWS), start="2025-01-01")
    later = [r.replace('"11%"', '"9%"') for r in ROWS if "3924" not in r]
    second = Edition.from_export(_export(tmp_path, "y2026.csv", later), start="2026-01-01")
    return Editions([second, first])


def _schedule(editions: Editions) -> Schedule:
    return Schedule(
        [], name="base", jurisdiction="US", zone="America/New_York",
        tables=[editions], requires=["mfn"],
    )  # fmt: skip


def _resolve(editions: Editions, code: str, on: str = "2025-06-01", **facts: object):
    entry = Entry(code, "JP", on, Money("100", "USD"), facts=facts)
    return _schedule(editions).resolve(entry)


def test_each_edition_is_in_force_until_the_next(editions: Editions):
    assert [e.name for e in editions.editions] == ["y2025", "y2026"]
    assert _resolve(editions, "8712.00.15", "2025-12-31").total_rate == 11
    assert _resolve(editions, "8712.00.15", "2026-01-01").total_rate == 9
    timeline = _schedule(editions).timeline("8712.00.15", "JP", "2025-06-01", "2026-06-01")
    assert [str(s.resolution.total_rate) for s in timeline] == ["11", "9"]
    cited = timeline[1].resolution.applied[0].measure
    assert (cited.id, cited.citation) == ("mfn-y2026-8712.00.15", "HTSUS y2026, 8712.00.15")


def test_only_the_lines_a_code_touches_are_built(editions: Editions):
    ids = [m.id for m in editions.items_for("8712001510")]
    assert ids == [
        "mfn-y2025-8712.00.15", "mfn-y2025-8712.00.15-col2", "mfn-y2025-8712.00.15-special",
        "mfn-y2025-8712.00.15-special-2", "mfn-y2026-8712.00.15", "mfn-y2026-8712.00.15-col2",
        "mfn-y2026-8712.00.15-special", "mfn-y2026-8712.00.15-special-2",
    ]  # fmt: skip
    first = editions.items_for("8712001510")
    assert all(a is b for a, b in zip(first, editions.items_for("8712001510"), strict=True))


def test_an_8_digit_code_takes_the_rate_its_only_statistical_line_prints(editions):
    resolution = _resolve(editions, "3924.10.40")
    assert resolution.total_rate == Decimal("3.4")
    (line,) = resolution.applied
    assert (line.measure.heading, line.measure.citation) == (
        "3924.10.40",
        "HTSUS y2025, 3924.10.40.00",
    )
    assert _resolve(editions, "39241040", claim="KORUS").total_rate == 0


def test_statistical_lines_that_differ_are_listed(editions: Editions):
    (line,) = _resolve(editions, "0406.90.94").unknown
    assert line.reason == (
        "0406.90.94 has statistical lines with different rates in HTSUS y2025: "
        "0406.90.94.10 (10%), 0406.90.94.90 (12%); give the 10-digit line"
    )
    assert _resolve(editions, "0406.90.94.90").total_rate == 12


def test_an_unprinted_statistical_suffix_is_rated_by_its_8_digit_line(editions):
    assert _resolve(editions, "8712.00.15.99").total_rate == 11


@pytest.mark.parametrize(
    ("code", "on", "reason"),
    [
        ("8712", "2025-06-01", "8712 is a chapter, heading or subheading, not a tariff line "
         "of HTSUS y2025; give 8 or 10 digits: 8712.00.15"),
        ("8712.00.16", "2025-06-01", "8712.00.16 is not a line of HTSUS y2025; the nearest "
         "lines are 8712.00.15"),
        ("3924.10.40", "2026-03-01", "3924.10.40 is not a line of HTSUS y2026; the nearest "
         "lines are "),
        ("3924.10.40.00", "2026-03-01", "3924.10.40.00 is not a line of HTSUS y2026 (it is one "
         "of HTSUS y2025); the nearest lines are "),
        ("8703", "2025-06-01", "8703 prints no rate of duty in HTSUS y2025"),
        ("9903.01.25", "2025-06-01", "9903.01.25 is a chapter 99 provision"),
        ("8712.00.15", "2024-12-31", "no edition of the HTSUS is in force then; the first "
         "here, y2025, takes effect on 2025-01-01"),
    ],
)  # fmt: skip
def test_a_code_that_is_not_a_line_is_unknown_and_says_why(editions, code, on, reason):
    resolution = _resolve(editions, code, on)
    (line,) = resolution.unknown
    assert (line.layer, line.measure) == ("mfn", None)
    assert line.reason.startswith(reason)


def test_the_schedule_s_own_item_wins_over_the_table_s_line(editions: Editions):
    from tradelaw import AdValorem, Goods, Measure, Period

    own = Measure(
        id="bikes", goods=Goods.of("8712"), period=Period.parse("2025-01-01", zone="UTC"),
        rate=AdValorem("1"), layer="mfn",
    )  # fmt: skip
    assert _schedule(editions).stack(Schedule([own], name="o", jurisdiction="US", zone="UTC"))
    stacked = Schedule(
        [own], name="o", jurisdiction="US", zone="America/New_York", tables=[editions]
    )
    # Goods specificity first: the table's 8-digit line beats a 4-digit item ...
    entry = Entry("8712.00.15", "JP", "2025-06-01", Money("100", "USD"))
    assert stacked.resolve(entry).total_rate == 11
    # ... and at equal rank the schedule's own item wins.
    same = Measure(
        id="bikes", goods=Goods.of("87120015"), period=Period.parse("2025-01-01", zone="UTC"),
        rate=AdValorem("1"), layer="mfn",
    )  # fmt: skip
    mine = Schedule(
        [same], name="o", jurisdiction="US", zone="America/New_York", tables=[editions]
    )
    resolution = mine.resolve(entry)
    assert resolution.total_rate == 1
    assert ("mfn-y2025-8712.00.15", "outranked") in [
        (s.item.id, s.reason) for s in resolution.skipped
    ]


def test_an_edition_of_the_same_start_replaces_the_other(editions: Editions, tmp_path: Path):
    newer = Edition.from_export(
        _export(tmp_path, "fix.csv", [ROWS[0].replace('"11%"', '"7%"')]), start="2025-01-01"
    )
    replaced = editions.with_edition(newer)
    assert [e.name for e in replaced.editions] == ["fix", "y2026"]
    assert _resolve(replaced, "8712.00.15").total_rate == 7


def test_a_line_printed_twice_is_refused(tmp_path: Path):
    edition = Edition.from_export(
        _export(tmp_path, "twice.csv", [ROWS[0], ROWS[0]]), start="2025-01-01"
    )
    with pytest.raises(InvalidInputError, match="8712.00.15' is printed twice"):
        Editions([edition]).items_for("87120015")


def test_a_missing_export_is_refused(tmp_path: Path):
    with pytest.raises(InvalidInputError, match="is not a file"):
        Edition.from_export(tmp_path / "none.csv", start="2025-01-01")


def test_a_schedule_file_names_edition_tables_inside_its_folder(tmp_path: Path):
    table = tmp_path / "hts" / "t.tsv.gz"
    table.parent.mkdir()
    text = "# edition: T1\n# effective: 2025-01-01\n# source: x.csv\n# sha256: 00\n"
    text += "line\tgeneral\tspecial\tcolumn 2\n8712.00.15\t11%\t\t30%\n"
    table.write_bytes(gzip.compress(text.encode()))
    file = tmp_path / "s.toml"
    head = 'format = "tradelaw/1"\nname = "s"\njurisdiction = "US"\nzone = "America/New_York"\n'
    file.write_text(head + 'requires = ["mfn"]\nhts = ["hts/t.tsv.gz"]\n', encoding="utf-8")
    schedule = load(file)
    entry = Entry("8712.00.15", "CU", "2025-06-01", Money("100", "USD"))
    assert schedule.resolve(entry).total_rate == 30
    from tradelaw.io import dump

    dump(schedule, tmp_path / "copy.toml")
    assert 'hts = ["hts/t.tsv.gz"]' in (tmp_path / "copy.toml").read_text()
    assert load(tmp_path / "copy.toml") == schedule
    outside = tmp_path / "inner" / "s.toml"
    outside.parent.mkdir()
    outside.write_text(head + 'hts = ["../hts/t.tsv.gz"]\n', encoding="utf-8")
    with pytest.raises(ValidationError, match="is outside the folder"):
        load(outside)
    broken = tmp_path / "broken.toml"
    broken.write_text(head + 'hts = ["s.toml"]\n', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"hts\[0\]: .*cannot be read as one"):
        load(broken)


def _as_data(measure: object, code: str) -> tuple[object, ...]:
    fields = ("id", "heading", "rate", "origins", "condition", "priority", "period")
    fields += ("layer", "base", "excludes", "void")
    return (*(getattr(measure, f) for f in fields),)


@pytest.mark.parametrize("code", ["87120015", "8712001510", "8712001590", "39241040", "8703"])
def test_a_line_s_data_is_the_measures_it_builds(editions: Editions, code: str):
    for at in (None, *(e.start for e in editions.editions)):
        measures = editions.items_for(code, at)
        lines = editions.lines_for(code, at)
        assert [_as_data(x, code) for x in lines] == [_as_data(m, code) for m in measures]
        assert [x.specificity(code) for x in lines] == [
            m.goods.specificity(code) for m in measures
        ]


def test_every_line_of_the_us_base_layer_as_data_is_the_measures_it_builds():
    import random

    from tradelaw import datasets

    table = datasets.load("us").tables[0]
    assert isinstance(table, Editions)
    for edition in table.editions:
        codes = [c for c in edition._lines.codes if len(c) in (8, 10)]
        for code in random.Random(7).sample(codes, 1500):
            for suffixed in (code, code[:8] + "99"):  # and an unprinted statistical suffix
                measures = table.items_for(suffixed, edition.start)
                lines = table.lines_for(suffixed, edition.start)
                assert [_as_data(x, suffixed) for x in lines] == [
                    _as_data(m, suffixed) for m in measures
                ]
                assert [x.specificity(suffixed) for x in lines] == [
                    m.goods.specificity(suffixed) for m in measures
                ]


def test_a_longer_line_with_its_own_rate_is_left_out_of_the_special_rate_as_data_too(tmp_path):
    rows = [
        '"6109.10.00","1","T-shirts","","16.5%","Free (AU,KR)","90%","",""',
        '"6109.10.00.12","2","Men\'s","","10%","","45%","",""',
    ]
    table = Editions([Edition.from_export(_export(tmp_path, "y.csv", rows), start="2025-01-01")])
    for code in ("6109100012", "6109100090", "61091000"):
        measures, lines = table.items_for(code), table.lines_for(code)
        assert [_as_data(x, code) for x in lines] == [_as_data(m, code) for m in measures]
        specific = [x.specificity(code) for x in lines]
        assert specific == [m.goods.specificity(code) for m in measures]
    assert [x.specificity("6109100012") for x in table.lines_for("6109100012")] == [
        8, 8, None, 10, 10,
    ]  # fmt: skip


def test_the_line_groups_of_the_us_base_layer_keep_their_promise():
    # Codes of one group have the lines lines_for gives each of them, at the same
    # specificities; groups of one shape have lines alike in all but ids, headings and
    # period (what the columnar engine reads once per shape).
    from tradelaw import datasets

    table = datasets.load("us").tables[0]
    assert isinstance(table, Editions)
    for edition in table.editions:
        codes = [c for c in edition._lines.codes if len(c) in (8, 10)]
        codes += [c[:8] + end for c in codes[::50] for end in ("98", "99")]
        codes += ["9903880100", "0000000000"]
        numbers, groups = table.line_groups(codes, edition.start)
        assert len(groups) < len(codes)  # siblings share
        first: dict[int, str] = {}
        alike: dict[object, list[tuple[object, ...]]] = {}
        for code, number in zip(codes, numbers, strict=True):
            group, lines = groups[number], table.lines_for(code, edition.start)
            assert group.ids == tuple(x.id for x in lines)
            assert group.headings == tuple(x.heading for x in lines)
            assert all(x.period == group.period for x in lines)
            mine = [x.specificity(code) for x in lines]
            other = first.setdefault(number, code)
            assert mine == [x.specificity(other) for x in lines]
            kinds = [(x.rate, x.origins, x.condition, x.priority, x.id.rpartition(x.heading)[2])
                     for x in lines]  # fmt: skip
            assert alike.setdefault(group.shape, [*kinds, *mine]) == [*kinds, *mine]
        assert [x.id for x in groups[numbers[0]].lines] == list(groups[numbers[0]].ids)
        assert groups[numbers[-1]].ids == ()  # no line

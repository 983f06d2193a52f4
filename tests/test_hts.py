"""Tests of the USITC HTS importer: rate parsing, small excerpts, and the official exports."""

from __future__ import annotations

import csv
import functools
import json
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from tradelaw import (
    AdValorem,
    Compound,
    Entry,
    Free,
    InvalidInputError,
    Measure,
    Money,
    Quantity,
    RateContext,
    Schedule,
    Specific,
    UnknownDutyError,
    UnknownRate,
)
from tradelaw.hts import COLUMN_2, CSV_HEADER, load, parse_rate, parse_special

OFFICIAL = Path(__file__).parents[2] / "shared" / "data" / "hts"


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def per(amount: str, unit: str) -> Specific:
    return Specific(usd(amount), unit)


# --- parse_rate ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Free", Free()),
        ("  Free ", Free()),
        ("2.5%", AdValorem("2.5")),
        ("6.8%", AdValorem("6.8")),
        ("70%", AdValorem("70")),
        ("0.4%", AdValorem("0.4")),
        ("4.4¢/kg", per("0.044", "kg")),
        ("13.2¢/kg", per("0.132", "kg")),
        ("$1.128/kg", per("1.128", "kg")),
        ("$1.50/doz.", per("1.50", "doz.")),
        ("37.5¢/liter", per("0.375", "liters")),
        ("4.8¢/ liter", per("0.048", "liters")),
        ("$2.35/pf. liter", per("2.35", "pf.liters")),
        ("$1.13/m3", per("1.13", "m3")),
        ("18.7¢/m2", per("0.187", "m2")),
        ("89.6¢/1000", per("0.896", "thousands")),
        ("5¢/bbl", per("0.05", "bbl")),
        ("4.2¢/pr.", per("0.042", "prs.")),
        ("$6/head", per("6", "head")),
        ("16¢/clean kg", per("0.16", "clean kg")),
        ("3.9¢ each", per("0.039", "No.")),
        ("$1.06 each", per("1.06", "No.")),
        ("4.4¢/kg + 6%", Compound((per("0.044", "kg"), AdValorem("6")))),
        ("$2/1,000 + 60%", Compound((per("2", "thousands"), AdValorem("60")))),
        ("14.5¢/m2 + 0.4%", Compound((per("0.145", "m2"), AdValorem("0.4")))),
        ("1.4¢/kg +3.2%", Compound((per("0.014", "kg"), AdValorem("3.2")))),
        ("$1.5/kg+ 5%", Compound((per("1.5", "kg"), AdValorem("5")))),
        ("6.3¢/kg  +  10%", Compound((per("0.063", "kg"), AdValorem("10")))),
        ("6.5% 1/", AdValorem("6.5")),
        ("Free 1/ 2/", Free()),
        ("4.4¢/kg +\n6%", Compound((per("0.044", "kg"), AdValorem("6")))),
    ],
)
def test_parse_rate_reads_exact_rates(text: str, expected: object) -> None:
    assert parse_rate(text) == expected


def test_parse_rate_is_exact_decimal() -> None:
    rate = parse_rate("4.4¢/kg")
    assert isinstance(rate, Specific)
    assert type(rate.amount.amount) is Decimal
    assert rate.amount.amount == Decimal("0.044")


@pytest.mark.parametrize(
    "text",
    [
        "See 9903.88.15",
        "The rate applicable to the natural juice in heading 2009",
        "The duty provided in the applicable subheading + 25%",
        "No change",
        "33 1/3%",  # a fraction, not a footnote, and not a finite decimal
        "1.9¢/kg on drained weight",
        "5.6¢/kg of total sugars + 4%",
        "3.6606¢/kg less 0.020668¢/kg for each degree under 100 degrees",
        "1.1¢/kg on lead content",
        "$1/1,000 pins + 35%",
        "2.5% 1/ + 3%",  # a footnote in the middle cannot be stripped safely
        "Free1/",
        "4.4¢/kg + ",
        "Free + 5%",
        "2.5",
        "6% on the case",
        "4.4¢/furlong",
        "$1.035/thou- sand + 2%",
    ],
)
def test_parse_rate_unknown_texts_stay_unknown(text: str) -> None:
    rate = parse_rate(text)
    assert rate == UnknownRate(text.strip())
    with pytest.raises(UnknownDutyError):
        rate.duty(usd("100"), _context())


def _context() -> RateContext:
    return RateContext(usd("100"), Quantity("10", "kg"))


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_parse_rate_refuses_blank(text: str) -> None:
    with pytest.raises(InvalidInputError, match="row 7"):
        parse_rate(text, "row 7")


def test_parse_rate_refuses_non_text() -> None:
    with pytest.raises(InvalidInputError):
        parse_rate(2.5)  # type: ignore[arg-type]


# --- parse_special ------------------------------------------------------------------------

FTA = "A+,AU,B,BH,CA,CL,CO,D,E,IL,JO,KR,MA,MX,OM,P,PA,PE,S,SG"


def test_parse_special_one_group() -> None:
    result = parse_special(f"Free ({FTA})")
    assert list(result) == FTA.split(",")
    assert set(result.values()) == {Free()}


def test_parse_special_several_groups() -> None:
    result = parse_special("Free (A,AU,BH) 1.2% (JP) 4.4¢/kg + 2% (KR)")
    assert result == {
        "A": Free(),
        "AU": Free(),
        "BH": Free(),
        "JP": AdValorem("1.2"),
        "KR": Compound((per("0.044", "kg"), AdValorem("2"))),
    }


def test_parse_special_unknown_group_keeps_its_text() -> None:
    result = parse_special(
        "Free (A*,BH,CL) See 9822.05.15 (P+) See 9823.04.01-9823.04.54 (S+) 7.5¢/kg (KR)"
    )
    assert result["A*"] == Free()
    assert result["P+"] == UnknownRate("See 9822.05.15")
    assert result["S+"] == UnknownRate("See 9823.04.01-9823.04.54")
    assert result["KR"] == per("0.075", "kg")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Free (A*,AU,D,E IL,JO)", ["A*", "AU", "D", "E", "IL", "JO"]),  # missing comma
        ("Free (A+,AU,BH,CL,CO,D,E, IL,JO,\nKR)", ["A+", "AU", "BH", "CL", "CO", "D", "E", "IL"]),
        ("Free(AU,KR)", ["AU", "KR"]),
        ("Free \n(AU,KR)", ["AU", "KR"]),
        ("Free (AU)2.8¢/liter(JO)", ["AU", "JO"]),
    ],
)
def test_parse_special_tolerates_layout(text: str, expected: list[str]) -> None:
    result = parse_special(text)
    assert list(result)[: len(expected)] == expected
    assert not any(isinstance(r, UnknownRate) for r in result.values())


@pytest.mark.parametrize(
    "text",
    [
        # Stray parenthesis: which rate belongs to PA is not certain.
        "Free (BH,CL) 7.5¢/kg (KR) See 9919.04.50 (PA (PA)",
        # A rate text with parentheses of its own.
        "Free (AU,KR) A duty upon the value of the repairs (see U.S. note 3) (B,C,)",
        # Trailing text after the last group.
        "Free (AU,KR) and more",
        # One code with two different rates.
        "Free (AU,KR) 2% (KR)",
    ],
)
def test_parse_special_ambiguous_text_is_unknown_for_every_code(text: str) -> None:
    result = parse_special(text)
    assert "KR" in result
    assert set(result.values()) == {UnknownRate(" ".join(text.split()))}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "No change",
        "Free",
        "The duty provided in the applicable subheading + 25%",
        "Free (See U.S. note 4 of this subchapter)",
        "Free, under the terms of U.S. note 1(b) to this subchapter",
    ],
)
def test_parse_special_without_programmes_is_empty(text: str) -> None:
    assert parse_special(text) == {}


# --- small excerpts, end to end -----------------------------------------------------------

# Lines in the published layout (rates as printed in 2025 Revision 13), plus a 10-digit line
# with its own rate under a rated 8-digit line (0201.10.10.90), which the export rarely has.
EXCERPT = [
    ["0201", "0", "Meat of bovine animals, fresh or chilled:", "", "", "", "", "", ""],
    [
        "0201.10.10",
        "2",
        "Described in additional U.S. note 3 to this chapter and\nentered pursuant to its "
        "provisions",
        "",
        "4.4¢/kg",
        "Free (A+,AU,BH,CL,CO,D,E*,IL,JO,KR,MA,OM,P,PA,PE,S,SG)",
        "13.2¢/kg",
        "",
        "",
    ],
    ["0201.10.10.10", "3", "Veal", '["kg"]', "", "", "", "", ""],
    ["0201.10.10.90", "3", "Other", '["kg"]', "5%", "", "", "", ""],
    ["", "1", "Other:", "", "", "", "", "", ""],
    [
        "0406.90.94.00",
        "6",
        "Other",
        '["kg","kg cmsc"]',
        "$1.128/kg",
        "Free (BH,CL,JO,MA,OM,P,PE,SG) 7.5¢/kg (KR) See 9823.04.01-9823.04.54 (S+)",
        "$1.328/kg",
        "",
        "",
    ],
    [
        "1701.12.10.00",
        "3",
        "Described in additional U.S. note 5 to this chapter",
        '["kg"]',
        "3.6606¢/kg less 0.020668¢/kg for each degree under 100 degrees",
        "Free (A*,BH,CL) See 9822.05.15 (P+)",
        "6.58170¢/kg",
        "",
        "",
    ],
    ["4202.29.20.00", "4", "Of wood", '["No."]', "3.3%", "Free (A,AU,KR)", "33 1/3%", "", ""],
    [
        "8703.23.01",
        "2",
        "Of a cylinder capacity exceeding 1,500 cc but not exceeding 3,000 cc",
        "",
        "2.5%",
        "Free (A+,AU,B,BH,CL,CO,D,E,IL,JO,KR,MA,OM, P,PA,PE,S,SG)",
        "10%",
        "",
        "",
    ],
    ["8703.23.01.10", "3", "Motor homes", '["No."]', "", "", "", "", ""],
    ["9503.00.00", "0", "Toys, “scale” models", "", "Free", "", "70%", "", ""],
]


def write_csv(path: Path, rows: list[list[str]], header: tuple[str, ...] = CSV_HEADER) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_json(path: Path, rows: list[list[str]]) -> Path:
    records = [
        {
            "htsno": r[0],
            "indent": r[1],
            "description": r[2],
            "superior": None,
            "units": json.loads(r[3]) if r[3] else [],
            "general": r[4],
            "special": r[5],
            "other": r[6],
            "footnotes": [],
            "quotaQuantity": "",
            "additionalDuties": "",
        }
        for r in rows
    ]
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


@pytest.fixture(params=["csv", "json"])
def excerpt(request: pytest.FixtureRequest, tmp_path: Path) -> Schedule:
    if request.param == "csv":
        return load(write_csv(tmp_path / "excerpt.csv", EXCERPT), effective="2025-06-01")
    return load(write_json(tmp_path / "excerpt.json", EXCERPT), effective="2025-06-01")


def entry(code: str, origin: str = "JP", value: str = "1000", **kw: object) -> Entry:
    return Entry(code, origin, "2025-07-01", usd(value), **kw)  # type: ignore[arg-type]


def measure(schedule: Schedule, measure_id: str) -> Measure:
    (found,) = (m for m in schedule.items if m.id == measure_id and isinstance(m, Measure))
    return found


def test_excerpt_measures(excerpt: Schedule) -> None:
    assert excerpt.name == "excerpt"
    assert excerpt.jurisdiction == "US"
    assert excerpt.zone == "America/New_York"
    ids = Counter(m.id.split("-")[-1] for m in excerpt.items)
    general = [m for m in excerpt.items if isinstance(m, Measure) and m.priority == 0]
    assert len(general) == 7 + 6  # seven lines with a general rate, six with column 2
    assert ids["col2"] == 6
    car = measure(excerpt, "mfn-8703.23.01")
    assert car.heading == "8703.23.01"
    assert car.layer == "mfn"
    assert car.rate == AdValorem("2.5")
    assert car.citations == ("HTSUS excerpt, 8703.23.01",)
    assert car.goods.prefixes == ("87032301",)
    assert set(car.origins.exclude) == set(COLUMN_2)
    assert car.period.start.isoformat() == "2025-06-01T00:01:00-04:00"
    assert car.period.end is None
    korus = measure(excerpt, "mfn-8703.23.01-special")
    assert (korus.priority, korus.rate) == (1, Free())
    # 10-digit lines without a rate of their own get nothing.
    headings = {m.heading for m in excerpt.items if isinstance(m, Measure)}
    assert not headings & {"8703.23.01.10", "0201.10.10.10"}
    assert excerpt.validate() is excerpt


def test_excerpt_general_rates(excerpt: Schedule) -> None:
    car = excerpt.resolve(entry("8703.23.01.10", value="40000"))
    assert car.duty == usd("1000")
    assert car.total_rate == Decimal("2.5")
    assert car.headings == ("8703.23.01",)
    assert "HTSUS excerpt, 8703.23.01" in car.explain()
    assert excerpt.resolve(entry("9503.00.00.11")).duty == usd("0")


def test_excerpt_special_claim(excerpt: Schedule) -> None:
    claimed = excerpt.resolve(entry("8703.23.01", "KR", "40000", facts={"claim": "KR"}))
    assert claimed.duty == usd("0")
    assert claimed.applied[0].measure.id == "mfn-8703.23.01-special"
    # A claim the line does not list changes nothing; no claim changes nothing.
    assert excerpt.resolve(entry("8703.23.01", "JP", "40000", facts={"claim": "JP"})).duty == (
        usd("1000")
    )
    assert excerpt.resolve(entry("8703.23.01", "KR", "40000")).duty == usd("1000")
    # A special specific rate, with a quantity.
    cheese = entry("0406.90.94.00", "KR", "500", quantity=Quantity("100", "kg"))
    assert excerpt.resolve(cheese.with_facts(claim="KR")).duty == usd("7.5")
    assert excerpt.resolve(cheese).duty == usd("112.8")


def test_excerpt_unknown_special_is_unknown_not_zero(excerpt: Schedule) -> None:
    claimed = entry("0406.90.94.00", "BD", quantity=Quantity("1", "kg"), facts={"claim": "S+"})
    resolution = excerpt.resolve(claimed)
    assert not resolution.is_known
    with pytest.raises(UnknownDutyError, match="9823.04.01"):
        resolution.duty


def test_excerpt_column_2(excerpt: Schedule) -> None:
    for origin in COLUMN_2:
        assert excerpt.resolve(entry("8703.23.01.10", origin, "40000")).duty == usd("4000")
    assert excerpt.resolve(entry("9503.00.00", "CU", "100")).duty == usd("70")
    # Column 2 countries cannot claim special programmes.
    cuban = entry("8703.23.01", "CU", "40000", facts={"claim": "KR"})
    assert excerpt.resolve(cuban).duty == usd("4000")
    # An inexact column 2 rate is unknown, never a guess.
    with pytest.raises(UnknownDutyError, match="33 1/3%"):
        excerpt.resolve(entry("4202.29.20.00", "KP")).duty


def test_excerpt_specific_rates_need_quantity(excerpt: Schedule) -> None:
    beef = entry("0201.10.10.10", "AR", "900", quantity=Quantity("1000", "kg"))
    assert excerpt.resolve(beef).duty == usd("44")
    assert excerpt.resolve(beef.with_facts(claim="AU")).duty == usd("0")
    with pytest.raises(UnknownDutyError):
        excerpt.resolve(entry("0201.10.10.10", "AR")).duty
    russian = entry("0201.10.10.10", "RU", quantity=Quantity("1000", "kg"))
    assert excerpt.resolve(russian).duty == usd("132")


def test_excerpt_longer_line_with_own_rate_wins(excerpt: Schedule) -> None:
    other = entry("0201.10.10.90", "AR", "1000", quantity=Quantity("10", "kg"))
    assert excerpt.resolve(other).duty == usd("50")
    # The 8-digit line's special rates do not reach a longer line with its own rate.
    assert excerpt.resolve(other.with_facts(claim="AU")).duty == usd("50")
    # Column 2 is inherited from the 8-digit line.
    assert excerpt.resolve(entry("0201.10.10.90", "CU", quantity=Quantity("10", "kg"))).duty == (
        usd("1.32")
    )


def test_excerpt_unknown_general_rate(excerpt: Schedule) -> None:
    sugar = measure(excerpt, "mfn-1701.12.10.00")
    assert isinstance(sugar.rate, UnknownRate)
    assert sugar.rate.text.startswith("3.6606¢/kg less")
    with pytest.raises(UnknownDutyError):
        excerpt.resolve(entry("1701.12.10.00", quantity=Quantity("1", "kg"))).duty


def test_load_name_and_default_effective(tmp_path: Path) -> None:
    hts = load(write_csv(tmp_path / "x.csv", EXCERPT), name="2025 Revision 13")
    assert hts.name == "2025 Revision 13"
    assert measure(hts, "mfn-9503.00.00").citations == ("HTSUS 2025 Revision 13, 9503.00.00",)
    assert measure(hts, "mfn-9503.00.00").period.start.isoformat().startswith("2025-01-01")


# --- errors -------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"absent\.csv.*cannot be read"):
        load(tmp_path / "absent.csv")


def test_unknown_suffix(tmp_path: Path) -> None:
    (tmp_path / "hts.xlsx").write_bytes(b"")
    with pytest.raises(InvalidInputError, match=r"hts\.xlsx.*\.csv or \.json"):
        load(tmp_path / "hts.xlsx")


def test_wrong_header(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", EXCERPT, header=("HTS", *CSV_HEADER[1:]))
    with pytest.raises(InvalidInputError, match=r"bad\.csv, row 1.*not the header"):
        load(path)


def test_empty_csv(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"empty\.csv, row 1"):
        load(tmp_path / "empty.csv")


def test_bad_code_names_row_and_field(tmp_path: Path) -> None:
    rows = [*EXCERPT[:3], ["8703.2X.01", "2", "Cars", "", "2.5%", "", "10%", "", ""]]
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(InvalidInputError, match=r"bad\.csv, row 5, HTS Number"):
        load(path)


def test_short_row_names_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "short.csv", [*EXCERPT[:2], ["9503.00.00", "0", "Toys"]])
    with pytest.raises(InvalidInputError, match=r"short\.csv, row 4.*3 fields"):
        load(path)


def test_duplicate_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dup.csv", [*EXCERPT, EXCERPT[-1]])
    with pytest.raises(InvalidInputError, match=r"dup\.csv, row 13.*printed twice.*row 12"):
        load(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes((",".join(CSV_HEADER) + '\n"9503.00.00","0","Jou\xe9t"\n').encode("latin-1"))
    with pytest.raises(InvalidInputError, match="not UTF-8"):
        load(path)


def test_malformed_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[{"htsno": "9503.00.00",', encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"bad\.json.*line 1.*not valid JSON"):
        load(path)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ({"htsno": "9503.00.00"}, "not a list"),
        ([["9503.00.00"]], r"item 0.*not an object"),
        ([{"htsno": "9503.00.00", "general": 5}], r"item 0, general.*not text"),
        ([{"htsno": "9503"}, {"htsno": "95O3.00.00"}], r"item 1, htsno"),
    ],
)
def test_wrong_json_shapes(tmp_path: Path, content: object, match: str) -> None:
    path = tmp_path / "shape.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(InvalidInputError, match=match):
        load(path)


# --- the official exports -----------------------------------------------------------------


def official(file_name: str) -> Path:
    path = OFFICIAL / file_name
    if not path.is_file():
        pytest.skip(f"official HTS export {path} is absent (it lives in ../shared/data/hts/)")
    return path


@functools.cache
def csv_rows(path: Path) -> dict[str, list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return {row[0]: row for row in csv.reader(file) if row[0]}


@pytest.fixture(scope="module", params=["hts_2025_revision_13.csv", "hts_2026_revision_4.csv"])
def official_export(request: pytest.FixtureRequest) -> tuple[Path, Schedule, float]:
    path = official(request.param)
    started = time.perf_counter()
    schedule = load(path, effective="2025-06-01")
    return path, schedule, time.perf_counter() - started


def test_official_counts(official_export: tuple[Path, Schedule, float]) -> None:
    path, schedule, seconds = official_export
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))[1:]
    numbered = [r for r in rows if r[0]]
    assert 35_000 < len(rows) < 37_000
    assert 29_000 < len(numbered) < 31_000
    measures = [m for m in schedule.items if isinstance(m, Measure)]
    general = [m for m in measures if m.priority == 0 and not m.id.endswith("-col2")]
    column_2 = [m for m in measures if m.id.endswith("-col2")]
    special = [m for m in measures if m.priority == 1]
    # One general measure per line printing a general rate, likewise for column 2.
    assert len(general) == sum(1 for r in numbered if r[4].strip())
    assert len(column_2) == sum(1 for r in numbered if r[6].strip())
    assert 13_000 < len(general) < 15_000
    # One special measure per line and distinct special rate, instead of one per programme.
    distinct = sum(len(set(parse_special(r[5]).values())) for r in numbered if r[5].strip())
    assert len(special) == distinct
    assert 8_000 < distinct < 10_000
    unknown = Counter(m.rate.text for m in general if isinstance(m.rate, UnknownRate))
    # Unknown general rates are a few percent, mostly Chapter 98/99 texts.
    assert 200 < sum(unknown.values()) < 1_000
    outside_98_99 = [m for m in general if isinstance(m.rate, UnknownRate) and m.heading < "98"]
    assert 100 < len(outside_98_99) < 300  # drained weight, watches, sugar degrees …
    assert unknown["The duty provided in the applicable subheading"] > 100
    assert seconds < 15


@pytest.mark.parametrize(
    ("code", "origin", "expected", "unit"),
    [
        ("8703.23.01", "JP", AdValorem("2.5"), "No."),
        ("8703.23.01", "CU", AdValorem("10"), "No."),
        ("9503.00.00", "CN", Free(), "No."),
        ("9503.00.00", "RU", AdValorem("70"), "No."),
        ("0201.10.10", "AR", per("0.044", "kg"), "kg"),
        ("0201.10.10", "KP", per("0.132", "kg"), "kg"),
        ("2009.41.20.00", "BR", per("0.042", "liters"), "liters"),
        ("2204.21.50", "FR", per("0.063", "liters"), "liters"),
        ("2208.20.20.00", "BY", per("2.35", "pf.liters"), "pf.liters"),
        ("8448.51.10.00", "CU", Compound((per("2", "thousands"), AdValorem("60"))), "thousands"),
        ("0406.90.94.00", "NZ", per("1.128", "kg"), "kg"),
    ],
)
def test_official_spot_checks(
    official_export: tuple[Path, Schedule, float],
    code: str,
    origin: str,
    expected: object,
    unit: str,
) -> None:
    path, schedule, _ = official_export
    row = csv_rows(path)[code]
    column = 6 if origin in COLUMN_2 else 4
    assert parse_rate(row[column]) == expected  # the file says what we expect
    suffix = "-col2" if origin in COLUMN_2 else ""
    assert measure(schedule, f"mfn-{code}{suffix}").rate == expected
    resolution = schedule.resolve(
        Entry(code, origin, "2025-07-01", usd("1000"), Quantity("10", unit))
    )
    assert resolution.is_known
    (applied,) = resolution.applied
    assert applied.measure.rate == expected
    assert applied.measure.heading == code


def test_official_special_and_inheritance(official_export: tuple[Path, Schedule, float]) -> None:
    _, schedule, _ = official_export
    car = Entry("8703.23.01.90", "KR", "2025-07-01", usd("40000"))
    assert schedule.resolve(car).duty == usd("1000")
    assert schedule.resolve(car.with_facts(claim="KR")).duty == usd("0")
    assert schedule.resolve(car.with_facts(claim="JP")).duty == usd("1000")
    wine = Entry("2204.21.50.05", "JO", "2025-07-01", usd("100"), Quantity("100", "liters"))
    assert schedule.resolve(wine.with_facts(claim="JO")).duty == usd("2.8")
    sugar = measure(schedule, "mfn-1701.12.10.00")
    assert isinstance(sugar.rate, UnknownRate)
    assert measure(schedule, "mfn-4202.29.20.00-col2").rate == UnknownRate("33 1/3%")


def test_loading_only_some_codes_answers_as_the_whole_export() -> None:
    """`codes=` builds only the lines that apply to the codes, with the same answers."""
    path = OFFICIAL / "hts_2026_revision_4.csv"
    if not path.is_file():
        pytest.skip(f"{path} is not here (the official export lives in ../shared/data/hts)")
    whole = load(path)
    measures = [m for m in whole.items if isinstance(m, Measure)]
    codes = sorted({m.goods.prefixes[0] for m in measures})[::97]  # ~190 lines across chapters
    for code in codes:
        some = load(path, codes=[code])
        for origin, claim in (("JP", None), ("KR", "KR"), ("CU", None)):
            entry = Entry(code, origin, "2025-06-01", Money("1000", "USD"), Quantity("10", "kg"),
                          {"claim": claim} if claim else {})  # fmt: skip
            expected = whole.resolve(entry)
            got = some.resolve(entry)
            assert got.headings == expected.headings, code
            assert got.is_known == expected.is_known, code
            if expected.is_known:
                assert got.duty == expected.duty, code

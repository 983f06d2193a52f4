from datetime import date, datetime
from decimal import Decimal

import pytest

from tradelaw import (
    AdValorem,
    Fact,
    FactSpec,
    Goods,
    InvalidInputError,
    Measure,
    Money,
    Origins,
    Period,
    Schedule,
    ValidationError,
    dumps,
    loads,
)
from tradelaw.facts import WELL_KNOWN, declared


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("integer", " 1999 ", 1999),
        ("decimal", "1.50", Decimal("1.50")),
        ("money", "12000", Money("12000", "USD")),
        ("money", "12000.50 EUR", Money("12000.50", "EUR")),
        ("money", "jpy 5000", Money("5000", "JPY")),
        ("instant", "2025-04-08", date(2025, 4, 8)),
        ("text", " KORUS ", "KORUS"),
        ("boolean", "Yes", True),
        ("boolean", "0", False),
    ],
)
def test_a_fact_is_read_by_its_declared_type(kind, text, expected):
    assert FactSpec("f", kind).parse(text) == expected


def test_an_instant_with_an_offset_is_aware():
    value = FactSpec("f", "instant").parse("2025-04-08T23:00-04:00")
    assert isinstance(value, datetime)
    assert value.utcoffset() is not None


@pytest.mark.parametrize(
    ("kind", "text", "problem"),
    [
        ("integer", "1999.5", "is not an integer"),
        ("decimal", "1,5", "is not a decimal number"),
        ("decimal", "NaN", "is not a finite number"),
        ("money", "USD 12 EUR", "is not an amount"),
        ("money", "twelve", "is not an amount"),
        ("instant", "2025-13-01", "is not an ISO 8601"),
        ("instant", "2025-04-08T23:00", "has a time but no UTC offset"),
        ("text", "  ", "is empty"),
        ("boolean", "maybe", "is not true or false"),
    ],
)
def test_bad_fact_text_names_the_fact_and_the_text(kind, text, problem):
    with pytest.raises(InvalidInputError, match=problem) as caught:
        FactSpec("f", kind).parse(text)
    assert str(caught.value).startswith(f"facts.f: {text!r}")


def test_unknown_types_and_bad_names_are_refused():
    with pytest.raises(ValueError, match="'float'"):
        FactSpec("f", "float")
    with pytest.raises(InvalidInputError, match="is not a fact name"):
        FactSpec("no such", "text")


def test_a_schedule_may_not_retype_a_well_known_fact():
    assert declared([FactSpec("loaded", "instant", "again")])["loaded"].description == "again"
    with pytest.raises(InvalidInputError, match="retypes a well-known instant fact"):
        Schedule([], name="s", jurisdiction="US", zone="UTC", facts=[FactSpec("loaded", "text")])


def _reading(fact: str) -> Measure:
    return Measure(
        id="m",
        goods=Goods.all(),
        origins=Origins.all(),
        period=Period.parse("2025-01-01", zone="UTC"),
        rate=AdValorem("1"),
        layer="x",
        condition=Fact(fact).eq("yes"),
    )


def test_validation_reports_a_fact_the_schedule_does_not_declare():
    s = Schedule([_reading("vessel")], name="s", jurisdiction="US", zone="UTC")
    with pytest.raises(ValidationError, match="reads fact 'vessel', which the schedule does not"):
        s.validate()
    declared_ = Schedule(
        [_reading("vessel")],
        name="s",
        jurisdiction="US",
        zone="UTC",
        facts=[FactSpec("vessel", "text")],
    )
    assert declared_.problems() == ()
    assert "vessel" in declared_.declared_facts
    assert set(WELL_KNOWN) <= set(declared_.declared_facts)


def test_declared_facts_round_trip_and_stack():
    s = Schedule(
        [_reading("vessel")],
        name="s",
        jurisdiction="US",
        zone="UTC",
        facts=[FactSpec("vessel", "text", "carrying vessel")],
    )
    assert loads(dumps(s)) == s
    assert loads(dumps(s, format="json"), format="json") == s
    other = Schedule(
        [], name="o", jurisdiction="US", zone="UTC", facts=[FactSpec("berth", "text")]
    )
    assert [f.name for f in (s | other).facts] == ["berth", "vessel"]


def test_bad_fact_declarations_in_a_file_are_reported_with_their_path():
    text = """
format = "tradelaw/1"
[facts]
vessel = { type = "float" }
berth = "text"
"""
    with pytest.raises(ValidationError) as caught:
        loads(text, source="f.toml")
    message = str(caught.value)
    assert "f.toml: facts.vessel.type: 'float' is not one of integer" in message
    assert "f.toml: facts.berth: is not a table with 'type' and 'description'" in message

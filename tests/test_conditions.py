from datetime import date

import pytest

from tradelaw import AllOf, AnyOf, ExactnessError, Fact, InvalidInputError, Money, Not

NY = "America/New_York"


def test_instant_comparisons_use_1201_am_in_the_zone():
    loaded_before = Fact("loaded").lt("2025-04-05")
    assert loaded_before.evaluate({"loaded": "2025-04-04"}, NY) is True
    assert loaded_before.evaluate({"loaded": date(2025, 4, 5)}, NY) is False
    # loaded at 00:00:30 on 5 April is before 12:01 a.m.
    assert loaded_before.evaluate({"loaded": "2025-04-05T00:00:30-04:00"}, NY) is True


def test_numbers_money_and_text():
    assert Fact("model_year").le(2000).evaluate({"model_year": 1999}, NY) is True
    assert Fact("model_year").le("2000").evaluate({"model_year": "2001"}, NY) is False
    steel = Fact("steel_value").gt(Money("0", "USD"))
    assert steel.evaluate({"steel_value": Money("5", "USD")}, NY) is True
    assert Fact("claim").eq("KORUS").evaluate({"claim": "KORUS"}, NY) is True
    assert Fact("claim").one_of("S", "S+").evaluate({"claim": "KORUS"}, NY) is False


def test_missing_facts_are_unknown_and_logic_is_three_valued():
    old = Fact("model_year").le(2000)
    korus = Fact("claim").eq("KORUS")
    assert old.evaluate({}, NY) is None
    assert Not(old).evaluate({}, NY) is None
    assert AllOf((old, korus)).evaluate({"claim": "X"}, NY) is False
    assert AllOf((old, korus)).evaluate({"claim": "KORUS"}, NY) is None
    assert AnyOf((old, korus)).evaluate({"claim": "KORUS"}, NY) is True
    assert AnyOf((old, korus)).evaluate({"claim": "X"}, NY) is None
    assert Fact("claim").present().evaluate({}, NY) is False


def test_mismatched_fact_types_name_the_fact():
    with pytest.raises(InvalidInputError, match="facts.steel_value: .* is not an amount of money"):
        Fact("steel_value").gt(Money("0", "USD")).evaluate({"steel_value": "5"}, NY)
    with pytest.raises(InvalidInputError, match="facts.steel_value: .* is not in USD"):
        Fact("steel_value").gt(Money("0", "USD")).evaluate({"steel_value": Money("5", "EUR")}, NY)
    with pytest.raises(InvalidInputError, match="facts.model_year: 'new' is not a number"):
        Fact("model_year").le(2000).evaluate({"model_year": "new"}, NY)


def test_bad_conditions_are_refused():
    with pytest.raises(ExactnessError):
        Fact("x").lt(1.5)
    with pytest.raises(InvalidInputError, match="neither a number nor an ISO 8601 date"):
        Fact("x").lt("soon")
    with pytest.raises(InvalidInputError, match="list of conditions"):
        AllOf(())


def test_conditions_describe_themselves():
    text = str(AnyOf((Fact("loaded").lt("2025-04-05"), Not(Fact("claim").eq("S+")))))
    assert text == "loaded < 2025-04-05 or not claim == S+"
    assert Fact("model_year").le(2000).fact_names() == {"model_year"}

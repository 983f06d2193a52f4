from datetime import date, datetime

import pytest

from tradelaw import Entry, ExactnessError, InvalidInputError, Money, Quantity


def test_entry_normalises_code_origin_and_date():
    e = Entry("8703.23.01", "jp", "2025-04-09", Money("1", "USD"), Quantity("1", "No."))
    assert (e.goods, e.origin, e.entered) == ("87032301", "JP", date(2025, 4, 9))
    assert Entry("8703", "JP", "2025-04-09T10:00Z", Money("1", "USD")).entered.tzinfo is not None


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"goods": "87O3"}, InvalidInputError, "goods: '87O3'"),
        ({"origin": "XX"}, InvalidInputError, "origin: 'XX'"),
        ({"entered": "2025-02-30"}, InvalidInputError, "entered: '2025-02-30'"),
        ({"entered": datetime(2025, 1, 1)}, InvalidInputError, "naive datetime"),
        ({"value": "100"}, InvalidInputError, "value: '100' is not Money"),
        ({"value": Money("-1", "USD")}, InvalidInputError, "negative"),
        ({"quantity": 5}, InvalidInputError, "quantity: 5 is not a Quantity"),
        ({"facts": {"model_year": 2000.0}}, ExactnessError, "facts.model_year: 2000.0 is a float"),
        ({"facts": {"bad name": 1}}, InvalidInputError, "not a fact name"),
        ({"facts": {"x": [1]}}, InvalidInputError, r"facts.x: \[1\]"),
    ],
)
def test_bad_entries_are_refused_clearly(kwargs, error, message):
    args = {"goods": "8703", "origin": "JP", "entered": "2025-04-09", "value": Money("1", "USD")}
    args.update(kwargs)
    with pytest.raises(error, match=message):
        Entry(**args)


def test_entries_compare_by_value_and_facts_are_read_only():
    a = Entry("8703", "JP", "2025-04-09", Money("1", "USD"), facts={"claim": "S+"})
    assert a == Entry("8703", "JP", "2025-04-09", Money("1", "USD"), facts={"claim": "S+"})
    assert a != a.with_facts(claim="KORUS")
    with pytest.raises(TypeError):
        a.facts["claim"] = "x"  # type: ignore[index]

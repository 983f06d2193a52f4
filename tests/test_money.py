from decimal import Decimal

import pytest

from tradelaw import CurrencyError, ExactnessError, InvalidInputError, Money, Quantity, to_decimal


def test_amounts_are_exact_decimals():
    assert Money("0.1", "USD") + Money("0.2", "USD") == Money("0.3", "USD")
    assert Money(3, "usd").currency == "USD"
    assert (Money("40000", "USD") * Decimal("0.025")).amount == Decimal("1000")


def test_floats_are_refused_with_a_suggestion():
    with pytest.raises(ExactnessError, match=r"amount: 0\.1 is a float.*'0\.1'"):
        Money(0.1, "USD")
    with pytest.raises(ExactnessError, match="rate"):
        to_decimal(2.5, "rate")
    assert issubclass(ExactnessError, TypeError)


@pytest.mark.parametrize("bad", ["abc", "", "NaN", "Infinity", None, True])
def test_non_numbers_are_refused(bad):
    with pytest.raises(InvalidInputError):
        to_decimal(bad, "x")


def test_unknown_currency_is_refused():
    with pytest.raises(InvalidInputError, match="'ABC' is not an ISO 4217 currency code"):
        Money("1", "ABC")


def test_currencies_never_mix():
    with pytest.raises(CurrencyError, match="USD and JPY"):
        Money("1", "USD") + Money("1", "JPY")
    with pytest.raises(CurrencyError):
        _ = Money("1", "USD") < Money("1", "EUR")


def test_rounding_uses_the_currency_minor_unit():
    assert Money("10.005", "USD").rounded().amount == Decimal("10.01")
    assert Money("10.5", "JPY").rounded().amount == Decimal("11")
    assert str(Money("1234.5", "USD")) == "USD 1,234.50"


def test_ratio_and_division():
    assert Money("25", "USD").ratio(Money("100", "USD")) == Decimal("0.25")
    assert (Money("10", "USD") / 4).amount == Decimal("2.5")
    with pytest.raises(InvalidInputError):
        Money("1", "USD").ratio(Money("0", "USD"))


def test_quantity_units_compare_case_insensitively():
    assert Quantity("3", "KG").in_unit("kg") == Decimal(3)
    assert Quantity("3", "kg").in_unit("No.") is None
    with pytest.raises(InvalidInputError, match="unit"):
        Quantity("3", " ")

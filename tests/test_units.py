"""Units of quantity: people's spellings become the HTS's, and the rest are refused."""

from __future__ import annotations

import pytest

from tradelaw import InvalidInputError, Money, Quantity, Specific
from tradelaw.units import UNITS, unit


@pytest.mark.parametrize(
    ("spelling", "hts"),
    [
        ("l", "liters"), ("liter", "liters"), ("Litres", "liters"), ("liters", "liters"),
        ("kg", "kg"), ("KG", "kg"), ("kilograms", "kg"), ("kilo", "kg"),
        ("each", "No."), ("No.", "No."), ("no", "No."), ("units", "No."),
        ("pcs", "pcs"), ("pieces", "pcs"), ("pairs", "prs."), ("pr.", "prs."),
        ("dozen", "doz."), ("m²", "m2"), ("square  meters", "m2"), ("tonne", "t"),
        ("proof liters", "pf.liters"), ("1,000", "thousands"), ("cy kg", "clean kg"),
        ("kg Cu", "Cu kg"),
    ],
)  # fmt: skip
def test_spellings_people_use_name_the_hts_unit(spelling: str, hts: str):
    assert unit(spelling) == hts
    assert Quantity("12", spelling).unit == hts


@pytest.mark.parametrize("spelling", ["ton", "tons", "lb", "gallon", "M", "", "kgg"])
def test_other_units_are_refused_with_what_is_accepted(spelling: str):
    with pytest.raises(InvalidInputError, match="is not a unit|is not a unit name"):
        Quantity("12", spelling)


def test_units_the_hts_keeps_apart_stay_apart():
    assert unit("pcs") != unit("No.")
    assert unit("Cu kg") != unit("kg")
    assert unit("doz. prs.") != unit("doz.")


def test_a_specific_rate_and_a_quantity_meet_whatever_their_spelling():
    from tradelaw import RateContext

    rate = Specific(Money("0.044", "USD"), "kilograms")
    context = RateContext(Money("100", "USD"), Quantity("1000", "kg"))
    assert rate.duty(Money("100", "USD"), context) == Money("44", "USD")


def test_every_unit_the_shipped_editions_print_is_known():
    # Every unit a rate of the HTS parses to is in the table.
    from tradelaw.hts._rates import _UNITS

    assert set(_UNITS.values()) <= set(UNITS)

from decimal import Decimal

import pytest

from tradelaw import (
    AdValorem,
    Bounded,
    Compound,
    Free,
    InvalidInputError,
    Money,
    Quantity,
    RateContext,
    RateExpression,
    Specific,
    TopUp,
    UnknownDutyError,
    UnknownRate,
)

USD = "USD"


def ctx(value="100", quantity=None, mfn=None):
    def layer_rate(layer):
        if mfn is None:
            raise UnknownDutyError(f"no {layer}")
        return Decimal(mfn)

    return RateContext(Money(value, USD), quantity, layer_rate)


def test_ad_valorem_and_free():
    assert AdValorem("2.5").duty(Money("40000", USD), ctx()).amount == Decimal("1000")
    assert Free().duty(Money("40000", USD), ctx()).amount == 0
    with pytest.raises(InvalidInputError, match="negative"):
        AdValorem("-1")


def test_specific_needs_a_quantity_in_its_unit():
    rate = Specific(Money("0.034", USD), "kg")
    assert rate.duty(Money("1", USD), ctx(quantity=Quantity("100", "kg"))).amount == Decimal("3.4")
    with pytest.raises(
        UnknownDutyError,
        match=r"needs the quantity in kg \(--quantity N kg\), and the entry gives none",
    ):
        rate.duty(Money("1", USD), ctx())
    with pytest.raises(UnknownDutyError, match="gives it in liters"):
        rate.duty(Money("1", USD), ctx(quantity=Quantity("100", "liters")))


def test_compound_and_bounds():
    q = ctx(quantity=Quantity("10", "kg"))
    both = Compound((AdValorem("5"), Specific(Money("1", USD), "kg")))
    assert both.duty(Money("100", USD), q).amount == Decimal("15")
    assert str(both) == "5% + USD 1/kg"
    floor = Bounded(AdValorem("5"), minimum=Specific(Money("2", USD), "kg"))
    assert floor.duty(Money("100", USD), q).amount == Decimal("20")
    cap = Bounded(AdValorem("50"), maximum=Specific(Money("2", USD), "kg"))
    assert cap.duty(Money("100", USD), q).amount == Decimal("20")
    with pytest.raises(InvalidInputError, match="neither a minimum nor a maximum"):
        Bounded(AdValorem("5"))
    with pytest.raises(InvalidInputError, match="two or more"):
        Compound((AdValorem("5"),))


def test_top_up_is_inclusive_of_the_base_layer():
    assert TopUp("15").duty(Money("100", USD), ctx(mfn="2.5")).amount == Decimal("12.5")
    assert TopUp("15").duty(Money("100", USD), ctx(mfn="20")).amount == 0
    assert TopUp("15").layers() == {"mfn"}
    with pytest.raises(UnknownDutyError):
        TopUp("15").duty(Money("100", USD), ctx())


def test_unknown_rate_is_never_zero():
    with pytest.raises(UnknownDutyError, match="'See note 2' is not known"):
        UnknownRate("See note 2").duty(Money("1", USD), ctx())


def test_every_builtin_implements_the_protocol():
    for rate in (
        AdValorem("1"),
        Free(),
        Specific(Money("1", USD), "kg"),
        TopUp("15"),
        UnknownRate("x"),
    ):
        assert isinstance(rate, RateExpression)

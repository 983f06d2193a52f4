from decimal import Decimal
from pathlib import Path

import pytest
from tradelaw_threshold import AboveThreshold

from tradelaw import CurrencyError, Entry, Money, RateContext, dumps, kind_of, kinds, load, loads

SCHEDULE = Path(__file__).parent / "luxury-cars.toml"


def aud(amount: str) -> Money:
    return Money(amount, "AUD")


@pytest.mark.parametrize(
    ("value", "duty"),
    [("50000", "0"), ("80000", "0"), ("80001", "0.33"), ("100000", "6600")],
)
def test_only_the_part_above_the_threshold_is_charged(value, duty):
    rate = AboveThreshold("33", aud("80000"))
    assert rate.duty(aud(value), RateContext(aud(value))) == aud(duty)


def test_a_threshold_in_another_currency_is_refused():
    rate = AboveThreshold("33", Money("80000", "USD"))
    with pytest.raises(CurrencyError):
        rate.duty(aud("100000"), RateContext(aud("100000")))


def test_the_kind_is_registered():
    assert kinds()["above-threshold"] is AboveThreshold
    assert kind_of(AboveThreshold("33", aud("80000"))) == "above-threshold"


def test_a_schedule_file_names_the_kind_and_resolves():
    schedule = load(SCHEDULE)
    car = Entry("8703.80.00", "JP", "2025-07-01", aud("100000"))
    resolution = schedule.resolve(car)
    assert resolution.duty == aud("6600")
    assert resolution.total_rate == Decimal("6.6")
    assert loads(dumps(schedule, format="toml"), format="toml") == schedule

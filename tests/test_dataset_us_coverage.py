"""The golden cases test every measure of the `us` dataset, and every start and end of one."""

from datetime import date

import pytest

from golden import cases, coverage
from tradelaw import datasets

#: The dataset starts on 1 January 2025, so a start on or before that day has no day before
#: to compare with (the base layer has no edition for it).
FIRST_DAY = date(2025, 1, 1)


@pytest.fixture(scope="module")
def gaps():
    return coverage(datasets.load("us"), cases())


def test_every_measure_is_reached_by_a_golden_case(gaps):
    unreached, _ = gaps
    assert unreached == []


def test_every_start_and_end_has_a_case_the_day_before_and_the_day_of(gaps):
    _, missing = gaps
    assert [(mid, kind, day) for mid, kind, day in missing if day > FIRST_DAY] == []

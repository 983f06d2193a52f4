from datetime import UTC, date, datetime

import pytest

from tradelaw import InvalidInputError, Period, instant
from tradelaw.time import micros, zone

NY = "America/New_York"


def test_a_date_is_1201_am_in_the_zone():
    assert instant("2025-04-09", NY) == datetime(2025, 4, 9, 0, 1, tzinfo=zone(NY))
    assert instant(date(2025, 1, 15), NY).utcoffset().total_seconds() == -5 * 3600
    assert instant("2025-04-09", NY).utcoffset().total_seconds() == -4 * 3600


def test_text_with_time_but_no_offset_is_read_in_the_zone():
    assert instant("2025-04-09T12:00", NY).isoformat() == "2025-04-09T12:00:00-04:00"
    assert instant("2025-04-09T12:00Z", NY).tzinfo is not None


def test_naive_datetimes_and_garbage_are_refused():
    with pytest.raises(InvalidInputError, match="entered: .* naive datetime"):
        instant(datetime(2025, 4, 9), NY, "entered")
    with pytest.raises(InvalidInputError, match="'2025-13-01' is not an ISO 8601"):
        instant("2025-13-01", NY, "start")
    with pytest.raises(InvalidInputError, match="zone"):
        instant("2025-01-01", "Mars/Olympus")


def test_periods_are_half_open():
    p = Period.parse("2025-04-09", "2025-04-10", zone=NY)
    assert p.contains(instant("2025-04-09", NY))
    assert p.contains(instant("2025-04-09T23:59", NY))
    assert not p.contains(instant("2025-04-10", NY))
    assert not p.contains(instant("2025-04-08", NY))
    assert Period.parse("2025-04-09", zone=NY).contains(instant("2099-01-01", NY))


def test_empty_periods_contain_nothing_and_overlap_nothing():
    p = Period.parse("2025-04-09", "2025-04-09", zone=NY)
    assert p.is_empty
    assert not p.contains(p.start)
    assert not p.overlaps(Period.always())


def test_overlaps():
    a = Period.parse("2025-01-01", "2025-02-01", zone=NY)
    assert a.overlaps(Period.parse("2025-01-31", zone=NY))
    assert not a.overlaps(Period.parse("2025-02-01", zone=NY))
    assert Period.always().overlaps(a)


def test_period_needs_aware_datetimes():
    with pytest.raises(InvalidInputError, match="timezone-aware"):
        Period(datetime(2025, 1, 1))
    assert Period(datetime(2025, 1, 1, tzinfo=UTC)).end is None


def test_a_period_outside_the_years_a_file_can_hold_is_refused():
    # Before 1883 New York kept local mean time: a period there could be dumped but never
    # read back. Periods keep to the years a schedule file can hold (issue 14).
    old = datetime(1850, 1, 1, 0, 1, tzinfo=zone("America/New_York"))
    with pytest.raises(InvalidInputError, match="1850-01-01.*1900-2199"):
        Period(old)
    assert Period.always().contains(datetime(1900, 1, 1, tzinfo=UTC))


def test_micros_tells_apart_the_two_readings_of_a_repeated_wall_time():
    # 1:30 a.m. on 2 November 2025 happened twice in New York; Python holds the two
    # readings equal, and the remembered microseconds must not confuse them.
    first = datetime(2025, 11, 2, 1, 30, tzinfo=zone("America/New_York"))
    second = first.replace(fold=1)
    assert first == second
    assert micros(first) == 1_762_061_400_000_000
    assert micros(second) - micros(first) == 3_600_000_000
    assert micros(datetime(2025, 11, 2, 6, 30, tzinfo=UTC)) == micros(second)

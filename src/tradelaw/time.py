"""Instants, zones and half-open periods.

An *instant* is a timezone-aware :class:`~datetime.datetime`. A bare date stands for
12:01 a.m. on that day in a schedule's zone: the moment US instruments take effect
("12:01 a.m. eastern daylight time on April 9, 2025"), which is also right for
measures that start at midnight. Text is parsed with python-dateutil.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from attrs import field, frozen
from dateutil.parser import isoparse

from tradelaw.errors import InvalidInputError

__all__ = ["EFFECTIVE_TIME", "Period", "When", "date_or_instant", "instant", "micros", "zone"]

#: The time of day that a bare date stands for (12.01 a.m.).
EFFECTIVE_TIME = time(0, 1)

#: What may be given where an instant is expected.
When = datetime | date | str


@cache
def zone(name: str) -> ZoneInfo:
    """Return the IANA time zone ``name`` (e.g. ``"America/New_York"``).

    Raises:
        InvalidInputError: if the zone is unknown.

    Example:
        >>> zone("America/New_York")
        zoneinfo.ZoneInfo(key='America/New_York')
    """
    if not isinstance(name, str) or len(name) > _LONGEST_ZONE:
        raise InvalidInputError("zone", name, "is not an IANA time zone")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInputError("zone", name, "is not an IANA time zone") from None


_LONGEST_ZONE = 64  # the longest IANA name has 32 characters


def _is_date_only(text: str) -> bool:
    return "T" not in text and " " not in text.strip()


def date_or_instant(
    text: str, where: str, problem: str = "is not an ISO 8601 date or datetime"
) -> date | datetime:
    """Read ISO 8601 text as a date, or as an instant that carries its UTC offset.

    Unlike :func:`instant`, nothing is read in a zone: this is for values kept as given
    (condition values, facts) and placed in a schedule's zone only when compared.

    Example:
        >>> date_or_instant("2025-04-08", "loaded")
        datetime.date(2025, 4, 8)
        >>> date_or_instant("2025-04-08T23:00", "loaded")
        Traceback (most recent call last):
        ...
        tradelaw.errors.InvalidInputError: loaded: '2025-04-08T23:00' has a time but no UTC offset
    """
    try:
        parsed = isoparse(text)
    except (ValueError, OverflowError):
        raise InvalidInputError(where, text, problem) from None
    if _is_date_only(text):
        return parsed.date()
    if parsed.tzinfo is None:
        raise InvalidInputError(where, text, "has a time but no UTC offset")
    return parsed


def instant(value: When, zone_name: str, where: str = "") -> datetime:
    """Turn a date, datetime or ISO 8601 text into an aware instant.

    A date (or date-only text) is 12:01 a.m. that day in ``zone_name``. Text with a time
    but no offset is read in ``zone_name``. A naive ``datetime`` is refused: it is
    ambiguous, and guessing a zone is how duties get computed for the wrong day.

    Args:
        value: the date, aware datetime or ISO 8601 text.
        zone_name: the IANA zone for dates and offset-less text.
        where: the field name or path of the value, for error messages.

    Example:
        >>> instant("2025-04-09", "America/New_York").isoformat()
        '2025-04-09T00:01:00-04:00'
        >>> instant("2025-04-09T12:00Z", "America/New_York").isoformat()
        '2025-04-09T12:00:00+00:00'
        >>> instant(datetime(2025, 4, 9), "America/New_York", "entered")
        Traceback (most recent call last):
        ...
        tradelaw.errors.InvalidInputError: entered: datetime.datetime(...) is a naive datetime; ...
    """
    found = _instant(value, zone_name, where)
    if not _FIRST_YEAR <= found.year <= _LAST_YEAR:
        raise InvalidInputError(
            where, value, f"is outside the years tradelaw handles ({_FIRST_YEAR}-{_LAST_YEAR})"
        )
    return found


# Dates far from any tariff: refused, so that no date arithmetic can overflow.
_FIRST_YEAR, _LAST_YEAR = 1900, 2199


def _instant(value: When, zone_name: str, where: str) -> datetime:
    zone(zone_name)  # an unknown zone is refused first, naming it
    if isinstance(value, str):
        try:
            return _text_instant(value, zone_name)
        except (ValueError, OverflowError):
            raise InvalidInputError(where, value, "is not an ISO 8601 date or datetime") from None
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidInputError(
                where, value, "is a naive datetime; give it a time zone, or pass a date"
            )
        return value
    if isinstance(value, date):
        return _day_start(value, zone_name)
    raise InvalidInputError(where, value, "is not a date, datetime or ISO 8601 text")


@lru_cache(maxsize=4096)
def _text_instant(text: str, zone_name: str) -> datetime:
    """ISO 8601 text as an instant; cached, as the same knowledge times are asked again."""
    text = text.strip()
    parsed: date = isoparse(text)
    if _is_date_only(text):
        return _day_start(parsed.date() if isinstance(parsed, datetime) else parsed, zone_name)
    assert isinstance(parsed, datetime)  # isoparse gives a datetime, dates included
    return parsed.replace(tzinfo=zone(zone_name)) if parsed.tzinfo is None else parsed


@lru_cache(maxsize=65_536)
def _day_start(day: date, zone_name: str) -> datetime:
    """12:01 a.m. on ``day`` in the zone: asked for every entry, and days recur."""
    return datetime.combine(day, EFFECTIVE_TIME, tzinfo=zone(zone_name))


def _aware(value: object) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInputError(
            "period", value, "is not a timezone-aware datetime (use Period.parse for text)"
        )
    # The years a schedule file can hold, so that every period written reads back (before
    # 1883 New York kept local mean time, an offset no file could state); the start of
    # Period.always() is the one instant outside them.
    if not _FIRST_YEAR <= value.year <= _LAST_YEAR and value != _EARLIEST:
        problem = f"is outside the years tradelaw handles ({_FIRST_YEAR}-{_LAST_YEAR})"
        raise InvalidInputError("period", value.isoformat(), problem)
    return value


_EARLIEST = datetime.min.replace(tzinfo=zone("UTC")) + timedelta(days=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=zone("UTC"))
_MICROSECOND = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    """An instant as whole microseconds since 1970, exactly.

    Integers compare fast; two instants in different time zones (a zone and a fixed
    offset) compare slowly, and lookups and array searches compare many.

    Example:
        >>> micros(instant("1970-01-02", "UTC"))
        86460000000
    """
    if moment.fold:  # equal, by Python's rules, to the other reading of its wall time
        return (moment - _EPOCH) // _MICROSECOND
    found = _MICROS.get(moment)
    if found is None:
        found = (moment - _EPOCH) // _MICROSECOND
        if len(_MICROS) >= _REMEMBERED:
            _MICROS.clear()
        _MICROS[moment] = found
    return found


# Instants recur (entries of one day, period bounds): their microseconds are remembered.
# Equal instants in different zones hash alike, and have the same microseconds; a second
# reading of a repeated wall time (fold=1) compares equal to the first, so is not kept.
_MICROS: dict[datetime, int] = {}
_REMEMBERED = 65_536


def _aware_or_none(value: object) -> datetime | None:
    return None if value is None else _aware(value)


@frozen(order=False)
class Period:
    """A half-open span of time ``[start, end)``; ``end=None`` is open-ended.

    Construction accepts an empty span (``start >= end``) so that
    :meth:`tradelaw.schedule.Schedule.validate` can report it with every other problem; such a
    period contains no instant.

    Example:
        >>> p = Period.parse("2025-04-10", "2025-07-09", zone="America/New_York")
        >>> p.contains(instant("2025-07-08", "America/New_York"))
        True
        >>> p.contains(instant("2025-07-09", "America/New_York"))
        False
        >>> str(p)
        '[2025-04-10T00:01:00-04:00, 2025-07-09T00:01:00-04:00)'
    """

    start: datetime = field(converter=_aware)
    end: datetime | None = field(default=None, converter=_aware_or_none)

    @classmethod
    def parse(cls, start: When, end: When | None = None, *, zone: str) -> Period:
        """Build a period from dates, aware datetimes or ISO text, read in ``zone``.

        Example:
            >>> Period.parse("2025-04-05", zone="America/New_York").end is None
            True
        """
        return cls(
            instant(start, zone, "period.start"),
            None if end is None else instant(end, zone, "period.end"),
        )

    @classmethod
    def always(cls) -> Period:
        """Return the period that contains every instant tradelaw can represent.

        Example:
            >>> Period.always().contains(datetime(1900, 1, 1, tzinfo=zone("UTC")))
            True
        """
        return cls(_EARLIEST)

    @property
    def is_empty(self) -> bool:
        """True when the period contains no instant (``end <= start``)."""
        return self.end is not None and self.end <= self.start

    def contains(self, moment: datetime) -> bool:
        """Return whether ``moment`` lies in ``[start, end)``."""
        return self.start <= moment and (self.end is None or moment < self.end)

    def overlaps(self, other: Period) -> bool:
        """Return whether the two periods share at least one instant.

        Example:
            >>> a = Period.parse("2025-01-01", "2025-02-01", zone="UTC")
            >>> b = Period.parse("2025-02-01", zone="UTC")
            >>> a.overlaps(b)
            False
        """
        if self.is_empty or other.is_empty:
            return False
        starts_before_other_ends = other.end is None or self.start < other.end
        ends_after_other_starts = self.end is None or other.start < self.end
        return starts_before_other_ends and ends_after_other_starts

    def __str__(self) -> str:
        end = "…" if self.end is None else self.end.isoformat()
        return f"[{self.start.isoformat()}, {end})"

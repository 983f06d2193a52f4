"""What an importer declares: :class:`Entry`.

Well-known facts (a dataset may declare more, with their types):

========================  =============================================================
``loaded``                instant (or date) the goods were loaded for export
``model_year``            integer model year of a vehicle
``steel_value`` …         :class:`~tradelaw.money.Money` content values per material
                          (``steel_value``, ``aluminum_value``, ``copper_value``)
``us_content_value``      :class:`~tradelaw.money.Money` value of US content
``claim``                 text code of a special programme (``"KORUS"``, ``"S+"``)
``end_use``               text, e.g. ``"civil_aircraft"``
``importer``              text identifying the importer (keys credit ledgers)
========================  =============================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType

from attrs import field, frozen
from dateutil.parser import isoparse

from tradelaw.conditions import FactValue
from tradelaw.errors import ExactnessError, InvalidInputError
from tradelaw.money import Money, Quantity
from tradelaw.scope import country_code, goods_code
from tradelaw.time import instant

__all__ = ["Entry"]


def _entered(value: object) -> date | datetime:
    found = _when(value)
    instant(value if isinstance(value, str) else found, "UTC", "entered")  # years in range
    return found


def _when(value: object) -> date | datetime:
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = isoparse(text)
        except ValueError:
            raise InvalidInputError(
                "entered", value, "is not an ISO 8601 date or datetime"
            ) from None
        if "T" not in text and " " not in text:
            return parsed.date()
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            # An entry has no zone of its own to read a local time in.
            raise InvalidInputError("entered", value, "has a time but no UTC offset")
        value = parsed
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidInputError(
                "entered", value, "is a naive datetime; give it a time zone, or pass a date"
            )
        return value
    if isinstance(value, date):
        return value
    raise InvalidInputError("entered", value, "is not a date, datetime or ISO 8601 text")


def _facts(value: Mapping[str, object]) -> Mapping[str, FactValue]:
    if not isinstance(value, Mapping):
        raise InvalidInputError("facts", value, "is not a mapping of fact names to values")
    checked: dict[str, FactValue] = {}
    for name, fact in value.items():
        where = f"facts.{name}"
        if not isinstance(name, str) or not name.isidentifier():
            raise InvalidInputError("facts", name, "is not a fact name (letters, digits, _)")
        if isinstance(fact, float):
            raise ExactnessError(where, fact)
        if not isinstance(fact, Decimal | int | str | bool | Money | datetime | date):
            raise InvalidInputError(where, fact, "is not a number, text, money, date or instant")
        checked[name] = fact
    return MappingProxyType(checked)


def _value(value: object) -> Money:
    if not isinstance(value, Money):
        raise InvalidInputError("value", value, "is not Money (e.g. Money('40000', 'USD'))")
    if value.amount < 0:
        raise InvalidInputError("value", str(value), "is negative")
    return value


def _quantity(value: object) -> Quantity | None:
    if value is None or isinstance(value, Quantity):
        return value
    raise InvalidInputError("quantity", value, "is not a Quantity (e.g. Quantity('12', 'kg'))")


@frozen
class Entry:
    """One entry of goods: code, origin, when entered, customs value, quantity and facts.

    ``entered`` may be a date (12:01 a.m. that day in the schedule's zone), an aware
    datetime, or ISO 8601 text.

    Example:
        >>> car = Entry("8703.23.01", "jp", "2025-04-09", Money("40000", "USD"))
        >>> car.goods, car.origin, car.entered
        ('87032301', 'JP', datetime.date(2025, 4, 9))
        >>> Entry("8703.23.01", "JP", "2025-04-09", Money("1", "USD"), facts={"x": 1.5})
        Traceback (most recent call last):
        ...
        tradelaw.errors.ExactnessError: facts.x: 1.5 is a float, which is inexact; ...
    """

    goods: str = field(converter=goods_code)
    origin: str = field(converter=country_code)
    entered: date | datetime = field(converter=_entered)
    value: Money = field(converter=_value)
    quantity: Quantity | None = field(default=None, converter=_quantity)
    facts: Mapping[str, FactValue] = field(factory=dict, converter=_facts, hash=False)

    def with_facts(self, **facts: FactValue) -> Entry:
        """Return a copy with ``facts`` added or replaced.

        Example:
            >>> e = Entry("9503", "JP", "2025-04-09", Money("10", "USD"))
            >>> e.with_facts(loaded="2025-04-01").facts["loaded"]
            '2025-04-01'
        """
        return Entry(
            self.goods,
            self.origin,
            self.entered,
            self.value,
            self.quantity,
            {**self.facts, **facts},
        )

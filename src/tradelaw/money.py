"""Exact values: decimals, :class:`Money` and :class:`Quantity`.

Every rate and amount in tradelaw is a :class:`~decimal.Decimal`. Floats are refused
with a message that suggests a string, because ``0.1`` as a float is not one tenth.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from attrs import field, frozen
from babel.numbers import get_currency_precision, list_currencies

from tradelaw.errors import CurrencyError, ExactnessError, InvalidInputError
from tradelaw.units import unit

__all__ = ["Money", "Quantity", "to_decimal"]

HUNDRED = Decimal(100)
_ZERO = Decimal(0)


def to_decimal(value: object, where: str = "") -> Decimal:
    """Convert an exact number (``Decimal``, ``int`` or numeric string) to ``Decimal``.

    Args:
        value: the number; a ``float`` is refused because it is inexact.
        where: the name or field path of the value, used in error messages.

    Returns:
        The value as a finite ``Decimal``.

    Raises:
        ExactnessError: for a ``float``.
        InvalidInputError: for anything that is not a finite number.

    Example:
        >>> to_decimal("2.5")
        Decimal('2.5')
        >>> to_decimal(0.25, "rate")
        Traceback (most recent call last):
        ...
        tradelaw.errors.ExactnessError: rate: 0.25 is a float, ... such as '0.25' or a Decimal
    """
    if isinstance(value, bool):
        raise InvalidInputError(where, value, "is a boolean, not a number")
    if isinstance(value, float):
        raise ExactnessError(where, value)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace("_", ""))
        except InvalidOperation:
            raise InvalidInputError(where, value, "is not a number") from None
    else:
        raise InvalidInputError(where, value, "is not a number (give a Decimal, int or string)")
    if not result.is_finite():
        raise InvalidInputError(where, value, "is not a finite number")
    places = -int(result.as_tuple().exponent)  # finite: the exponent is an int
    if result and (result.adjusted() >= _MAX_DIGITS or places > _MAX_PLACES):
        raise InvalidInputError(
            where,
            value if not isinstance(value, str) or len(value) <= 40 else f"{value[:37]}...",
            f"is out of range: tradelaw takes numbers below 10^{_MAX_DIGITS} with at most "
            f"{_MAX_PLACES} decimal places",
        )
    return result


# Bounds on every number: far beyond any customs value, rate or quantity, and within what
# exact decimal arithmetic (28 significant digits) computes without rounding.
_MAX_DIGITS = 15
_MAX_PLACES = 10


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


@cache
def _minor_unit(currency: str) -> Decimal:
    return Decimal(1).scaleb(-get_currency_precision(currency))


def _currency(value: object) -> str:
    if not isinstance(value, str) or value.upper() not in _currencies():
        raise InvalidInputError("currency", value, "is not an ISO 4217 currency code")
    return value.upper()


def _amount(value: object) -> Decimal:
    return to_decimal(value, "amount")


@frozen(order=False)
class Money:
    """An exact amount in an ISO 4217 currency.

    Arithmetic keeps full precision; :meth:`rounded` rounds to the currency's minor unit
    for display or payment. Amounts in different currencies never mix silently.

    Example:
        >>> value = Money("40000", "USD")
        >>> value * Decimal("0.025")
        Money(amount=Decimal('1000.000'), currency='USD')
        >>> value + Money("1", "EUR")
        Traceback (most recent call last):
        ...
        tradelaw.errors.CurrencyError: cannot combine USD and EUR amounts; convert first
    """

    amount: Decimal = field(converter=_amount)
    currency: str = field(converter=_currency)

    @classmethod
    def _trusted(cls, amount: Decimal, currency: str) -> Money:
        # Arithmetic on checked operands yields checked values: skip the converters,
        # which dominate the cost of resolving an entry.
        made = object.__new__(cls)
        object.__setattr__(made, "amount", amount)
        object.__setattr__(made, "currency", currency)
        return made

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Return zero in ``currency``.

        Example:
            >>> Money.zero("JPY")
            Money(amount=Decimal('0'), currency='JPY')
        """
        return cls._trusted(_ZERO, _currency(currency))

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyError(
                f"cannot combine {self.currency} and {other.currency} amounts; convert first"
            )

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money._trusted(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money._trusted(self.amount - other.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if type(factor) is not Decimal:
            factor = to_decimal(factor, "factor")
        return Money._trusted(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Decimal | int) -> Money:
        number = divisor if type(divisor) is Decimal else to_decimal(divisor, "divisor")
        if not number:
            raise InvalidInputError("divisor", divisor, "is zero")
        return Money._trusted(self.amount / number, self.currency)

    def __neg__(self) -> Money:
        return Money._trusted(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    def ratio(self, other: Money) -> Decimal:
        """Return ``self / other`` as a plain ``Decimal`` (same currency required).

        Example:
            >>> Money("25", "USD").ratio(Money("100", "USD"))
            Decimal('0.25')
        """
        self._same(other)
        if not other.amount:
            raise InvalidInputError("value", other.amount, "is zero; cannot take a share of it")
        return self.amount / other.amount

    def rounded(self) -> Money:
        """Round half-up to the currency's minor unit (cents for USD, yen for JPY).

        Example:
            >>> Money("10.005", "USD").rounded()
            Money(amount=Decimal('10.01'), currency='USD')
        """
        rounded = self.amount.quantize(_minor_unit(self.currency), rounding=ROUND_HALF_UP)
        return Money._trusted(rounded, self.currency)

    def __str__(self) -> str:
        rounded = self.amount.quantize(_minor_unit(self.currency), rounding=ROUND_HALF_UP)
        return f"{self.currency} {rounded:,}"


def _unit(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError("unit", value, "is not a unit name (e.g. 'kg', 'No.', 'liters')")
    return unit(value)


@frozen
class Quantity:
    """An exact quantity in a unit, as declared for specific rates (``"kg"``, ``"No."``).

    The unit may be written as people write it (``"kilograms"``, ``"l"``, ``"pairs"``);
    it is kept in the HTS spelling (:func:`tradelaw.units.unit`), and a unit tradelaw
    does not know is refused. tradelaw does not convert units.

    Example:
        >>> Quantity("1200", "kg")
        Quantity(amount=Decimal('1200'), unit='kg')
    """

    amount: Decimal = field(converter=_amount)
    unit: str = field(converter=_unit)

    @classmethod
    def _trusted(cls, amount: Decimal, unit: str) -> Quantity:
        # A checked amount and a unit in its HTS spelling already: skip the converters
        # (a table's quantity cells are read by the ten thousand).
        made = object.__new__(cls)
        object.__setattr__(made, "amount", amount)
        object.__setattr__(made, "unit", unit)
        return made

    def in_unit(self, unit: str) -> Decimal | None:
        """Return the amount if the quantity is in ``unit`` (case-insensitive), else ``None``.

        Example:
            >>> Quantity("3", "KG").in_unit("kg")
            Decimal('3')
        """
        return self.amount if self.unit.casefold() == unit.casefold() else None

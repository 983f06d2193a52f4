"""Declared facts: the name and type of each fact an entry may carry.

A schedule reads facts through its conditions, content bases and credits. Facts given as
text (on the command line, in a CSV column) are parsed by their declared :class:`FactType`,
so ``model_year=1999`` becomes an integer and ``steel_value=12000`` an amount of money.
:data:`WELL_KNOWN` lists the facts every schedule understands; a schedule declares any
others it reads (``Schedule(..., facts=[...])``).

Example:
    >>> WELL_KNOWN["model_year"].parse("1999")
    1999
    >>> str(WELL_KNOWN["steel_value"].parse("12000 EUR"))
    'EUR 12,000.00'
    >>> WELL_KNOWN["loaded"].parse("2025-04-08")
    datetime.date(2025, 4, 8)
    >>> WELL_KNOWN["model_year"].parse("nineteen")
    Traceback (most recent call last):
    ...
    tradelaw.errors.InvalidInputError: facts.model_year: 'nineteen' is not an integer
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType

from attrs import field, frozen

from tradelaw.conditions import FactValue
from tradelaw.errors import InvalidInputError
from tradelaw.money import Money
from tradelaw.time import date_or_instant

__all__ = ["WELL_KNOWN", "FactSpec", "FactType", "declared"]

# "12000", "12000 USD" or "USD 12000": currency before or after, not both.
_AMOUNT = re.compile(r"^(?:([A-Za-z]{3})\s+)?([-+]?\d[\d_]*(?:\.\d+)?)(?:\s*([A-Za-z]{3}))?$")


class FactType(StrEnum):
    """The type of a fact's value, which says how its text is read."""

    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY = "money"
    INSTANT = "instant"
    TEXT = "text"
    BOOLEAN = "boolean"


def _name(value: str) -> str:
    if not isinstance(value, str) or not value.isidentifier():
        raise InvalidInputError("fact name", value, "is not a fact name (letters, digits, _)")
    return value


@frozen
class FactSpec:
    """A fact's name, type and meaning.

    Attributes:
        name: the fact's name, as conditions and entries spell it.
        type: how the fact's text is read.
        description: what the fact means, for the docs and ``--help``.
    """

    name: str = field(converter=_name)
    type: FactType = field(converter=FactType)
    description: str = ""

    def hint(self, example: object = None) -> str:
        """Say the fact's name, its type and how to give it on the command line.

        Args:
            example: a value to show (e.g. one a condition compares the fact with);
                by default, one of the fact's type.

        Example:
            >>> WELL_KNOWN["model_year"].hint()
            'model_year (integer; --fact model_year=2025)'
            >>> FactSpec("pharma_article", "text").hint("patented")
            'pharma_article (text; --fact pharma_article=patented)'
        """
        shown = _EXAMPLES[self.type] if example is None else _shown(example)
        return f"{self.name} ({self.type}; --fact {self.name}={shown})"

    def parse(self, text: str, *, currency: str = "USD") -> FactValue:
        """Read the fact's value from text, by its type.

        Money is ``"12000"`` (in ``currency``), ``"12000 EUR"`` or ``"EUR 12000"``; an
        instant is an ISO 8601 date (12:01 a.m. in the schedule's zone) or an aware
        datetime; a boolean is ``true``/``false``/``yes``/``no``/``1``/``0``.

        Raises:
            InvalidInputError: naming ``facts.<name>`` and the text, when it does not parse.
        """
        where = f"facts.{self.name}"
        raw = text.strip()
        if self.type is FactType.TEXT:
            if not raw:
                raise InvalidInputError(where, text, "is empty")
            return raw
        if self.type is FactType.INTEGER:
            if not re.fullmatch(r"[-+]?\d+", raw):
                raise InvalidInputError(where, text, "is not an integer")
            return int(raw)
        if self.type is FactType.DECIMAL:
            try:
                number = Decimal(raw)
            except InvalidOperation:
                raise InvalidInputError(where, text, "is not a decimal number") from None
            if not number.is_finite():
                raise InvalidInputError(where, text, "is not a finite number")
            return number
        if self.type is FactType.MONEY:
            match = _AMOUNT.fullmatch(raw)
            if match is None or (match[1] and match[3]):
                raise InvalidInputError(
                    where, text, "is not an amount (e.g. 12000, 12000 USD or USD 12000)"
                )
            return Money(match[2].replace("_", ""), (match[1] or match[3] or currency).upper())
        if self.type is FactType.BOOLEAN:
            truth = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
            if raw.lower() not in truth:
                raise InvalidInputError(where, text, "is not true or false")
            return truth[raw.lower()]
        return date_or_instant(raw, where)


_EXAMPLES = {
    FactType.INTEGER: "2025",
    FactType.DECIMAL: "12.5",
    FactType.MONEY: "12000 USD",
    FactType.INSTANT: "2025-04-05",
    FactType.TEXT: "TEXT",
    FactType.BOOLEAN: "true",
}


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Money):
        return f"{value.amount} {value.currency}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _specs(specs: Iterable[FactSpec]) -> Mapping[str, FactSpec]:
    return MappingProxyType({spec.name: spec for spec in specs})


_MATERIAL = "value of the {} content of the goods (a content base)"

#: The facts every schedule understands (see :mod:`tradelaw.entry`).
WELL_KNOWN: Mapping[str, FactSpec] = _specs(
    [
        FactSpec("loaded", "instant", "when the goods were loaded for export"),
        FactSpec("model_year", "integer", "model year of a vehicle"),
        FactSpec("steel_value", "money", _MATERIAL.format("steel")),
        FactSpec("aluminum_value", "money", _MATERIAL.format("aluminum")),
        FactSpec("copper_value", "money", _MATERIAL.format("copper")),
        FactSpec("us_content_value", "money", "value of the US content of the goods"),
        FactSpec("claim", "text", "special programme claimed (e.g. KORUS, S+, A)"),
        FactSpec("end_use", "text", "declared end use (e.g. civil_aircraft)"),
        FactSpec("importer", "text", "the importer (keys offset-pool ledgers)"),
    ]
)


def declared(specs: Iterable[FactSpec] = ()) -> Mapping[str, FactSpec]:
    """Return the well-known facts with ``specs`` added (a spec may not retype one).

    Example:
        >>> sorted(declared([FactSpec("vessel", "text")]))[-1]
        'vessel'
    """
    merged = dict(WELL_KNOWN)
    for spec in specs:
        known = WELL_KNOWN.get(spec.name)
        if known is not None and known.type != spec.type:
            raise InvalidInputError(
                f"facts.{spec.name}", str(spec.type), f"retypes a well-known {known.type} fact"
            )
        merged[spec.name] = spec
    return MappingProxyType(merged)

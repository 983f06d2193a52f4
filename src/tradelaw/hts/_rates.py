"""Rates of duty as the HTSUS prints them, read exactly into rate expressions."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from tradelaw.errors import InvalidInputError
from tradelaw.money import Money
from tradelaw.rates import AdValorem, Compound, Free, RateExpression, Specific, UnknownRate

__all__ = ["clean", "parse_rate", "parse_special"]

_SPACES = re.compile(r"\s+")
# Footnote references printed after a rate, such as "6.5% 1/" or "Free 1/ 2/".
_FOOTNOTES = re.compile(r"(?:\s+\d{1,2}/)+$")
_NUMBER = r"\d+(?:\.\d+)?"
_PERCENT = re.compile(rf"({_NUMBER})%")
_SPECIFIC = re.compile(rf"(?:({_NUMBER})¢|\$({_NUMBER}))(?: ?/ ?(.+)| each)")
_PLUS = re.compile(r" ?\+ ?")
# Units of specific rates, written without spaces, and the unit tradelaw uses for each: the
# spelling of the HTS "Unit of Quantity" column where the HTS has one.
_UNITS = {
    "kg": "kg",
    "cleankg": "clean kg",
    "g": "g",
    "t": "t",
    "liter": "liters",
    "pf.liter": "pf.liters",
    "bbl": "bbl",
    "doz.": "doz.",
    "pr.": "prs.",
    "gross": "gross",
    "head": "head",
    "m": "m",
    "lin.m": "lin. m",
    "m2": "m2",
    "m3": "m3",
    "1000": "thousands",
    "1,000": "thousands",
    "thousand": "thousands",
    "pack": "pack",
}
_EACH = "No."
_GROUP = re.compile(r"([^()]*)\(([^()]*)\)")
_CODE = re.compile(r"[A-Z]{1,2}[+*]?")
_CODE_SEPARATORS = re.compile(r"[,\s]+")


def clean(text: str) -> str:
    """Collapse whitespace (descriptions and rates may hold line breaks), drop footnotes."""
    return _FOOTNOTES.sub("", _SPACES.sub(" ", text).strip())


def _cents(text: str) -> Decimal:
    return Decimal(text).scaleb(-2)


def _part(text: str) -> RateExpression | None:
    """Parse one term of a rate (no "+"), or return ``None`` if it is not exact."""
    if text == "Free":
        return Free()
    match = _PERCENT.fullmatch(text)
    if match:
        return AdValorem(match[1])
    match = _SPECIFIC.fullmatch(text)
    if match is None:
        return None
    amount = _cents(match[1]) if match[1] is not None else Decimal(match[2])
    if match[3] is None:
        unit: str | None = _EACH
    else:
        unit = _UNITS.get(match[3].replace(" ", ""))
    if unit is None:
        return None
    return Specific(Money(amount, "USD"), unit)


@lru_cache(maxsize=4096)
def _parse(text: str) -> RateExpression:
    tidy = clean(text)
    terms = [_part(term) for term in _PLUS.split(tidy)]
    parts = tuple(term for term in terms if term is not None)
    if len(parts) != len(terms) or (len(parts) > 1 and Free() in parts):
        return UnknownRate(" ".join(text.split()))
    return parts[0] if len(parts) == 1 else Compound(parts)


def parse_rate(text: str, where: str = "") -> RateExpression:
    """Parse a general or column 2 rate of duty, exactly, into a rate expression.

    ``Free``, percentages, specific rates in cents (``¢``) or dollars (``$``) per unit
    (or "each", per article, in the unit ``No.``) and their sums are read. Footnote
    references at the end (``"6.5% 1/"``) are dropped. Anything else becomes an
    :class:`~tradelaw.rates.UnknownRate` holding the text.

    Args:
        text: the rate as printed in the HTS.
        where: where the text came from (e.g. a file and row), for error messages.

    Returns:
        The rate expression; never zero for a text it cannot read.

    Raises:
        InvalidInputError: if ``text`` is not text, or is blank (a blank rate is not a
            rate: the line takes the rate of the line above it).

    Example:
        >>> parse_rate("Free"), parse_rate("2.5%")
        (Free(), AdValorem(percent=Decimal('2.5')))
        >>> parse_rate("$1.50/doz.")
        Specific(amount=Money(amount=Decimal('1.50'), currency='USD'), unit='doz.')
        >>> parse_rate("1.9¢/kg on drained weight")
        UnknownRate(text='1.9¢/kg on drained weight')
        >>> parse_rate("6.5% 1/")
        AdValorem(percent=Decimal('6.5'))
    """
    if not isinstance(text, str):
        raise InvalidInputError(where or "rate", text, "is not text")
    if not text.strip():
        raise InvalidInputError(where or "rate", text, "is blank; a blank rate is not a rate")
    return _parsed(text)


@lru_cache(maxsize=1 << 14)
def _parsed(text: str) -> RateExpression:
    """A rate text parsed once: a few thousand texts recur across 26,000 lines."""
    return _parse(text)


def parse_special(text: str) -> dict[str, RateExpression]:
    """Parse the special column: groups of ``rate (code,code,…)`` into a rate per code.

    A group whose rate cannot be read (``"See 9823.04.01-9823.04.54 (S+)"``) gives an
    :class:`~tradelaw.rates.UnknownRate` with the group's rate text. When the text does
    not split cleanly into such groups (stray text or parentheses, a code named twice
    with different rates), every programme code found gets ``UnknownRate`` of the whole
    text, because which rate belongs to which code is not certain. A text that names no
    programme (blank, ``"No change"``) gives an empty mapping.

    Args:
        text: the special rate of duty as printed in the HTS.

    Returns:
        The rate of each programme code, in the order printed.

    Example:
        >>> parse_special("Free (A+,AU,B)")
        {'A+': Free(), 'AU': Free(), 'B': Free()}
        >>> parse_special("Free (IL) See 9823.04.01-9823.04.54 (S+)")["S+"]
        UnknownRate(text='See 9823.04.01-9823.04.54')
        >>> parse_special("No change")
        {}
    """
    return dict(_special(text))


@lru_cache(maxsize=1 << 14)
def _special(text: str) -> tuple[tuple[str, RateExpression], ...]:
    return tuple(_read_special(text).items())


def _read_special(text: str) -> dict[str, RateExpression]:
    # Parsed once per text by _special (see parse_special).
    if not isinstance(text, str):
        raise InvalidInputError("special", text, "is not text")
    tidy = clean(text)
    found: dict[str, RateExpression] = {}
    exact = True
    position = 0
    for match in _GROUP.finditer(tidy):
        rate_text = match[1].strip()
        codes = [c for c in _CODE_SEPARATORS.split(match[2]) if c]
        valid = [c for c in codes if _CODE.fullmatch(c)]
        if match.start() != position or not rate_text or not codes or len(valid) != len(codes):
            exact = False
        position = match.end()
        rate = _parse(rate_text) if rate_text else UnknownRate(tidy)
        for code in valid:
            if found.get(code, rate) != rate:
                exact = False
            found[code] = rate
    if tidy[position:].strip():
        exact = False
    if not exact:
        return dict.fromkeys(found, UnknownRate(tidy))
    return found

r"""Values in a reader's locale, through Babel: percentages, money, instants, countries.

These are the building blocks of :meth:`tradelaw.resolution.Resolution.format`. Numbers
keep every significant digit (a rate of 27.5% is never shown as 28%), and amounts are
shown rounded to the currency's minor unit, as on an entry summary.

The *words* around the values (``Total``, ``Applied``, ``paused by``, the command's
notes and headings) come from message catalogues. Japanese (``ja``) and German (``de``)
are shipped; a locale reads its language's catalogue (``de_AT`` reads German), and a
language without one reads English. :meth:`~tradelaw.resolution.Resolution.explain`
takes no locale and is always English. Titles, citations, ids and layer names are data
and are never translated.

The catalogues live in the source as ``src/tradelaw/locale/tradelaw.pot`` (the template)
and ``src/tradelaw/locale/LANG/LC_MESSAGES/tradelaw.po``; the package build compiles them
into ``.mo`` files, which are never committed. A changed or new message is marked in the
code with ``_()`` (a whole sentence with named placeholders, so a translation can reorder
them); ``make messages`` then runs ``pybabel extract`` (configured by ``babel.cfg``),
``pybabel update`` and ``pybabel compile``, and the new or fuzzy entries of each ``.po``
file are translated. The tests fail while a marked message lacks a translation, is fuzzy,
or has other placeholders than its English. A new language starts with
``pybabel init -i src/tradelaw/locale/tradelaw.pot -d src/tradelaw/locale -D tradelaw -l LANG``.

Example:
    >>> from decimal import Decimal
    >>> percent(Decimal("27.5"), "de_DE")
    '27,5\xa0%'
    >>> money(Money("11000", "USD"), "ja_JP")
    '$11,000.00'
    >>> country("JP", "de_DE")
    'Japan'
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime
from babel.numbers import format_currency, format_percent

from tradelaw.errors import InvalidInputError
from tradelaw.money import HUNDRED, Money

__all__ = ["country", "locale", "moment", "money", "percent"]


@cache
def locale(name: str) -> Locale:
    """Return the Babel locale called ``name`` (``"ja_JP"``, ``"de-DE"``, ``"en"``).

    Raises:
        InvalidInputError: the name is not a locale CLDR knows.
    """
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise InvalidInputError("locale", name, "is not a locale (e.g. en_US, ja_JP)") from None


def percent(value: Decimal, name: str) -> str:
    """Format a rate given in percent, with all its digits."""
    return format_percent(value / HUNDRED, locale=locale(name), decimal_quantization=False)


def money(amount: Money, name: str) -> str:
    """Format an amount in its currency, rounded to the currency's minor unit."""
    return format_currency(amount.rounded().amount, amount.currency, locale=locale(name))


def moment(at: datetime, name: str) -> str:
    """Format an instant with its zone, in the locale's medium style."""
    return format_datetime(at, "medium", tzinfo=at.tzinfo, locale=locale(name)) + (
        f" {at.tzname()}" if at.tzname() else ""
    )


def country(code: str, name: str) -> str:
    """Return the country's name in the locale (the code itself if CLDR has none)."""
    return str(locale(name).territories.get(code, code))

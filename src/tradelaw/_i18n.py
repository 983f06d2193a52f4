"""Translatable words: messages marked for extraction, and the catalogues that translate them.

tradelaw writes its fixed words in English and marks every message with :func:`_` (or
:func:`N_` where the message is chosen later), which Babel's ``pybabel extract`` finds
(``babel.cfg``, ``make messages``). A message is a whole sentence with named placeholders,
``_("{goods} from {origin}, entered {when} ({schedule})", goods=..., ...)``, so that a
translation can put the parts in its own order.

:func:`_` returns a :class:`Text`: a ``str`` holding the English sentence, which also
remembers its message and values, so :meth:`Text.say` can say it again in another
language with a :func:`catalogue`. Values may themselves be texts (said in the same
language), numbers or money (shown by the caller's formatter, e.g. in the locale's
format). English needs no catalogue, and a locale without one reads English.

The catalogues are ``locale/LANG/LC_MESSAGES/tradelaw.po`` in the package; the package
build (``hatch_build.py``) compiles them into the ``.mo`` files read here.

Example:
    >>> note = _("needs {facts}", facts="us_auto_investment")
    >>> note
    'needs us_auto_investment'
    >>> note.say(catalogue(Locale.parse("de_DE")))
    'erfordert us_auto_investment'
    >>> note.say(catalogue(Locale.parse("fr_FR")))
    'needs us_auto_investment'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache
from gettext import NullTranslations
from pathlib import Path
from typing import TypeAlias

from babel import Locale
from babel.support import Translations

from tradelaw.money import Money

__all__ = ["DOMAIN", "LOCALE_DIR", "N_", "Text", "Value", "catalogue"]

#: The gettext domain of tradelaw's catalogues.
DOMAIN = "tradelaw"

#: Where the catalogues are: ``LOCALE_DIR / LANG / "LC_MESSAGES" / "tradelaw.mo"``.
LOCALE_DIR = Path(__file__).parent / "locale"

#: What a placeholder may hold: text (a :class:`Text` is said in the same language),
#: a number or an amount of money (shown by the formatter given to :meth:`Text.say`).
Value: TypeAlias = "str | Decimal | Money"


def _english(value: Value) -> str:
    return str(value)


class Text(str):
    """English text that remembers its message and values, to be said in another language.

    It is a ``str`` (the English sentence), so it can stand wherever text is expected;
    only :meth:`say` looks at the message behind it.

    Attributes:
        message: the message (msgid) with its ``{name}`` placeholders.
        values: the values of the placeholders.
    """

    message: str
    values: Mapping[str, Value]

    def __new__(cls, message: str, values: Mapping[str, Value] | None = None) -> Text:
        values = dict(values or {})
        self = super().__new__(cls, message.format_map({k: str(v) for k, v in values.items()}))
        self.message = message
        self.values = values
        return self

    def __reduce__(self) -> tuple[type[Text], tuple[str, dict[str, Value]]]:
        return Text, (self.message, dict(self.values))

    def say(self, words: NullTranslations, show: Callable[[Value], str] = _english) -> str:
        """Return the text in the language of ``words``, values shown by ``show``.

        Example:
            >>> from decimal import Decimal
            >>> cut = _(
            ...     "{cut} points off the rate, floor {floor}%",
            ...     cut=Decimal("2.5"),
            ...     floor=Decimal("15"),
            ... )
            >>> cut.say(catalogue(Locale.parse("de")), lambda v: str(v).replace(".", ","))
            'Satz um 2,5 Prozentpunkte gesenkt, Untergrenze 15 %'
        """

        def shown(value: Value) -> str:
            if isinstance(value, Text):
                return value.say(words, show)
            return value if isinstance(value, str) else show(value)

        filled = {name: shown(value) for name, value in self.values.items()}
        return words.gettext(self.message).format_map(filled)


def _(message: str, /, **values: Value) -> Text:
    """Mark ``message`` for translation and fill its placeholders: English now, any later."""
    return Text(message, values)


def N_(message: str) -> str:  # noqa: N802 (the name gettext tools know)
    """Mark ``message`` for extraction only, and return it unchanged (``gettext_noop``).

    For messages chosen at run time from a table; make them a :class:`Text` when used.
    """
    return message


@cache
def _load(name: str) -> NullTranslations:
    return Translations.load(str(LOCALE_DIR), [name], DOMAIN)


def catalogue(locale: Locale | None) -> NullTranslations:
    """Return the translations for ``locale`` (English, i.e. none, for ``None``).

    A locale falls back to its language (``de_AT`` reads ``de``), and a language without
    a catalogue reads English.
    """
    if locale is None:
        return NullTranslations()
    return _load(str(locale))

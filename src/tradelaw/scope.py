"""Scopes: which goods (:class:`Goods`) and which origins (:class:`Origins`) a rule covers.

Goods codes are HS/HTS digits: ``"8703.23.01"`` and ``"87032301"`` are the same code, and
a code has 2, 4, 6, 8 or 10 digits. Country codes are ISO 3166-1 alpha-2, checked against
the CLDR territory list that Babel ships. Groups of countries (the EU) have dated
membership, so the United Kingdom is in the EU before 1 February 2020 (Brussels time) and
not after.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache, lru_cache

from attrs import field, frozen
from babel import Locale

from tradelaw.errors import InvalidInputError
from tradelaw.time import Period

__all__ = [
    "EU",
    "CodeList",
    "CountryGroup",
    "Goods",
    "Membership",
    "Origins",
    "countries",
    "country_code",
    "dotted",
    "goods_code",
    "group",
    "hs_section",
    "register_group",
]

_CODE_LENGTHS = frozenset({2, 4, 6, 8, 10})
# CLDR territories that are not ISO 3166-1 alpha-2 country codes: macro-regions,
# exceptionally reserved codes and CLDR's private-use pseudo-territories. XK (Kosovo) is
# user-assigned but used by customs administrations, so it stays valid.
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)


@lru_cache(maxsize=1 << 16)
def _valid(code: str) -> str | None:
    """The digits of a valid code (cached: datasets repeat their codes), else ``None``."""
    digits = code.strip().replace(".", "").replace(" ", "")
    ok = digits.isascii() and digits.isdigit() and len(digits) in _CODE_LENGTHS
    return digits if ok else None


def goods_code(code: object, where: str = "goods") -> str:
    """Normalise an HS/HTS code to its digits, checking it has 2, 4, 6, 8 or 10 of them.

    Example:
        >>> goods_code("8703.23.01")
        '87032301'
        >>> goods_code("87O3")
        Traceback (most recent call last):
        ...
        tradelaw.errors.InvalidInputError: goods: '87O3' is not an HS/HTS code: use digits, ...
        >>> goods_code("870")
        Traceback (most recent call last):
        ...
        tradelaw.errors.InvalidInputError: goods: '870' has 3 digits; ... has 2, 4, 6, 8 or 10
    """
    if not isinstance(code, str):
        raise InvalidInputError(where, code, "is not an HS/HTS code (give it as text)")
    known = _valid(code)
    if known is not None:
        return known
    digits = code.strip().replace(".", "").replace(" ", "")
    if not digits.isascii() or not digits.isdigit():
        raise InvalidInputError(
            where, code, "is not an HS/HTS code: use digits, optionally grouped with dots"
        )
    if len(digits) not in _CODE_LENGTHS:
        raise InvalidInputError(
            where, code, f"has {len(digits)} digits; an HS/HTS code has 2, 4, 6, 8 or 10"
        )
    return digits


def dotted(code: str) -> str:
    """Write normalised digits the way the HTS prints them.

    Example:
        >>> dotted("8703230100"), dotted("870323"), dotted("87")
        ('8703.23.01.00', '8703.23', '87')
    """
    if len(code) <= 4:
        return code
    return ".".join([code[:4], *(code[i : i + 2] for i in range(4, len(code), 2))])


#: The last chapter of each section of the Harmonized System (and of the HTSUS's
#: Section XXII, chapters 98 and 99), in order: section I ends with chapter 5, and so on.
_SECTION_ENDS = (5, 14, 15, 24, 27, 38, 40, 43, 46, 49, 63, 67, 70, 71, 83, 85, 89, 92, 93,
                 96, 97, 99)  # fmt: skip
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
          "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII")  # fmt: skip


def hs_section(code: str) -> str:
    """The section of the Harmonized System a goods code is in, as a Roman numeral.

    Sections group the chapters (section XI, textiles, is chapters 50 to 63); the HTSUS
    adds section XXII, chapters 98 and 99.

    Example:
        >>> hs_section("8703.23.01"), hs_section("0101"), hs_section("6109.10")
        ('XVII', 'I', 'XI')
        >>> hs_section("7700")
        Traceback (most recent call last):
        ...
        tradelaw.errors.InvalidInputError: goods: '7700' is in chapter 77, which the ...
    """
    digits = goods_code(code)
    chapter = int(digits[:2])
    if chapter in (0, 77):
        raise InvalidInputError(
            "goods", code, f"is in chapter {chapter:02d}, which the Harmonized System reserves"
        )
    return _ROMAN[next(n for n, end in enumerate(_SECTION_ENDS) if chapter <= end)]


@cache
def _countries() -> frozenset[str]:
    territories = Locale("en").territories
    codes = {c for c in territories if isinstance(c, str) and len(c) == 2 and c.isalpha()}
    return frozenset(codes) - _NOT_COUNTRIES


def countries() -> tuple[str, ...]:
    """Return every country code tradelaw accepts as an origin, sorted.

    They are the ISO 3166-1 alpha-2 codes of the territories CLDR knows (through Babel).

    Example:
        >>> codes = countries()
        >>> "JP" in codes, "EU" in codes, len(codes) > 240
        (True, False, True)
    """
    return tuple(sorted(_countries()))


def country_code(code: object, where: str = "origin") -> str:
    """Check and upper-case an ISO 3166-1 alpha-2 country code.

    Example:
        >>> country_code("jp")
        'JP'
        >>> country_code("XX")
        Traceback (most recent call last):
        ...
        tradelaw.errors.InvalidInputError: origin: 'XX' is not an ISO 3166-1 alpha-2 country code
    """
    if isinstance(code, str) and code.strip().upper() in _countries():
        return code.strip().upper()
    raise InvalidInputError(where, code, "is not an ISO 3166-1 alpha-2 country code")


def _codes(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        values = (values,)
    return tuple(sorted({goods_code(v) for v in values}))


@frozen(cache_hash=True)
class Goods:
    """Which goods a rule covers: code prefixes minus excluded prefixes, or all goods.

    A code matches a prefix when it starts with it. The *specificity* of a match is the
    length of the longest matching prefix (0 for all goods), which decides between
    measures of one layer.

    Example:
        >>> cars = Goods.of("8703", "8708.30", exclude=["8703.90"])
        >>> cars.specificity("8703.23.01")
        4
        >>> cars.specificity("8703.90.01") is None
        True
        >>> Goods.all().specificity("9503.00.00")
        0
    """

    prefixes: tuple[str, ...] = field(converter=_codes)
    exclude: tuple[str, ...] = field(default=(), converter=_codes)
    # The codes as sets, with the lengths that occur (longest first): a code is matched by
    # looking its own prefixes up, not by testing every code (lists run to thousands).
    _named: frozenset[str] = field(init=False, eq=False, repr=False)
    _named_lengths: tuple[int, ...] = field(init=False, eq=False, repr=False)
    _excluded: frozenset[str] = field(init=False, eq=False, repr=False)
    _excluded_lengths: tuple[int, ...] = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        for name, codes in (("_named", self.prefixes), ("_excluded", self.exclude)):
            object.__setattr__(self, name, frozenset(codes))
            lengths = tuple(sorted({len(c) for c in codes}, reverse=True))
            object.__setattr__(self, f"{name}_lengths", lengths)

    @classmethod
    def all(cls, exclude: Iterable[str] = ()) -> Goods:
        """Return the scope of all goods, minus ``exclude``."""
        return cls((), exclude)

    @classmethod
    def of(cls, *prefixes: str, exclude: Iterable[str] = ()) -> Goods:
        """Return the scope of the goods under ``prefixes``, minus ``exclude``."""
        if not prefixes:
            raise InvalidInputError("goods", prefixes, "is empty; use Goods.all() for all goods")
        return cls(prefixes, exclude)

    @property
    def is_all(self) -> bool:
        """True when the scope starts from all goods."""
        return not self.prefixes

    def specificity(self, code: str) -> int | None:
        """Length of the longest prefix matching ``code``; ``None`` if it does not match."""
        if not code.isdigit():
            code = goods_code(code)
        excluded = self._excluded
        if excluded:
            for n in self._excluded_lengths:
                if code[:n] in excluded:
                    return None
        if not self.prefixes:
            return 0
        named = self._named
        for n in self._named_lengths:  # longest first
            if code[:n] in named:
                return n
        return None

    def __str__(self) -> str:
        text = ", ".join(self.prefixes) if self.prefixes else "all goods"
        return f"{text} except {', '.join(self.exclude)}" if self.exclude else text


@frozen
class CodeList:
    """A list of goods codes named as the law names it (an annex, a note's list).

    Schedule files of format ``tradelaw/2`` write such a list once and let items refer to
    it by name (``goods = { lists = ["note-33(g)"] }``); the loader puts its codes into
    each item's :class:`Goods`, and the schedule keeps the list for the docs and for
    writing the file again.

    Attributes:
        name: the list's name, e.g. ``"note-33(g)"``.
        codes: its codes (digits, sorted, each once).
        citation: where the law gives it.
        title: what it is, in a few words.

    Example:
        >>> CodeList("annex-ii", ["8542.31", "2709"], citation="EO 14257, Annex II").codes
        ('2709', '854231')
    """

    name: str = field(validator=lambda _i, _a, v: _name(v))
    codes: tuple[str, ...] = field(converter=_codes)
    citation: str = ""
    title: str = ""


def _name(value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError("list name", value, "is not a name")


@frozen
class Membership:
    """A country's membership of a group during a period."""

    country: str = field(converter=country_code)
    period: Period


def _memberships(values: Iterable[Membership]) -> tuple[Membership, ...]:
    return tuple(values)


@frozen
class CountryGroup:
    """A named group of countries whose membership changes over time.

    Example:
        >>> from tradelaw.time import instant
        >>> EU.contains("GB", instant("2020-01-31", "Europe/Brussels"))
        True
        >>> EU.contains("GB", instant("2020-02-01", "Europe/Brussels"))
        False
        >>> len(EU.members_at(instant("2025-04-09", "America/New_York")))
        27
    """

    name: str
    title: str
    members: tuple[Membership, ...] = field(converter=_memberships)
    _periods: dict[str, tuple[Period, ...]] = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        periods: dict[str, tuple[Period, ...]] = {}
        for m in self.members:
            periods[m.country] = (*periods.get(m.country, ()), m.period)
        object.__setattr__(self, "_periods", periods)

    def contains(self, country: str, at: datetime) -> bool:
        """Return whether ``country`` is a member at instant ``at``."""
        return any(p.contains(at) for p in self._periods.get(country, ()))

    def members_at(self, at: datetime) -> frozenset[str]:
        """Return the members at instant ``at``."""
        return frozenset(m.country for m in self.members if m.period.contains(at))

    def boundaries(self) -> frozenset[datetime]:
        """Return every instant at which membership changes."""
        found = {m.period.start for m in self.members}
        found.update(m.period.end for m in self.members if m.period.end is not None)
        return frozenset(found)


def _eu() -> CountryGroup:
    # Accession dates from the accession treaties; the United Kingdom left at
    # 11 p.m. GMT on 31 January 2020, which is midnight in Brussels.
    def since(day: str, *countries: str, until: str | None = None) -> list[Membership]:
        return [Membership(c, Period.parse(day, until, zone="Europe/Brussels")) for c in countries]

    founders = since("1958-01-01", "BE", "DE", "FR", "IT", "LU", "NL")
    members = [
        *founders,
        *since("1973-01-01", "DK", "IE"),
        Membership(
            "GB",
            Period(
                Period.parse("1973-01-01", zone="Europe/Brussels").start,
                datetime.fromisoformat("2020-02-01T00:00:00+01:00"),
            ),
        ),
        *since("1981-01-01", "GR"),
        *since("1986-01-01", "ES", "PT"),
        *since("1995-01-01", "AT", "FI", "SE"),
        *since("2004-05-01", "CY", "CZ", "EE", "HU", "LT", "LV", "MT", "PL", "SI", "SK"),
        *since("2007-01-01", "BG", "RO"),
        *since("2013-07-01", "HR"),
    ]
    return CountryGroup("EU", "European Union", members)


#: The European Union, with every accession and the United Kingdom's departure dated.
EU = _eu()

_GROUPS: dict[str, CountryGroup] = {EU.name: EU}


def register_group(new: CountryGroup) -> CountryGroup:
    """Make ``new`` findable by name (``Origins.of("EU")``); returns it, for chaining.

    Raises:
        InvalidInputError: if another group already has the name.
    """
    existing = _GROUPS.get(new.name)
    if existing is not None and existing != new:
        raise InvalidInputError("group", new.name, "is already the name of another group")
    _GROUPS[new.name] = new
    return new


def group(name: str) -> CountryGroup:
    """Return the registered group called ``name``.

    Example:
        >>> group("EU").title
        'European Union'
    """
    try:
        return _GROUPS[name]
    except KeyError:
        raise InvalidInputError(
            "origins", name, "is neither a country code nor a known group"
        ) from None


def _origin_terms(values: Iterable[str | CountryGroup]) -> tuple[str | CountryGroup, ...]:
    terms: list[str | CountryGroup] = []
    for value in values:
        if isinstance(value, CountryGroup):
            terms.append(value)
        elif isinstance(value, str) and value.strip().upper() in _countries():
            terms.append(value.strip().upper())
        elif isinstance(value, str):
            terms.append(group(value.strip()))
        else:
            raise InvalidInputError("origins", value, "is neither a country code nor a group")
    return tuple(terms)


def _countries_of(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        values = (values,)
    return tuple(sorted({country_code(v, "origins.exclude") for v in values}))


#: Specificity of an origin match: a named country beats a group, which beats all.
COUNTRY, GROUP, ANY = 2, 1, 0


@frozen(cache_hash=True)  # scopes key the engine's caches: hash each once
class Origins:
    """Which countries of origin a rule covers: countries and groups, minus exclusions.

    Example:
        >>> from tradelaw.time import instant
        >>> at = instant("2025-04-09", "America/New_York")
        >>> Origins.of("JP").specificity("JP", at)
        2
        >>> Origins.of("EU", exclude=["IE"]).specificity("FR", at)
        1
        >>> Origins.all(exclude=["CN"]).specificity("CN", at) is None
        True
    """

    terms: tuple[str | CountryGroup, ...] = field(converter=_origin_terms)
    exclude: tuple[str, ...] = field(default=(), converter=_countries_of)
    #: The countries named directly (not through a group).
    countries: frozenset[str] = field(init=False, eq=False, repr=False)
    #: The groups named.
    groups: tuple[CountryGroup, ...] = field(init=False, eq=False, repr=False)

    @classmethod
    def all(cls, exclude: Iterable[str] = ()) -> Origins:
        """Return the scope of every origin, minus ``exclude``."""
        return cls((), exclude)

    @classmethod
    def of(cls, *terms: str | CountryGroup, exclude: Iterable[str] = ()) -> Origins:
        """Return the scope of the named countries and groups, minus ``exclude``."""
        if not terms:
            raise InvalidInputError("origins", terms, "is empty; use Origins.all() for all")
        return cls(terms, exclude)

    @property
    def is_all(self) -> bool:
        """True when the scope starts from every origin."""
        return not self.terms

    def __attrs_post_init__(self) -> None:
        # Split the terms once: resolution asks for them on every entry.
        countries = frozenset(t for t in self.terms if isinstance(t, str))
        groups = tuple(t for t in self.terms if isinstance(t, CountryGroup))
        object.__setattr__(self, "countries", countries)
        object.__setattr__(self, "groups", groups)

    def specificity(self, country: str, at: datetime) -> int | None:
        """How specifically ``country`` is matched at ``at``: 2, 1, 0, or ``None`` if not."""
        if country in self.exclude:
            return None
        if not self.terms:
            return ANY
        if country in self.countries:
            return COUNTRY
        if any(g.contains(country, at) for g in self.groups):
            return GROUP
        return None

    def __str__(self) -> str:
        names = [t if isinstance(t, str) else t.name for t in self.terms]
        text = ", ".join(names) if names else "all origins"
        return f"{text} except {', '.join(self.exclude)}" if self.exclude else text

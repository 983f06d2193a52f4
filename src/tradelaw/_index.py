"""The lookup index of a schedule: items by goods prefix and origin country.

Resolution asks "which items cover code C from country O at instant T?". Each item is
filed under every goods prefix it names ("" for all goods) and every country it names
("*" when it covers all origins or a group, whose membership depends on time). A lookup
probes the at most six prefixes of the code (``""``, 2, 4, 6, 8 and 10 digits) for the
country and for ``"*"`` — a handful of dictionary probes instead of a scan of every item —
and learns the goods specificity from the longest prefix bucket an item was found in.
Only items with exclusions or groups need a further scope check.

The items of the schedule's tables (:mod:`tradelaw.tables`) are asked for by code and
checked in full; an item of the schedule with the same id hides a table's item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from tradelaw.measures import Scoped
from tradelaw.scope import ANY, COUNTRY
from tradelaw.tables import ItemTable
from tradelaw.time import micros

ANY_ORIGIN = "*"
_PREFIX_LENGTHS = (0, 2, 4, 6, 8, 10)

# A filed item: the item, its period's bounds in microseconds since 1970 (see
# tradelaw.time.micros), and whether its scope needs a full check.
_Filed = tuple[Scoped, int, int, bool]

_NEVER = 1 << 62  # the end of an open-ended period


class Match:
    """An item that covers an entry, with how specifically it does.

    ``own`` is 1 for the schedule's own items and 0 for a table's: of two measures equal
    in every other rank, the schedule's own wins.
    """

    __slots__ = ("goods", "item", "origin", "own")

    def __init__(self, item: Scoped, goods: int, origin: int, own: int = 1) -> None:
        self.item = item
        self.goods = goods
        self.origin = origin
        self.own = own


class Index:
    """Items filed by (goods prefix, origin key).

    ``latest`` (the ``id()`` of each latest version) gets an index of its own: the common
    query reads the law as amended, and then needs no knowledge check per item.
    """

    def __init__(
        self,
        items: Iterable[Scoped],
        tables: Iterable[ItemTable] = (),
        latest: frozenset[int] | None = None,
    ) -> None:
        self.items = tuple(items)
        self.tables = tuple(tables)
        self._hidden = frozenset(item.id for item in self.items) if self.tables else frozenset()
        self._buckets = _file(self.items)
        self._latest = None if latest is None else _file(i for i in self.items if id(i) in latest)

    def lookup(
        self, code: str, origin: str, known: Callable[[Scoped], bool] | None = None
    ) -> list[Scoped]:
        """Return every item that may cover ``code`` from ``origin`` at some time, once.

        With ``known``, only the schedule's items it accepts (a table's items always are).
        """
        found: dict[int, Scoped] = {}
        for prefix in _prefixes(code):
            for key in (origin, ANY_ORIGIN):
                for filed in self._buckets.get((prefix, key), ()):
                    if known is None or known(filed[0]):
                        found[id(filed[0])] = filed[0]
        for item in self._tabled(code):
            found[id(item)] = item
        return list(found.values())

    def _tabled(self, code: str, at: datetime | None = None) -> Iterator[Scoped]:
        """The items the tables build for ``code``, less those the schedule replaces."""
        for table in self.tables:
            for item in table.items_for(code, at):
                if item.id not in self._hidden:
                    yield item

    def matches(
        self, code: str, origin: str, at: datetime, known: Callable[[Scoped], bool] | None
    ) -> list[Match]:
        """Return the items in effect at ``at``, known, and covering ``code`` from ``origin``.

        ``known=None`` asks for the latest versions (the index must have been given them).
        """
        found: dict[int, Match] = {}
        buckets = self._buckets if known is not None or self._latest is None else self._latest
        now = micros(at)
        for prefix in _prefixes(code):
            length = len(prefix)
            for key in (origin, ANY_ORIGIN):
                for item, start, end, check in buckets.get((prefix, key), ()):
                    if now < start or now >= end:
                        continue
                    seen = found.get(id(item))
                    if seen is not None:  # found again under a longer prefix
                        seen.goods = length
                        continue
                    if known is not None and not known(item):
                        continue
                    where = COUNTRY if key != ANY_ORIGIN else ANY
                    if check:
                        checked = item.origins.specificity(origin, at)
                        if checked is None or item.goods.specificity(code) is None:
                            continue
                        where = checked
                    found[id(item)] = Match(item, length, where)
        for item in self._tabled(code, at):  # one version each: known at every time
            if not item.period.contains(at):
                continue
            goods = item.goods.specificity(code)
            origins = item.origins.specificity(origin, at)
            if goods is not None and origins is not None:
                found[id(item)] = Match(item, goods, origins, 0)
        return list(found.values())


def _file(items: Iterable[Scoped]) -> dict[tuple[str, str], list[_Filed]]:
    """The buckets of ``items``: each under every prefix and origin key it names."""
    buckets: defaultdict[tuple[str, str], list[_Filed]] = defaultdict(list)
    for item in items:
        origins = item.origins
        keys = (ANY_ORIGIN,) if origins.is_all or origins.groups else origins.countries
        check = bool(item.goods.exclude or origins.groups or origins.exclude)
        end = item.period.end
        filed = (item, micros(item.period.start), _NEVER if end is None else micros(end), check)
        for prefix in item.goods.prefixes or ("",):
            for key in keys:
                buckets[prefix, key].append(filed)
    return dict(buckets)


def _prefixes(code: str) -> list[str]:
    return [code[:n] for n in _PREFIX_LENGTHS if n <= len(code)]

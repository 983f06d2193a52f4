"""The lookup index of a schedule: items by goods prefix and origin country.

Resolution asks "which items cover code C from country O at instant T?". Each item is
filed under every goods prefix it names ("" for all goods) and every country it names
("*" when it covers all origins or a group, whose membership depends on time). A lookup
probes the at most six prefixes of the code (``""``, 2, 4, 6, 8 and 10 digits) for the
country and for ``"*"`` — a handful of dictionary probes instead of a scan of every item —
and learns the goods specificity from the longest prefix bucket an item was found in.
Only items with exclusions or groups need a further scope check. Each bucket is cut at
its items' start and end instants, so a lookup reads only the items in force.

The items of the schedule's tables (:mod:`tradelaw.tables`) are asked for by code and
checked in full; an item of the schedule with the same id hides a table's item.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import NamedTuple

from tradelaw.measures import Scoped
from tradelaw.scope import ANY, COUNTRY
from tradelaw.tables import ItemTable
from tradelaw.time import micros

ANY_ORIGIN = "*"
_PREFIX_LENGTHS = (0, 2, 4, 6, 8, 10)

_NEVER = 1 << 62  # the end of an open-ended period


class _Filed(NamedTuple):
    """An item as filed: its period in microseconds, and what of its scope to check."""

    item: Scoped
    start: int
    end: int
    goods_excluded: bool  # goods exclusions: checked against each code
    origins_checked: bool  # groups or exclusions: checked once per origin and span


# An item found in a bucket: the item, how specifically it covers the origin, and whether
# its goods exclusions remain to be checked.
_Found = tuple[Scoped, int, bool]


class _Bucket:
    """The items filed under one (goods prefix, origin key), cut into spans of time.

    ``bounds`` are the instants (in microseconds) at which an item of the bucket starts or
    ends, or a group it names gains or loses a member; ``spans[i]`` are the items in force
    from ``bounds[i - 1]`` up to ``bounds[i]``. Within a span, whether an item covers an
    origin cannot change, so each span remembers its answer per origin: a lookup bisects
    once and reads the items that cover the origin, instead of testing every version of
    every item against the time and the origin.
    """

    __slots__ = ("_covering", "bounds", "filed", "spans", "where")

    def __init__(self, filed: list[_Filed], where: int) -> None:
        self.filed = tuple(f.item for f in filed)
        self.where = where  # how specific a match is when the item's origins are not checked
        cuts = {t for f in filed for t in (f.start, f.end)}
        for f in filed:
            for group in f.item.origins.groups if f.origins_checked else ():
                cuts.update(micros(t) for t in group.boundaries())
        self.bounds = sorted(cuts)
        self.spans = [()] + [
            tuple(f for f in filed if f.start <= since < f.end) for since in self.bounds
        ]
        self._covering: list[dict[str, tuple[_Found, ...]]] = [{} for _ in self.spans]

    def at(self, now: int, origin: str, at: datetime) -> tuple[_Found, ...]:
        """The items in force at ``now`` (microseconds; ``at`` itself) covering ``origin``."""
        span = bisect_right(self.bounds, now)
        covering = self._covering[span]
        found = covering.get(origin)
        if found is None:
            found = covering[origin] = tuple(self._cover(self.spans[span], origin, at))
        return found

    def _cover(self, filed: Iterable[_Filed], origin: str, at: datetime) -> Iterator[_Found]:
        for item, _start, _end, goods_excluded, origins_checked in filed:
            where = item.origins.specificity(origin, at) if origins_checked else self.where
            if where is not None:
                yield item, where, goods_excluded


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


class Found(NamedTuple):
    """The items that cover an entry: the schedule's own, and its tables'."""

    own: tuple[Match, ...]
    tabled: list[Match]
    #: Whether ``own`` is an answer the index keeps: the same object for every entry it
    #: decides alike, so that what is derived from it alone may be remembered with it.
    remembered: bool


class Index:
    """Items filed by (goods prefix, origin key).

    ``latest`` (the ``id()`` of each latest version) gets an index of its own: the common
    query reads the law as amended, and then needs no knowledge check per item. Its
    answers are remembered by what decides them: the spans found (each already particular
    to the origin) and the code's prefixes that some item excludes. Codes of one list, or
    of no list, from one origin in one span share an answer.
    """

    #: How many answers of the latest index are remembered before they are forgotten.
    REMEMBERED = 100_000

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
        self._excluded = frozenset(p for item in self.items for p in item.goods.exclude)
        self._answers: dict[tuple[object, ...], tuple[Match, ...]] = {}

    def lookup(
        self, code: str, origin: str, known: Callable[[Scoped], bool] | None = None
    ) -> list[Scoped]:
        """Return every item that may cover ``code`` from ``origin`` at some time, once.

        With ``known``, only the schedule's items it accepts (a table's items always are).
        """
        found: dict[int, Scoped] = {}
        for key in (origin, ANY_ORIGIN):
            filed = self._buckets.get(key, {})
            for prefix in _prefixes(code):
                for item in filed[prefix].filed if prefix in filed else ():
                    if known is None or known(item):
                        found[id(item)] = item
        for item in self._tabled(code):
            found[id(item)] = item
        return list(found.values())

    def _matches(
        self,
        buckets: dict[str, dict[str, _Bucket]],
        code: str,
        origin: str,
        at: datetime,
        now: int,
        known: Callable[[Scoped], bool] | None,
    ) -> dict[int, Match]:
        """The schedule's own items that match, by ``id()``."""
        found: dict[int, Match] = {}
        prefixes = _prefixes(code)
        for key in (origin, ANY_ORIGIN):
            filed = buckets.get(key)
            if filed is None:
                continue
            for prefix in prefixes:
                bucket = filed.get(prefix)
                if bucket is None:
                    continue
                length = len(prefix)
                for item, where, goods_excluded in bucket.at(now, origin, at):
                    seen = found.get(id(item))
                    if seen is not None:  # found again under a longer prefix
                        seen.goods = length
                        continue
                    if known is not None and not known(item):
                        continue
                    if goods_excluded and item.goods.specificity(code) is None:
                        continue
                    found[id(item)] = Match(item, length, where)
        return found

    def _latest_matches(self, code: str, origin: str, at: datetime, now: int) -> tuple[Match, ...]:
        """The latest versions that match, remembered by what decides them (class docs)."""
        assert self._latest is not None
        prefixes = _prefixes(code)
        decides: list[object] = [p for p in prefixes if p in self._excluded]
        for key in (origin, ANY_ORIGIN):
            filed = self._latest.get(key)
            if filed is None:
                continue
            for prefix in prefixes:
                bucket = filed.get(prefix)
                if bucket is not None:
                    # A bucket keeps each answer of `at` for its life: its id is stable.
                    items = bucket.at(now, origin, at)
                    if items:
                        decides.append((len(prefix), id(items)))
        decided = tuple(decides)
        answer = self._answers.get(decided)
        if answer is None:
            found = self._matches(self._latest, code, origin, at, now, None)
            answer = tuple(found.values())
            if len(self._answers) >= self.REMEMBERED:
                self._answers.clear()
            self._answers[decided] = answer
        return answer

    def _tabled(self, code: str, at: datetime | None = None) -> Iterator[Scoped]:
        """The items the tables build for ``code``, less those the schedule replaces."""
        for table in self.tables:
            for item in table.items_for(code, at):
                if item.id not in self._hidden:
                    yield item

    def matches(
        self, code: str, origin: str, at: datetime, known: Callable[[Scoped], bool] | None
    ) -> Found:
        """Return the items in effect at ``at``, known, and covering ``code`` from ``origin``.

        ``known=None`` asks for the latest versions (the index must have been given them).
        """
        now = micros(at)
        if known is None and self._latest is not None:
            own, remembered = self._latest_matches(code, origin, at, now), True
        else:
            own = tuple(self._matches(self._buckets, code, origin, at, now, known).values())
            remembered = False
        tabled = []
        hidden = self._hidden
        for table in self.tables:  # one version each: known at every time
            for item in table.items_for(code, at):
                if item.id in hidden or not item.period.contains(at):
                    continue
                origins = item.origins.specificity(origin, at)
                if origins is None:
                    continue
                goods = item.goods.specificity(code)
                if goods is not None:
                    tabled.append(Match(item, goods, origins, 0))
        return Found(own, tabled, remembered)


def _file(items: Iterable[Scoped]) -> dict[str, dict[str, _Bucket]]:
    """The buckets of ``items``, by origin key then goods prefix: each under all it names."""
    lists: defaultdict[str, defaultdict[str, list[_Filed]]]
    lists = defaultdict(lambda: defaultdict(list))
    for item in items:
        origins = item.origins
        keys = (ANY_ORIGIN,) if origins.is_all or origins.groups else origins.countries
        end = item.period.end
        filed = _Filed(
            item,
            micros(item.period.start),
            _NEVER if end is None else micros(end),
            bool(item.goods.exclude),
            bool(origins.groups or origins.exclude),
        )
        for key in keys:
            for prefix in item.goods.prefixes or ("",):
                lists[key][prefix].append(filed)
    shared: dict[tuple[int, ...], _Bucket] = {}  # lists name the same items under many codes

    def bucket(filed: list[_Filed], where: int) -> _Bucket:
        ids = (where, *(id(f) for f in filed))
        found = shared.get(ids)
        if found is None:
            found = shared[ids] = _Bucket(filed, where)
        return found

    return {
        key: {
            prefix: bucket(filed, ANY if key == ANY_ORIGIN else COUNTRY)
            for prefix, filed in by_prefix.items()
        }
        for key, by_prefix in lists.items()
    }


def _prefixes(code: str) -> list[str]:
    return [code[:n] for n in _PREFIX_LENGTHS if n <= len(code)]

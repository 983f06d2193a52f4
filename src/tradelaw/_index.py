"""The lookup index of a schedule: items by goods prefix and origin country.

Resolution asks "which items cover code C from country O at instant T?". Each item is
filed under every goods prefix it names ("" for all goods) and every country it names
("*" when it covers all origins or a group, whose membership depends on time). A lookup
probes the at most six prefixes of the code (``""``, 2, 4, 6, 8 and 10 digits) for the
country and for ``"*"`` — a handful of dictionary probes instead of a scan of every item —
and learns the goods specificity from the longest prefix bucket an item was found in.
Only items with exclusions or groups need a further scope check. Each bucket is cut at
its items' start and end instants, so a lookup reads only the items in force; the
versions known at one knowledge time are filed in a :class:`View` of their own, which
remembers its answers.

The items of the schedule's tables (:mod:`tradelaw.tables`) are asked for by code and
checked in full; an item of the schedule with the same id hides a table's item.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from datetime import datetime
from functools import cached_property
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


# Buckets by origin key ("*" for all origins and groups), then goods prefix.
_Buckets = dict[str, dict[str, _Bucket]]


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

    #: An answer the view keeps: the same object for every entry it decides alike, so that
    #: what is derived from it alone may be remembered with it.
    own: tuple[Match, ...]
    tabled: list[Match]


class View:
    """Some items of an index (the versions known at some time), filed, with its answers.

    A view answers by what decides an answer: the spans found (each already particular to
    the origin) and the code's prefixes that some item excludes. Codes of one list, or of
    no list, from one origin in one span share one answer, remembered.
    """

    #: How many answers are remembered before they are forgotten.
    REMEMBERED = 100_000

    __slots__ = ("answers", "buckets", "prefixes")

    def __init__(self, items: Iterable[Scoped]) -> None:
        self.buckets = _file(items)
        self.answers: dict[tuple[object, ...], tuple[Match, ...]] = {}
        # Every prefix some bucket is filed under: most of a code's prefixes are in none.
        self.prefixes = frozenset(p for filed in self.buckets.values() for p in filed)


class Index:
    """Items filed by (goods prefix, origin key).

    A query reads the versions known at some time, or the latest ones: those of one
    knowledge time are filed apart, in a :class:`View`, so that a lookup needs no knowledge
    check per item. A view is made on first use, for a key that names the versions (the
    latest, or a span of knowledge time in which the known versions do not change).
    """

    #: How many views are kept; past it, the oldest goes.
    VIEWS = 16

    def __init__(self, items: Iterable[Scoped], tables: Iterable[ItemTable] = ()) -> None:
        self.items = tuple(items)
        self.tables = tuple(tables)
        self._hidden = frozenset(item.id for item in self.items) if self.tables else frozenset()
        self._excluded = frozenset(p for item in self.items for p in item.goods.exclude)
        self._views: dict[Hashable, View] = {}
        self._making = threading.Lock()

    @cached_property
    def _buckets(self) -> _Buckets:
        """Every version filed (only :meth:`lookup` reads them: filed on first use)."""
        return _file(self.items)

    def view(self, key: Hashable, known: Callable[[Scoped], bool]) -> View:
        """The view of the items ``known`` accepts, made once for ``key``."""
        found = self._views.get(key)
        if found is None:
            with self._making:  # threads may share a schedule; making a view is rare
                found = self._views.get(key)
                if found is None:
                    if len(self._views) >= self.VIEWS:
                        del self._views[next(iter(self._views))]
                    found = self._views[key] = View(i for i in self.items if known(i))
        return found

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
        self, buckets: _Buckets, code: str, origin: str, at: datetime, now: int
    ) -> dict[int, Match]:
        """The items of ``buckets`` that match, by ``id()``."""
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
                    if goods_excluded and item.goods.specificity(code) is None:
                        continue
                    found[id(item)] = Match(item, length, where)
        return found

    def _own(
        self, view: View, code: str, origin: str, at: datetime, now: int
    ) -> tuple[Match, ...]:
        """The view's items that match, remembered by what decides them (see View)."""
        every = _prefixes(code)
        decides: list[object] = [p for p in every if p in self._excluded]
        prefixes = [p for p in every if p in view.prefixes]
        for key in (origin, ANY_ORIGIN):
            filed = view.buckets.get(key)
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
        answer = view.answers.get(decided)
        if answer is None:
            answer = tuple(self._matches(view.buckets, code, origin, at, now).values())
            if len(view.answers) >= view.REMEMBERED:
                view.answers.clear()
            view.answers[decided] = answer
        return answer

    def _tabled(self, code: str, at: datetime | None = None) -> Iterator[Scoped]:
        """The items the tables build for ``code``, less those the schedule replaces."""
        for table in self.tables:
            for item in table.items_for(code, at):
                if item.id not in self._hidden:
                    yield item

    def matches(self, code: str, origin: str, at: datetime, view: View) -> Found:
        """Return the items of ``view``, and the tables', covering the entry at ``at``."""
        now = micros(at)
        own = self._own(view, code, origin, at, now)
        tabled = []
        for item in self._tabled(code, at):  # one version each: known at every time
            if not item.period.contains(at):
                continue
            origins = item.origins.specificity(origin, at)
            if origins is None:
                continue
            goods = item.goods.specificity(code)
            if goods is not None:
                tabled.append(Match(item, goods, origins, 0))
        return Found(own, tabled)


def _file(items: Iterable[Scoped]) -> _Buckets:
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
        ids = (where, *map(id, filed))
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

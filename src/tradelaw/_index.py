"""The lookup index of a schedule: items by goods prefix and origin country.

Resolution asks "which items could cover code C from country O?". Each item is filed
under every goods prefix it names ("" for all goods) and every country it names ("*" when
it covers all origins or a group, whose membership depends on time). A lookup visits the
at most six prefixes of the code (``""``, 2, 4, 6, 8 and 10 digits) for the country and
for ``"*"``: a handful of dictionary probes instead of a scan of every item. The caller
still checks exclusions, group membership, periods and knowledge time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Generic, TypeVar

from tradelaw.measures import Scoped

ANY_ORIGIN = "*"
_PREFIX_LENGTHS = (0, 2, 4, 6, 8, 10)

S = TypeVar("S", bound=Scoped)


class Index(Generic[S]):
    """Items filed by (goods prefix, origin key)."""

    def __init__(self, items: Iterable[S]) -> None:
        buckets: defaultdict[tuple[str, str], list[S]] = defaultdict(list)
        for item in items:
            origins = item.origins
            keys = (ANY_ORIGIN,) if origins.is_all or origins.groups else origins.countries
            for prefix in item.goods.prefixes or ("",):
                for key in keys:
                    buckets[prefix, key].append(item)
        self._buckets = dict(buckets)

    def lookup(self, code: str, origin: str) -> list[S]:
        """Return the items that may cover ``code`` from ``origin``, each once."""
        found: dict[int, S] = {}
        buckets = self._buckets
        for length in _PREFIX_LENGTHS:
            if length > len(code):
                break
            prefix = code[:length]
            for key in (origin, ANY_ORIGIN):
                bucket = buckets.get((prefix, key))
                if bucket:
                    for item in bucket:
                        found[id(item)] = item
        return list(found.values())

"""A table's customs values as exact integers: ten-thousandths of the currency unit.

A group's rows differ only by their value, and a percentage of a value is exact integer
arithmetic when the value has at most 14 digits and 4 decimals (see :func:`amount`): the
engine multiplies integer arrays, and makes a ``Decimal`` only for the answer. A value it
cannot take so (empty, negative, finer, larger, not a number) sends its row to
``resolve()``, which says what is wrong with it, or computes it exactly.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from tradelaw.errors import TradelawError
from tradelaw.frame._keys import cell_key, distinct_cells, factorizer, first_rows
from tradelaw.frame._rows import is_empty

__all__ = [
    "DIGITS",
    "DUTY_PLACES",
    "LARGEST",
    "PLACES",
    "Values",
    "amount",
    "decimals",
    "pool",
    "read_values",
    "scaled_percent",
]

#: The decimals of a value as an integer: a value of 12.5 is 125000.
DIGITS = 4

#: The decimals of a percentage as an integer: 27.5% is 27500000.
PLACES = 6

#: The decimals of a duty as an integer: a value's, a percentage's, and percent itself.
DUTY_PLACES = DIGITS + PLACES + 2

#: The largest integer numpy's int64 holds.
LARGEST = (1 << 63) - 1

# A value as files write it: up to 14 digits and 4 decimals, nothing else (ASCII digits:
# other digits are read by Decimal, one by one).
_PLAIN = re.compile(r"[0-9]{1,14}(?:\.[0-9]{0,4})?")


def amount(cell: object) -> Decimal | None:
    """A customs value that a group can take (else ``None``: its row goes alone).

    Example:
        >>> amount("1725.04"), amount(" 12 "), amount("1e3"), amount("0.00001")
        (Decimal('1725.04'), Decimal('12'), Decimal('1E+3'), None)
    """
    if type(cell) is str and _PLAIN.fullmatch(cell):  # the common case, read once
        return Decimal(cell)
    if isinstance(cell, bool) or is_empty(cell):
        return None
    if isinstance(cell, str):
        try:
            found = Decimal(cell.strip())
        except ArithmeticError:
            return None
    elif isinstance(cell, Decimal | int):
        found = Decimal(cell)
    else:
        return None
    # Exact Decimal arithmetic stays exact for values of up to 14 digits and 4 decimals
    # times any rate; a larger or finer value is resolved on its own.
    if not found.is_finite() or found < 0 or found.adjusted() > 13:
        return None
    return found if found.as_tuple().exponent >= -DIGITS else None  # type: ignore[operator]


class Values:
    """A value column as integers: ``scaled[row]``, the row's value in ten-thousandths.

    -1 marks a row whose value a group cannot take. :meth:`of_rows` reads rows' values
    as ``Decimal``, with their digits as written.
    """

    def __init__(
        self,
        scaled: Any,
        of_rows: Callable[[Any], list[Decimal | None]],
        cell: Callable[[int], object] | None = None,
    ) -> None:
        self.scaled = scaled
        self._of_rows = of_rows
        self.cell = cell  # a row's cell as given, when read from Arrow (else None)

    def of_rows(self, rows: Any) -> list[Decimal | None]:
        """The values of ``rows`` (an array of row numbers)."""
        return self._of_rows(rows)

    def of_row(self, row: int) -> Decimal | None:
        """The value of one row."""
        return self._of_rows([row])[0]


def read_values(cells: Any, texts: Any) -> Values:
    """The values of a column: ``cells`` (a list or Series), ``texts`` its numbering.

    A Series of text is read by Arrow all at once, row by row (values are mostly
    distinct: numbering them would cost more than reading them). Otherwise ``texts`` is
    ``_run._text_codes(cells)``: the cells' numbers, the distinct cells as Python text
    and as pandas holds them, or ``None`` when the cells are not all text. What is not a
    plain amount is read one by one, by :func:`amount`.
    """
    import numpy as np

    if not isinstance(cells, list):
        arrow = _arrow_text(cells)
        if arrow is not None:
            return _read_rows(cells, arrow)
    if texts is not None:
        codes, words, uniques = texts
        scaled = np.full(len(words) + 1, -1, dtype=np.int64)
        plain, arrow = _plain(_arrow_of(uniques))
        if plain.any():
            scaled[:-1][plain] = _scaled(arrow, plain)
        read: dict[int, Decimal | None] = {}
        for k in np.flatnonzero(~plain).tolist():
            found = read[k] = amount(words[k])
            if found is not None:
                scaled[k] = int(found.scaleb(DIGITS))
        at = np.where(codes < 0, len(words), codes)
        return Values(scaled[at], _by_number(at, scaled, words, read))
    at, distinct = distinct_cells(cells if isinstance(cells, list) else cells.tolist())
    scaled = np.full(len(distinct), -1, dtype=np.int64)
    read = {}
    for k, cell in enumerate(distinct):
        try:
            value = read[k] = amount(cell)
        except TradelawError:
            value = read[k] = None
        if value is not None:
            scaled[k] = int(value.scaleb(DIGITS))
    return Values(scaled[at], _by_number(at, scaled, None, read))


def _by_number(
    at: Any, scaled: Any, words: list[str] | None, read: dict[int, Decimal | None]
) -> Callable[[Any], list[Decimal | None]]:
    """Rows' values, by the number ``at[row]`` of each one's distinct cell."""

    def of(k: int) -> Decimal | None:
        if k in read:
            return read[k]
        if scaled[k] < 0 or words is None:
            return None
        return Decimal(words[k])

    def of_rows(rows: Any) -> list[Decimal | None]:
        return [of(int(at[row])) for row in rows]

    return of_rows


def _read_rows(cells: Any, arrow: Any) -> Values:
    """A Series of text, read by Arrow: plain amounts at once, the rest one by one."""
    import numpy as np

    plain, arrow = _plain(arrow)
    scaled = np.full(len(plain), -1, dtype=np.int64)
    if plain.any():
        scaled[plain] = _scaled(arrow, plain)
    read: dict[int, Decimal | None] = {}
    seen: dict[object, Decimal | None] = {}  # odd cells repeat: each read once
    for row in np.flatnonzero(~plain).tolist():
        cell = cells.iat[row]
        key = cell_key(cell)
        if key not in seen:
            seen[key] = amount(cell)
        found = read[row] = seen[key]
        if found is not None:
            scaled[row] = int(found.scaleb(DIGITS))

    def of_rows(rows: Any) -> list[Decimal | None]:
        import numpy as np
        import pyarrow.compute as pc

        rows = np.asarray(rows, dtype=np.int64)
        texts = pc.take(arrow, rows, memory_pool=pool()).to_pylist()  # taken at once
        return [
            read[row] if row in read else None if scaled[row] < 0 else Decimal(text)
            for row, text in zip(rows.tolist(), texts, strict=True)
        ]

    def given(row: int) -> object:
        return arrow[row].as_py()

    return Values(scaled, of_rows, given)


def _arrow_text(cells: Any) -> Any:
    """A pandas Series of text as an Arrow array (``None`` if it is not all text)."""
    import pandas as pd
    import pyarrow as pa

    if not isinstance(cells.dtype, pd.StringDtype) and cells.dtype != object:
        return None
    try:
        found = pa.array(cells, from_pandas=True, memory_pool=pool())
    except (pa.ArrowException, TypeError, ValueError):
        return None
    return found if _is_text(found.type) else None


def _arrow_of(uniques: Any) -> Any:
    """Distinct cells (a pandas Index of text, or Arrow's) as an Arrow array of text."""
    import pyarrow as pa

    if isinstance(uniques, pa.Array):
        return uniques
    return pa.array(uniques, type=None, from_pandas=True, memory_pool=pool())


def pool() -> Any:
    """The memory pool of the engine's own Arrow arrays: the system allocator's.

    They are large, short-lived and freed at once. On the machine the benchmarks run on,
    pyarrow's default pool (mimalloc) made the first table of a process slower by half a
    second or more, in these steps and in the numpy ones after them; the system's did not.
    """
    import pyarrow as pa

    return pa.system_memory_pool()


def _is_text(kind: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _plain(cells: Any) -> tuple[Any, Any]:
    """Which cells (Arrow text) are plain amounts, found all at once; and the cells."""
    import pyarrow as pa
    import pyarrow.compute as pc

    memory = pool()
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks(memory_pool=memory)
    if not _is_text(cells.type):
        cells = pc.cast(cells, pa.string(), memory_pool=memory)
    found = pc.coalesce(
        pc.match_substring_regex(cells, f"^{_PLAIN.pattern}$", memory_pool=memory),
        False,
        memory_pool=memory,
    )
    return found.to_numpy(zero_copy_only=False).astype(bool), cells


def _scaled(cells: Any, plain: Any) -> Any:
    """The plain cells' values in ten-thousandths: their digits, shifted by their decimals.

    Arrow reads them all at once (a plain cell has at most 18 digits: an exact int64).
    """
    import numpy as np
    import pyarrow.compute as pc

    memory = pool()
    cells = pc.filter(cells, plain, memory_pool=memory)
    point = pc.find_substring(cells, ".", memory_pool=memory).to_numpy(zero_copy_only=False)
    length = pc.utf8_length(cells, memory_pool=memory).to_numpy(zero_copy_only=False)
    digits = pc.replace_substring(cells, ".", "", memory_pool=memory)
    whole = pc.cast(digits, "int64", memory_pool=memory)
    decimals = np.where(point < 0, 0, length - point - 1)
    return whole.to_numpy(zero_copy_only=False) * 10 ** (DIGITS - decimals)


def decimals(scaled: Any, places: Any) -> Any:
    """Integers ``scaled`` with ``places`` decimals, as tidy ``Decimal`` objects.

    Tidy as :func:`tradelaw.resolution.tidy` makes them: no trailing zero after the point,
    no exponent for a whole number. One ``Decimal`` is made per distinct number.

    Example:
        >>> import numpy as np
        >>> decimals(np.array([27500, 3, 120]), np.array([3, 0, 2])).tolist()
        [Decimal('27.5'), Decimal('3'), Decimal('1.2')]
    """
    import numpy as np

    scaled = np.array(scaled, dtype=np.int64)  # copies: trimmed in place below
    places = np.array(places, dtype=np.int64)
    # Trailing zeros off, as many as the places allow: 16, 8, 4, 2 then 1 at a time
    # where that many are left (so any count below 32 goes, as its binary digits do).
    for step in (16, 8, 4, 2, 1):
        power = 10**step
        off = (places >= step) & (scaled % power == 0)
        np.floor_divide(scaled, power, out=scaled, where=off)
        places -= off * step
    if _mostly_distinct(scaled):  # duties of values: numbering them would cost more
        return _made(scaled, places)
    factorize = factorizer()
    dense, _ = factorize(scaled)
    key, _ = factorize(dense * 32 + places)  # at most 31 places
    first = first_rows(key)
    return _made(scaled[first], places[first])[key]


def _made(scaled: Any, places: Any) -> Any:
    """An object array of the ``Decimal`` numbers ``scaled`` with ``places`` decimals."""
    import numpy as np

    # n × 10**-p: exact (n has at most 19 digits), with exponent -p, as tidy leaves it.
    powers = _powers()[places].tolist()
    made = list(map(operator.mul, map(Decimal, scaled.tolist()), powers))
    out = np.empty(len(made), dtype=object)
    out[:] = made
    return out


@lru_cache(maxsize=1)
def _powers() -> Any:
    """10**-p as ``Decimal`` for p below 32, in an object array (numpy is optional)."""
    import numpy as np

    found = np.empty(32, dtype=object)
    found[:] = [Decimal(1).scaleb(-p) for p in range(32)]
    return found


def _mostly_distinct(numbers: Any, sample: int = 4096) -> bool:
    """Whether most of ``numbers`` differ, as their first ``sample`` do."""
    import numpy as np

    if len(numbers) <= sample:
        return False
    return len(np.unique(numbers[:sample])) > sample // 2


@lru_cache(maxsize=4096)  # lines repeat a few hundred percentages
def scaled_percent(percent: Decimal) -> int:
    """``percent`` in millionths of a point, or -1 when that is not a whole number.

    Example:
        >>> scaled_percent(Decimal("27.5")), scaled_percent(Decimal("1") / 3)
        (27500000, -1)
    """
    found = percent.scaleb(PLACES)
    if found != found.to_integral_value() or not 0 <= found < 1 << 62:
        return -1
    return int(found)

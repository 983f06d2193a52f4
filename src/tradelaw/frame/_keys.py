"""Integer keys of rows: distinct rows of integer columns, found by hashing, not sorting.

The engine groups millions of rows by a few integer columns (a code's number, an origin's,
a segment's…): :func:`unique_rows` does it in a few array passes.
"""

from __future__ import annotations

from typing import Any

__all__ = ["cell_key", "distinct_cells", "factorizer", "first_rows", "small", "unique_rows"]


def unique_rows(*columns: Any) -> tuple[Any, Any, Any]:
    """The distinct rows of integer ``columns``: them, each one's first row, each row's.

    Like ``numpy.unique(..., axis=0)`` (rows in lexicographic order), which sorts the rows
    as records, slowly. Here the columns are folded into one integer per row, renumbered
    densely only when the next fold could leave 63 bits (the columns are mostly small
    codes already); pandas' hash tables do the renumbering when pandas is there.
    """
    import numpy as np

    dense = factorizer()
    key = np.zeros(len(columns[0]), dtype=np.int64)
    if not len(key):
        return np.zeros((0, len(columns)), dtype=np.int64), key, key
    span = 1  # every key is below this
    for column in columns:
        codes = np.asarray(column, dtype=np.int64)
        low = int(codes.min())
        count = int(codes.max()) - low + 1
        if count > _FOLD:  # sparse values: numbered densely first
            codes, count = dense(codes)
        elif low:
            codes = codes - low
        if span * count > _FOLD * _FOLD:
            key, span = dense(key)
        key *= count  # in place: a table's column of keys is megabytes
        key += codes
        span *= count
    key, _ = dense(key)
    # Codes in order of first appearance (a new code exceeds every earlier one).
    first = first_rows(key)
    rows = np.stack([np.asarray(c, dtype=np.int64)[first] for c in columns], axis=1)
    order = np.lexsort(rows.T[::-1])
    rank = np.empty(len(order), dtype=np.int32 if len(order) < _FOLD else np.int64)
    rank[order] = np.arange(len(order))
    return rows[order], first[order], rank[key]  # per row: 4 bytes (a panel has millions)


# The widest range of values folded into a key as they are (two such fit in 63 bits).
_FOLD = 1 << 31


def small(count: int) -> Any:
    """The integer type of indexes below ``count``: 4 bytes a row where they fit."""
    import numpy as np

    return np.int32 if count < _FOLD else np.int64


def factorizer() -> Any:
    """A function giving an integer array's dense codes by first appearance, and their count."""
    import numpy as np

    try:
        import pandas as pd
    except ImportError:

        def by_sorting(values: Any) -> tuple[Any, int]:
            distinct, first, inverse = np.unique(values, return_index=True, return_inverse=True)
            # Renumber by first appearance, as pandas does.
            order = np.argsort(first, kind="stable")
            rank = np.empty(len(order), dtype=np.int64)
            rank[order] = np.arange(len(order))
            return rank[inverse.reshape(-1)], len(distinct)

        return by_sorting

    def by_hashing(values: Any) -> tuple[Any, int]:
        codes, distinct = pd.factorize(values, sort=False)
        return codes.astype(np.int64, copy=False), len(distinct)

    return by_hashing


def first_rows(codes: Any) -> Any:
    """The first row of each code, for ``codes`` numbered in order of first appearance.

    Example:
        >>> import numpy as np
        >>> first_rows(np.array([0, 1, 0, 2, 1])).tolist()
        [0, 1, 3]
    """
    import numpy as np

    if not len(codes):
        return np.zeros(0, dtype=np.int64)
    seen = np.maximum.accumulate(codes)  # a new code exceeds every earlier one
    return np.flatnonzero(np.concatenate(([True], codes[1:] > seen[:-1])))


def distinct_cells(cells: list[object]) -> tuple[Any, list[object]]:
    """Per cell, the number of its distinct cell; and the distinct cells, in order.

    For cells of any kind (text, numbers, dates, missing markers), one by one: equal
    cells (by :func:`cell_key`) share a number.

    Example:
        >>> at, distinct = distinct_cells(["7", None, "7", float("nan")])
        >>> at.tolist(), distinct
        ([0, 1, 0, 1], ['7', None])
    """
    import numpy as np

    numbers: dict[object, int] = {}
    distinct: list[object] = []
    at = np.empty(len(cells), dtype=np.int64)
    for row, cell in enumerate(cells):
        key = cell_key(cell)
        number = numbers.get(key)
        if number is None:
            number = numbers[key] = len(distinct)
            distinct.append(cell)
        at[row] = number
    return at, distinct


def cell_key(cell: object) -> object:
    """A cell as a key of a dict: equal keys for cells that read alike.

    Text is its own key (the common case); every missing marker (``None``, NaN) is
    ``None``; a cell that cannot be hashed is keyed by its ``repr``.
    """
    if type(cell) is str:
        return cell
    if cell is None or (isinstance(cell, float) and cell != cell):
        return None
    try:
        hash(cell)
    except TypeError:
        return repr(cell)
    return (type(cell), cell)

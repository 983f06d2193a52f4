"""Whole tables of entries at once: the columnar engine, with pandas and pyarrow.

Install with ``pip install "tradelaw[frames]"``. :func:`resolve` gives, for every row of a
table of entries, what :meth:`Schedule.resolve <tradelaw.schedule.Schedule.resolve>`
gives for it, row by row, only faster: rows that the same items cover, with the same
kind of base-layer line and the same facts, are resolved once and the answer applied to
all of them (see ``tradelaw.frame._engine`` for how). Nothing is approximated: a row
whose duty does not follow from its group's answer by its value alone is resolved on
its own.

Example:
    >>> import pandas as pd
    >>> from tradelaw import datasets, frame
    >>> entries = pd.DataFrame({
    ...     "goods": ["8703.23.01", "9503.00.00", "8703.23.01"],
    ...     "origin": ["JP", "CN", "JP"],
    ...     "entered": ["2025-06-10", "2025-06-10", "2025-10-01"],
    ...     "value": ["40000", "1000", "40000"],
    ... })
    >>> us = datasets.load("us")
    >>> frame.resolve(us, entries)[["goods", "total_rate", "duty", "status"]]
            goods total_rate   duty status
    0  8703.23.01       27.5  11000     ok
    1  9503.00.00          0      0     ok
    2  8703.23.01         15   6000     ok

    As filed on 20 June 2025, before the IEEPA duties were held void (a refund of 300 on
    the toys) and before the Japan agreement (a bill for the car of October):

    >>> frame.resolve(us, entries, as_of="2025-06-20")[["goods", "total_rate", "headings"]]
            goods total_rate                          headings
    0  8703.23.01       27.5             8703.23.01 9903.94.01
    1  9503.00.00         30  9903.01.24 9903.01.25 9503.00.00
    2  8703.23.01       27.5             8703.23.01 9903.94.01
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tradelaw.errors import InvalidInputError, MissingExtraError
from tradelaw.frame._engine import Compiled
from tradelaw.frame._rows import missing_columns
from tradelaw.frame._run import resolve_columns
from tradelaw.schedule import Schedule
from tradelaw.time import When, instant

if TYPE_CHECKING:
    import pandas

__all__ = ["RESULTS", "resolve"]

#: The columns :func:`resolve` adds to the entries' own.
RESULTS = ("total_rate", "duty", "currency", "headings", "status", "message")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise MissingExtraError("tradelaw.frame", "frames", "pandas and pyarrow") from None
    return pandas


def resolve(
    schedule: Schedule,
    entries: Any,
    *,
    as_of: When | None = None,
    layers: bool = False,
) -> pandas.DataFrame:
    """Resolve every row of ``entries``; return its columns with the results added.

    Args:
        schedule: the schedule.
        entries: a pandas DataFrame or an Arrow table with the columns ``tradelaw
            entries`` reads: ``goods``, ``origin``, ``entered``, ``value``, and optionally
            ``currency``, ``quantity`` (``"12 kg"``) and one column per declared fact.
            Cells are text or the values it stands for (``Decimal``, ``int``, ``date``,
            aware ``datetime``); a ``float`` value is an error of its row (inexact).
            Other columns are passed through.
        as_of: read the law as known at this time (as filed); ``None``, as amended.
        layers: also give one column per layer, ``duty_<layer>``: that layer's duty.

    Returns:
        A DataFrame of the entries' columns, then ``total_rate`` and ``duty`` (exact
        ``Decimal``, empty unless the status is ``ok``), ``currency``, ``headings``
        (space-separated), ``status`` (``ok``, ``unknown``, ``prohibited``,
        ``unresolved`` or ``error``) and ``message`` (why, when not ``ok``). Each row
        equals what ``schedule.resolve()`` says for it.

    Raises:
        InvalidInputError: ``entries`` is not a table, or lacks a required column.
        MissingExtraError: pandas or pyarrow is not installed.
    """
    pd = _pandas()
    table = _as_frame(pd, entries)
    lacking = missing_columns([str(c) for c in table.columns])
    if lacking:
        raise InvalidInputError("entries", ", ".join(lacking), "are required columns it lacks")
    known_at = None if as_of is None else instant(as_of, schedule.zone, "as_of")
    engine = Compiled(schedule, known_at)
    cells = {str(c): table[c].tolist() for c in table.columns}
    columns, currencies = resolve_columns(engine, cells, len(table), layers)
    out: pandas.DataFrame = table.copy()
    out["total_rate"] = pd.Series(columns.rate, index=table.index, dtype=object)
    out["duty"] = pd.Series(columns.duty, index=table.index, dtype=object)
    out["currency"] = currencies
    out["headings"] = columns.headings
    out["status"] = columns.status
    out["message"] = columns.message
    for layer in sorted(columns.layers):
        out[f"duty_{layer}"] = pd.Series(columns.layers[layer], index=table.index, dtype=object)
    return out


def _as_frame(pd: Any, entries: Any) -> Any:
    if isinstance(entries, pd.DataFrame):
        return entries
    to_pandas = getattr(entries, "to_pandas", None)  # an Arrow table
    if callable(to_pandas) and hasattr(entries, "schema"):
        return to_pandas(types_mapper=None, date_as_object=True)
    raise InvalidInputError("entries", type(entries).__name__, "is not a DataFrame or Arrow table")

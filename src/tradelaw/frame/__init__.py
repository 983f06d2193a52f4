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

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tradelaw import scope
from tradelaw.errors import InvalidInputError, MissingExtraError
from tradelaw.frame import _compare, _effective
from tradelaw.frame._columns import TEXTS, Columns
from tradelaw.frame._compare import compare
from tradelaw.frame._effective import effective_rate
from tradelaw.frame._engine import Compiled, engine_for
from tradelaw.frame._rows import missing_columns
from tradelaw.frame._run import collector_paused, resolve_columns
from tradelaw.schedule import Schedule
from tradelaw.scope import country_code, dotted, goods_code
from tradelaw.time import When, instant

if TYPE_CHECKING:
    import pandas

__all__ = [
    "CHANGES",
    "EFFECTIVE",
    "PANEL",
    "RESULTS",
    "SIDES",
    "compare",
    "effective_rate",
    "panel",
    "resolve",
]

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
    with collector_paused():
        return resolved(engine_for(schedule, known_at), table, layers)


def resolved(
    engine: Compiled, table: Any, layers: bool, every_layer: Iterable[str] | None = None
) -> pandas.DataFrame:
    """``table`` resolved by ``engine``: its columns, then the results (see :func:`resolve`).

    With ``every_layer``, a ``duty_<layer>`` column for each of them (whether or not a row
    has the layer), so that every part of a table split into parts has the same columns.
    """
    pd = _pandas()
    with collector_paused():  # see collector_paused: its objects are many and acyclic
        return _resolved(pd, engine, table, layers, every_layer)


def _resolved(
    pd: Any, engine: Compiled, table: Any, layers: bool, every_layer: Iterable[str] | None
) -> pandas.DataFrame:
    # Text columns go as they are: pandas numbers their distinct cells in one pass.
    cells = {
        str(c): table[c] if isinstance(table[c].dtype, pd.StringDtype) else table[c].tolist()
        for c in table.columns
    }
    columns, currencies = resolve_columns(engine, cells, len(table), layers)
    out: pandas.DataFrame = table.copy()
    # The run's own arrays, not copied: a copy would touch each of a million objects.
    out["total_rate"] = pd.Series(columns.rate, index=table.index, dtype=object, copy=False)
    out["duty"] = pd.Series(columns.duty, index=table.index, dtype=object, copy=False)
    if columns.currencies is None:
        currency = pd.Series(currencies, index=table.index, dtype=_text_dtype(pd))
    else:  # by one take from the few distinct codes
        at, codes = columns.currencies
        currency = pd.Series(pd.array(codes, dtype=_text_dtype(pd)).take(at), index=table.index)
    out["currency"] = currency
    for name in TEXTS:
        out[name] = _texts(pd, columns, name, table.index)
    if layers:
        for layer, duties in _per_layer(columns, every_layer):
            out[f"duty_{layer}"] = pd.Series(duties, index=table.index, dtype=object, copy=False)
    return out


#: The columns of :func:`panel`, before one ``rate_<layer>`` column per layer.
PANEL = ("on", "goods", "origin", "total_rate", "headings", "status", "message")

#: What each side gives in :func:`compare`'s result, suffixed ``_base`` and ``_scenario``.
SIDES = _compare.SIDES

#: The differences :func:`compare` adds: scenario minus baseline, when both are known.
CHANGES = _compare.CHANGES

#: The columns of :func:`effective_rate`'s result, after ``on`` and the grouping keys.
EFFECTIVE = _effective.EFFECTIVE

#: The value of a panel's cells: with 100, each layer's duty is its rate in percent.
_NOMINAL = "100"


def panel(
    schedule: Schedule,
    on: Iterable[When],
    *,
    goods: Iterable[str] | None = None,
    origins: Iterable[str] | None = None,
    as_of: When | None = None,
) -> pandas.DataFrame:
    """The rate of every goods line from every origin on each date: a panel, long format.

    Args:
        schedule: the schedule.
        on: the dates (or instants) to give the rates on.
        goods: code prefixes: the ten-digit lines of the base layer under them (a code
            that is not under a line is taken as given). Default: every ten-digit line
            of the edition in force on each date.
        origins: country codes. Default: every country (:func:`tradelaw.scope.countries`).
        as_of: read the law as known at this time (as filed); ``None``, as amended.

    Returns:
        A DataFrame of one row per date, line and origin, with the columns of
        :data:`PANEL` and then ``rate_<layer>``, each layer's rate in percent of the
        value. The rates are those of an entry of value 100 and no quantity: a specific
        rate's cell is ``unknown``, with the reason in ``message``, never zero.

    Raises:
        InvalidInputError: a date, code or origin that cannot be read, or no goods at all.
        MissingExtraError: pandas or pyarrow is not installed.

    Example:
        >>> from tradelaw import datasets, frame
        >>> cells = frame.panel(datasets.load("us"), ["2025-06-10"], goods=["8703.23.01"],
        ...                     origins=["JP", "DE"])
        >>> cells[["goods", "origin", "total_rate", "rate_mfn", "rate_s232-autos"]].head(3)
                   goods origin total_rate rate_mfn rate_s232-autos
        0  8703.23.01.10     DE       27.5      2.5              25
        1  8703.23.01.10     JP       27.5      2.5              25
        2  8703.23.01.20     DE       27.5      2.5              25
    """
    pd = _pandas()
    with collector_paused():  # see collector_paused: a panel's objects are many, acyclic
        return _panel(pd, schedule, list(on), goods, origins, as_of)


def _panel(
    pd: Any,
    schedule: Schedule,
    on: list[When],
    goods: Iterable[str] | None,
    origins: Iterable[str] | None,
    as_of: When | None,
) -> pandas.DataFrame:
    dates = [instant(when, schedule.zone, "on") for when in on]
    if not dates:
        raise InvalidInputError("on", [], "names no date")
    countries = sorted({country_code(o) for o in origins} if origins else scope.countries())
    prefixes = None if goods is None else sorted({goods_code(g) for g in goods})
    cells: dict[str, list[object]] = {"goods": [], "origin": [], "entered": []}
    labels: list[str] = []
    for moment, when in zip(dates, on, strict=True):
        lines = _lines(schedule, moment, prefixes)
        if not lines:
            raise InvalidInputError("goods", prefixes or "", f"has no line on {when}")
        label = when.isoformat() if isinstance(when, date | datetime) else str(when)
        for code in lines:
            cells["goods"] += [code] * len(countries)
            cells["origin"] += countries
        cells["entered"] += [moment] * (len(lines) * len(countries))
        labels += [label] * (len(lines) * len(countries))
    rows = len(labels)
    cells["value"] = [_NOMINAL] * rows
    known_at = None if as_of is None else instant(as_of, schedule.zone, "as_of")
    columns, _ = resolve_columns(engine_for(schedule, known_at), cells, rows, layers=True)
    # Each column is handed over and its source let go, one at a time: a panel has
    # millions of cells, and two copies of every column would double its peak memory.
    out = pd.DataFrame({"on": labels})
    del labels, cells["entered"], cells["value"]
    columns.duty = None  # a cell's duty on the nominal value is its rate: not kept
    out["goods"] = _dotted_all(cells.pop("goods"))
    out["origin"] = cells.pop("origin")
    out["total_rate"] = pd.Series(columns.rate, dtype=object, copy=False)
    resolved = columns.resolved()
    for name in TEXTS:
        out[name] = _texts(pd, columns, name, out.index)
        setattr(columns, name, None)
    for layer, rates in _per_layer(columns, resolved=resolved):
        out[f"rate_{layer}"] = pd.Series(rates, dtype=object, copy=False)
    result: pandas.DataFrame = out
    return result


def _per_layer(
    columns: Columns, every_layer: Iterable[str] | None = None, resolved: Any = None
) -> Iterator[tuple[str, Any]]:
    """Each layer's column: its duty on a resolved row, 0 where it charges nothing.

    On a row that is not resolved the cell is empty: an unknown row's layers are not zero.
    The columns are object arrays, made by array operations (a panel has millions of rows
    and dozens of layers); ``columns`` gives its layers up as they are read.
    """
    import numpy as np

    zero = Decimal(0)
    if resolved is None:  # which rows are resolved, unless the caller knows already
        resolved = columns.resolved()
    names = sorted(columns.layers) if every_layer is None else list(every_layer)
    for layer in names:
        values = columns.layers.pop(layer, None)  # each column once: a panel's are large
        cells = np.full(columns.n, None, dtype=object)
        if values is None:
            cells[resolved] = zero
        else:
            picked = np.asarray(values, dtype=object)[resolved]  # a copy
            picked[picked == None] = zero  # noqa: E711 - elementwise, on objects
            cells[resolved] = picked
        yield layer, cells


def _texts(pd: Any, columns: Columns, name: str, index: Any) -> Any:
    """A text column of the result, as pandas makes a column of text by default.

    Numbered cells become text by one take from their distinct texts (pandas' string
    array, or objects, whichever pandas gives a list of text), not one string per row.
    """
    import numpy as np

    kind = _text_dtype(pd)
    if not columns.numbered:  # an empty table has text columns too
        return pd.Series(getattr(columns, name), index=index, dtype=kind)
    texts = columns.words.texts
    if kind == np.dtype(object):
        return pd.Series(columns.text(name), index=index, dtype=object)
    return pd.Series(pd.array(texts, dtype=kind).take(getattr(columns, name)), index=index)


def _text_dtype(pd: Any) -> Any:
    """What pandas makes of a list of text: its ``str`` dtype, or ``object`` (pandas 2)."""
    return pd.Series(["text"]).dtype


def _dotted_all(codes: list[object]) -> list[str]:
    """The codes as the HTS prints them, one string per distinct code (a panel repeats each)."""
    printed: dict[object, str] = {}
    return [printed.get(c) or printed.setdefault(c, dotted(str(c))) for c in codes]


def _lines(schedule: Schedule, at: datetime, prefixes: list[str] | None) -> list[str]:
    """The ten-digit lines of the base layer at ``at`` under ``prefixes`` (all without)."""
    wanted = frozenset(prefixes or ())
    lengths = sorted({len(p) for p in wanted})
    found: set[str] = set()
    for table in schedule.tables:
        codes = getattr(table, "codes", None)
        if callable(codes):
            for code in codes(at):
                if prefixes is None or any(code[:n] in wanted for n in lengths):
                    found.add(code)
    if prefixes is not None:  # a code under no line is taken as given
        under = {code[:n] for code in found for n in lengths}
        found.update(p for p in prefixes if p not in under)
    return sorted(found)


def _as_frame(pd: Any, entries: Any) -> Any:
    if isinstance(entries, pd.DataFrame):
        return entries
    to_pandas = getattr(entries, "to_pandas", None)  # an Arrow table
    if callable(to_pandas) and hasattr(entries, "schema"):
        return to_pandas(types_mapper=None, date_as_object=True)
    raise InvalidInputError("entries", type(entries).__name__, "is not a DataFrame or Arrow table")

"""Tables of entries larger than one machine: the columnar engine over Dask partitions.

Install with ``pip install "tradelaw[dask]"``. :func:`resolve` maps
:func:`tradelaw.frame.resolve` over the partitions of a Dask DataFrame, and :func:`panel`
builds a panel in parts; both give, row by row, what ``Schedule.resolve()`` gives.

The schedule is shipped to each worker once: with a ``distributed`` client it is
scattered to every worker (``broadcast``), otherwise it is one node of the task graph.
Every task then refers to it, and each worker process compiles the engine once per
schedule and knowledge time and keeps it for the partitions it is given, so the lines of
the base layer it builds serve them all.

Example:
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> from tradelaw import datasets
    >>> from tradelaw import dask as tradelaw_dask
    >>> table = pd.DataFrame({"goods": ["8703.23.01"] * 4, "origin": ["JP"] * 4,
    ...                       "entered": ["2025-06-10"] * 4, "value": ["40000"] * 4})
    >>> entries = dd.from_pandas(table, npartitions=2)
    >>> out = tradelaw_dask.resolve(datasets.load("us"), entries)
    >>> out["duty"].compute().tolist()
    [Decimal('11000'), Decimal('11000'), Decimal('11000'), Decimal('11000')]
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from tradelaw import frame
from tradelaw.errors import InvalidInputError, MissingExtraError
from tradelaw.frame._engine import engine_for
from tradelaw.frame._rows import missing_columns
from tradelaw.measures import Measure
from tradelaw.schedule import Schedule
from tradelaw.scope import countries, country_code, goods_code
from tradelaw.time import When, instant

__all__ = ["DECIMAL", "panel", "parquet_schema", "resolve"]

#: Lines per part of a panel.
PANEL_LINES = 2_000

#: The Arrow type of the rates and duties written to Parquet (see :func:`parquet_schema`):
#: 38 digits on each side of the point, so every ``Decimal`` of 28 significant digits
#: (the default context's precision) is written exactly; pyarrow refuses one that is not.
DECIMAL = (76, 38)


def _dask() -> Any:
    try:
        import dask
        import dask.dataframe
    except ImportError:
        raise MissingExtraError("tradelaw.dask", "dask", "dask[dataframe]") from None
    return dask


def resolve(schedule: Schedule, entries: Any, *, as_of: When | None = None) -> Any:
    """Resolve every row of a Dask DataFrame of entries, partition by partition.

    Args:
        schedule: the schedule.
        entries: a ``dask.dataframe.DataFrame`` with the columns of
            :func:`tradelaw.frame.resolve`.
        as_of: read the law as known at this time (as filed); ``None``, as amended.

    Returns:
        A Dask DataFrame of the entries' columns and :data:`tradelaw.frame.RESULTS`,
        then ``duty_<layer>`` for every layer of the schedule, each partition what
        :func:`tradelaw.frame.resolve` gives for it.

    Raises:
        InvalidInputError: ``entries`` lacks a required column.
        MissingExtraError: dask is not installed.
    """
    dask = _dask()
    lacking = missing_columns([str(c) for c in entries.columns])
    if lacking:
        raise InvalidInputError("entries", ", ".join(lacking), "are required columns it lacks")
    known_at = None if as_of is None else instant(as_of, schedule.zone, "as_of")
    every = _layers(schedule)
    meta = frame.resolved(engine_for(schedule, known_at), entries._meta, True, every)
    shipped = _ship(schedule)
    with _exact(dask):
        return entries.map_partitions(_resolve_part, shipped, known_at, every, meta=meta)


def panel(
    schedule: Schedule,
    on: Iterable[When],
    *,
    goods: Iterable[str] | None = None,
    origins: Iterable[str] | None = None,
    as_of: When | None = None,
) -> Any:
    """:func:`tradelaw.frame.panel` as a Dask DataFrame, in parts of a few thousand lines.

    Args and the columns of the result are those of :func:`tradelaw.frame.panel`, with a
    ``rate_<layer>`` column for every layer of the schedule.

    Raises:
        InvalidInputError: a date, code or origin that cannot be read, or no goods at all.
        MissingExtraError: dask is not installed.
    """
    dask = _dask()
    import dask.dataframe as dd

    days = list(on)
    if not days:
        raise InvalidInputError("on", [], "names no date")
    chosen = sorted({country_code(o) for o in origins}) if origins else list(countries())
    prefixes = None if goods is None else sorted({goods_code(g) for g in goods})
    every = _layers(schedule)
    shipped = _ship(schedule)
    parts = []
    sample: list[str] = []  # a line of the first date: the parts' shape, for the metadata
    for day in days:
        moment = instant(day, schedule.zone, "on")
        lines = frame._lines(schedule, moment, prefixes)
        sample = sample or lines[:1]
        if not lines:
            raise InvalidInputError("goods", prefixes or "", f"has no line on {day}")
        for start in range(0, len(lines), PANEL_LINES):
            chunk = lines[start : start + PANEL_LINES]
            parts.append(dask.delayed(_panel_part)(shipped, day, chunk, chosen, as_of, every))
    meta = _panel_part(schedule, days[0], sample, chosen[:1], as_of, every).iloc[:0]
    with _exact(dask):
        return dd.from_delayed(parts, meta=meta)


def parquet_schema(resolved: Any) -> Any:
    """The Arrow schema to write a result of :func:`resolve` or :func:`panel` to Parquet.

    Dask infers a Parquet schema from a collection's metadata, which is empty: it cannot
    tell a column of ``Decimal`` values from a column of text, and refuses both. Pass
    this as ``to_parquet``'s ``schema``. The rates and duties (``total_rate``, ``duty``,
    and the ``duty_<layer>`` and ``rate_<layer>`` columns) become Arrow decimals of
    :data:`DECIMAL` precision and scale, exact; other columns of objects become text;
    the rest keep their type.

    Args:
        resolved: a Dask DataFrame made by :func:`resolve` or :func:`panel` (or a pandas
            DataFrame of the same columns).

    Example:
        >>> import dask.dataframe as dd
        >>> import pandas as pd
        >>> from tradelaw import datasets
        >>> from tradelaw import dask as tradelaw_dask
        >>> table = pd.DataFrame({"goods": ["8703.23.01"], "origin": ["JP"],
        ...                       "entered": ["2025-06-10"], "value": ["40000"]})
        >>> out = tradelaw_dask.resolve(datasets.load("us"), dd.from_pandas(table))
        >>> schema = tradelaw_dask.parquet_schema(out)
        >>> str(schema.field("total_rate").type), str(schema.field("duty").type)
        ('decimal256(76, 38)', 'decimal256(76, 38)')
    """
    import pandas as pd
    import pyarrow as pa

    meta = getattr(resolved, "_meta", resolved)
    fields = []
    for name, dtype in meta.dtypes.items():
        kind: Any
        if not pd.api.types.is_object_dtype(dtype):
            kind = pa.Schema.from_pandas(meta[[name]], preserve_index=False).field(0).type
        elif _is_rate(str(name)):
            kind = pa.decimal256(*DECIMAL)
        else:
            kind = pa.string()
        fields.append(pa.field(str(name), kind))
    return pa.schema(fields)


def _is_rate(name: str) -> bool:
    """Whether a result column holds rates or duties (``Decimal`` values)."""
    return name in ("total_rate", "duty") or name.startswith(("duty_", "rate_"))


def _exact(dask: Any) -> Any:
    """A setting under which Dask keeps the result columns as they are.

    Dask turns object columns into Arrow strings by default; the rates and duties are
    exact ``Decimal`` values and must stay so.
    """
    return dask.config.set({"dataframe.convert-string": False})


def _layers(schedule: Schedule) -> list[str]:
    """Every layer a measure of the schedule (or of its tables) belongs to, sorted."""
    found = {item.layer for item in schedule.items if isinstance(item, Measure)}
    for table in schedule.tables:
        found.update(table.layers)
    return sorted(found)


def _ship(schedule: Schedule) -> Any:
    """The schedule as the tasks will refer to it: on every worker once, or in the graph."""
    dask = _dask()
    try:
        from distributed import get_client

        client = get_client()
    except (ImportError, ValueError):  # no distributed, or no client: a local scheduler
        return dask.delayed(schedule, pure=True)
    return client.scatter(schedule, broadcast=True, hash=False)  # type: ignore[no-untyped-call]


def _resolve_part(
    table: Any, schedule: Schedule, known_at: datetime | None, every: list[str]
) -> Any:
    # The worker's engine, kept with its copy of the schedule for every later partition.
    return frame.resolved(engine_for(schedule, known_at), table, True, every)


def _panel_part(
    schedule: Schedule,
    day: When,
    lines: list[str],
    origins: list[str],
    as_of: When | None,
    every: list[str],
) -> Any:
    """The panel of ``lines`` on ``day``, with a rate column for every layer."""
    import pandas as pd

    if not lines:  # the shape of a part, for the collection's metadata
        columns = [*frame.PANEL, *(f"rate_{layer}" for layer in every)]
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    cells = frame.panel(schedule, [day], goods=lines, origins=origins, as_of=as_of)
    for layer in every:
        column = f"rate_{layer}"
        if column not in cells:
            zero = [Decimal(0) if s == "ok" else None for s in cells["status"]]
            cells[column] = pd.Series(zero, index=cells.index, dtype=object)
    return cells[[*frame.PANEL, *(f"rate_{layer}" for layer in every)]]

"""The trade-weighted duty rate of a table of imports: overall, by group, by authority.

An imports table says what was imported (goods, origin, value; optionally quantity,
currency and facts) over some span. Entered on a date, every row is resolved by the
engine; the effective rate is the duty of the rows whose duty is known, as a percentage
of their value. Rows that cannot be resolved (an unknown rate, prohibited goods, a bad
cell) are counted and their value reported, never taken as paying zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from tradelaw.errors import InvalidInputError
from tradelaw.frame._engine import engine_for
from tradelaw.money import HUNDRED
from tradelaw.resolution import tidy
from tradelaw.schedule import Schedule
from tradelaw.scope import goods_code, hs_section
from tradelaw.time import When, instant

if TYPE_CHECKING:
    import pandas

#: What an effective rate may be grouped by.
KEYS = ("origin", "chapter", "section", "layer", "authority")

#: The columns of an effective-rate table, after ``on`` and the grouping keys.
EFFECTIVE = (
    "rows",
    "value",
    "known_value",
    "duty",
    "rate",
    "unknown_rows",
    "unknown_value",
    "unknown_share",
)

#: Rates and shares are ratios: given to this many decimal places (sums stay exact).
PLACES = Decimal("0.000001")

#: The imports columns that are not an entry's: the engine leaves them alone.
_IMPORTS = ("goods", "origin", "value")


def effective_rate(
    schedule: Schedule,
    imports: Any,
    on: When | Iterable[When],
    *,
    by: Sequence[str] | str | None = None,
    as_of: When | None = None,
) -> pandas.DataFrame:
    """The trade-weighted duty rate of ``imports`` entered on each date of ``on``.

    Args:
        schedule: the schedule.
        imports: a pandas DataFrame or Arrow table with the columns ``goods``,
            ``origin`` and ``value``, and optionally ``quantity``, ``currency`` and one
            column per declared fact (as :func:`tradelaw.frame.resolve` reads them).
        on: a date (or instant), or several: every row is entered on each.
        by: group by any of ``origin``, ``chapter`` (the code's first two digits),
            ``section`` (the HS section, :func:`tradelaw.scope.hs_section`), ``layer``
            and ``authority`` (the layer's first word: ``s232``, ``ieepa``, ``s301``,
            ``mfn``…). With ``layer`` or ``authority``, a group's rate is split into the
            points each layer contributes; they add up to the group's rate.
        as_of: read the law as known at this time (as filed); ``None``, as amended.

    Returns:
        A DataFrame of one row per date, currency and group (amounts in different
        currencies are never added), with ``on``, ``currency``, the keys, then
        ``rows``, ``value`` (of all rows), ``known_value`` (of the rows whose duty is
        known), ``duty`` (theirs), ``rate`` (that duty in percent of their value),
        ``unknown_rows``, ``unknown_value`` and ``unknown_share`` (percent of the value).
        ``value`` and ``duty`` are exact; ``rate`` and ``unknown_share`` are rounded to
        six decimal places. A group without a known row has no rate. A row whose value
        cannot be read (not a non-negative amount) counts in ``rows`` and
        ``unknown_rows`` but adds to no value.

    Raises:
        InvalidInputError: a bad date, an unknown key, or a table without the columns.
        MissingExtraError: pandas or pyarrow is not installed.

    Example:
        >>> import pandas as pd
        >>> from tradelaw import datasets, frame
        >>> imports = pd.DataFrame({
        ...     "goods": ["8703.23.01", "8703.23.01", "9503.00.00"],
        ...     "origin": ["JP", "DE", "CN"],
        ...     "value": ["3000", "1000", "1000"],
        ... })
        >>> us = datasets.load("us")
        >>> frame.effective_rate(us, imports, "2025-06-10")[["on", "value", "duty", "rate"]]
                   on value  duty rate
        0  2025-06-10  5000  1100   22
        >>> by = frame.effective_rate(us, imports, "2025-10-01", by=["origin"])
        >>> by[["origin", "value", "duty", "rate"]]
          origin value duty rate
        0     CN  1000    0    0
        1     DE  1000  150   15
        2     JP  3000  450   15
    """
    from tradelaw.frame import _as_frame, _pandas, resolved

    pd = _pandas()
    table = _as_frame(pd, imports)
    lacking = [c for c in _IMPORTS if c not in table.columns]
    if lacking:
        many = "are required columns" if len(lacking) > 1 else "is a required column"
        raise InvalidInputError("imports", ", ".join(lacking), f"{many} it lacks")
    if pd.api.types.is_float_dtype(table["value"]):
        raise InvalidInputError(
            "imports.value",
            str(table["value"].dtype),
            "is a float column: values must be "
            "exact (text, Decimal or int; read CSV files with dtype=str)",
        )
    keys = _keys(by)
    given = [on] if isinstance(on, str) or not isinstance(on, Iterable) else list(on)
    dates = list(dict.fromkeys(given))  # a date given twice is one date
    if not dates:
        raise InvalidInputError("on", [], "names no date")
    moments = [instant(when, schedule.zone, "on") for when in dates]
    known_at = None if as_of is None else instant(as_of, schedule.zone, "as_of")
    engine = engine_for(schedule, known_at)
    per_layer = "layer" in keys or "authority" in keys
    parts = []
    for when, moment in zip(dates, moments, strict=True):
        entries = table.assign(entered=[moment] * len(table))
        out = resolved(engine, entries, per_layer)
        out["on"] = when if isinstance(when, str) else when.isoformat()
        parts.append(out)
    done = pd.concat(parts, ignore_index=True)
    return _summary(pd, done, keys)


def _keys(by: Sequence[str] | str | None) -> list[str]:
    """The grouping keys, checked (``origin,chapter`` and ``["origin", "chapter"]`` alike)."""
    if by is None:
        return []
    given = by.split(",") if isinstance(by, str) else by
    names = list(dict.fromkeys(k.strip() for k in given if k.strip()))  # each key once
    for name in names:
        if name not in KEYS:
            raise InvalidInputError("by", name, f"is not one of {', '.join(KEYS)}")
    if "layer" in names and "authority" in names:
        raise InvalidInputError("by", "layer, authority", "are two splits of one duty: use one")
    return names


def _summary(pd: Any, done: pandas.DataFrame, keys: list[str]) -> pandas.DataFrame:
    """Sum rows into groups by ``keys`` (and ``on``): values, duties, unknowns, rates."""
    values = [_decimal(v) for v in done["value"].tolist()]
    known = (done["status"] == "ok").tolist()
    base = pd.DataFrame({"on": done["on"]})
    # Amounts in different currencies are never added: the currency is always a key.
    row_keys = ["currency", *(k for k in keys if k not in ("layer", "authority"))]
    base["currency"] = done["currency"]
    for key in row_keys[1:]:
        base[key] = _key_column(done, key)
    base["rows"] = 1
    base["value"] = pd.Series(values, dtype=object)
    base["known_value"] = pd.Series(
        [v if ok and v is not None else Decimal(0) for v, ok in zip(values, known, strict=True)],
        dtype=object,
    )
    base["unknown_rows"] = [0 if ok else 1 for ok in known]
    base["unknown_value"] = pd.Series(
        [Decimal(0) if ok or v is None else v for v, ok in zip(values, known, strict=True)],
        dtype=object,
    )
    split = next((k for k in keys if k in ("layer", "authority")), None)
    group = ["on", *row_keys]
    sums = (
        base.groupby(group, sort=True, dropna=False)[
            ["rows", "value", "known_value", "unknown_rows", "unknown_value"]
        ]
        .agg(_sum)
        .reset_index()
    )
    if split is None:
        duties = pd.DataFrame({"duty": done["duty"].where(done["status"] == "ok", None)})
        duties[group] = base[group]
        sums = sums.merge(
            duties.groupby(group, sort=True, dropna=False)["duty"].agg(_sum).reset_index(),
            on=group,
        )
    else:
        sums = _by_layer(pd, done, base, sums, group, split)
    sums["rate"] = [
        _ratio(d, k)
        for d, k in zip(sums["duty"].tolist(), sums["known_value"].tolist(), strict=True)
    ]
    sums["unknown_share"] = [
        _ratio(u, v)
        for u, v in zip(sums["unknown_value"].tolist(), sums["value"].tolist(), strict=True)
    ]
    order = ["on", *row_keys, *([split] if split else []), *EFFECTIVE]
    result: pandas.DataFrame = sums[order]
    return result


def _by_layer(
    pd: Any,
    done: pandas.DataFrame,
    base: pandas.DataFrame,
    sums: pandas.DataFrame,
    group: list[str],
    split: str,
) -> pandas.DataFrame:
    """Each group's duty split by layer (or authority): one row per group and layer."""
    ok = done["status"] == "ok"
    pieces = []
    for column in [c for c in done.columns if str(c).startswith("duty_")]:
        layer = str(column)[5:]
        name = layer.split("-")[0] if split == "authority" else layer
        piece = base[group].copy()
        piece[split] = name
        piece["duty"] = done[column].where(ok, None)
        pieces.append(piece)
    if not pieces:  # no row is known: the groups have no layer to show
        sums[split] = None
        sums["duty"] = None
        return sums
    duties = pd.concat(pieces, ignore_index=True)
    per = duties.groupby([*group, split], sort=True, dropna=False)["duty"].agg(_sum)
    per = per[[bool(d) for d in per.tolist()]]  # a layer that charges nothing there
    merged: pandas.DataFrame = sums.merge(per.reset_index(), on=group, how="left")
    for column in (split, "duty"):  # a group with no known duty: no layer, not NaN
        merged[column] = merged[column].astype(object).where(merged[column].notna(), None)
    return merged


def _key_column(done: pandas.DataFrame, key: str) -> list[str | None]:
    """A grouping key per row: its origin, chapter or section (None for a bad code)."""
    if key == "origin":
        return [str(o).strip().upper() for o in done["origin"].tolist()]
    found: list[str | None] = []
    for cell in done["goods"].tolist():
        try:
            code = goods_code(cell)
            found.append(code[:2] if key == "chapter" else hs_section(code))
        except InvalidInputError:
            found.append(None)
    return found


def _decimal(cell: object) -> Decimal | None:
    """A value cell as an amount (None when it is not one: its row is an error anyway)."""
    found: Decimal | None = None
    if isinstance(cell, Decimal | int) and not isinstance(cell, bool):
        found = Decimal(cell)
    elif isinstance(cell, str):
        try:
            found = Decimal(cell.strip())
        except InvalidOperation:
            return None
    return found if found is not None and found.is_finite() and found >= 0 else None


def _sum(column: Any) -> Any:
    """The exact sum of a group's cells (missing ones left out; nothing known: None)."""
    cells = [c for c in column.tolist() if c is not None and c == c]
    if not cells:
        return None
    if isinstance(cells[0], int):
        return sum(cells)
    return tidy(sum(cells, Decimal(0)))


def _ratio(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """``part`` in percent of ``whole``, to six decimal places (None without a whole)."""
    if part is None or not whole:
        return None
    return tidy((part * HUNDRED / whole).quantize(PLACES, rounding=ROUND_HALF_EVEN))

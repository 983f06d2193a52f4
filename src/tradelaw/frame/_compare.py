"""A baseline and a scenario side by side, row by row: what a proposal would change."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tradelaw.errors import InvalidInputError
from tradelaw.frame._engine import engine_for
from tradelaw.resolution import tidy
from tradelaw.schedule import Schedule
from tradelaw.time import When, instant

if TYPE_CHECKING:
    import pandas

#: What each side gives, suffixed ``_base`` and ``_scenario`` in :func:`compare`'s result.
SIDES = ("total_rate", "duty", "headings", "status", "message")

#: The differences :func:`compare` adds (scenario minus baseline, when both are known).
CHANGES = ("rate_change", "duty_change")


def compare(
    base: Schedule, scenario: Schedule, table: Any, *, as_of: When | None = None
) -> pandas.DataFrame:
    """Resolve the same rows under a baseline and a scenario; give both and the change.

    Args:
        base: the baseline, e.g. ``datasets.load("us")``.
        scenario: the scenario, e.g. ``base | overlay``.
        table: entries (the columns :func:`tradelaw.frame.resolve` reads), or the cells
            of a panel (:func:`tradelaw.frame.panel`'s ``on``, ``goods`` and ``origin``:
            each cell is then an entry of value 100 entered on its date, so that duties
            read as percentages).
        as_of: read both as known at this time (as filed); ``None``, as amended.

    Returns:
        The table's columns, then ``total_rate``, ``duty``, ``headings``, ``status`` and
        ``message`` of each side (suffixed ``_base`` and ``_scenario``), then
        ``rate_change`` and ``duty_change`` (scenario minus baseline; empty unless both
        are ``ok``).

    Raises:
        InvalidInputError: a table that is neither entries nor panel cells.
        MissingExtraError: pandas or pyarrow is not installed.

    Example:
        >>> import pandas as pd
        >>> from tradelaw import Measure, Origins, Period, Schedule, TopUp, datasets, frame
        >>> law = datasets.load("japan-us-2025")
        >>> deal = Schedule(
        ...     [Measure(id="jp-reciprocal", title="Japan, 15% inclusive", heading="9903.01.53",
        ...              origins=Origins.of("JP"), rate=TopUp("15"), layer="ieepa-reciprocal",
        ...              period=Period.parse("2025-04-09", "2025-08-07", zone=law.zone))],
        ...     name="15% deal", jurisdiction="US", zone=law.zone)
        >>> cells = pd.DataFrame({"on": ["2025-04-09", "2025-04-10"],
        ...                       "goods": ["9503.00.00"] * 2, "origin": ["JP"] * 2})
        >>> out = frame.compare(law, law | deal, cells)
        >>> out[["on", "total_rate_base", "total_rate_scenario", "rate_change"]]
                   on total_rate_base total_rate_scenario rate_change
        0  2025-04-09              24                  15          -9
        1  2025-04-10              10                  10           0
    """
    from tradelaw.frame import _as_frame, _pandas, resolved

    pd = _pandas()
    given = _as_frame(pd, table)
    columns = set(map(str, given.columns))
    if {"entered", "value"} <= columns:
        entries = given
    elif {"on", "goods", "origin"} <= columns:
        entries = given.assign(entered=given["on"], value="100")
    else:
        raise InvalidInputError(
            "table", ", ".join(sorted(columns)), "is neither entries nor the cells of a panel"
        )
    known_at = None if as_of is None else instant(as_of, base.zone, "as_of")
    sides = {}
    for name, schedule in (("base", base), ("scenario", scenario)):
        out = resolved(engine_for(schedule, known_at), entries, False)
        sides[name] = out
    found = given.copy()
    for name, out in sides.items():
        for column in SIDES:
            found[f"{column}_{name}"] = out[column].to_numpy()
    both = (found["status_base"] == "ok") & (found["status_scenario"] == "ok")
    for change, column in zip(CHANGES, ("total_rate", "duty"), strict=True):
        found[change] = pd.Series(
            [
                _minus(new, old) if ok else None
                for new, old, ok in zip(
                    found[f"{column}_scenario"], found[f"{column}_base"], both, strict=True
                )
            ],
            index=found.index,
            dtype=object,
        )
    result: pandas.DataFrame = found
    return result


def _minus(new: Decimal | None, old: Decimal | None) -> Decimal | None:
    if new is None or old is None:
        return None
    return tidy(new - old)

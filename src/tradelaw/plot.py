"""Figures: how a rate moved, what a regime costs by origin, rates by section and origin.

Install with ``pip install "tradelaw[plot]"`` (matplotlib, with the ``frames`` extra).
Each function returns a :class:`matplotlib.figure.Figure`, to show, adjust or save
(``figure.savefig("rate.svg")``). Rates are computed exactly, as everywhere in tradelaw;
they become floats only where matplotlib draws them. A period or cell whose rate is not
known is drawn as such (hatched, or grey and marked "n/a"), never as zero.

Example:
    >>> from tradelaw import datasets, plot
    >>> figure = plot.timeline(datasets.load("us"), "8703.23.01", "JP",
    ...                        "2025-01-01", "2026-06-01")
    >>> figure.axes[0].get_title()
    '8703.23.01 from JP'
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tradelaw.errors import InvalidInputError, MissingExtraError
from tradelaw.schedule import Schedule, Segment
from tradelaw.scope import dotted, goods_code, hs_section
from tradelaw.time import When, instant

if TYPE_CHECKING:
    import matplotlib.figure

__all__ = ["MAJOR_ORIGINS", "effective_rate", "heatmap", "timeline"]

#: The origins a heat map shows by default, the largest suppliers of US imports.
MAJOR_ORIGINS = ("MX", "CN", "CA", "DE", "JP", "VN", "KR", "TW", "IN", "IE", "IT", "GB")

#: The HS sections in order, and what each holds (a heat map's row labels).
SECTIONS = {
    "I": "Animals",
    "II": "Vegetables",
    "III": "Fats and oils",
    "IV": "Food, drink, tobacco",
    "V": "Minerals, fuels",
    "VI": "Chemicals",
    "VII": "Plastics, rubber",
    "VIII": "Hides, leather",
    "IX": "Wood",
    "X": "Paper",
    "XI": "Textiles, clothing",
    "XII": "Footwear, headgear",
    "XIII": "Stone, glass",
    "XIV": "Precious metals",
    "XV": "Base metals",
    "XVI": "Machinery, electrical",
    "XVII": "Vehicles, aircraft",
    "XVIII": "Instruments",
    "XIX": "Arms",
    "XX": "Miscellaneous",
    "XXI": "Art, antiques",
    "XXII": "Special (98, 99)",
}


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display is needed to make a figure
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingExtraError("tradelaw.plot", "plot", "matplotlib") from None
    return plt


def timeline(
    schedule: Schedule,
    goods: str,
    origin: str,
    start: When,
    end: When,
    *,
    as_of: When | None = None,
    facts: dict[str, Any] | None = None,
) -> matplotlib.figure.Figure:
    """A step chart of the rate of ``goods`` from ``origin`` over ``[start, end)``.

    The rate is stacked by layer (each layer's line, in percent of the value), and each
    change is marked with the headings it adds (``+``) or takes away (``−``). A period
    whose rate is not known is hatched and labelled, with no height.

    Args:
        schedule: the schedule.
        goods: a goods code.
        origin: a country code.
        start: the first date (or instant).
        end: the end (not included).
        as_of: read the law as known at this time (as filed); ``None``, as amended.
        facts: facts of the entry, as
            :meth:`Schedule.timeline <tradelaw.schedule.Schedule.timeline>` takes them.
    """
    plt = _pyplot()
    mdates: Any = importlib.import_module("matplotlib.dates")  # its functions are untyped

    segments = schedule.timeline(goods, origin, start, end, as_of=as_of, facts=facts)
    last = instant(end, schedule.zone, "end")
    edges = [seg.period.start for seg in segments] + [last]
    x = mdates.date2num([_naive(e, schedule.zone) for e in edges])
    layers = _layers(segments)
    figure, ax = plt.subplots(figsize=(10, 4.8), layout="constrained")
    colours = _colours(plt, layers)
    bottom = [Decimal(0)] * len(segments)
    for layer in layers:
        heights = [_layer_rate(seg, layer) for seg in segments]
        top = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.stairs(
            [float(t) for t in top],
            x,
            baseline=[float(b) for b in bottom],
            fill=True,
            color=colours[layer],
            label=layer,
            linewidth=0,
        )
        bottom = top
    total = [float(t) for t in bottom]
    ax.stairs(total, x, color="black", linewidth=1.2)
    _mark_unknown(ax, segments, x)
    _mark_changes(ax, segments, x, total)
    ax.set_title(f"{dotted(goods_code(goods))} from {origin.upper()}")
    first, stop = (_naive(e, schedule.zone).date().isoformat() for e in (edges[0], edges[-1]))
    ax.set_xlabel(f"{first} to {stop} (entered; {schedule.zone} time)", fontsize=8)
    ax.set_ylabel("duty, % of customs value")
    ax.set_ylim(0, max([*total, 1.0]) / 0.62)  # the band above the bars holds the labels
    ax.set_xlim(x[0], x[-1])
    ax.xaxis.set_major_locator(mdates.AutoDateLocator())
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.grid(axis="y", alpha=0.3)
    if layers:
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            fontsize=8,
            frameon=False,
            ncols=min(5, len(layers)),
        )
    fig: matplotlib.figure.Figure = figure
    return fig


def effective_rate(
    schedule: Schedule,
    imports: Any,
    on: When | Iterable[When],
    *,
    by: str = "origin",
    as_of: When | None = None,
) -> matplotlib.figure.Figure:
    """The trade-weighted rate of ``imports`` on each date of ``on``, a line per group.

    See :func:`tradelaw.frame.effective_rate`; ``by`` is one of its keys that split rows
    (``origin``, ``chapter`` or ``section``). A group's unknown rows are left out of its
    rate, as there; a date on which a group has no known row leaves a gap.
    """
    plt = _pyplot()
    from tradelaw import frame

    dates: list[When] = list(dict.fromkeys([on] if isinstance(on, str | date | datetime) else on))
    rates = frame.effective_rate(schedule, imports, dates, by=[by], as_of=as_of)
    if rates.empty:
        raise InvalidInputError("imports", "", "has no rows: there is nothing to draw")
    figure, ax = plt.subplots(figsize=(10, 4.8), layout="constrained")
    moments = {d: _naive(instant(d, schedule.zone, "on"), schedule.zone) for d in dates}
    labels = {_label(d): d for d in dates}
    for group, rows in rates.groupby(by, sort=True):
        xs = [moments[labels[o]] for o in rows["on"]]
        ys = [float("nan") if r is None else float(r) for r in rows["rate"]]
        ax.step(xs, ys, where="post", marker="o", markersize=3, label=str(group))
    ax.set_title(f"Effective rate by {by}")
    ax.set_ylabel("duty, % of the value of known rows")
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    figure.autofmt_xdate()
    fig: matplotlib.figure.Figure = figure
    return fig


def heatmap(
    schedule: Schedule,
    on: When,
    *,
    origins: Sequence[str] = MAJOR_ORIGINS,
    goods: Iterable[str] | None = None,
    as_of: When | None = None,
) -> matplotlib.figure.Figure:
    """Rates by HS section (rows) and origin (columns) on one date.

    A cell is the average total rate of the section's ten-digit lines whose rate is
    known there (each line counts once, not weighted by trade); a cell with no known
    line is grey and marked "n/a".
    """
    plt = _pyplot()
    from tradelaw import frame

    origins = [origins] if isinstance(origins, str) else origins
    goods = [goods] if isinstance(goods, str) else goods
    cells = frame.panel(schedule, [on], goods=goods, origins=origins, as_of=as_of)
    cells["section"] = [hs_section(g) for g in cells["goods"]]
    known = cells[cells["status"] == "ok"]
    sections = [s for s in SECTIONS if s in set(cells["section"])]
    columns = list(dict.fromkeys(cells["origin"]))
    means: dict[tuple[str, str], Decimal] = {}
    for (section, origin), group in known.groupby(["section", "origin"]):
        rates = list(group["total_rate"])
        means[str(section), str(origin)] = sum(rates, Decimal(0)) / len(rates)
    import numpy as np

    grid = np.full((len(sections), len(columns)), np.nan)
    for (section, origin), mean in means.items():
        grid[sections.index(section), columns.index(origin)] = float(mean)
    figure, ax = plt.subplots(
        figsize=(1.6 + 0.62 * len(columns), 1.4 + 0.34 * len(sections)), layout="constrained"
    )
    palette = plt.get_cmap("YlOrRd").with_extremes(bad="#d9d9d9")
    image = ax.imshow(np.ma.masked_invalid(grid), cmap=palette, aspect="auto", vmin=0)
    limit = np.nanmax(grid) if np.isfinite(grid).any() else 1.0
    for i, section in enumerate(sections):
        for j, origin in enumerate(columns):
            cell = means.get((section, origin))
            text = "n/a" if cell is None else f"{cell:.1f}"
            dark = cell is not None and float(cell) > 0.6 * limit
            ax.text(j, i, text, ha="center", va="center", fontsize=7,
                    color="white" if dark else "black")  # fmt: skip
    ax.set_xticks(range(len(columns)), columns)
    ax.set_yticks(range(len(sections)), [f"{s} {SECTIONS[s]}" for s in sections], fontsize=8)
    ax.xaxis.tick_top()
    ax.set_title(f"Average rate of the lines of each section, % ({_label(on)})", fontsize=10)
    figure.colorbar(image, ax=ax, shrink=0.6, label="%")
    fig: matplotlib.figure.Figure = figure
    return fig


# -- pieces -----------------------------------------------------------------------------


def _label(when: When) -> str:
    """A date as the frame functions label it (its text, or its ISO form)."""
    return when if isinstance(when, str) else when.isoformat()


def _naive(moment: datetime, zone_name: str) -> datetime:
    """An instant as the schedule's local wall time (how the law's dates read)."""
    from tradelaw.time import zone

    return moment.astimezone(zone(zone_name)).replace(tzinfo=None)


def _layers(segments: Sequence[Segment]) -> list[str]:
    """The layers applied in any period, the base layer first, then by first appearance."""
    seen: dict[str, None] = {}
    for seg in segments:
        for line in seg.resolution.applied:
            seen.setdefault(line.measure.layer, None)
    return sorted(seen, key=lambda layer: (layer != "mfn", list(seen).index(layer)))


def _layer_rate(segment: Segment, layer: str) -> Decimal:
    resolution = segment.resolution
    if not resolution.is_known:
        return Decimal(0)  # drawn as unknown (hatched), not as a height
    line = resolution.layer(layer)
    return line.rate if line is not None else Decimal(0)


def _colours(plt: Any, layers: list[str]) -> dict[str, Any]:
    palette = plt.get_cmap("tab20")
    return {layer: palette((2 * n) % 20 + (n // 10) % 2) for n, layer in enumerate(layers)}


def _mark_unknown(ax: Any, segments: Sequence[Segment], x: Any) -> None:
    for n, seg in enumerate(segments):
        if seg.resolution.is_known:
            continue
        said = seg.resolution.status
        ax.axvspan(x[n], x[n + 1], facecolor="none", hatch="//", edgecolor="grey", linewidth=0)
        ax.text((x[n] + x[n + 1]) / 2, 0.5, said, ha="center", va="bottom", fontsize=8,
                rotation=90, color="dimgrey")  # fmt: skip


def _mark_changes(ax: Any, segments: Sequence[Segment], x: Any, total: list[float]) -> None:
    """Label each change with the headings it adds and takes away, above the bars.

    Labels sit in the band above the tallest bar (see :func:`timeline`'s limits), in
    lanes: a label goes in the highest lane whose last label is far enough to its left.
    """
    span = float(x[-1] - x[0]) or 1.0
    lanes: list[float] = []  # where each lane's last label starts
    for n in range(1, len(segments)):
        before = set(segments[n - 1].resolution.headings)
        after = set(segments[n].resolution.headings)
        words = [f"+{h}" for h in sorted(after - before)] + [
            f"\N{MINUS SIGN}{h}" for h in sorted(before - after)
        ]
        if not words and total[n] != total[n - 1]:  # the same headings at a new rate
            words = [f"{total[n]:g}%"]
        if not words:
            continue
        lane = next((k for k, at in enumerate(lanes) if (x[n] - at) / span > _LABEL_WIDTH), None)
        if lane is None and len(lanes) < _LANES:
            lane = len(lanes)
            lanes.append(x[n])
        elif lane is None:  # every lane is taken: the one whose last label is oldest
            lane = min(range(_LANES), key=lambda k: lanes[k])
        lanes[lane] = x[n]
        height = 0.97 - lane * 0.09
        ax.axvline(x[n], color="grey", linewidth=0.6, linestyle=":")
        ax.annotate(
            "\n".join(words),
            (x[n], height),
            xycoords=("data", "axes fraction"),
            xytext=(2, 0),
            textcoords="offset points",
            fontsize=7,
            va="top",
            ha="left",
            color="dimgrey",
        )


#: A change label's width, as a share of the time axis, and how many lanes there are.
_LABEL_WIDTH = 0.085
_LANES = 4

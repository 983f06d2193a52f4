"""The figures of tradelaw.plot: what they draw, from the resolver's answers."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from tradelaw import datasets, plot
from tradelaw.errors import MissingExtraError


@pytest.fixture(scope="module")
def us():
    return datasets.load("us")


def test_a_timeline_stacks_each_layer_and_labels_each_change(us):
    figure = plot.timeline(us, "8703.23.01", "JP", "2025-01-01", "2026-06-01")
    ax = figure.axes[0]
    assert ax.get_title() == "8703.23.01 from JP"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["mfn", "s232-autos"]
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["+9903.94.01", "+9903.94.41\n\N{MINUS SIGN}9903.94.01"]
    # The top of the stack is the total rate: 2.5, then 27.5, then 15 (and 15 again
    # where the 2026 edition starts).
    tops = ax.patches[-1].get_data().values.tolist()
    assert tops[:3] == [2.5, 27.5, 15.0]


def test_an_unknown_period_is_marked_not_drawn_as_zero(us):
    figure = plot.timeline(us, "6104.29.20", "VN", "2025-01-01", "2025-06-01")
    ax = figure.axes[0]
    assert "unknown" in [t.get_text() for t in ax.texts]


def test_effective_rates_and_heat_map(us):
    imports = pd.DataFrame(
        {"goods": ["8703.23.01", "9503.00.00"], "origin": ["JP", "CN"], "value": ["100", "100"]}
    )
    figure = plot.effective_rate(us, imports, ["2025-03-01", "2025-05-01"], as_of="2025-12-01")
    lines = {line.get_label(): line.get_ydata().tolist() for line in figure.axes[0].lines}
    assert lines == {"CN": [10.0, 145.0], "JP": [2.5, 27.5]}  # 10% fentanyl until 4 March
    heat = plot.heatmap(us, "2025-10-01", origins=["JP", "CN"], goods=["8703", "9503"])
    ax = heat.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["CN", "JP"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "XVII Vehicles, aircraft",
        "XX Miscellaneous",
    ]


def test_without_matplotlib_the_error_names_the_extra(monkeypatch, us):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingExtraError, match=r"tradelaw\[plot\]"):
        plot.timeline(us, "8703.23.01", "JP", "2025-01-01", "2025-06-01")


def test_one_date_and_one_origin_may_be_given_as_text(us):
    imports = pd.DataFrame({"goods": ["9503.00.00"], "origin": ["CN"], "value": ["100"]})
    figure = plot.effective_rate(us, imports, "2025-05-01", as_of="2025-12-01")
    assert [line.get_ydata().tolist() for line in figure.axes[0].lines] == [[145.0]]
    heat = plot.heatmap(us, "2025-10-01", origins="JP", goods="9503")
    assert [t.get_text() for t in heat.axes[0].get_xticklabels()] == ["JP"]

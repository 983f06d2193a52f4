"""Overlay items that never apply (tradelaw.overlays.idle)."""

from __future__ import annotations

import pytest

from tradelaw import AdValorem, Exemption, Goods, Measure, Origins, Period, Schedule, datasets
from tradelaw.measures import Targets
from tradelaw.overlays import idle

ZONE = "America/New_York"


def measure(
    item_id: str,
    *prefixes: str,
    layer: str = "s232-autos",
    start: str = "2025-04-03",
    priority: int = 0,
) -> Measure:
    return Measure(
        id=item_id,
        goods=Goods.of(*prefixes),
        origins=Origins.all(),
        period=Period.parse(start, zone=ZONE),
        rate=AdValorem("15"),
        layer=layer,
        priority=priority,
    )


def overlay(*items: object) -> Schedule:
    return Schedule(list(items), name="scenario", jurisdiction="US", zone=ZONE)


@pytest.fixture(scope="module")
def us():
    return datasets.load("us")


def test_a_measure_outranked_on_every_line_is_reported_with_the_fix(us):
    [finding] = idle(us, overlay(measure("cars-15", "8703.23")))
    assert finding.item == "cars-15"
    assert "outranked by autos-vehicles" in finding.problem
    assert "8 digits against 6" in finding.problem
    assert (
        finding.hint == "name the same goods as autos-vehicles or give cars-15 a priority above 0"
    )


def test_the_fix_it_names_makes_it_apply(us):
    assert idle(us, overlay(measure("cars-15", "8703.23", priority=1))) == []
    assert idle(us, overlay(measure("cars-15", "8703.23.01"))) == []


def test_a_period_outside_the_base_s_data_is_reported(us):
    [finding] = idle(us, overlay(measure("toys-2040", "9503", layer="toys", start="2040-01-01")))
    assert "is outside the base's data" in finding.problem


def test_a_rule_whose_targets_match_nothing_is_reported(us):
    rule = Exemption(
        id="typo",
        period=Period.parse("2025-04-03", zone=ZONE),
        targets=Targets(measures=("no-such-measure",)),
    )
    [finding] = idle(us, overlay(rule))
    assert finding.problem == "its targets (no-such-measure) match no measure"
    table_layer = Exemption(
        id="no-column-1",
        period=Period.parse("2025-04-03", zone=ZONE),
        targets=Targets(layers=("mfn",)),
    )
    assert idle(us, overlay(table_layer)) == []  # the base layer's lines are measures too


def test_a_measure_that_applies_somewhere_is_not_reported(us):
    # 8703 as a whole is wider than the base's list of passenger vehicles: it applies to
    # some lines (and is outranked on others), so it is not idle.
    assert idle(us, overlay(measure("cars-15", "8703"))) == []

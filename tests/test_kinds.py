import pytest
from attrs import frozen

import tradelaw
from tradelaw import InvalidInputError, Measure, kind, kind_of, kinds


def test_builtin_kinds_are_registered():
    names = kinds()
    for name in (
        "measure",
        "exemption",
        "pause",
        "credit",
        "ad-valorem",
        "top-up",
        "all-of",
        "offset-pool",
    ):
        assert name in names
    assert names["measure"] is Measure


def test_a_custom_kind_registers_and_clashes_are_refused():
    @kind("test-surcharge")
    @frozen(kw_only=True)
    class Surcharge(Measure):
        pass

    assert kinds()["test-surcharge"] is Surcharge
    with pytest.raises(InvalidInputError, match="'measure' is already registered"):

        @kind("measure")
        class Other:
            pass


def test_unregistered_classes_have_no_kind():
    with pytest.raises(InvalidInputError, match="not a registered kind"):
        kind_of(object())


def test_public_api_is_explicit():
    for name in tradelaw.__all__:
        assert getattr(tradelaw, name) is not None
    assert tradelaw.TradelawError in tradelaw.ValidationError.__mro__


def test_plugins_are_found_through_the_entry_point_group(monkeypatch):
    from importlib.metadata import EntryPoint

    import tradelaw.registry as registry

    point = EntryPoint("sample", "plugin_sample", registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "_plugins_loaded", False)
    monkeypatch.setattr(
        "importlib.metadata.entry_points",
        lambda group: [point] if group == point.group else [],
    )
    assert "test-per-vehicle-cap" in kinds()


def test_a_custom_rate_expression_resolves_like_a_builtin():
    from conftest import measure, schedule
    from plugin_sample import PerVehicleCap
    from tradelaw import Entry, Money, RateExpression

    cap = PerVehicleCap(Money("5000", "USD"))
    assert isinstance(cap, RateExpression)
    s = schedule(measure("capped", rate_expr=cap))
    cheap = Entry("8703", "JP", "2025-06-01", Money("10000", "USD"))
    dear = Entry("8703", "JP", "2025-06-01", Money("100000", "USD"))
    assert s.resolve(cheap).total_rate == 25
    assert s.resolve(dear).duty == Money("5000", "USD")
    assert kind_of(cap) == "test-per-vehicle-cap"

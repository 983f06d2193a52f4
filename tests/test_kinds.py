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

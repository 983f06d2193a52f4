import pytest

from tradelaw import (
    EU,
    CountryGroup,
    Goods,
    InvalidInputError,
    Membership,
    Origins,
    Period,
    group,
    instant,
    register_group,
)
from tradelaw.scope import country_code, goods_code

NY = "America/New_York"


@pytest.mark.parametrize(
    ("code", "digits"),
    [
        ("8703.23.01", "87032301"),
        ("87032301", "87032301"),
        ("87", "87"),
        ("8703.23.0100", "8703230100"),
    ],
)
def test_goods_codes_normalise(code, digits):
    assert goods_code(code) == digits


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("87O3", "is not an HS/HTS code"),
        ("870", "has 3 digits"),
        ("87032", "has 5 digits"),
        ("", "is not an HS/HTS code"),
        ("870323011234", "has 12 digits"),
        (8703, "give it as text"),
    ],
)
def test_bad_goods_codes_are_rejected_clearly(bad, message):
    with pytest.raises(InvalidInputError, match=message):
        goods_code(bad)
    with pytest.raises(InvalidInputError):
        Goods.of(bad)


def test_goods_specificity_is_the_longest_matching_prefix():
    g = Goods.of("87", "8703.23", exclude=["8703.23.01.10"])
    assert g.specificity("8703230150") == 6
    assert g.specificity("8708300000") == 2
    assert g.specificity("8703230110") is None
    assert g.specificity("9503000000") is None
    assert Goods.all().specificity("9503000000") == 0
    assert Goods.all(exclude=["95"]).specificity("9503000000") is None


def test_empty_goods_scope_is_an_error():
    with pytest.raises(InvalidInputError, match=r"Goods\.all"):
        Goods.of()


def test_country_codes_are_checked_against_cldr():
    assert country_code("jp") == "JP"
    assert country_code("XK") == "XK"
    for bad in ("XX", "EU", "JPN", "J1", "", "UN", "ZZ", 81):
        with pytest.raises(InvalidInputError, match="ISO 3166-1 alpha-2"):
            country_code(bad)


def test_origins_specificity():
    at = instant("2025-04-09", NY)
    assert Origins.of("JP", "EU").specificity("JP", at) == 2
    assert Origins.of("JP", "EU").specificity("DE", at) == 1
    assert Origins.of("JP", "EU").specificity("US", at) is None
    assert Origins.all().specificity("US", at) == 0
    assert Origins.of("EU", exclude=["DE"]).specificity("DE", at) is None


def test_unknown_origin_term_is_an_error():
    with pytest.raises(
        InvalidInputError, match="'Mercosur' is neither a country code nor a known group"
    ):
        Origins.of("Mercosur")


def test_eu_membership_is_dated():
    assert EU.contains("GB", instant("2020-01-31T23:59:59+01:00", NY))
    assert not EU.contains("GB", instant("2020-02-01T00:00:00+01:00", NY))
    assert not EU.contains("HR", instant("2013-06-30", "Europe/Brussels"))
    assert EU.contains("HR", instant("2013-07-01", "Europe/Brussels"))
    assert len(EU.members_at(instant("2025-04-09", NY))) == 27
    assert len(EU.members_at(instant("2019-12-31", NY))) == 28
    gb_exit = Origins.of("EU")
    assert gb_exit.specificity("GB", instant("2020-01-15", NY)) == 1
    assert gb_exit.specificity("GB", instant("2020-03-01", NY)) is None


def test_custom_groups_register_by_name():
    usmca = CountryGroup(
        "USMCA-test",
        "USMCA parties",
        [Membership(c, Period.parse("2020-07-01", zone=NY)) for c in ("CA", "MX")],
    )
    register_group(usmca)
    assert group("USMCA-test") is usmca
    assert Origins.of("USMCA-test").specificity("MX", instant("2025-01-01", NY)) == 1
    clash = CountryGroup("USMCA-test", "other", [])
    with pytest.raises(InvalidInputError, match="already the name"):
        register_group(clash)

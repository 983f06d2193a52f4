from decimal import Decimal

import pytest

from tradelaw import InvalidInputError, Money
from tradelaw import format as fmt
from tradelaw.examples import japan_us_2025 as jp


@pytest.mark.parametrize(
    ("locale", "rate", "amount", "name"),
    [
        ("en_US", "27.5%", "$11,000.00", "Japan"),
        ("ja_JP", "27.5%", "$11,000.00", "日本"),
        ("de_DE", "27,5\xa0%", "11.000,00\xa0$", "Japan"),
        ("fr-FR", "27,5\xa0%", "11\u202f000,00\xa0$US", "Japon"),
    ],
)
def test_values_follow_the_locale(locale, rate, amount, name):
    assert fmt.percent(Decimal("27.5"), locale) == rate
    assert fmt.money(Money("11000", "USD"), locale) == amount
    assert fmt.country("JP", locale) == name


def test_percent_keeps_every_digit_and_money_rounds_to_the_minor_unit():
    assert fmt.percent(Decimal("0.4375"), "en_US") == "0.4375%"
    assert fmt.money(Money("10.005", "USD"), "en_US") == "$10.01"
    assert fmt.money(Money("1000", "JPY"), "ja_JP") == "￥1,000"


def test_a_bad_locale_is_an_input_error():
    with pytest.raises(InvalidInputError, match="locale: 'xx_YY' is not a locale"):
        fmt.percent(Decimal(1), "xx_YY")


def test_the_same_resolution_in_three_locales():
    resolution = jp.schedule().resolve(jp.car("2025-04-09"))
    en, ja, de = (resolution.format(loc) for loc in ("en_US", "ja_JP", "de_DE"))
    assert en.splitlines()[:2] == [
        "8703.23.01 from Japan (JP), entered Apr 9, 2025, 12:01:00\u202fAM EDT "
        "(Japan–US 2025 (worked example))",
        "Total: 27.5% = $11,000.00 on $40,000.00",
    ]
    assert ja.splitlines()[:2] == [
        "8703.23.01、原産国 日本 (JP)、輸入日時 2025/04/09 0:01:00 EDT"
        "（Japan–US 2025 (worked example)）",
        "関税合計: 27.5% = $11,000.00（課税価格 $40,000.00）",
    ]
    assert de.splitlines()[1] == "Zoll insgesamt: 27,5\xa0% = 11.000,00\xa0$ auf 40.000,00\xa0$"
    # Titles and citations are data: the same in every language.
    assert [line for line in de.splitlines() if "Proclamation 10908" in line] == [
        "              gemäß Proclamation 10908, 90 FR 14705"
    ]
    assert [line for line in ja.splitlines() if "Proclamation 10908" in line] == [
        "              根拠: Proclamation 10908, 90 FR 14705"
    ]

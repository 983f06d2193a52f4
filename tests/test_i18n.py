"""Translated words: the catalogues are complete, compiled, found, and say the same things."""

from __future__ import annotations

import pickle
import string
from decimal import Decimal
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from conftest import measure, schedule
from tradelaw import (
    AdValorem,
    Bounded,
    Compound,
    Entry,
    Free,
    Money,
    Reason,
    Specific,
    TopUp,
    UnknownRate,
)
from tradelaw._i18n import LOCALE_DIR, Text, _, catalogue
from tradelaw.cli import main
from tradelaw.examples import japan_us_2025 as jp
from tradelaw.resolution import _REASONS, _Localized, _Plain, _rate

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "tradelaw" / "locale"
GOLDEN = Path(__file__).parent / "golden" / "cli"
LANGUAGES = ("de", "ja")
WORKED = ("--dataset", "japan-us-2025")  # the worked example, whatever the default


def extracted() -> dict[str, list[str]]:
    """The messages marked in the source now, with where they are (as `make messages`)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        assert isinstance(message, str), f"{filename}:{lineno}: plural forms are not used"
        found.setdefault(message, []).append(f"{filename}:{lineno}")
    return found


def read(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.fixture(scope="module")
def messages() -> dict[str, list[str]]:
    return extracted()


# -- golden output ----------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en_US", "ja_JP", "de_DE"])
def test_the_same_resolution_in_three_locales_is_golden(locale: str):
    """The library's text is the command's (tests/test_cli.py checks the same files)."""
    entry = jp.car("2025-06-10", us_auto_investment=Money("50000000000", "USD"))
    text = jp.schedule().resolve(entry).format(locale) + "\n"
    assert text == (GOLDEN / f"rate_car_credit_{locale}.txt").read_text(encoding="utf-8")


def test_explain_and_english_locales_say_the_same_words():
    resolution = jp.schedule().resolve(jp.toy("2025-04-09"), as_of="2025-04-01")
    plain, english = resolution.explain(), resolution.format("en_US")
    for word in ("entered", "as known at", "Total:", "Applied:", "under", "layer", "Skipped:"):
        assert word in plain
        assert word in english
    assert "outranked by jp-reciprocal" in english


# -- the catalogues ---------------------------------------------------------------------


def test_the_template_has_every_marked_message(messages: dict[str, list[str]]):
    """`make messages` was run after the last change to a marked message."""
    template = {m.id for m in read(SOURCE / "tradelaw.pot") if m.id}
    assert set(messages) - template == set(), "new messages: run `make messages`"
    assert template - set(messages) == set(), "messages no longer used: run `make messages`"


def test_the_shipped_languages():
    assert sorted(p.name for p in SOURCE.iterdir() if p.is_dir()) == sorted(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_message_is_translated(language: str, messages: dict[str, list[str]]):
    catalog = read(SOURCE / language / "LC_MESSAGES" / "tradelaw.po")
    problems = []
    for message, where in sorted(messages.items()):
        entry = catalog.get(message)
        if entry is None or not entry.string:
            problems.append(f"{where[0]}: {message!r} is not translated")
        elif entry.fuzzy:
            problems.append(f"{where[0]}: {message!r} is fuzzy (check it, remove the flag)")
        elif fields(entry.string) != fields(message):
            problems.append(f"{where[0]}: {entry.string!r} has other placeholders")
        else:
            assert isinstance(entry.string, str)
            entry.string.format_map(dict.fromkeys(fields(message), "x"))  # well formed
    po = f"src/tradelaw/locale/{language}/LC_MESSAGES/tradelaw.po"
    assert not problems, f"`make messages`, then in {po}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogues_are_found(language: str):
    mo = LOCALE_DIR / language / "LC_MESSAGES" / "tradelaw.mo"
    assert mo.exists(), f"{mo} is missing: reinstall (pip install -e .) or `make messages`"
    words = catalogue(Locale.parse(language))
    assert words.gettext("Applied:") != "Applied:"


def test_a_result_formatted_in_german_and_japanese_reads_the_catalogue():
    resolution = jp.schedule().resolve(jp.car("2025-04-09"))
    assert "Zoll insgesamt: 27,5\xa0%" in resolution.format("de_DE")
    assert "関税合計: 27.5%" in resolution.format("ja_JP")
    assert "Angewandt:" in resolution.format("de_AT")  # a locale reads its language


def test_a_locale_without_a_catalogue_reads_english_with_its_own_values():
    text = jp.schedule().resolve(jp.car("2025-04-09")).format("fr_FR")
    assert (
        text.splitlines()[1] == "Total: 27,5\xa0% = 11\u202f000,00\xa0$US on 40\u202f000,00\xa0$US"
    )
    assert "Skipped:" in text


# -- what the words say -----------------------------------------------------------------


def test_every_reason_has_words_that_are_its_value():
    assert {reason: str(reason) for reason in Reason} == _REASONS


@pytest.mark.parametrize(
    "rate",
    [
        AdValorem("2.5"),
        Free(),
        Specific(Money("0.034", "USD"), "kg"),
        Compound((AdValorem("2"), Specific(Money("0.1", "USD"), "kg"))),
        Bounded(AdValorem("10"), minimum=AdValorem("2"), maximum=AdValorem("20")),
        TopUp("15"),
        UnknownRate("See 9903.88.15"),
    ],
)
def test_rates_in_words_read_as_their_own_text_in_english(rate):
    assert _rate(_Plain(), rate) == str(rate)
    assert _rate(_Localized("en_US"), rate) == str(rate)


def test_rates_and_unknown_lines_in_german():
    s = schedule(
        measure("base", layer="mfn", rate_expr=Free()),
        measure("floor", layer="extra", rate_expr=TopUp("15")),
        measure("per-kg", layer="weight", rate_expr=Specific(Money("0.5", "USD"), "kg")),
    )
    resolution = s.resolve(Entry("7208.10.15", "JP", "2025-06-01", Money("100", "USD")))
    text = resolution.format("de_DE")
    assert "frei auf den Zollwert 100,00\xa0$ = 0,00\xa0$" in text
    assert "15\xa0% einschließlich mfn auf den Zollwert" in text
    assert "Zoll insgesamt: unbekannt auf 100,00\xa0$" in text
    assert (
        "weight: per-kg: unbekannt: USD 0.5/kg erfordert die Menge in kg (--quantity N kg), "
        "die Anmeldung enthält keine"
    ) in text
    assert "per-kg: unknown: USD 0.5/kg needs the quantity in kg" in resolution.explain()


def test_a_text_is_its_english_and_travels_with_its_message():
    text = _("{cut} points off the rate, floor {floor}%", cut=Decimal("5"), floor=Decimal("15"))
    assert text == "5 points off the rate, floor 15%"
    copy = pickle.loads(pickle.dumps(text))
    assert (copy, copy.message, copy.values) == (text, text.message, text.values)
    assert isinstance(copy, Text)
    german = catalogue(Locale.parse("de"))
    assert copy.say(german) == "Satz um 5 Prozentpunkte gesenkt, Untergrenze 15 %"


# -- the command ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_hts_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRADELAW_HTS", raising=False)


def test_timeline_words_in_japanese_keep_the_columns(capsys: pytest.CaptureFixture[str]):
    args = ["timeline", "9503.00.00", "--origin", "JP", "--from", "2025-04-01", *WORKED]
    assert main([*args, "--to", "2025-04-10", "--locale", "ja_JP"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        "9503.00.00、原産国 JP（Japan–US 2025 (worked example)）",
        "開始              終了                  税率  税番",
        "2025-04-01        2025-04-05              0%  9503.00.00",
    ]


def test_rate_note_without_a_value_in_german(capsys: pytest.CaptureFixture[str]):
    args = ["rate", "9503.00.00", "--origin", "JP", "--on", "2025-04-09", *WORKED]
    assert main([*args, "--locale", "de"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "(ohne --value: Beträge bezogen auf 100,00\xa0$; für den Zollbetrag --value angeben)"
    )

"""Special programmes: a claim names its programme by symbol or by name."""

from __future__ import annotations

import pytest

from tradelaw.conditions import Claim
from tradelaw.programmes import PROGRAMMES, programme


@pytest.mark.parametrize(
    ("claimed", "listed"),
    [
        ("KORUS", ("KR",)), ("kr", ("KR",)), ("USMCA", ("S", "S+")), ("CUSMA", ("S+",)),
        ("S", ("S+",)), ("GSP", ("A+",)), ("A", ("A*",)), ("A*", ("A",)),
        ("CAFTA-DR", ("P",)), ("AGOA", ("D",)), ("USJTA", ("JP",)),
    ],
)  # fmt: skip
def test_a_programme_is_claimed_by_any_of_its_symbols_or_names(claimed: str, listed):
    assert Claim(listed).evaluate({"claim": claimed}, "UTC") is True


@pytest.mark.parametrize(
    ("claimed", "listed"), [("KORUS", ("S",)), ("JP", ("KR",)), ("X", ("A",))]
)
def test_another_programme_is_not_the_one_listed(claimed: str, listed):
    assert Claim(listed).evaluate({"claim": claimed}, "UTC") is False


def test_no_claim_is_not_a_claim():
    assert Claim(("KR",)).evaluate({}, "UTC") is False


def test_a_programme_unknown_to_tradelaw_compares_as_written():
    assert Claim(("ZZ",)).evaluate({"claim": "zz"}, "UTC") is True


def test_every_symbol_and_name_belongs_to_one_programme():
    spellings = [s.casefold() for p in PROGRAMMES for s in (*p.symbols, *p.names, p.name)]
    assert len(spellings) == len(set(spellings))
    assert programme("USMCA") is programme("S+")


def test_the_docs_table_lists_every_programme():
    from pathlib import Path

    page = (Path(__file__).parents[1] / "docs" / "howto" / "import-hts.md").read_text("utf-8")
    for p in PROGRAMMES:
        assert f"| {', '.join(f'`{s}`' for s in p.symbols)} | {p.name} |" in page, p.name

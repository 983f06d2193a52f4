"""The `us` dataset against Chapter 99: every heading encoded, or listed with a reason why not.

Reads the text of Chapter 99 (../shared/data/hts/chapter99_notes_2026_rev_6.txt) and skips,
saying why, when it is absent.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from chapter99 import headings
from tradelaw import Measure, datasets

TEXT = Path(__file__).resolve().parents[2] / "shared" / "data" / "hts"
NOTES = TEXT / "chapter99_notes_2026_rev_6.txt"
NOT_ENCODED = Path(datasets.__file__).parent / "us" / "not_encoded.csv"
_NUMBER = r"99\d\d\.\d\d\.\d\d"
_CITED = re.compile(rf"({_NUMBER})(?:-({_NUMBER}))?")


@pytest.fixture(scope="module")
def defined() -> dict[str, str]:
    if not NOTES.is_file():
        pytest.skip(f"{NOTES} is not here (the Chapter 99 text lives in ../shared/data/hts)")
    return headings(NOTES)


def _encoded(order: list[str]) -> set[str]:
    """Headings a measure is reported under, or that an exemption or pause cites.

    An exemption or pause has no heading of its own; the HTSUS headings its citations name
    (``HTSUS 9903.02.84, 9903.02.89``, ranges such as ``9903.79.03-9903.79.09``) are the
    ones it encodes.
    """
    us = datasets.load("us")
    found = {item.heading for item in us.items if isinstance(item, Measure)}
    for item in us.items:
        if isinstance(item, Measure):
            continue
        for citation in item.citations:
            if not citation.startswith("HTSUS"):
                continue
            for first, last in _CITED.findall(citation):
                if last and first in order and last in order:
                    found.update(order[order.index(first) : order.index(last) + 1])
                else:
                    found.add(first)
    return found


def _listed(order: list[str]) -> dict[str, str]:
    """The not-encoded table, its ranges expanded over the headings the text defines."""
    listed: dict[str, str] = {}
    with NOT_ENCODED.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            first, _, last = row["headings"].partition("-")
            start, end = order.index(first), order.index(last or first)
            assert start <= end, row["headings"]
            assert row["reason"].strip(), row["headings"]
            for heading in order[start : end + 1]:
                assert heading not in listed, f"{heading} is listed twice"
                listed[heading] = row["reason"]
    return listed


def test_the_text_defines_the_headings_of_subchapters_iii_and_iv(defined):
    order = list(defined)
    assert (len(order), order[0], order[-1]) == (999, "9903.01.01", "9904.52.50")
    assert sum(sub == "III" for sub in defined.values()) == 487


def test_every_heading_is_encoded_or_listed_with_a_reason(defined):
    encoded, listed = _encoded(list(defined)), _listed(list(defined))
    missing = [h for h in defined if h not in encoded and h not in listed]
    assert missing == [], f"neither encoded nor listed in {NOT_ENCODED.name}: {missing}"


def test_no_heading_is_both_encoded_and_listed_as_not_encoded(defined):
    both = sorted(set(_listed(list(defined))) & _encoded(list(defined)))
    assert both == [], f"encoded, yet listed in {NOT_ENCODED.name}: {both}"

"""The parse cache: same data as parsing, keyed by the text, never trusted blindly."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tradelaw import _cache, datasets
from tradelaw.io import load

TEXT = 'format = "tradelaw/1"\nname = "x"\n[facts.vessel]\ntype = "text"\n'


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(_cache.CACHE_VARIABLE, str(tmp_path))
    return tmp_path


def test_a_second_parse_reads_the_cache_not_the_toml(folder: Path, monkeypatch):
    first = _cache.parse_toml(TEXT)
    assert first == tomllib.loads(TEXT)
    assert len(list(folder.glob("*.json"))) == 1

    def no_parsing(text: str) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(tomllib, "loads", no_parsing)
    assert _cache.parse_toml(TEXT) == first


def test_another_text_is_another_entry(folder: Path):
    _cache.parse_toml(TEXT)
    assert _cache.parse_toml('zone = "UTC"\n' + TEXT)["zone"] == "UTC"
    assert len(list(folder.glob("*.json"))) == 2


@pytest.mark.parametrize("stored", ["{ not json", "[1, 2]", ""])
def test_an_unreadable_entry_is_parsed_again_and_replaced(folder: Path, stored: str):
    _cache.parse_toml(TEXT)
    (entry,) = folder.glob("*.json")
    entry.write_text(stored, encoding="utf-8")
    assert _cache.parse_toml(TEXT) == tomllib.loads(TEXT)
    assert entry.read_text(encoding="utf-8").startswith("{")


def test_data_json_cannot_hold_is_parsed_but_not_cached(folder: Path):
    assert _cache.parse_toml("when = 2025-04-05T00:01:00-04:00\n")["when"].year == 2025
    assert not list(folder.iterdir())


def test_the_empty_variable_turns_the_cache_off(tmp_path: Path, monkeypatch):
    monkeypatch.setenv(_cache.CACHE_VARIABLE, "")
    monkeypatch.chdir(tmp_path)
    assert _cache.directory() is None
    assert _cache.parse_toml(TEXT) == tomllib.loads(TEXT)
    assert not list(tmp_path.iterdir())


def test_an_unwritable_directory_only_costs_the_saving(tmp_path: Path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv(_cache.CACHE_VARIABLE, str(blocked / "cache"))
    assert _cache.parse_toml(TEXT) == tomllib.loads(TEXT)


def test_bad_toml_is_still_an_error(folder: Path):
    with pytest.raises(tomllib.TOMLDecodeError):
        _cache.parse_toml("name = \n")
    assert not list(folder.iterdir())


def test_the_us_dataset_loads_the_same_from_the_cache(folder: Path, monkeypatch):
    index = Path(datasets.__file__).parent / "us" / "index.toml"
    cold = load(index)
    assert len(list(folder.glob("*.json"))) == len(list(index.parent.glob("*.toml")))
    monkeypatch.setattr(tomllib, "loads", lambda text: pytest.fail("parsed again"))
    assert load(index) == cold


def test_the_cache_is_bounded_and_keeps_what_was_used_last(folder: Path, monkeypatch):
    import os
    import time

    monkeypatch.setattr(_cache, "MAX_BYTES", 300)
    texts = [f'format = "tradelaw/1"\nname = "x{n}"\nnote = "{"y" * 40}"\n' for n in range(8)]
    _cache.parse_toml(texts[0])
    first = next(folder.glob("*.json"))
    for number, text in enumerate(texts[1:], start=1):
        past = time.time() - 100 + number
        for entry in folder.glob("*.json"):  # older than any use to come
            if entry != first:
                os.utime(entry, (past, past))
        _cache.parse_toml(texts[0])  # the first entry is used again: it stays
        _cache.parse_toml(text)
    sizes = [entry.stat().st_size for entry in folder.glob("*.json")]
    assert sum(sizes) <= 300
    assert first.exists()
    assert len(sizes) < len(texts)

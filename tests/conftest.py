"""Shared helpers for the unit tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tradelaw import AdValorem, Goods, Measure, Origins, Period, Schedule

ZONE = "America/New_York"


def on(start: str, end: str | None = None) -> Period:
    return Period.parse(start, end, zone=ZONE)


def measure(id: str, layer: str = "x", rate: str = "10", **kw: Any) -> Measure:
    kw.setdefault("period", on("2025-01-01"))
    kw.setdefault("goods", Goods.all())
    kw.setdefault("origins", Origins.all())
    return Measure(id=id, layer=layer, rate=kw.pop("rate_expr", AdValorem(rate)), **kw)


def schedule(*items: Any) -> Schedule:
    return Schedule(items, name="test", jurisdiction="US", zone=ZONE)


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the parse cache of the tests (and the commands they run) out of the home."""
    before = os.environ.get("TRADELAW_CACHE_DIR")
    os.environ["TRADELAW_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        del os.environ["TRADELAW_CACHE_DIR"]
    else:
        os.environ["TRADELAW_CACHE_DIR"] = before

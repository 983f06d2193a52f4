"""Shared helpers for the unit tests."""

from __future__ import annotations

from typing import Any

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

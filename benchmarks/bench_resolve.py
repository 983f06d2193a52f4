"""Benchmark: the indexed resolver against the naive reference resolver.

Builds a synthetic schedule of 20,000 measures (plus pauses and exemptions) over goods
prefixes taken from the official HTS export when ``../shared/data/hts`` has one (else
generated), origins (countries, the EU, all), and periods over 2025–2026; resolves
100,000 entries on one core, and prints resolutions per second for the indexed resolver
(with and without rendering ``explain()``) and for the naive reference (timed on a
sample, since it scans every item for every entry), and their ratio.

Targets (issue 2): indexed ≥ 50× naive; ≥ 20,000 explained resolutions per second.

Run: ``make bench`` or ``python benchmarks/bench_resolve.py [--measures N] [--entries N]``.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from reference import reference_resolve  # noqa: E402
from tradelaw import (  # noqa: E402
    AdValorem,
    Entry,
    Exemption,
    Goods,
    Measure,
    Money,
    Origins,
    Pause,
    Period,
    Schedule,
    Targets,
)

ZONE = "America/New_York"
HTS = ROOT.parent / "shared" / "data" / "hts" / "hts_2025_revision_13.csv"
COUNTRIES = ["JP", "CN", "DE", "FR", "IT", "KR", "MX", "CA", "VN", "IN", "GB", "BR", "CH", "TW"]
LAYERS = [f"layer-{i:02d}" for i in range(12)]
# Most measures name tariff lines (8 or 10 digits, like column 1 rates and annex lists);
# fewer name subheadings, headings or chapters.
PREFIX_LENGTHS = (2, 4, 6, 8, 10)
PREFIX_WEIGHTS = (2, 10, 18, 50, 20)


def real_codes() -> list[str]:
    """Ten-digit codes of the official HTS export, or generated ones without it."""
    if HTS.exists():
        with HTS.open(encoding="utf-8-sig", newline="") as handle:
            codes = [row["HTS Number"].replace(".", "") for row in csv.DictReader(handle)]
        codes = [c for c in codes if len(c) == 10 and c.isdigit()]
        if codes:
            return codes
    rng = random.Random(1)
    return [f"{rng.randrange(1, 98):02d}{rng.randrange(10**8):08d}" for _ in range(30_000)]


def build(measures: int, codes: list[str], rng: random.Random) -> Schedule:
    start = Period.parse("2025-01-01", zone=ZONE).start
    items: list[object] = []
    for i in range(measures):
        code = rng.choice(codes)
        prefix = code[: rng.choices(PREFIX_LENGTHS, PREFIX_WEIGHTS)[0]]
        kind = rng.random()
        origins = (
            Origins.all()
            if kind < 0.4
            else Origins.of("EU")
            if kind < 0.5
            else Origins.of(*rng.sample(COUNTRIES, rng.randint(1, 3)))
        )
        begin = start + timedelta(days=rng.randrange(0, 700))
        end = None if rng.random() < 0.5 else begin + timedelta(days=rng.randrange(1, 300))
        items.append(
            Measure(
                id=f"m{i}",
                heading=f"9903.{i // 100:02d}.{i % 100:02d}",
                citations=(f"Synthetic instrument {i}",),
                goods=Goods.of(prefix),
                origins=origins,
                period=Period(begin, end),
                rate=AdValorem(str(rng.choice((0, 2.5, 10, 15, 25, 50)))),
                layer=rng.choice(LAYERS),
                priority=i,  # unique: no ties, so every entry resolves
            )
        )
    for i in range(measures // 100):
        begin = start + timedelta(days=rng.randrange(0, 700))
        period = Period(begin, begin + timedelta(days=rng.randrange(1, 120)))
        goods = Goods.of(rng.choice(codes)[:4])
        target = Targets(layers=(rng.choice(LAYERS),))
        rule = Pause if i % 2 else Exemption
        items.append(rule(id=f"r{i}", goods=goods, period=period, targets=target))
    return Schedule(items, name="synthetic", jurisdiction="US", zone=ZONE)  # type: ignore[arg-type]


def entries(count: int, codes: list[str], rng: random.Random) -> list[Entry]:
    start = Period.parse("2025-01-01", zone=ZONE).start
    origins = [*COUNTRIES, "US", "NZ", "ZA"]
    return [
        Entry(
            rng.choice(codes),
            rng.choice(origins),
            start + timedelta(hours=rng.randrange(0, 24 * 730)),
            Money(str(rng.randrange(100, 100_000)), "USD"),
        )
        for _ in range(count)
    ]


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--measures", type=int, default=20_000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--naive-sample", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    codes = real_codes()
    began = time.perf_counter()
    schedule = build(args.measures, codes, rng)
    built = time.perf_counter() - began
    batch = entries(args.entries, codes, rng)
    source = "official HTS export" if HTS.exists() else "generated codes"
    print(f"schedule: {len(schedule.items):,} items over {source}; built in {built:.2f} s")

    began = time.perf_counter()
    applied = 0
    for entry in batch:
        applied += len(schedule.resolve(entry).applied)
    indexed = rate(len(batch), time.perf_counter() - began)

    began = time.perf_counter()
    for entry in batch:
        schedule.resolve(entry).explain()
    explained = rate(len(batch), time.perf_counter() - began)

    sample = batch[: args.naive_sample]
    began = time.perf_counter()
    for entry in sample:
        reference_resolve(schedule, entry)
    naive = rate(len(sample), time.perf_counter() - began)

    print(f"entries: {len(batch):,}; applied lines: {applied:,}")
    print(f"indexed resolver:            {indexed:>12,.0f} resolutions/s")
    print(f"indexed resolver + explain(): {explained:>11,.0f} resolutions/s")
    print(f"naive reference ({len(sample)} sampled): {naive:>8,.0f} resolutions/s")
    print(f"ratio indexed / naive:        {indexed / naive:>11,.0f}x")

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    print(f"target ratio >= 50x: {verdict(indexed / naive >= 50)}")
    print(
        "target >= 20,000 explained resolutions/s (resolve: lines, reasons, citations): "
        + verdict(indexed >= 20_000)
    )
    print(f"the same, also rendering explain() text: {verdict(explained >= 20_000)}")


if __name__ == "__main__":
    main()

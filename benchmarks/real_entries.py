"""Entries with a real distribution, for benchmarks and equivalence checks on the `us` dataset.

Goods are random ten-digit lines of the HTS edition in force on the entry's date (from the
dataset's own base-layer tables, so ``../shared`` is not needed); origins are 40 countries
weighted toward the largest US suppliers; dates are spread over 2025-2026; values are
log-uniform from $100 to $1M; a quantity is declared, in the unit of the line's rate, when
the line has a specific rate, as an importer would.

The weights are rough shares of US goods imports in 2024 (USD billions, rounded), to make the
mix of origins realistic; they are not data the library relies on.

Use: ``real_entries(schedule, n, seed)`` returns a list of :class:`tradelaw.Entry`.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from decimal import Decimal

from tradelaw import Entry, Money, Quantity, Schedule
from tradelaw.errors import TradelawError
from tradelaw.units import unit

SUPPLIERS = {
    "MX": 506, "CN": 439, "CA": 413, "DE": 160, "JP": 148, "VN": 137, "KR": 132, "TW": 116,
    "IE": 104, "IN": 87, "IT": 76, "GB": 68, "CH": 63, "TH": 63, "FR": 61, "MY": 53, "SG": 43,
    "BR": 42, "NL": 34, "ID": 28, "BE": 26, "IL": 22, "ES": 21, "CO": 18, "TR": 17, "AU": 16,
    "CL": 16, "AT": 15, "SE": 15, "PH": 14, "SA": 13, "KH": 13, "DK": 12, "PL": 11, "PE": 10,
    "EC": 9, "BD": 8, "AR": 7, "GT": 5, "SV": 3,
}  # fmt: skip
FIRST, LAST = date(2025, 1, 1), date(2026, 12, 31)
_PER_UNIT = re.compile(r"/\s*([A-Za-z][A-Za-z. 0-9]*?)(?=\s*(?:\+|$|\())")


def _lines(schedule: Schedule) -> list[tuple[date, list[tuple[str, str]]]]:
    """Per edition: its start and its ten-digit lines with the rate text that rates them."""
    out = []
    for table in schedule.tables:
        for edition in getattr(table, "editions", ()):
            lines = list(edition._lines.under(""))  # a private table, read by a benchmark helper
            rated: dict[str, str] = {}
            for line in lines:
                if line.general:
                    rated[line.code] = line.general
            tens = []
            for line in lines:
                if len(line.code) == 10:
                    rate = line.general or rated.get(line.code[:8], "")
                    tens.append((line.code, rate))
            out.append((date.fromisoformat(edition.day), tens))
    return sorted(out)


def _unit(rate: str) -> str | None:
    found = _PER_UNIT.search(rate)
    if not found:
        return None
    try:
        return unit(found.group(1).strip())
    except TradelawError:
        return None


def real_entries(schedule: Schedule, n: int, seed: int = 0) -> list[Entry]:
    """``n`` entries of the real distribution described above, reproducible by ``seed``."""
    rng = random.Random(seed)
    editions = _lines(schedule)
    origins, weights = list(SUPPLIERS), list(SUPPLIERS.values())
    days = (LAST - FIRST).days + 1
    entries = []
    for _ in range(n):
        entered = FIRST + timedelta(days=rng.randrange(days))
        lines = next(ls for start, ls in reversed(editions) if start <= entered)
        code, rate = rng.choice(lines)
        value = Decimal(round(10 ** rng.uniform(2, 6), 2)).quantize(Decimal("0.01"))
        per = _unit(rate)
        quantity = Quantity(Decimal(rng.randrange(1, 10_000)), per) if per else None
        entries.append(
            Entry(
                code,
                rng.choices(origins, weights)[0],
                entered,
                Money(value, "USD"),
                quantity=quantity,
            )
        )
    return entries

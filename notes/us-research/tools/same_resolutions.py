"""Check that two copies of the `us` dataset resolve alike (issue 12: the tradelaw/2 rewrite).

Run: ``.venv/bin/python notes/us-research/tools/same_resolutions.py OLD_INDEX [N]``, where
OLD_INDEX is the index.toml of the older copy (e.g. from ``git archive``). Resolves N
(default 20,000) real-distribution entries (benchmarks/real_entries.py) and every golden case
under both, latest and as filed, and prints the rows whose total, duty, applied headings,
status or message differ.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests")]
from real_entries import real_entries  # noqa: E402
from tradelaw import datasets, load  # noqa: E402
from tradelaw.errors import TradelawError  # noqa: E402


def outcome(schedule, entry, as_of=None):
    try:
        r = schedule.resolve(entry, as_of=as_of)
    except TradelawError as error:
        return ("error", type(error).__name__, str(error))
    if r.unknown or r.prohibited:
        return ("unknown", tuple((u.measure and u.measure.id, u.reason) for u in r.unknown),
                tuple(m.id for m in r.prohibited))
    return (r.total_rate, r.duty, tuple((a.measure.id, a.duty) for a in r.applied),
            tuple((s.item.id, s.reason, s.detail) for s in r.skipped), r.explain())


old = load(sys.argv[1])
new = datasets.load("us")
n = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
entries = real_entries(new, n, seed=12)
diff = 0
for entry in entries:
    for as_of in (None, "2025-06-01", "2026-03-01"):
        a, b = outcome(old, entry, as_of), outcome(new, entry, as_of)
        if a != b:
            diff += 1
            if diff <= 10:
                print(entry, as_of, a, b, sep="\n  ")
print(f"{n} entries x 3 knowledge times: {diff} differ")

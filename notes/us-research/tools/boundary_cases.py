"""Draft golden cases for the boundaries and measures the golden files do not cover yet (issue 12).

Run: ``.venv/bin/python notes/us-research/tools/boundary_cases.py OUT.csv``. For each measure
that no golden case applies, and each start or end of a measure with no golden case on the day
before and the day of (golden_coverage.py), it looks for an entry the measure reaches: a real
ten-digit line under one of its codes, an origin of its scope, facts that meet its condition,
knowledge time inside the version's ``recorded``. It keeps the pair (day before, day of) when
the measure applies on the inside day and not on the outside one, and writes both rows with
what the dataset answers, citing the measure's instrument and the boundary.

The rows are a draft: each pair says "this heading starts (or ends) at 12:01 a.m. Eastern on
this day, as the cited instrument says", which is what the review checks, row by row.
"""
import csv
import subprocess
import sys
import json
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests"))
from tradelaw import Entry, Measure, Money, Quantity, datasets  # noqa: E402
from tradelaw.conditions import AllOf, AnyOf, Claim, Compare, Not, OneOf, Present  # noqa: E402
from tradelaw.errors import TradelawError  # noqa: E402
from tradelaw.time import instant  # noqa: E402

ZONE = "America/New_York"
ANY_ORIGINS = ["CN", "JP", "DE", "VN", "IN", "BR", "GB", "KR", "CH", "MX", "CA", "TH", "RU"]
EU = ["DE", "FR", "IT", "NL", "IE"]
# facts that other items of a measure's layer ask for before it can apply
EXTRA = [{"passenger_vehicle_part": "false"}, {"pharma_annex_iii": "true"}, {"pharma_annex_iii": "false"}, {"metal_melted_in": "US"}]

us = datasets.load("us")
editions = [e for t in us.tables for e in t.editions]


def lines_under(prefix, day):
    edition = max((e for e in editions if date.fromisoformat(e.day) <= day), key=lambda e: e.day)
    found = [l.code for l in edition._lines.under(prefix) if len(l.code) == 10]
    return found or [prefix]


def satisfy(condition):
    """Facts (as golden-case text) that meet ``condition``, or None."""
    if condition is None:
        return {}
    if isinstance(condition, Compare):
        v = condition.value
        text = str(v).lower() if isinstance(v, bool) else str(v)
        if condition.op in ("==", "<=", ">="):
            return {condition.fact: text}
        if condition.op == "<" and isinstance(v, int):
            return {condition.fact: str(v - 1)}
        if condition.op == ">" and isinstance(v, int):
            return {condition.fact: str(v + 1)}
        if condition.op == "!=" and isinstance(v, bool):
            return {condition.fact: str(not v).lower()}
        return None
    if isinstance(condition, OneOf):
        return {condition.fact: str(condition.values[0])}
    if isinstance(condition, Claim):
        return {"claim": condition.programmes[0]}
    if isinstance(condition, AllOf):
        out = {}
        for c in condition.conditions:
            f = satisfy(c)
            if f is None:
                return None
            out |= f
        return out
    if isinstance(condition, AnyOf):
        for c in condition.conditions:
            f = satisfy(c)
            if f is not None:
                return f
        return None
    if isinstance(condition, Not):
        return {}
    if isinstance(condition, Present):
        kind = us.declared_facts[condition.fact].type if condition.fact in us.declared_facts else ""
        return {condition.fact: {"money": "2500", "boolean": "true", "decimal": "50"}.get(str(kind), "2500")}
    return None


def origins_of(m, at):
    terms = m.origins.terms
    if not terms:
        pool = ANY_ORIGINS
    else:
        pool = []
        for t in terms:
            pool += [t] if isinstance(t, str) else EU
    return [o for o in pool if m.origins.specificity(o, at) is not None][:4]


def facts_text(facts):
    return ";".join(f"{k}={v}" for k, v in facts.items())


def entry(goods, origin, day, facts):
    declared = us.declared_facts
    parsed = {k: declared[k].parse(v) for k, v in facts.items()}
    return Entry(goods, origin, day, Money("10000", "USD"), None, parsed)


def outcome(e, as_of):
    try:
        r = us.resolve(e, as_of=as_of)
    except TradelawError:
        return None
    if r.is_prohibited:
        rate = "prohibited"
    elif not r.is_known:
        return None
    else:
        rate = str(r.total_rate.normalize()) if r.total_rate == r.total_rate.to_integral() else str(r.total_rate)
        if "E" in rate:
            rate = str(int(r.total_rate))
    ids = {a.measure.id for a in r.applied} | {m.id for m in r.prohibited}
    return rate, " ".join(sorted(r.headings)), ids


def local(moment):
    return moment.astimezone(instant("2025-01-01", ZONE).tzinfo).date()


def candidates(m, inside):
    at = instant(inside, ZONE)
    facts = satisfy(m.condition)
    if facts is None:
        return
    prefixes = [p for p in m.goods.prefixes] or ["8471", "9503", "6109", "8708"]
    for prefix in prefixes[:40]:
        for code in lines_under(prefix, inside)[:3]:
            if m.goods.specificity(code) is None:
                continue
            for origin in origins_of(m, at):
                yield code, origin, facts
                for extra in EXTRA:
                    yield code, origin, facts | extra


def as_of_for(m):
    versions = us.versions(m.id)
    if m is versions[-1] or m.recorded is None:
        return None
    return m.recorded.start.astimezone(instant("2025-01-01", ZONE).tzinfo).isoformat()


def find_pair(mid, kind, day):
    for m in us.versions(mid):
        if m.void or not isinstance(m, Measure):
            continue
        point = m.period.start if kind == "start" else m.period.end
        if point is None or local(point) != day:
            continue
        before = day - timedelta(days=1)
        inside = day if kind == "start" else before
        as_of = as_of_for(m)
        for code, origin, facts in candidates(m, inside):
            rows = {}
            for d in (before, day):
                rows[d] = outcome(entry(code, origin, d, facts), as_of)
            if rows[inside] is None or mid not in rows[inside][2]:
                continue
            outside = day if inside == before else before
            if rows[outside] is None or mid in rows[outside][2]:
                continue
            return m, code, origin, facts, as_of, rows
    return None


def find_inside(mid):
    """One entry the measure applies to, on the day after it starts (for measures whose
    boundaries cannot make a pair: the dataset starts on 1 January 2025)."""
    for m in us.versions(mid):
        if m.void or not isinstance(m, Measure):
            continue
        day = local(m.period.start) + timedelta(days=1)
        for code, origin, facts in candidates(m, day):
            found = outcome(entry(code, origin, day, facts), as_of_for(m))
            if found is not None and mid in found[2]:
                return m, code, origin, facts, as_of_for(m), {day: found}, day
    return None


def main(out):
    Path(out).unlink(missing_ok=True)  # what the other golden files leave uncovered
    subprocess.run([sys.executable, str(Path(__file__).parent / "golden_coverage.py"), "--json", "/tmp/cov.json"],
                   check=True, capture_output=True)
    cov = json.loads(Path("/tmp/cov.json").read_text())
    # the dataset (and its base layer) starts on 1 January 2025: earlier boundaries have no
    # answer to test
    targets = [(mid, kind, date.fromisoformat(day)) for mid, kind, day, _ in cov["missing"]
               if day > "2025-01-01"]
    for mid in cov["uncovered"]:
        if not any(t[0] == mid for t in targets):
            m = us.versions(mid)[-1]
            targets.append((mid, "start", local(m.period.start)))
    rows, failed = [], []
    for mid, kind, day in targets:
        found = find_pair(mid, kind, day)
        if found is None and mid in cov["uncovered"]:
            found = find_inside(mid)
            if found is not None:
                *found, day = found
                kind = "within"
        if found is None:
            failed.append((mid, kind, day))
            continue
        m, code, origin, facts, as_of, results = found
        cite = "; ".join(m.citations)
        for d, (rate, headings, _) in sorted(results.items()):
            side = "day-before" if d < day else "day-of" if kind != "within" else "day-after-start"
            rows.append({
                "case": f"bnd-{mid}-{kind}-{day.isoformat()}-{side}",
                "goods": code if len(code) != 10 else f"{code[:4]}.{code[4:6]}.{code[6:8]}.{code[8:]}",
                "origin": origin, "entered": d.isoformat(), "loaded": "", "value": "", "quantity": "",
                "facts": facts_text(facts), "as_of": as_of or "", "expected_rate": rate,
                "expected_headings": headings,
                "source": f"{cite}: {m.heading or mid} {'until' if kind == 'end' else 'from'} 12:01 a.m. Eastern {day.isoformat() if kind != 'within' else local(m.period.start).isoformat()} ({'in force:' if kind == 'within' else kind + ' of'} {mid}{', as filed' if as_of else ''})",
            })
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(f"{len(targets)} targets, {len(rows)} rows, {len(failed)} not found")
    for t in failed:
        print("  not found:", *t)


main(sys.argv[1])

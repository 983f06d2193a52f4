"""Properties of resolution, checked on random schedules (see ``strategies.py``).

The main one: the indexed resolver (``Schedule.resolve``) agrees with the naive reference
resolver of ``reference.py`` on every random schedule, entry and knowledge time.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reference import ReferenceResult, reference_resolve
from strategies import (
    KNOWN,
    LAYERS,
    ZONE,
    cases,
    entries,
    goods,
    on,
    origins,
    periods,
    schedules,
)
from tradelaw import (
    EU,
    AdValorem,
    ConflictError,
    ContributionCredit,
    Entry,
    Exemption,
    Fact,
    Goods,
    Measure,
    Money,
    Origins,
    Pause,
    Period,
    Quantity,
    RateReduction,
    Resolution,
    Schedule,
    Specific,
    Targets,
    TopUp,
    instant,
)

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Divisions (top-ups, credits) are rounded to 28 significant digits; the two resolvers
#: divide in different orders, so their duties may differ in the last digits.
TOLERANCE = Decimal("1e-12")


def same(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= TOLERANCE


def resolved(schedule: Schedule, entry: Entry, as_of: Any = None) -> Resolution | None:
    """The resolution, or ``None`` when the schedule has a tie for the entry."""
    try:
        return schedule.resolve(entry, as_of=as_of)
    except ConflictError:
        return None


def referenced(schedule: Schedule, entry: Entry, as_of: Any = None) -> ReferenceResult | None:
    try:
        return reference_resolve(schedule, entry, as_of=as_of)
    except ConflictError:
        return None


def total(resolution: Resolution) -> Decimal | None:
    return resolution.duty.amount if resolution.is_known else None


def make(items: Any, name: str = "random", facts: Any = ()) -> Schedule:
    return Schedule(items, name=name, jurisdiction="US", zone=ZONE, facts=facts)


def without_name(resolution: Resolution | None) -> dict[str, Any] | None:
    if resolution is None:
        return None
    found = resolution.to_dict()
    del found["schedule"]
    return found


# -- the indexed resolver equals the reference resolver -----------------------------------


def assert_agrees(schedule: Schedule, entry: Entry, as_of: Any) -> None:
    got = resolved(schedule, entry, as_of)
    want = referenced(schedule, entry, as_of)
    assert (got is None) == (want is None), (
        f"ConflictError: resolve {got is None}, reference {want is None}"
    )
    if got is None or want is None:
        return
    assert {a.measure.id for a in got.applied} == want.applied
    assert {u.measure.id for u in got.unknown if u.measure is not None} == want.unknown
    for line in got.applied:
        assert same(line.duty.amount, want.duties[line.measure.id]), line.measure.id
    assert same(total(got), want.total)


@settings(SETTINGS, max_examples=300)
@given(cases())
def test_resolve_equals_reference(case: Any) -> None:
    schedule, entry, as_of = case
    # The strategies make valid schedules, but for ties, which resolving must report too.
    assert [p for p in schedule.problems() if "ties with" not in p.message] == []
    assert_agrees(schedule, entry, as_of)


@settings(SETTINGS, max_examples=200)
@given(cases(tables=True))
def test_resolve_with_a_base_layer_table_equals_reference(case: Any) -> None:
    schedule, entry, as_of = case
    assert_agrees(schedule, entry, as_of)


def test_a_top_up_over_an_unknown_layer_is_unknown() -> None:
    always = Period.parse("2024-01-01", zone=ZONE)
    mfn = Measure(
        id="mfn",
        period=always,
        rate=AdValorem("2.5"),
        layer="mfn",
        condition=Fact("model_year").le(2020),
    )
    recip = Measure(id="recip", period=always, rate=TopUp("15"), layer="recip")
    entry = Entry("8703.23.01", "JP", "2025-06-01", Money("100", "USD"))
    resolution = make([mfn, recip]).resolve(entry)
    # Whether recip charges 15 or 12.5 depends on the unknown mfn line: it is unknown too.
    assert {u.measure.id for u in resolution.unknown} == {"mfn", "recip"}
    assert resolution.applied == ()


def test_a_top_up_over_a_displaced_layer_reads_zero() -> None:
    always = Period.parse("2024-01-01", zone=ZONE)
    mfn = Measure(id="mfn", period=always, rate=Specific(Money("1", "USD"), "kg"), layer="mfn")
    steel = Measure(
        id="steel",
        period=always,
        rate=AdValorem("25"),
        layer="s232",
        base="content:steel",
        excludes=("mfn",),
    )
    recip = Measure(id="recip", period=always, rate=TopUp("15"), layer="recip")
    entry = Entry(
        "8703.23.01",
        "JP",
        "2025-06-01",
        Money("100", "USD"),
        Quantity("10", "kg"),
        {"steel_value": Money("100", "USD")},
    )
    resolution = make([mfn, steel, recip]).resolve(entry)
    assert [s.item.id for s in resolution.skipped] == ["mfn"]  # displaced by steel: no duty
    # mfn charges nothing, so "15% inclusive of mfn" is the full 15%: 25 + 15.
    assert resolution.layer("recip").duty == Money("15", "USD")
    assert resolution.duty == Money("40", "USD")


def test_a_credit_that_earns_nothing_leaves_the_duty_exact() -> None:
    always = Period.parse("2024-01-01", zone=ZONE)
    mfn = Measure(id="mfn", period=always, rate=Specific(Money("1", "USD"), "kg"), layer="mfn")
    credit = ContributionCredit(
        id="credit",
        period=always,
        targets=Targets(layers=("mfn",)),
        form=RateReduction(fact="investment", points="1", per=Money("1000", "USD"), floor="0"),
    )
    entry = Entry(
        "8703.23.01",
        "JP",
        "2025-06-01",
        Money("3", "USD"),
        Quantity("1", "kg"),
        {"investment": Money("0", "USD")},
    )
    line = make([mfn, credit]).resolve(entry).layer("mfn")
    assert line is not None
    assert line.relief == ()  # no contribution, no relief
    assert line.duty == Money("1", "USD")


# -- the order of items never changes a result --------------------------------------------


@SETTINGS
@given(cases(), st.randoms(use_true_random=False))
def test_order_of_items_never_changes_a_result(case: Any, rnd: random.Random) -> None:
    schedule, entry, as_of = case
    items = list(schedule.items)
    rnd.shuffle(items)
    shuffled = make(items, schedule.name, schedule.facts)
    assert without_name(resolved(shuffled, entry, as_of)) == without_name(
        resolved(schedule, entry, as_of)
    )


# -- adding an exemption never raises a duty ----------------------------------------------


@st.composite
def exemption_cases(draw: st.DrawFn) -> tuple[Schedule, Entry, Any, Exemption]:
    """A schedule, an entry, and an exemption of a whole layer whose measures exclude nothing.

    An exemption that removes one measure of a layer lets the next one apply, and one that
    removes a measure with ``excludes`` lets the excluded layers back onto the value: either
    may raise the duty, by design. Credits on ``mfn`` are left out too: a top-up reads the
    gross mfn duty, so removing a credited mfn line may raise the top-up by more.
    """
    schedule, entry, as_of = draw(cases())
    quiet = sorted(
        {m.layer for m in schedule.items if isinstance(m, Measure)}
        - {m.layer for m in schedule.items if isinstance(m, Measure) and m.excludes}
    )
    assume(quiet)
    charged = resolved(schedule, entry, as_of)
    charging = [a.measure.layer for a in charged.applied if a.duty.amount] if charged else []
    layer = draw(st.sampled_from(quiet + [x for x in charging if x in quiet] * 3))
    exemption = Exemption(
        id="added-exemption",
        goods=draw(goods(entry.goods)),
        origins=draw(origins(entry.origin)),
        period=draw(periods()),
        condition=draw(st.sampled_from([None, None, Fact("model_year").le(2022)])),
        targets=draw(
            st.sampled_from([Targets(layers=(layer,)), Targets(measures=(f"{layer}-*",))])
        ),
    )
    items = [i for i in schedule.items if not credits_mfn(i)]
    return make(items), entry, as_of, exemption


def credits_mfn(item: Any) -> bool:
    if not isinstance(item, ContributionCredit):
        return False
    wanted = item.targets
    return "mfn" in wanted.layers or any(p.startswith("mfn") for p in wanted.measures)


@SETTINGS
@given(exemption_cases())
def test_adding_an_exemption_never_raises_a_duty(case: Any) -> None:
    schedule, entry, as_of, exemption = case
    before = resolved(schedule, entry, as_of)
    after = resolved(make([*schedule.items, exemption]), entry, as_of)
    assume(before is not None)
    assert after is not None  # removing measures never creates a tie
    at = instant(entry.entered, ZONE)
    claimed = (
        exemption.period.contains(at)
        and exemption.goods.specificity(entry.goods) is not None
        and exemption.origins.specificity(entry.origin, at) is not None
        and exemption.condition_holds(entry.facts, ZONE) is True
    )
    if claimed:
        layer = exemption.targets.layers or (exemption.targets.measures[0].removesuffix("-*"),)
        assert after.layer(layer[0]) is None
        assert all(u.measure.layer != layer[0] for u in after.unknown)
    else:
        assert lines(after) == lines(before)
    if before.is_known and after.is_known:
        assert after.duty <= before.duty


def lines(resolution: Resolution) -> dict[str, Any]:
    return {
        "applied": {a.measure.id: a.duty for a in resolution.applied},
        "unknown": {u.measure.id for u in resolution.unknown},
    }


# -- pausing a measure yields the next measure of its layer -------------------------------


@SETTINGS
@given(
    cases(max_rules=2),
    st.sampled_from(["10", "25", "27.5"]),
    st.sampled_from(["0", "2.5", "15"]),
    st.integers(0, 1),
    st.booleans(),
)
def test_a_pause_yields_the_next_measure_of_the_layer(
    case: Any, top_rate: str, next_rate: str, next_priority: int, paused: bool
) -> None:
    background, entry, as_of = case
    always = Period.parse("2024-01-01", zone=ZONE)
    top = Measure(
        id="paused-top",
        goods=Goods.of(entry.goods[:4]),
        period=always,
        rate=AdValorem(top_rate),
        layer="paused-layer",
        priority=2,
    )
    following = Measure(
        id="paused-next",
        goods=Goods.of(entry.goods[:6]),  # more specific goods: priority still decides
        origins=Origins.of(entry.origin),
        period=always,
        rate=AdValorem(next_rate),
        layer="paused-layer",
        priority=next_priority,
    )
    pause = Pause(id="the-pause", period=always, targets=Targets(measures=("paused-top",)))
    items = [*background.items, top, following, *([pause] if paused else [])]
    resolution = resolved(make(items), entry, as_of)
    assume(resolution is not None)  # a tie in the background
    line = resolution.layer("paused-layer")
    assert line is not None
    assert line.measure.id == ("paused-next" if paused else "paused-top")
    rate = Decimal(next_rate if paused else top_rate)
    assert line.duty == entry.value * rate / 100


# -- as_of before an amendment reads the earlier version, after it the later one ----------


@st.composite
def amendment_cases(draw: st.DrawFn) -> Any:
    schedule, entry, _ = draw(cases())
    first, second = sorted(
        draw(st.lists(st.sampled_from(KNOWN), min_size=2, max_size=2, unique=True))
    )
    layer = draw(st.sampled_from(LAYERS))
    common = {
        "id": "amended",
        "goods": Goods.of(entry.goods[:4]),
        "layer": layer,
        "priority": 3,  # above every random measure: the amended measure decides its layer
    }
    earlier = Measure(
        **common,
        period=draw(periods()),
        rate=AdValorem(draw(st.sampled_from(["10", "20"]))),
        recorded=Period(on(first), on(second)),
    )
    later = Measure(
        **common,
        period=draw(periods()),
        rate=AdValorem(draw(st.sampled_from(["15", "30"]))),
        recorded=Period(on(second)),
        void=draw(st.integers(0, 3)) == 0,
    )
    return schedule, entry, earlier, later, first, second


@SETTINGS
@given(amendment_cases(), st.sampled_from([0, 1, 40]))
def test_as_of_reads_the_version_known_then(case: Any, days: int) -> None:
    background, entry, earlier, later, first, second = case
    both = make([*background.items, earlier, later])
    only_earlier = make([*background.items, earlier])
    only_later = make([*background.items, later])
    before = first + timedelta(days=days)
    assume(before < second)
    after = second + timedelta(days=days)
    assert without_name(resolved(both, entry, before)) == without_name(
        resolved(only_earlier, entry, before)
    )
    assert without_name(resolved(both, entry, after)) == without_name(
        resolved(only_later, entry, after)
    )
    assert without_name(resolved(both, entry)) == without_name(resolved(only_later, entry))
    for known_at, version in ((before, earlier), (after, later), (None, later)):
        resolution = resolved(both, entry, known_at)
        for line in resolution.applied if resolution else ():
            if line.measure.id == "amended":
                assert line.measure is version


# -- unresolvable ties always raise ConflictError -----------------------------------------


@st.composite
def tie_cases(draw: st.DrawFn) -> Any:
    background, entry, as_of = draw(cases())
    prefix = entry.goods[: draw(st.sampled_from([2, 4, 6, 8]))]
    at = instant(entry.entered, ZONE)
    scopes = [Origins.all(), Origins.of(entry.origin), Origins.of(entry.origin, "MX")]
    if EU.contains(entry.origin, at):
        scopes.append(Origins.of(EU))
    scope = draw(st.sampled_from(scopes))
    others = [p for p in ("9503", "8541", "8708") if not entry.goods.startswith(p)]
    pair = [
        Measure(
            id=name,
            goods=Goods.of(prefix, *draw(st.lists(st.sampled_from(others), max_size=1))),
            origins=scope,
            period=Period(
                on(date(2024, 1, 1)), draw(st.sampled_from([None, on(date(2026, 1, 1))]))
            ),
            condition=draw(st.sampled_from([None, Fact("model_year").ge(1900)])),
            rate=AdValorem(rate),
            layer="tied",
            priority=1,
        )
        for name, rate in (("tie-a", "10"), ("tie-b", "20"))
    ]
    return background, entry.with_facts(model_year=2025), as_of, pair


@SETTINGS
@given(tie_cases())
def test_unresolvable_ties_raise_conflict_error(case: Any) -> None:
    background, entry, as_of, pair = case
    assume(resolved(background, entry, as_of) is not None)
    with pytest.raises(ConflictError) as raised:
        make([*background.items, *pair]).resolve(entry, as_of=as_of)
    assert raised.value.layer == "tied"
    assert raised.value.measure_ids == ("tie-a", "tie-b")
    with pytest.raises(ConflictError):
        reference_resolve(make([*background.items, *pair]), entry, as_of=as_of)


# -- stacking: the overlay's items replace the base's items of the same id ----------------


@SETTINGS
@given(entries(), st.data())
def test_stacking_replaces_items_by_id(entry: Entry, data: st.DataObject) -> None:
    focus = (entry.goods, entry.origin)
    base = data.draw(schedules(name="base", focus=focus))
    overlay = data.draw(schedules(max_ids=2, max_rules=1, name="plan", focus=focus))
    as_of = data.draw(st.sampled_from([None, KNOWN[1], date(2026, 1, 1)]))
    stacked = base | overlay
    replaced = {i.id for i in overlay.items}
    expected = [i for i in base.items if i.id not in replaced] + list(overlay.items)
    assert sorted(map(id, stacked.items)) == sorted(map(id, expected))
    assert stacked.name == "base | plan"
    by_hand = make(expected, "base | plan", stacked.facts)
    assert without_name(resolved(stacked, entry, as_of)) == without_name(
        resolved(by_hand, entry, as_of)
    )
    assert_agrees(stacked, entry, as_of)
    assert without_name(resolved(base | base, entry, as_of)) == without_name(
        resolved(base, entry, as_of)
    )


def test_an_inclusive_rate_counts_only_the_base_duty_on_the_same_goods():
    """Issue 14: exempting mfn raised the duty from USD 25,002.50 to USD 25,250.00.

    mfn (2.5%) keeps the top-up off the value it taxes; the steel duty keeps mfn off the
    steel content. "2.5% inclusive of mfn" on the steel content, where mfn charges
    nothing, is the full 2.5%, not 2.5% less mfn's rate on the whole entry.
    """
    always = Period.always()
    mfn = Measure(id="mfn", period=always, rate=AdValorem("2.5"), layer="mfn", excludes=("t",))
    top = Measure(id="t", period=always, rate=TopUp("2.5", "mfn"), layer="t")
    steel = Measure(
        id="steel", period=always, rate=AdValorem("2.5"), layer="steel",
        base="content:steel", excludes=("mfn",),
    )  # fmt: skip
    exempt = Exemption(id="x", period=always, targets=Targets(layers=("mfn",)))
    entry = Entry(
        "7326", "JP", date(2025, 6, 1), Money("1000000", "USD"),
        facts={"steel_value": Money("10000", "USD")},
    )  # fmt: skip
    before = make([mfn, top, steel]).resolve(entry)
    after = make([mfn, top, steel, exempt]).resolve(entry)
    assert before.layer("t").duty == Money("250", "USD")  # 2.5% of the 10,000 of steel
    assert before.duty == after.duty == Money("25250", "USD")

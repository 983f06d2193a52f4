"""Hypothesis strategies: random but valid schedules and entries over a small universe.

The universe is small on purpose (a few goods prefixes, countries, dates and layers), so
that random items often cover the same entry, tie, pause or exclude one another.

Schedules are valid (``schedule.problems() == ()``): excludes and targets name layers and
measures that exist, a top-up reads ``mfn`` and there is always an ``mfn`` measure, layers
exclude only layers later in :data:`LAYERS` (no cycles), and the versions of one id have
disjoint ``recorded`` periods.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from attrs import evolve
from hypothesis import strategies as st

from tradelaw import (
    EU,
    AdValorem,
    AllOf,
    AnyOf,
    Bounded,
    Compound,
    ContributionCredit,
    Entry,
    Exemption,
    Fact,
    FactSpec,
    Free,
    Goods,
    Measure,
    Money,
    Not,
    OffsetPool,
    Origins,
    Pause,
    Period,
    Quantity,
    RateReduction,
    Schedule,
    Specific,
    Targets,
    TopUp,
    UnknownRate,
    instant,
)

ZONE = "America/New_York"
PREFIXES = ("87", "8703", "870323", "87032301", "8708", "9503", "950300", "85", "8541")
CODES = (
    "87032301",
    "8703230190",
    "87032350",
    "87089950",
    "95030000",
    "9503000090",
    "85414200",
    "85044000",
    "61091000",
)
COUNTRIES = ("JP", "CN", "DE", "FR", "IE", "GB", "KR", "MX")
#: A layer may exclude only the layers after it, so exclusions never form a cycle.
LAYERS = ("s232", "extra", "recip", "mfn")
#: Dates of effect (12:01 a.m. New York); entries fall on them, next to them and between.
DATES = (
    date(2025, 1, 1),
    date(2025, 3, 4),
    date(2025, 4, 5),
    date(2025, 4, 9),
    date(2025, 7, 9),
    date(2025, 10, 1),
)
#: Knowledge dates: the starts of ``recorded`` periods, and the ``as_of`` of queries.
KNOWN = (date(2025, 2, 1), date(2025, 4, 1), date(2025, 6, 1), date(2025, 9, 1))
BASES = ("value", "value", "content:steel", "content:steel", "content:aluminum")
PERCENTS = ("0", "2.5", "10", "15", "25", "27.5", "50")
USD = "USD"


def on(day: date) -> datetime:
    return instant(day, ZONE)


# -- scopes, periods, conditions, rates ---------------------------------------------------


@cache
def weighted(*options: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """Draw from one of ``options``, each chosen in proportion to its weight."""
    return st.sampled_from([s for w, s in options for _ in range(w)]).flatmap(lambda s: s)


@cache
def goods(focus: str | None = None) -> st.SearchStrategy[Goods]:
    """Goods scopes; with a ``focus`` code, often one of its prefixes."""
    prefix = st.sampled_from(PREFIXES)
    own = prefix
    if focus:
        own = st.sampled_from([focus[:n] for n in (2, 4, 6, 8, 10) if n <= len(focus)])
    return weighted(
        (3, st.just(Goods.all())),
        (5, own.map(Goods.of)),
        (1, prefix.map(Goods.of)),
        (1, st.tuples(prefix, own).map(lambda ps: Goods.of(*ps))),
        (1, st.just(Goods.of("87", exclude=["8708"]))),
        (1, st.just(Goods.all(exclude=["9503"]))),
    )


@cache
def origins(focus: str | None = None) -> st.SearchStrategy[Origins]:
    """Origin scopes; with a ``focus`` country, often that country."""
    country = st.sampled_from(COUNTRIES)
    own = st.just(focus) if focus else country
    return weighted(
        (5, st.just(Origins.all())),
        (3, own.map(Origins.of)),
        (1, st.just(Origins.all(exclude=["CN"]))),
        (1, country.map(Origins.of)),
        (1, st.tuples(country, own).map(lambda cs: Origins.of(*cs))),
        (1, st.just(Origins.of(EU))),
        (1, st.just(Origins.of("EU", exclude=["IE"]))),
        (1, st.just(Origins.of(EU, "GB"))),
    )


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """Half-open periods over 2025 (and one from 2024), some open-ended."""
    first = draw(st.sampled_from((date(2024, 1, 1),) * 8 + DATES))
    later = [d for d in DATES if d > first]
    if not later or draw(st.integers(0, 3)):
        return Period(on(first))
    return Period(on(first), on(draw(st.sampled_from(later))))


@cache
def conditions() -> st.SearchStrategy[Any]:
    simple = st.one_of(
        st.sampled_from(DATES).map(lambda d: Fact("loaded").lt(d)),
        st.integers(2018, 2026).map(lambda y: Fact("model_year").le(y)),
        st.integers(2018, 2026).map(lambda y: Fact("model_year").ge(y)),
    )
    return st.one_of(
        simple,
        simple.map(Not),
        st.tuples(simple, simple).map(AllOf),
        st.tuples(simple, simple).map(AnyOf),
    )


@cache
def percent() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(PERCENTS),
        st.decimals(0, 60, places=2).map(str),
    )


@cache
def specific() -> st.SearchStrategy[Specific]:
    amount = st.sampled_from(("0.5", "2", "0.034"))
    return amount.map(lambda a: Specific(Money(a, USD), "kg"))


@cache
def rates(layer: str) -> st.SearchStrategy[Any]:
    ad_valorem = percent().map(AdValorem)
    choices = [
        (14, ad_valorem),
        (2, st.just(Free())),
        (1, specific()),
        (1, st.tuples(ad_valorem, specific()).map(Compound)),
        (1, st.tuples(ad_valorem, specific()).map(lambda p: Bounded(p[0], minimum=p[1]))),
        (1, st.tuples(ad_valorem, specific()).map(lambda p: Bounded(p[0], maximum=p[1]))),
        (1, st.just(UnknownRate("see note 2"))),
    ]
    if layer != "mfn":  # a top-up reads mfn, so mfn itself never tops up
        choices.append((6, percent().map(TopUp)))
    return weighted(*choices)


# -- items --------------------------------------------------------------------------------


@st.composite
def recorded_periods(draw: st.DrawFn, count: int) -> list[Period | None]:
    """``count`` disjoint recorded periods, oldest first (``None`` alone means always)."""
    if count == 1:
        known = st.builds(Period, st.sampled_from(KNOWN).map(on))
        return [draw(weighted((3, st.none()), (1, known)))]
    starts = sorted(
        draw(st.lists(st.sampled_from(KNOWN), min_size=count, max_size=count, unique=True))
    )
    ends: list[datetime | None] = [on(s) for s in starts[1:]] + [None]
    if draw(st.booleans()):  # a gap: the first version stops being known a day early
        ends[0] = on(starts[1]) - timedelta(days=1)
    return [Period(on(s), e) for s, e in zip(starts, ends, strict=True)]


@st.composite
def versions(draw: st.DrawFn, make: Any, **fixed: Any) -> list[Any]:
    """One to three versions of one item; one version may be void."""
    count = draw(st.sampled_from((1, 1, 1, 2, 2, 3)))
    recorded = draw(recorded_periods(count))
    void = draw(st.sampled_from([None] * 6 + list(range(1, count))))  # an invalidation
    return [draw(make(recorded=r, void=i == void, **fixed)) for i, r in enumerate(recorded)]


@st.composite
def scoped(draw: st.DrawFn, focus: tuple[str, str] | None = None) -> dict[str, Any]:
    """What every item has: goods, origins, period and an optional condition."""
    code, country = focus or (None, None)
    return {
        "goods": draw(goods(code)),
        "origins": draw(origins(country)),
        "period": draw(periods()),
        "condition": draw(weighted((4, st.none()), (1, conditions()))),
    }


def excludes(later: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    some = st.lists(st.sampled_from(later), min_size=1, max_size=2, unique=True)
    return weighted((1, st.just([])), (1, some))


@st.composite
def measures(
    draw: st.DrawFn, id: str, layer: str, recorded: Any, void: bool, focus: Any = None
) -> Measure:
    later = LAYERS[LAYERS.index(layer) + 1 :] if layer in LAYERS else ()
    return Measure(
        id=id,
        title=f"measure {id}",
        citations=(f"Proclamation {id}",),
        heading="9903.00.00",
        rate=draw(rates(layer)),
        layer=layer,
        priority=draw(st.integers(0, 2)),
        base=draw(st.sampled_from(BASES)),
        excludes=draw(excludes(later)) if later else (),
        recorded=recorded,
        void=void,
        **draw(scoped(focus)),
    )


def targets_of(measure_list: list[Measure]) -> st.SearchStrategy[Targets]:
    ids = sorted({m.id for m in measure_list})
    layers = sorted({m.layer for m in measure_list})
    return st.one_of(
        st.sampled_from(ids).map(lambda i: Targets(measures=(i,))),
        st.sampled_from(layers).map(lambda layer: Targets(measures=(f"{layer}-*",))),
        st.sampled_from(layers).map(lambda layer: Targets(layers=(layer,))),
    )


@st.composite
def rules(
    draw: st.DrawFn,
    kind: type,
    id: str,
    measure_list: list[Measure],
    recorded: Any,
    void: bool,
    focus: Any = None,
) -> Any:
    return kind(
        id=id,
        targets=draw(targets_of(measure_list)),
        recorded=recorded,
        void=void,
        **draw(scoped(focus)),
    )


@st.composite
def credits(
    draw: st.DrawFn, id: str, measure_list: list[Measure], focus: Any = None
) -> ContributionCredit:
    form: RateReduction | OffsetPool
    if draw(st.integers(0, 9)) == 0:
        form = OffsetPool(share="0.5")
    else:
        form = RateReduction(
            fact="investment",
            points=draw(st.sampled_from(("0.5", "1", "5"))),
            per=Money("1000", USD),
            floor=draw(st.sampled_from(("0", "5", "15"))),
        )
    return ContributionCredit(
        id=id, targets=draw(targets_of(measure_list)), form=form, **draw(scoped(focus))
    )


@st.composite
def measure_items(draw: st.DrawFn, max_ids: int = 5, focus: Any = None) -> list[Measure]:
    """An ``mfn`` measure (every top-up reads mfn) and up to ``max_ids`` more ids."""
    layers = ["mfn", *draw(st.lists(st.sampled_from(LAYERS), min_size=1, max_size=max_ids))]
    found: list[Measure] = []
    for n, layer in enumerate(layers):
        found += draw(versions(measures, id=f"{layer}-{n}", layer=layer, focus=focus))
    present = {m.layer for m in found}
    return [evolve(m, excludes=[x for x in m.excludes if x in present]) for m in found]


@st.composite
def schedule_items(
    draw: st.DrawFn, max_ids: int = 5, max_rules: int = 3, focus: Any = None
) -> list[Any]:
    """Measures, then pauses and exemptions of them, then credits; in random order."""
    found: list[Any] = draw(measure_items(max_ids, focus))
    measure_list = list(found)
    for n in range(draw(st.integers(0, max_rules))):
        kind = draw(st.sampled_from((Pause, Exemption)))
        name = f"{kind.__name__.lower()}-{n}"
        found += draw(versions(rules, kind=kind, id=name, measure_list=measure_list, focus=focus))
    for n in range(draw(st.sampled_from((0, 0, 1, 2)))):
        found.append(draw(credits(f"credit-{n}", measure_list, focus)))
    return draw(st.permutations(found))


class Lines:
    """A base-layer table of ``mfn`` lines (an :class:`~tradelaw.tables.ItemTable`).

    Its lines are built up front; ``items_for`` returns the same objects every time, as a
    real table keeps what it built, or with ``rebuilt`` equal copies each time (as a
    simple table may build them). With a ``cut``, every line has a version before and
    one after it (an edition change), and ``boundaries()`` says so; without one, the
    table has no ``boundaries`` (the engine checks each line's period instead).
    """

    name = "generated lines"
    layers = frozenset({"mfn"})
    id_prefix = "line-"

    def __init__(
        self, lines: tuple[Measure, ...], cut: datetime | None, rebuilt: bool = False
    ) -> None:
        self.lines = lines
        self.rebuilt = rebuilt
        if cut is not None:
            self.boundaries = lambda: (cut,)

    def items_for(self, code: str, at: datetime | None = None) -> tuple[Measure, ...]:
        return tuple(
            evolve(line) if self.rebuilt else line
            for line in self.lines
            if line.goods.specificity(code) is not None
            and (at is None or line.period.contains(at))
        )

    def missing(self, code: str, at: datetime) -> str | None:
        return None if self.items_for(code, at) else f"no generated line rates {code}"

    def __repr__(self) -> str:
        return f"Lines({len(self.lines)} lines)"


def table_line(suffix: str, code: str, k: int, period: Period, **fields: Any) -> Measure:
    """A line of the table: the ``k``-th version of ``code``'s line of a kind (``suffix``)."""
    return Measure(
        id=f"line-{code}{suffix}-{k}",
        citations=(f"HTS {code}",),
        heading=code,
        layer="mfn",
        goods=Goods.of(code),
        period=period,
        **fields,
    )


@st.composite
def lines(draw: st.DrawFn) -> Lines:
    """A table of general lines (some with a column 2 and a special line).

    Every chapter of :data:`CODES` has a line, so that every entry has one; longer codes
    have their own sometimes.
    """
    cut = draw(st.sampled_from((None, None, *DATES[1:])))
    pieces = (
        [Period.always()]
        if cut is None
        else [Period(on(date(2000, 1, 1)), on(cut)), Period(on(cut))]
    )
    more = st.lists(st.sampled_from(PREFIXES + CODES), max_size=5, unique=True)
    codes = sorted({code[:2] for code in CODES} | set(draw(more)))  # every code has a line
    found = []
    for code in codes:
        for k, period in enumerate(pieces):
            fixed: dict[str, Any] = {"code": code, "k": k, "period": period}
            general = draw(rates("mfn"))
            found.append(
                table_line("", origins=Origins.all(exclude=["CN"]), rate=general, **fixed)
            )
            if draw(st.booleans()):
                column_2 = draw(rates("mfn"))
                found.append(table_line("-col2", origins=Origins.of("CN"), rate=column_2, **fixed))
            if draw(st.integers(0, 2)) == 0:
                found.append(
                    table_line(
                        "-special",
                        origins=Origins.all(exclude=["CN"]),
                        condition=draw(conditions()),
                        rate=AdValorem(draw(percent())),
                        priority=1,
                        **fixed,
                    )
                )
    return Lines(tuple(found), None if cut is None else on(cut), rebuilt=draw(st.booleans()))


@st.composite
def schedules(
    draw: st.DrawFn,
    max_ids: int = 5,
    max_rules: int = 3,
    name: str = "random",
    focus: Any = None,
    tables: bool = False,
) -> Schedule:
    """Valid schedules; a ``focus`` (code, country) makes items cover it more often.

    With ``tables``, most have a table of ``mfn`` lines (:func:`lines`), and some
    require the ``mfn`` layer.
    """
    items = draw(schedule_items(max_ids, max_rules, focus))
    table = draw(weighted((1, st.none()), (3, lines()))) if tables else None
    return Schedule(
        items,
        name=name,
        jurisdiction="US",
        zone=ZONE,
        facts=[FactSpec("investment", "money")],
        tables=() if table is None else (table,),
        requires=draw(st.sampled_from(((), ("mfn",), ("mfn", "recip")))) if tables else (),
    )


# -- entries and knowledge times ----------------------------------------------------------


def entered() -> st.SearchStrategy[date | datetime]:
    """Dates on, next to and between the dates of effect; instants a minute around 12:01."""
    day = st.sampled_from(DATES)
    minute = timedelta(minutes=1)
    return st.one_of(
        day,
        st.tuples(day, st.sampled_from((-1, 1, 20))).map(lambda p: p[0] + timedelta(days=p[1])),
        st.tuples(day, st.sampled_from((-minute, minute))).map(
            lambda p: (on(p[0]) + p[1]).astimezone(UTC)
        ),
    )


def share() -> st.SearchStrategy[int]:
    """A percentage of the value, often all or none of it."""
    return weighted((1, st.just(0)), (2, st.just(100)), (4, st.integers(0, 100)))


@st.composite
def entries(draw: st.DrawFn, code: str | None = None, origin: str | None = None) -> Entry:
    value = draw(
        st.one_of(st.integers(1, 100_000).map(Decimal), st.decimals(1, 100_000, places=2))
    )
    facts: dict[str, Any] = {}
    if draw(st.integers(0, 7)):
        facts["loaded"] = draw(st.sampled_from(DATES)) - timedelta(
            days=draw(st.sampled_from((0, 1, 30)))
        )
    if draw(st.integers(0, 7)):
        facts["model_year"] = draw(st.integers(2017, 2027))
    if draw(st.integers(0, 2)):
        steel = value * draw(share()) / 100
        facts["steel_value"] = Money(steel, USD)
        if draw(st.booleans()):
            facts["aluminum_value"] = Money((value - steel) * draw(share()) / 100, USD)
    if draw(st.booleans()):
        facts["investment"] = Money(draw(st.integers(0, 20_000)), USD)
    quantity = draw(
        weighted(
            (1, st.none()),
            (6, st.integers(1, 5000).map(lambda q: Quantity(q, "kg"))),
            (1, st.just(Quantity("3", "No."))),
        )
    )
    return Entry(
        code or draw(st.sampled_from(CODES)),
        origin or draw(st.sampled_from(COUNTRIES)),
        draw(entered()),
        Money(value, USD),
        quantity,
        facts,
    )


@st.composite
def families(draw: st.DrawFn, seeds: int = 4, variants: int = 6) -> list[Entry]:
    """A few entries, and others that differ from one of them in one respect each.

    Rows that share most of what decides their answer are what a columnar engine groups:
    a difference it wrongly ignores shows as two such rows answered alike.
    """
    found = draw(st.lists(entries(), min_size=1, max_size=seeds))
    for seed in list(found):
        for _ in range(draw(st.integers(0, variants))):
            other = draw(entries())
            what = draw(st.sampled_from(("goods", "origin", "entered", "facts", "quantity")))
            # Content values are shares of the value: facts come with their value.
            names = (what, "value") if what == "facts" else (what,)
            found.append(evolve(seed, **{name: getattr(other, name) for name in names}))
    return found


def as_of() -> st.SearchStrategy[date | None]:
    """``None`` (the latest versions), or a knowledge date, a day around one, or long after."""
    near = st.tuples(st.sampled_from(KNOWN), st.sampled_from((-1, 0, 0, 1))).map(
        lambda p: p[0] + timedelta(days=p[1])
    )
    return st.one_of(st.none(), near, st.just(date(2026, 1, 1)))


@st.composite
def cases(
    draw: st.DrawFn, max_ids: int = 5, max_rules: int = 3, tables: bool = False
) -> tuple[Schedule, Entry, Any]:
    """A schedule whose items often cover the entry, the entry, and an ``as_of``."""
    entry = draw(entries())
    focus = (entry.goods, entry.origin)
    schedule = draw(schedules(max_ids, max_rules, focus=focus, tables=tables))
    return schedule, entry, draw(as_of())

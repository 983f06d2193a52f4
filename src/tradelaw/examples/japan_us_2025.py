"""The 2025 Japan–US tariff talks in code: the project's worked example.

Built with the core API alone; the embedded ``us`` dataset holds the full law. What it
models, in US Eastern time:

* a 10% baseline on all origins from 12:01 a.m. 5 April 2025 (EO 14257, heading
  9903.01.25);
* 24% for Japan from 12:01 a.m. 9 April (heading 9903.01.53), paused from 12:01 a.m.
  10 April (EO 14266) until 9 July, extended to 1 August (EO 14316) and then to 7 August
  (EO 14326) — three versions of the pause, so ``as_of`` shows each extension; the 24%
  rate itself ended when EO 14326's rates took effect on 7 August;
* 25% on passenger cars from 12:01 a.m. 3 April (Proclamation 10908, heading 9903.94.01),
  which excludes the reciprocal layer;
* the exemption of semiconductors (8541, 8542) from the reciprocal layer (Annex II);
* column 1 rates for the two example lines (8703.23.01: 2.5%; 9503.00.00: Free);
* Japan's *proposal* (not law): a credit that lowers the car rate by one percentage point
  per USD 10 billion of contributions to the US auto industry, down to 15%.

Example:
    >>> s = schedule()
    >>> [str(s.resolve(toy(day)).total_rate) for day in
    ...  ("2025-04-04", "2025-04-05", "2025-04-09", "2025-04-10", "2025-08-07")]
    ['0', '10', '24', '10', '10']
    >>> s.resolve(car("2025-04-09")).total_rate
    Decimal('27.5')
"""

from __future__ import annotations

from tradelaw.conditions import FactValue
from tradelaw.credits import ContributionCredit, RateReduction
from tradelaw.entry import Entry
from tradelaw.facts import FactSpec
from tradelaw.measures import Exemption, Measure, Pause, Targets
from tradelaw.money import Money
from tradelaw.rates import AdValorem, Free
from tradelaw.schedule import Schedule
from tradelaw.scope import Goods, Origins
from tradelaw.time import Period

__all__ = ["CAR", "TOY", "car", "main", "schedule", "toy"]

ZONE = "America/New_York"
#: The example's car line, passenger cars of 1,500–3,000 cc (column 1 rate 2.5%).
CAR = "8703.23.01"
#: The example's toy line (column 1 rate free).
TOY = "9503.00.00"
RECIPROCAL = "ieepa-reciprocal"


def _period(start: str, end: str | None = None) -> Period:
    return Period.parse(start, end, zone=ZONE)


def _pause(end: str, recorded: Period, citation: str) -> Pause:
    return Pause(
        id="jp-reciprocal-pause",
        title="Suspension of country-specific reciprocal rates",
        citations=tuple(dict.fromkeys(("EO 14266, 90 FR 15625", citation))),
        goods=Goods.all(),
        origins=Origins.all(exclude=["CN"]),
        period=_period("2025-04-10", end),
        recorded=recorded,
        targets=Targets(measures=("jp-reciprocal",)),
    )


def schedule() -> Schedule:
    """Return the worked example's schedule (validated)."""
    items = [
        Measure(
            id="mfn-8703.23.01",
            title="Column 1 general rate: passenger cars, 1,500–3,000 cc",
            citations=("HTSUS 2025 Rev. 13, 8703.23.01",),
            heading="8703.23.01",
            goods=Goods.of(CAR),
            period=_period("2025-01-01"),
            rate=AdValorem("2.5"),
            layer="mfn",
        ),
        Measure(
            id="mfn-9503.00.00",
            title="Column 1 general rate: toys",
            citations=("HTSUS 2025 Rev. 13, 9503.00.00",),
            heading="9503.00.00",
            goods=Goods.of(TOY),
            period=_period("2025-01-01"),
            rate=Free(),
            layer="mfn",
        ),
        Measure(
            id="baseline",
            title="Reciprocal tariff: 10% baseline",
            citations=("EO 14257, 90 FR 15041",),
            heading="9903.01.25",
            period=_period("2025-04-05"),
            rate=AdValorem("10"),
            layer=RECIPROCAL,
        ),
        Measure(
            id="jp-reciprocal",
            title="Reciprocal tariff: Japan",
            citations=("EO 14257, 90 FR 15041, Annex I", "EO 14326, 90 FR 37963"),
            heading="9903.01.53",
            origins=Origins.of("JP"),
            period=_period("2025-04-09", "2025-08-07"),
            rate=AdValorem("24"),
            layer=RECIPROCAL,
        ),
        _pause("2025-07-09", _period("2025-04-09", "2025-07-07"), "EO 14266, 90 FR 15625"),
        _pause("2025-08-01", _period("2025-07-07", "2025-07-31"), "EO 14316, 90 FR 30823"),
        _pause("2025-08-07", _period("2025-07-31"), "EO 14326, 90 FR 37963"),
        Measure(
            id="s232-passenger-vehicles",
            title="Section 232: passenger vehicles",
            citations=("Proclamation 10908, 90 FR 14705",),
            heading="9903.94.01",
            goods=Goods.of("8703"),
            period=_period("2025-04-03"),
            rate=AdValorem("25"),
            layer="s232-autos",
            excludes=(RECIPROCAL,),
        ),
        Exemption(
            id="annex-ii-semiconductors",
            title="Annex II: semiconductors",
            citations=("EO 14257, 90 FR 15041, Annex II",),
            goods=Goods.of("8541", "8542"),
            period=_period("2025-04-05"),
            targets=Targets(layers=(RECIPROCAL,)),
        ),
        ContributionCredit(
            id="jp-auto-investment-proposal",
            title="Japan's proposal: credit for contributions to the US auto industry",
            note="A proposal from the 2025 talks, not law: a scenario.",
            goods=Goods.of("8703"),
            origins=Origins.of("JP"),
            period=_period("2025-04-03"),
            targets=Targets(layers=("s232-autos",)),
            form=RateReduction(
                fact="us_auto_investment",
                points="1",
                per=Money("10000000000", "USD"),
                floor="15",
            ),
        ),
    ]
    facts = [FactSpec("us_auto_investment", "money", "the importer's US auto investment")]
    return Schedule(
        items,
        name="Japan–US 2025 (worked example)",
        jurisdiction="US",
        zone=ZONE,
        facts=facts,
        requires=["mfn"],
    ).validate()


def car(day: str, **facts: FactValue) -> Entry:
    """A Japanese passenger car worth USD 40,000 entered on ``day``."""
    return Entry(CAR, "JP", day, Money("40000", "USD"), facts=facts)


def toy(day: str, **facts: FactValue) -> Entry:
    """A Japanese toy shipment worth USD 1,000 entered on ``day``."""
    return Entry(TOY, "JP", day, Money("1000", "USD"), facts=facts)


def main() -> None:
    """Print the example's rates on key dates, an explanation and a timeline."""
    s = schedule()
    print(f"{s.name}\n")
    for day in ("2025-04-04", "2025-04-05", "2025-04-09", "2025-04-10", "2025-07-09"):
        car_rate, toy_rate = s.resolve(car(day)).total_rate, s.resolve(toy(day)).total_rate
        print(f"{day}  car {car_rate:>5}%   toy {toy_rate:>3}%")
    print("\n" + s.resolve(toy("2025-07-09"), as_of="2025-07-01").explain())
    print(
        "\n"
        + s.resolve(car("2025-06-10", us_auto_investment=Money("50000000000", "USD"))).explain()
    )
    print("\nTimeline of the toy rate, 2025:")
    for segment in s.timeline(TOY, "JP", "2025-01-01", "2026-01-01"):
        end = segment.period.end.date() if segment.period.end else "…"
        print(f"  {segment.period.start.date()} – {end}: {segment.resolution.total_rate}%")


if __name__ == "__main__":
    main()

import pytest

from conftest import measure, on, schedule
from tradelaw import (
    ContributionCredit,
    Entry,
    Goods,
    InvalidInputError,
    Ledger,
    Money,
    OffsetPool,
    Reason,
    Targets,
)


def pool(carry_forward=False):
    return ContributionCredit(
        id="offset",
        goods=Goods.of("8708"),
        period=on("2025-04-03"),
        targets=Targets(layers="s232-parts"),
        form=OffsetPool(
            share="0.0375",
            carry_forward=carry_forward,
            windows=(on("2025-04-03", "2026-05-01"), on("2026-05-01", "2027-05-01")),
        ),
    )


def parts(day, value="10000", importer="ACME"):
    return Entry("8708.30.50", "DE", day, Money(value, "USD"), facts={"importer": importer})


def ledger(carry_forward=False):
    return Ledger(
        schedule(
            measure("parts", layer="s232-parts", rate="25", period=on("2025-05-03")),
            pool(carry_forward),
        )
    )


def test_plain_resolution_says_the_pool_needs_a_ledger():
    s = ledger().schedule
    r = s.resolve(parts("2025-06-01"))
    assert r.total_rate == 25
    assert [(x.item.id, x.reason) for x in r.skipped] == [("offset", Reason.NEEDS_LEDGER)]


def test_offsets_are_capped_by_duty_and_balance_and_never_negative():
    book = ledger()
    book.contribute("offset", Money("100000", "USD"), "2025-05-01", importer="ACME")  # 3,750
    first = book.resolve(parts("2025-06-01"))  # duty 2,500: fully offset
    assert first.duty.amount == 0
    assert first.layer("s232-parts").relief[0].amount == Money("2500", "USD")
    second = book.resolve(parts("2025-06-02"))  # 1,250 left of 2,500
    assert second.duty == Money("1250", "USD")
    third = book.resolve(parts("2025-06-03"))
    assert third.duty == Money("2500", "USD")
    assert book.balance("offset", "ACME", "2025-06-03").amount == 0


def test_pools_are_per_importer():
    book = ledger()
    book.contribute("offset", Money("100000", "USD"), "2025-05-01", importer="ACME")
    assert book.resolve(parts("2025-06-01", importer="OTHER")).duty == Money("2500", "USD")


def test_unused_balance_lapses_unless_carried_forward():
    for carry, expected in ((False, "5000"), (True, "2500")):
        book = ledger(carry)
        book.contribute("offset", Money("100000", "USD"), "2025-05-01", importer="ACME")
        book.resolve(parts("2025-06-01", value="5000"))  # spends 1,250 of 3,750
        later = book.resolve(parts("2026-06-01", value="20000"))  # 5,000 due; 2,500 carried
        assert later.duty == Money(expected, "USD"), carry


def test_ledger_errors_name_the_problem():
    book = ledger()
    with pytest.raises(InvalidInputError, match="'nope' is not an offset-pool credit"):
        book.contribute("nope", Money("1", "USD"), "2025-05-01")
    with pytest.raises(InvalidInputError, match="falls in no window"):
        book.contribute("offset", Money("1", "USD"), "2030-01-01")
    with pytest.raises(InvalidInputError, match="negative"):
        book.contribute("offset", Money("-1", "USD"), "2025-05-01")
    book.contribute("offset", Money("100000", "USD"), "2025-05-01", importer="ACME")
    book.resolve(parts("2025-06-02"))
    with pytest.raises(InvalidInputError, match="before an entry already charged"):
        book.resolve(parts("2025-06-01"))

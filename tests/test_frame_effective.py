"""The trade-weighted rate of an imports table (tradelaw.frame.effective_rate)."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from tradelaw import InvalidInputError, datasets, frame

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from real_entries import real_entries

D = Decimal


@pytest.fixture(scope="module")
def us():
    return datasets.load("us")


@pytest.fixture(scope="module")
def imports():
    # By hand, on 10 June 2025 as amended (the IEEPA duties void): the cars pay column 1
    # 2.5% and Section 232 25% (27.5%: 825 and 275); the toy is free (0); the knitted
    # ensemble's column 1 rate is "the rate applicable to each garment": unknown.
    return pd.DataFrame(
        {
            "goods": ["8703.23.01", "8703.23.01", "9503.00.00", "6104.29.20"],
            "origin": ["JP", "DE", "CN", "VN"],
            "value": ["3000", "1000", "1000", "500"],
        }
    )


def test_the_rate_is_the_known_duty_over_the_known_value_and_unknowns_are_reported(us, imports):
    out = frame.effective_rate(us, imports, "2025-06-10")
    assert list(out.columns) == ["on", "currency", *frame.EFFECTIVE]
    row = out.iloc[0]
    assert (row.rows, row.value, row.known_value, row.duty) == (4, D(5500), D(5000), D(1100))
    assert row.rate == D(22)  # 1100 / 5000, not 1100 / 5500: the unknown row is not zero
    assert (row.unknown_rows, row.unknown_value) == (1, D(500))
    assert row.unknown_share == D("9.090909")  # 500 / 5500, to six places


def test_by_authority_the_points_add_up_to_the_rate(us, imports):
    out = frame.effective_rate(us, imports, ["2025-06-10"], by="authority")
    points = dict(zip(out["authority"], out["rate"], strict=True))
    assert points == {"mfn": D("2"), "s232": D("20")}  # 100 and 1000 of 5000
    assert sum(points.values()) == D(22)


def test_as_filed_the_toy_pays_the_ieepa_duties(us, imports):
    out = frame.effective_rate(
        us, imports, "2025-06-10", by=["origin", "layer"], as_of="2025-06-20"
    )
    cn = out[out["origin"] == "CN"].set_index("layer")["rate"].to_dict()
    assert cn == {"ieepa-fentanyl-cn": D(20), "ieepa-reciprocal": D(10)}
    vn = out[out["origin"] == "VN"].iloc[0]
    assert (vn.layer, vn.duty, vn.rate, vn.unknown_rows) == (None, None, None, 1)


def test_sections_chapters_and_several_dates(us, imports):
    out = frame.effective_rate(us, imports, ["2025-03-01", "2025-06-10"], by="section")
    got = {(r.on, r.section): r.rate for r in out.itertuples()}
    assert got == {
        ("2025-03-01", "XI"): None,
        ("2025-03-01", "XVII"): D("2.5"),  # before the Section 232 auto duty (3 April)
        ("2025-03-01", "XX"): D(0),
        ("2025-06-10", "XI"): None,
        ("2025-06-10", "XVII"): D("27.5"),
        ("2025-06-10", "XX"): D(0),
    }
    chapters = frame.effective_rate(us, imports, "2025-06-10", by="chapter")
    assert list(chapters["chapter"]) == ["61", "87", "95"]


def test_it_equals_frame_resolve_summed_by_origin(us):
    rows = real_entries(us, 3000, seed=5)
    table = pd.DataFrame(
        {
            "goods": [e.goods for e in rows],
            "origin": [e.origin for e in rows],
            "value": [str(e.value.amount) for e in rows],
            "quantity": [
                f"{e.quantity.amount} {e.quantity.unit}" if e.quantity else "" for e in rows
            ],
        }
    )
    out = frame.effective_rate(us, table, "2025-11-01", by="origin").set_index("origin")
    resolved = frame.resolve(us, table.assign(entered="2025-11-01"))
    for origin, group in resolved.groupby("origin"):
        ok = group[group["status"] == "ok"]
        known = sum((D(v) for v in ok["value"]), D(0))
        duty = sum(ok["duty"], D(0))
        assert out.loc[origin, "duty"] == duty
        assert out.loc[origin, "known_value"] == known
        assert out.loc[origin, "unknown_rows"] == len(group) - len(ok)
        if known:
            assert abs(out.loc[origin, "rate"] - duty * 100 / known) <= D("0.0000005")


def test_bad_keys_and_missing_columns_are_named(us, imports):
    with pytest.raises(InvalidInputError, match="'hs4' is not one of origin"):
        frame.effective_rate(us, imports, "2025-06-10", by="hs4")
    with pytest.raises(InvalidInputError, match="two splits"):
        frame.effective_rate(us, imports, "2025-06-10", by=["layer", "authority"])
    with pytest.raises(InvalidInputError, match="value"):
        frame.effective_rate(us, imports.drop(columns="value"), "2025-06-10")
    with pytest.raises(InvalidInputError, match="names no date"):
        frame.effective_rate(us, imports, [])


def test_currencies_are_never_added_and_bad_values_add_nothing(us):
    imports = pd.DataFrame(
        {
            "goods": ["9503.00.00", "9503.00.00", "9503.00.00", "9503.00.00"],
            "origin": ["CN", "CN", "CN", "CN"],
            "value": ["1000", "1000", "-5", "abc"],
            "currency": ["USD", "EUR", "USD", "USD"],
        }
    )
    out = frame.effective_rate(us, imports, ["2025-06-10", "2025-06-10"], by="origin,origin")
    got = {
        r.currency: (r.rows, r.value, r.known_value, r.unknown_rows, r.unknown_value)
        for r in out.itertuples()
    }
    assert got == {
        "EUR": (1, D(1000), D(1000), 0, D(0)),
        "USD": (3, D(1000), D(1000), 2, D(0)),  # -5 and abc: counted, valued at nothing
    }


def test_a_float_value_column_is_refused(us, imports):
    with pytest.raises(InvalidInputError, match="float column"):
        frame.effective_rate(
            us, imports.assign(value=[3000.0, 1000.0, 1000.0, 500.0]), "2025-06-10"
        )

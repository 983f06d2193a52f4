"""tradelaw.dask: partitions resolved on a cluster equal tradelaw.frame row by row."""

from __future__ import annotations

import sys
from pathlib import Path

import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client, LocalCluster

from tradelaw import InvalidInputError, datasets, frame
from tradelaw import dask as tradelaw_dask

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from real_entries import real_entries

COMPARED = ["status", "total_rate", "duty", "headings", "message"]


@pytest.fixture(scope="module")
def us():
    return datasets.load("us")


def table_of(rows) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "goods": [e.goods for e in rows],
            "origin": [e.origin for e in rows],
            "entered": [e.entered.isoformat() for e in rows],
            "value": [str(e.value.amount) for e in rows],
            "quantity": [
                f"{e.quantity.amount} {e.quantity.unit}" if e.quantity else "" for e in rows
            ],
        }
    )


# The test puts its table into the task graph (from_pandas); Dask warns of its size.
@pytest.mark.filterwarnings("ignore:Sending large graph")
def test_200000_rows_on_a_cluster_of_two_worker_processes_equal_frame_resolve(us):
    table = table_of(real_entries(us, 200_000, seed=29))
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster),
    ):
        out = tradelaw_dask.resolve(us, dd.from_pandas(table, npartitions=8)).compute()
    want = frame.resolve(us, table, layers=True)
    assert len(out) == len(table)
    assert out.index.tolist() == want.index.tolist()
    for column in COMPARED:
        assert out[column].tolist() == want[column].tolist(), column
    layers = [c for c in out.columns if c.startswith("duty_")]
    assert set(layers) >= {c for c in want.columns if c.startswith("duty_")}
    ok = out["status"] == "ok"
    assert (out.loc[ok, layers].sum(axis=1) == out.loc[ok, "duty"]).all()


def test_a_panel_in_parts_equals_the_panel(us, monkeypatch):
    monkeypatch.setattr(tradelaw_dask, "PANEL_LINES", 7)
    args = (us, ["2025-06-10", "2026-06-10"])
    kwargs = {"goods": ["8703.23", "0201.10"], "origins": ["JP", "CN", "AR"]}
    parts = tradelaw_dask.panel(*args, **kwargs).compute()  # the local scheduler
    whole = frame.panel(*args, **kwargs)
    assert len(parts) == len(whole)
    for column in whole.columns:
        assert parts[column].tolist() == whole[column].tolist(), column


def test_a_table_without_a_required_column_is_refused(us):
    with pytest.raises(InvalidInputError, match="entered"):
        tradelaw_dask.resolve(us, dd.from_pandas(pd.DataFrame({"goods": ["9503"]}), 1))


def test_results_and_panels_written_to_parquet_read_back_exactly(us, tmp_path):
    # Dask's own schema inference refuses the Decimal columns; parquet_schema types them.
    table = table_of(real_entries(us, 3_000, seed=31))
    out = tradelaw_dask.resolve(us, dd.from_pandas(table, npartitions=3))
    # The metadata Dask is given has the partitions' column types (text is text).
    assert out._meta.dtypes.to_dict() == out.partitions[0].compute().dtypes.to_dict()
    out.to_parquet(tmp_path / "resolved", schema=tradelaw_dask.parquet_schema(out))
    back = pd.read_parquet(tmp_path / "resolved")
    want = frame.resolve(us, table, layers=True)
    for column in ["total_rate", "duty", *(c for c in want.columns if c.startswith("duty_"))]:
        assert back[column].tolist() == want[column].tolist(), column
    assert back["status"].tolist() == want["status"].tolist()
    cells = tradelaw_dask.panel(us, ["2026-06-30"], goods=["8703"], origins=["JP", "DE"])
    cells.to_parquet(tmp_path / "panel", schema=tradelaw_dask.parquet_schema(cells))
    assert pd.read_parquet(tmp_path / "panel")["total_rate"].tolist() == (
        cells["total_rate"].compute().tolist()
    )

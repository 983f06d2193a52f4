"""The `tradelaw` command, run as the installed console script in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from test_hts import EXCERPT, write_csv
from tradelaw import Entry, Money, Quantity, datasets, dump, hts, load
from tradelaw.cli import parser
from tradelaw.examples import japan_us_2025 as jp
from tradelaw.resolution import tidy

GOLDEN = Path(__file__).parent / "golden" / "cli"
SCRIPT = Path(sys.executable).parent / "tradelaw"


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # These tests read the worked example, whatever the default dataset is.
    environment = {k: v for k, v in os.environ.items() if k != "TRADELAW_HTS"}
    environment |= {"TRADELAW_DATASET": "japan-us-2025"} | (env or {})
    return subprocess.run(
        [str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        check=False,
    )


def golden(name: str, text: str) -> None:
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    assert text == expected


@pytest.fixture(scope="module")
def mini_hts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_csv(tmp_path_factory.mktemp("hts") / "excerpt.csv", EXCERPT)


# -- rate ---------------------------------------------------------------------------------


def test_rate_text_is_the_explanation():
    done = run("rate", "8703.23.01", "--origin", "JP", "--on", "2025-04-09", "--value", "40000")
    assert (done.returncode, done.stderr) == (0, "")
    golden("rate_car_2025-04-09.txt", done.stdout)


def test_rate_json_has_the_documented_fields():
    done = run(
        "rate", "9503.00.00", "--origin", "JP", "--on", "2025-04-09", "--value", "1000",
        "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0
    data = json.loads(done.stdout)
    assert (data["goods"], data["origin"], data["on"]) == ("95030000", "JP", "2025-04-09")
    assert data["total_rate"] == "24"
    assert data["duty"] == {"amount": "240", "currency": "USD"}
    assert [a["heading"] for a in data["applied"]] == ["9903.01.53", "9503.00.00"]
    assert data["skipped"] == [
        {"id": "baseline", "reason": "outranked", "by": ["jp-reciprocal"], "detail": ""}
    ]


def test_rate_without_value_gives_the_rate_and_says_so():
    done = run("rate", "9503.00.00", "--origin", "JP", "--on", "2025-04-10", "--format", "json")
    data = json.loads(done.stdout)
    assert (data["total_rate"], data["duty"], data["value"]) == ("10", None, None)
    text = run("rate", "9503.00.00", "--origin", "JP", "--on", "2025-04-10").stdout
    assert text.endswith("(no --value: amounts are per USD 100.00; give --value for the duty)\n")


def test_rate_as_of_reads_the_law_as_known_then():
    args = ("rate", "9503.00.00", "--origin", "JP", "--on", "2025-07-09", "--format", "json")
    filed = json.loads(run(*args, "--as-of", "2025-07-01").stdout)
    amended = json.loads(run(*args).stdout)
    assert (filed["total_rate"], amended["total_rate"]) == ("24", "10")
    assert filed["as_of"] == "2025-07-01T00:01:00-04:00"


def test_rate_reads_facts_by_their_declared_type():
    done = run(
        "rate", "8703.23.01", "--origin", "JP", "--on", "2025-06-10", "--value", "40000",
        "--fact", "us_auto_investment=50000000000", "--format", "json",
    )  # fmt: skip
    data = json.loads(done.stdout)
    assert data["total_rate"] == "22.5"  # 25% less 5 points, on top of 2.5%
    assert data["applied"][1]["relief"][0]["credit"] == "jp-auto-investment-proposal"


def test_rate_unknown_duty_exits_1_and_names_the_measure(mini_hts: Path):
    done = run("rate", "0201.10.10", "--origin", "JP", "--on", "2025-06-10", "--hts", mini_hts)
    assert done.returncode == 1
    assert "Total: unknown" in done.stdout
    assert (
        "mfn-excerpt-0201.10.10: unknown: USD 0.044/kg needs the quantity in kg (--quantity N kg)"
        in done.stdout
    )


def test_rate_with_hts_base_and_quantity(mini_hts: Path):
    done = run(
        "rate", "0201.10.10", "--origin", "AR", "--on", "2025-06-10", "--value", "1000",
        "--quantity", "100", "kg", "--hts", mini_hts, "--format", "json",
    )  # fmt: skip
    data = json.loads(done.stdout)
    assert done.returncode == 0
    assert data["duty"]["amount"] == "104.4"  # 4.4¢/kg on 100 kg, plus the 10% baseline
    assert [a["id"] for a in data["applied"]] == ["baseline", "mfn-excerpt-0201.10.10"]


def test_hts_from_the_environment(mini_hts: Path):
    args = ("rate", "0201.10.10", "--origin", "AR", "--on", "2025-06-10", "--format", "json")
    with_env = json.loads(run(*args, env={"TRADELAW_HTS": str(mini_hts)}).stdout)
    assert "mfn-excerpt-0201.10.10" in [u["id"] for u in with_env["unknown"]]
    missing = run(*args, env={"TRADELAW_HTS": "/no/such/file.csv"})
    assert missing.returncode == 2
    assert missing.stderr == "tradelaw: error: TRADELAW_HTS: '/no/such/file.csv' is not a file\n"


def test_rate_on_a_schedule_file(tmp_path: Path):
    file = tmp_path / "jp.toml"
    dump(jp.schedule(), file)
    args = ("rate", "9503.00.00", "--origin", "JP", "--on", "2025-04-09", "--format", "json")
    assert json.loads(run(*args, "--schedule", file).stdout)["total_rate"] == "24"


def test_a_line_without_base_rate_is_unknown_and_says_what_to_supply(mini_hts: Path):
    done = run("rate", "4202.29.20.00", "--origin", "JP", "--on", "2025-06-10", "--format", "json")
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert data["total_rate"] is None
    assert data["unknown"] == [
        {"id": "mfn?", "layer": "mfn", "reason": "no 'mfn' measure covers 4202.29.20.00 from JP"}
    ]
    supplied = run(
        "rate", "4202.29.20.00", "--origin", "JP", "--on", "2025-06-10", "--hts", mini_hts
    )
    assert supplied.returncode == 0
    assert "Total: 13.3%" in supplied.stdout


# -- timeline -----------------------------------------------------------------------------


def test_timeline_text_and_json():
    args = ("timeline", "9503.00.00", "--origin", "JP", "--from", "2025-01-01")
    done = run(*args, "--to", "2026-01-01")
    assert done.returncode == 0
    golden("timeline_toy_2025.txt", done.stdout)
    data = json.loads(run(*args, "--to", "2026-01-01", "--format", "json").stdout)
    assert [(p["start"], p["total_rate"]) for p in data["periods"]] == [
        ("2025-01-01", "0"),
        ("2025-04-05", "10"),
        ("2025-04-09", "24"),
        ("2025-04-10", "10"),
    ]
    assert data["periods"][-1]["end"] == "2026-01-01"


def test_timeline_as_rows_for_several_goods_and_origins_with_each_layer():
    args = ("timeline", "8703.23.01", "9503.00.00", "--origin", "JP", "CN")
    done = run(*args, "--from", "2025-03-01", "--to", "2025-05-01", "--format", "csv")
    assert done.returncode == 0
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert {(r["goods"], r["origin"]) for r in rows} == {
        (g, o) for g in ("87032301", "95030000") for o in ("JP", "CN")
    }
    car = next(
        r
        for r in rows
        if r["goods"] == "87032301" and r["origin"] == "JP" and r["start"] == "2025-04-03"
    )
    # 2.5% column 1 and the 25% Section 232 duty, each in its own column; layers the
    # period does not have charge nothing there.
    assert (car["total_rate"], car["rate_mfn"], car["rate_s232-autos"]) == ("27.5", "2.5", "25")
    assert car["rate_ieepa-reciprocal"] == "0"
    assert car["duty_s232-autos"] == "25"  # of the nominal value of 100

    lines = run(
        *args[:2],
        "--origin",
        "JP",
        "--from",
        "2025-03-01",
        "--to",
        "2025-05-01",
        "--value",
        "1000",
        "--format",
        "jsonl",
    ).stdout.splitlines()
    last = json.loads(lines[-1])
    assert (last["duty"], last["duty_mfn"], last["duty_s232-autos"]) == ("275", "25", "250")
    assert "rate_ieepa-reciprocal" not in last  # JSON lines name only what applied

    both = json.loads(
        run(*args, "--from", "2025-04-09", "--to", "2025-04-10", "--format", "json").stdout
    )
    assert [(t["goods"], t["origin"]) for t in both] == [
        ("87032301", "JP"),
        ("87032301", "CN"),
        ("95030000", "JP"),
        ("95030000", "CN"),
    ]
    toy = both[2]["periods"][0]
    assert toy["layers"] == {
        "ieepa-reciprocal": {"rate": "24", "duty": "24"},
        "mfn": {"rate": "0", "duty": "0"},
    }


def test_an_unknown_period_has_no_total_and_no_layer_rates(mini_hts: Path):
    done = run(
        "timeline",
        "0101.21.00",
        "--origin",
        "FR",
        "--from",
        "2025-01-01",
        "--to",
        "2025-02-01",
        "--hts",
        mini_hts,
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert done.returncode == 1
    assert all(r["status"] == "unknown" and r["total_rate"] == "" and r["message"] for r in rows)


DEAL = """format = "tradelaw/2"
name = "15% deal"
jurisdiction = "US"
zone = "America/New_York"

[[items]]
kind = "measure"
id = "jp-reciprocal"
title = "Reciprocal tariff: Japan, 15% inclusive"
heading = "9903.01.53"
layer = "ieepa-reciprocal"
origins = { terms = ["JP"] }
period = { start = "2025-04-09", end = "2025-08-07" }
rate = { kind = "top-up", percent = "15" }
"""


def test_an_overlay_is_stacked_over_the_dataset(tmp_path: Path):
    deal = tmp_path / "deal.toml"
    deal.write_text(DEAL, encoding="utf-8")
    args = ("rate", "9503.00.00", "--origin", "JP", "--on", "2025-04-09", "--format", "json")
    assert json.loads(run(*args).stdout)["total_rate"] == "24"
    overlaid = run(*args, "--overlay", deal)
    assert json.loads(overlaid.stdout)["total_rate"] == "15"
    timeline = run(
        "timeline",
        "9503.00.00",
        "--origin",
        "JP",
        "--from",
        "2025-04-09",
        "--to",
        "2025-04-10",
        "--overlay",
        deal,
        "--format",
        "csv",
    )
    assert "15% deal" not in timeline.stdout
    assert next(csv.DictReader(io.StringIO(timeline.stdout)))["total_rate"] == "15"
    missing = run(*args, "--overlay", tmp_path / "none.toml")
    assert missing.returncode == 2
    assert "none.toml" in missing.stderr


def test_timeline_as_filed_keeps_the_pause_end_known_then():
    args = (
        "timeline",
        "9503.00.00",
        "--origin",
        "JP",
        "--from",
        "2025-06-01",
        "--to",
        "2025-09-01",
    )
    filed = json.loads(run(*args, "--as-of", "2025-05-01", "--format", "json").stdout)
    assert [(p["start"], p["total_rate"]) for p in filed["periods"]] == [
        ("2025-06-01", "10"),
        ("2025-07-09", "24"),
        ("2025-08-07", "10"),
    ]
    amended = json.loads(run(*args, "--format", "json").stdout)
    assert [(p["start"], p["total_rate"]) for p in amended["periods"]] == [("2025-06-01", "10")]


# -- entries ------------------------------------------------------------------------------

ENTRIES = """\
goods,origin,entered,value,currency,quantity,loaded,us_auto_investment
8703.23.01,JP,2025-04-09,40000,USD,,,
9503.00.00,JP,2025-07-09,1000,,,,
9503.00.00,XX,2025-04-09,1000,,,,
9503.00.00,JP,2025-04-09,12.5.0,,,,
9503.00.00,JP,2025-04-09,1000,,,2025-04-0x,
9503.00.00,JP,2025-07-09,2000,,,,
"""


def test_entries_resolve_rows_report_bad_ones_and_keep_them(tmp_path: Path):
    source = tmp_path / "entries.csv"
    source.write_text(ENTRIES, encoding="utf-8")
    out = tmp_path / "out.csv"
    done = run(
        "entries", source, "-o", out, "--as-of", "2025-07-01", "--compare-latest", "--no-progress"
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"tradelaw: error: {source}: line 4: origin: 'XX' is not an ISO 3166-1 alpha-2 "
        "country code",
        f"tradelaw: error: {source}: line 5: value: '12.5.0' is not a number",
        f"tradelaw: error: {source}: line 6: loaded: '2025-04-0x' is not an ISO 8601 date "
        "or datetime",
    ]
    with out.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [r["status"] for r in rows] == ["ok", "ok", "error", "error", "error", "ok"]
    assert [r["duty"] for r in rows] == ["11000", "240", "", "", "", "480"]
    # As filed on 1 July the pause ended on 9 July; the extension (recorded 7 July) refunds.
    assert [r["difference"] for r in rows] == ["0", "-140", "", "", "", "-280"]
    assert rows[2]["origin"] == "XX"  # the bad row is written as given
    assert done.stdout == (
        "6 rows: 3 ok, 0 unknown, 0 prohibited, 0 unresolved, 3 error; total duty USD 11,720.00; "
        "as amended minus as filed USD -420.00\n"
    )


def test_entries_to_stdout_with_summary_on_stderr(tmp_path: Path):
    source = tmp_path / "entries.csv"
    source.write_text(
        "goods,origin,entered,value\n9503.00.00,JP,2025-04-09,100\n", encoding="utf-8"
    )
    done = run("entries", source)
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "goods,origin,entered,value,total_rate,duty,headings,status,message",
        "9503.00.00,JP,2025-04-09,100,24,24,9903.01.53 9503.00.00,ok,",
    ]
    assert "1 rows: 1 ok, 0 unknown, 0 prohibited" in done.stderr


def test_entries_unknown_rows_exit_1(tmp_path: Path, mini_hts: Path):
    source = tmp_path / "entries.csv"
    source.write_text(
        "goods,origin,entered,value,quantity\n0201.10.10,AR,2025-06-10,100,\n"
        "0201.10.10,AR,2025-06-10,100,10 kg\n",
        encoding="utf-8",
    )
    done = run("entries", source, "--hts", mini_hts)
    assert done.returncode == 1
    rows = list(csv.DictReader(done.stdout.splitlines()))
    assert [r["status"] for r in rows] == ["unknown", "ok"]
    assert "needs the quantity in kg" in rows[0]["message"]
    assert rows[1]["duty"] == "10.44"
    # The summary counts rows the way their status column does.
    assert done.stderr.startswith("2 rows: 1 ok, 1 unknown, 0 prohibited, 0 unresolved, 0 error; ")


def test_entries_build_only_the_rows_codes_and_resolve_as_the_whole_export(
    tmp_path: Path, mini_hts: Path
):
    source = tmp_path / "entries.csv"
    source.write_text(
        "goods,origin,entered,value,quantity\n0201.10.10.90,AR,2025-06-10,100,\n"
        "0406.90.94.00,JP,2025-06-10,100,10 kg\n87O3,JP,2025-06-10,100,\n",
        encoding="utf-8",
    )
    done = run("entries", source, "--hts", mini_hts)
    rows = list(csv.DictReader(done.stdout.splitlines()))
    whole = hts.load(mini_hts).stack(datasets.load("japan-us-2025"))
    expected = [
        whole.resolve(Entry("0201.10.10.90", "AR", "2025-06-10", Money("100", "USD"))),
        whole.resolve(
            Entry("0406.90.94.00", "JP", "2025-06-10", Money("100", "USD"), Quantity("10", "kg"))
        ),
    ]
    assert [r["total_rate"] for r in rows[:2]] == [str(e.total_rate) for e in expected]
    assert [r["headings"] for r in rows[:2]] == [" ".join(e.headings) for e in expected]
    assert rows[2]["status"] == "error"
    assert "'87O3' is not an HS/HTS code" in rows[2]["message"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("goods,origin,entered", "lacks ['value']"),
        ("goods,origin,entered,value,goods", "'goods' is a repeated column"),
    ],
)
def test_entries_bad_header_is_refused(tmp_path: Path, header: str, message: str):
    source = tmp_path / "entries.csv"
    source.write_text(header + "\n", encoding="utf-8")
    done = run("entries", source)
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_entries_pass_other_columns_through_and_write_json_lines(tmp_path: Path):
    source = tmp_path / "entries.csv"
    source.write_text(
        "reference,goods,origin,entered,value,vessel\n"
        "A-1,9503.00.00,JP,2025-04-09,100,Ever Given\n"
        "A-2,9503.00.00,XX,2025-04-09,100,\n",
        encoding="utf-8",
    )
    done = run("entries", source, "--format", "json")
    assert done.returncode == 2
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert (first["reference"], first["vessel"], first["duty"], first["status"]) == (
        "A-1",
        "Ever Given",
        "24",
        "ok",
    )
    assert list(first)[:6] == ["reference", "goods", "origin", "entered", "value", "vessel"]
    assert (second["status"], second["duty"]) == ("error", "")
    assert "line 3: origin: 'XX'" in done.stderr


def test_entries_stream_in_chunks_and_lose_no_row(tmp_path: Path, monkeypatch):
    from tradelaw.cli import _entries

    monkeypatch.setattr(_entries, "CHUNK", 3)  # in-process: several chunks from a small file
    source = tmp_path / "entries.csv"
    body = "".join(f"9503.00.00,{'JP' if n % 4 else 'XX'},2025-04-09,{n + 1}\n" for n in range(10))
    source.write_text("goods,origin,entered,value\n" + body, encoding="utf-8")
    out = tmp_path / "out.csv"
    from tradelaw.cli import main

    args = ["entries", str(source), "-o", str(out), "--no-progress", "--as-of", "2025-04-09"]
    assert main(args) == 2
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["value"] for r in rows] == [str(n + 1) for n in range(10)]
    assert [r["status"] for r in rows] == ["error" if n % 4 == 0 else "ok" for n in range(10)]
    assert [r["duty"] for r in rows if r["status"] == "ok"] == [
        str(tidy(Decimal(n + 1) * Decimal("0.24"))) for n in range(10) if n % 4
    ]


def test_entries_compare_latest_needs_as_of(tmp_path: Path):
    source = tmp_path / "entries.csv"
    source.write_text("goods,origin,entered,value\n", encoding="utf-8")
    done = run("entries", source, "--compare-latest")
    assert done.returncode == 2
    assert "--compare-latest: True needs --as-of" in done.stderr


# -- check, import-hts, datasets ----------------------------------------------------------


def test_check_accepts_a_sound_schedule(tmp_path: Path):
    file = tmp_path / "jp.toml"
    dump(jp.schedule(), file)
    done = run("check", file)
    assert (done.returncode, done.stdout) == (0, "ok: 10 items in 1 file (format tradelaw/2)\n")


def test_check_lists_every_problem(tmp_path: Path):
    file = tmp_path / "bad.toml"
    file.write_text(
        'format = "tradelaw/1"\nzone = "America/New_York"\n'
        '[[items]]\nkind = "measure"\nid = "a"\nlayer = "x"\n'
        'period = { start = "2025-13-01" }\nrate = { kind = "ad-valorem", percent = "5" }\n'
        '[[items]]\nkind = "pause"\nid = "p"\nperiod = { start = "2025-01-01" }\n'
        'targets = { layers = ["nowhere"] }\n',
        encoding="utf-8",
    )
    done = run("check", file)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1
    assert f"{file}: items[0].period.start: '2025-13-01' is not an ISO 8601" in lines[0]
    valid = tmp_path / "valid-but-unsound.toml"
    valid.write_text(file.read_text().replace("2025-13-01", "2025-12-01"), encoding="utf-8")
    unsound = run("check", valid)
    assert unsound.returncode == 2
    assert (
        f"{valid}: items[1] (p).targets.layers: 'nowhere' is the layer of no measure"
        in unsound.stderr
    )  # the file and the item's place in it, though the check is of the whole stack


def test_check_missing_file(tmp_path: Path):
    done = run("check", tmp_path / "absent.toml")
    assert done.returncode == 2
    assert "absent.toml: cannot be read" in done.stderr


def test_import_hts_writes_a_schedule_equal_to_the_import(tmp_path: Path, mini_hts: Path):
    out = tmp_path / "base.toml"
    done = run("import-hts", mini_hts, "-o", out, "--effective", "2025-06-01")
    assert done.returncode == 0
    imported = hts.load(mini_hts, effective="2025-06-01")
    assert done.stdout == f"wrote {len(imported.items)} measures to {out}\n"
    assert load(out) == imported
    assert run("check", out).returncode == 0


def test_import_hts_bad_file(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    done = run("import-hts", bad, "-o", tmp_path / "out.toml")
    assert done.returncode == 2
    assert str(bad) in done.stderr
    assert not (tmp_path / "out.toml").exists()


def test_datasets_lists_coverage():
    done = run("datasets", "--format", "json")
    (example,) = [d for d in json.loads(done.stdout) if d["name"] == "japan-us-2025"]
    assert example["items"] == 10
    assert (example["first"], example["last"]) == ("2025-01-01", "2025-08-07")
    assert "us (default)" in run("datasets").stdout
    (us,) = [d for d in json.loads(done.stdout) if d["name"] == "us"]
    assert us["tables"] == [
        "HTSUS 2025 Rev. 13 from 2025-01-01, HTSUS 2026 Rev. 4 from 2026-01-01"
    ]


# -- usage and input errors ---------------------------------------------------------------

CAR = ("rate", "8703.23.01", "--origin", "JP", "--on", "2025-06-10")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("rate", "8703.23.01", "--origin", "JP", "--on", "2025-02-30"), "--on: '2025-02-30'"),
        (("rate", "8703.23.01", "--origin", "ZZ", "--on", "2025-06-10"), "--origin: 'ZZ'"),
        (("rate", "8703.2x", "--origin", "JP", "--on", "2025-06-10"), "GOODS: '8703.2x'"),
        ((*CAR, "--value", "ten"), "--value: 'ten' is not a number"),
        ((*CAR, "--value", "10", "--currency", "XYZ"), "--currency: 'XYZ' is not an ISO 4217"),
        ((*CAR, "--value", "10", "--quantity", "x", "kg"), "--quantity: 'x' is not a number"),
        ((*CAR, "--quantity", "1", "kg"), "--quantity: ['1', 'kg'] needs --value too"),
        ((*CAR, "--loaded", "soon"), "--loaded: 'soon' is not an ISO 8601"),
        ((*CAR, "--fact", "model_year=old"), "--fact model_year: 'old' is not an integer"),
        ((*CAR, "--fact", "vessel=Maru"), "--fact vessel: 'vessel' is not a declared fact"),
        ((*CAR, "--fact", "model_year"), "--fact: 'model_year' is not NAME=VALUE"),
        ((*CAR, "--as-of", "last week"), "--as-of: 'last week'"),
        ((*CAR, "--dataset", "atlantis"), "--dataset: 'atlantis' is not an embedded dataset"),
        ((*CAR, "--schedule", "/no/file.toml"), "/no/file.toml: cannot be read"),
        ((*CAR, "--hts", "/no/hts.csv"), "--hts: '/no/hts.csv' is not a file"),
        (("rate", "8703.23.01", "--on", "2025-06-10"), "the following arguments are required"),
        ((*CAR, "--format", "xml"), "invalid choice: 'xml'"),
        (
            ("rate", "8703.23.01", "--origin", "JP", "--on", "2025-06-10T09:00"),
            "--on: '2025-06-10T09:00' has a time but no UTC offset",
        ),
        (
            (
                "timeline",
                "9503.00.00",
                "--origin",
                "JP",
                "--from",
                "2025-13-01",
                "--to",
                "2026-01-01",
            ),
            "--from: '2025-13-01' is not an ISO 8601",
        ),
        (
            (
                "timeline",
                "9503.00.00",
                "--origin",
                "JP",
                "--from",
                "2025-01-01",
                "--to",
                "2026-13-01",
            ),
            "--to: '2026-13-01' is not an ISO 8601",
        ),
        (
            (
                "timeline",
                "9503.00.00",
                "--origin",
                "JP",
                "--from",
                "2025-06-01",
                "--to",
                "2025-01-01",
            ),
            "--to: '2025-01-01' is not after --from 2025-06-01",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_value(args: tuple[str, ...], message: str):
    done = run(*args)
    assert done.returncode == 2
    assert message in done.stderr
    if "usage:" not in done.stderr:  # argparse prints its usage line first
        assert len(done.stderr.splitlines()) == 1
    assert done.stdout == ""


def test_every_subcommand_has_help():
    usage = parser().format_help()
    for name in ("rate", "timeline", "entries", "check", "import-hts", "datasets"):
        assert name in usage
        done = run(name, "--help")
        assert done.returncode == 0
        assert done.stdout.startswith(f"usage: tradelaw {name}")


def test_python_dash_m_and_version():
    done = subprocess.run(
        [sys.executable, "-m", "tradelaw", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("tradelaw ")


@pytest.mark.parametrize("locale", ["en_US", "ja_JP", "de_DE"])
def test_rate_text_in_a_locale(locale: str):
    done = run(
        "rate", "8703.23.01", "--origin", "JP", "--on", "2025-06-10", "--value", "40000",
        "--fact", "us_auto_investment=50000000000", "--locale", locale,
    )  # fmt: skip
    assert done.returncode == 0
    golden(f"rate_car_credit_{locale}.txt", done.stdout)


def test_timeline_in_a_locale_and_a_bad_locale():
    args = (
        "timeline",
        "9503.00.00",
        "--origin",
        "JP",
        "--from",
        "2025-04-01",
        "--to",
        "2025-05-01",
    )
    assert "24\xa0%" in run(*args, "--locale", "de_DE").stdout
    bad = run(*args, "--locale", "xx_YY")
    assert (bad.returncode, bad.stderr) == (
        2,
        "tradelaw: error: --locale: 'xx_YY' is not a locale (e.g. en_US, ja_JP)\n",
    )


def test_entries_progress_bar_on_request(tmp_path: Path):
    source = tmp_path / "entries.csv"
    source.write_text("goods,origin,entered,value\n9503.00.00,JP,2025-04-09,100\n", "utf-8")
    drawn = run("entries", source, "-o", tmp_path / "out.csv", "--progress")
    assert "entries: 100%" in drawn.stderr
    quiet = run("entries", source, "-o", tmp_path / "out.csv")
    assert quiet.stderr == ""  # not a terminal: no bar


def test_entries_row_with_extra_cells_is_reported_and_kept(tmp_path: Path):
    source = tmp_path / "entries.csv"
    source.write_text(
        "goods,origin,entered,value\n9503.00.00,JP,2025-04-09,100,oops\n"
        "9503.00.00,JP,2025-04-09,100\n",
        "utf-8",
    )
    done = run("entries", source)
    assert done.returncode == 2
    assert f"{source}: line 2: ['oops'] has more cells than the header" in done.stderr
    rows = list(csv.DictReader(done.stdout.splitlines()))
    assert [r["status"] for r in rows] == ["error", "ok"]


# -- the us dataset's base layer -----------------------------------------------------------


def test_every_line_is_known_out_of_the_box():
    done = run(
        "rate", "3924.10.40", "--origin", "JP", "--on", "2026-03-01", "--value", "1000",
        "--format", "json", env={"TRADELAW_DATASET": "us"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["total_rate"] == "13.4"  # 3.4% column 1 (2026 Rev. 4) + 10% Section 122
    assert data["applied"][0]["citation"] == "HTSUS 2026 Rev. 4, 3924.10.40.00"


def test_an_unknown_says_which_fact_to_give_and_how():
    args = ("rate", "8471.30.01", "--origin", "JP", "--on", "2025-06-10", "--value", "1000")
    done = run(*args, env={"TRADELAW_DATASET": "us"})
    assert done.returncode == 1
    assert (
        "needs fact(s) passenger_vehicle_part (boolean; --fact passenger_vehicle_part=true)"
        in done.stdout
    )
    given = run(*args, "--fact", "passenger_vehicle_part=true", env={"TRADELAW_DATASET": "us"})
    assert given.returncode == 0
    assert "Total: 25% = USD 250.00" in given.stdout


def test_a_quantity_in_a_unit_people_write(mini_hts: Path):
    done = run(
        "rate", "0201.10.10", "--origin", "AR", "--on", "2025-06-10", "--value", "1000",
        "--quantity", "100", "kilograms", "--hts", mini_hts, "--format", "json",
    )  # fmt: skip
    assert json.loads(done.stdout)["duty"]["amount"] == "104.4"
    refused = run(
        "rate", "0201.10.10", "--origin", "AR", "--on", "2025-06-10", "--value", "1000",
        "--quantity", "1", "ton", "--hts", mini_hts,
    )  # fmt: skip
    assert refused.returncode == 2
    assert refused.stderr.startswith("tradelaw: error: --quantity: 'ton' is not a unit")


def test_a_claim_by_the_programme_s_name():
    args = ("rate", "8703.23.01", "--origin", "KR", "--on", "2025-03-01", "--format", "json")
    by_name = json.loads(
        run(*args, "--fact", "claim=KORUS", env={"TRADELAW_DATASET": "us"}).stdout
    )
    by_symbol = json.loads(run(*args, "--fact", "claim=KR", env={"TRADELAW_DATASET": "us"}).stdout)
    assert by_name["total_rate"] == by_symbol["total_rate"] == "0"


def test_an_export_adds_an_edition_from_a_date(mini_hts: Path):
    args = (
        "timeline",
        "0201.10.10",
        "--origin",
        "AR",
        "--from",
        "2026-06-01",
        "--to",
        "2026-08-01",
    )
    us = {"TRADELAW_DATASET": "us"}
    done = run(*args, "--hts", mini_hts, "--hts-from", "2026-07-01", "--format", "json", env=us)
    periods = json.loads(done.stdout)["periods"]
    assert [p["start"] for p in periods] == ["2026-06-01", "2026-07-01"]
    # 4.4¢/kg with no quantity: unknown under either edition, each named
    assert periods[0]["unknown"][0]["id"] == "mfn-2026-rev-4-0201.10.10"
    assert periods[1]["unknown"][0]["id"] == "mfn-excerpt-0201.10.10"
    assert "--quantity N kg" in periods[1]["unknown"][0]["reason"]
    from_env = run(
        *args,
        "--format",
        "json",
        env=us | {"TRADELAW_HTS": str(mini_hts), "TRADELAW_HTS_FROM": "2026-07-01"},
    )
    assert json.loads(from_env.stdout)["periods"] == periods
    bad = run(*args, "--hts", mini_hts, "--hts-from", "July", env=us)
    assert bad.returncode == 2
    assert bad.stderr.startswith("tradelaw: error: --hts-from: 'July'")


def test_timeline_text_says_why_a_period_is_unknown():
    done = run(
        "timeline", "8471.30.01", "--origin", "JP", "--from", "2025-04-01", "--to", "2025-06-01",
        env={"TRADELAW_DATASET": "us"},
    )  # fmt: skip
    lines = done.stdout.splitlines()
    assert lines[3].startswith("2025-05-03        2025-06-01         unknown")
    assert (
        lines[4].strip().startswith("s232-autos: autos-parts-other: unknown: its condition needs")
    )


# -- hardening (issue 14): what a user was hurt by ------------------------------------------


def test_a_broken_pipe_is_quiet():
    pipeline = (
        f"{SCRIPT} timeline 8703.23.01 --origin JP --from 2025-01-01 --to 2027-01-01 | head -1"
    )
    done = subprocess.run(
        ["sh", "-c", pipeline], capture_output=True, text=True, check=False,
        env={k: v for k, v in os.environ.items() if k != "TRADELAW_HTS"},
    )  # fmt: skip
    assert done.stdout.startswith("8703.23.01 from JP")
    assert done.stderr == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_an_output_that_cannot_be_written_is_a_clear_error(tmp_path: Path):
    source = tmp_path / "entries.csv"
    source.write_text("goods,origin,entered,value\n9503.00.00,JP,2025-04-09,1000\n")
    done = run("entries", source, "-o", "/dev/full")
    assert done.returncode == 2
    assert done.stderr == (
        "tradelaw: error: -o: '/dev/full' cannot be written: No space left on device\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((*CAR, "--value", "1e26"), "--value: '1e26' is out of range"),
        ((*CAR, "--value", "9" * 5000), "is out of range"),
        (("timeline", "8703.23.01", "--origin", "JP", "--from", "2025-01-01",
          "--to", "9999-12-31T23:59:59-12:00"), "--to: '9999-12-31T23:59:59-12:00' is outside"),
        (("rate", "8703.23.01", "--origin", "JP", "--on", "0001-01-01"),
         "--on: '0001-01-01' is outside the years tradelaw handles"),
    ],
)  # fmt: skip
def test_out_of_range_input_is_an_error_not_a_crash(args: tuple[str, ...], message: str):
    done = run(*args)
    assert (done.returncode, done.stdout) == (2, "")
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_one_bad_row_loses_no_other_row(tmp_path: Path):
    source = tmp_path / "entries.csv"
    cells = [
        "9503.00.00,JP,2025-04-09,1000",
        "9503.00.00,JP,2025-04-09,1e30",
        '"9503.\n00.00",JP,2025-04-09,x',
        "9" * 200_000 + ",JP,2025-04-09,5",
        "9503.00.00,JP,2025-04-09,5",
    ]
    source.write_text("goods,origin,entered,value\n" + "\n".join(cells) + "\n", encoding="utf-8")
    done = run("entries", source)
    csv.field_size_limit(1 << 30)  # the long cell is written back as it was read
    rows = list(csv.DictReader(done.stdout.splitlines()))
    assert [r["status"] for r in rows] == ["ok", "error", "error", "error", "ok"]
    assert rows[4]["duty"] == "1.2"
    errors = done.stderr.splitlines()
    assert errors[0].endswith("line 3: value: '1e30' is out of range: tradelaw takes numbers "
                              "below 10^15 with at most 10 decimal places")  # fmt: skip
    assert ": line 4: value: 'x' is not a number" in errors[1]  # the quoted row's first line
    assert "(200000 characters)" in errors[2]
    assert len(errors[2]) < 300
    assert errors[3].startswith("5 rows: 2 ok, 0 unknown, 0 prohibited, 0 unresolved, 3 error")


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_an_entries_file_line_longer_than_any_is_refused_naming_its_start(
    tmp_path: Path, monkeypatch, ending: str
):
    from tradelaw.cli import _entries
    from tradelaw.errors import InvalidInputError

    monkeypatch.setattr(_entries, "_LARGEST_CELL", 40)
    monkeypatch.setattr(_entries.csv, "field_size_limit", lambda limit=None: limit)  # global
    source = tmp_path / "entries.csv"
    short = ending.join(["goods,origin,entered,value", "9503.00.00,JP,2025-04-09,1", ""])
    source.write_text(short, encoding="utf-8", newline="")
    with _entries._rows(str(source)) as (header, rows):
        assert header == ["goods", "origin", "entered", "value"]
        assert list(rows) == [(2, ["9503.00.00", "JP", "2025-04-09", "1"])]
    source.write_text(short + "9503.00.00," + "J" * 40 + ending, encoding="utf-8", newline="")
    with pytest.raises(InvalidInputError) as error, _entries._rows(str(source)) as (_, rows):
        list(rows)
    assert error.value.value == "9503.00.00,JJJJJJJJJ"
    assert "has a line of more than 40 characters" in str(error.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "has no header row"),
        (b"goods,origin,entered,value\n9503.00.00,J\xe9P,2025-04-09,1\n",
         "is not UTF-8 text; save the file as UTF-8"),
    ],
)  # fmt: skip
def test_an_unreadable_entries_file_is_one_clear_message(tmp_path: Path, content, message):
    source = tmp_path / "entries.csv"
    source.write_bytes(content)
    done = run("entries", source)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_zero_value_answers_alike_in_text_json_and_entries(tmp_path: Path):
    car = ("rate", "8703.23.01", "--origin", "JP", "--on", "2025-06-10", "--value", "0")
    text = run(*car)
    assert (text.returncode, text.stdout.splitlines()[1]) == (
        0,
        "Total: no ad valorem rate = USD 0.00 on USD 0.00",
    )
    data = json.loads(run(*car, "--format", "json").stdout)
    assert (data["known"], data["total_rate"], data["duty"]["amount"]) == (True, None, "0")
    source = tmp_path / "entries.csv"
    source.write_text("goods,origin,entered,value\n8703.23.01,JP,2025-06-10,0\n", encoding="utf-8")
    (row,) = csv.DictReader(run("entries", source).stdout.splitlines())
    assert (row["status"], row["total_rate"], row["duty"]) == ("ok", "", "0")


def test_amounts_are_in_the_schedule_s_currency_by_default(tmp_path: Path):
    file = tmp_path / "eu.toml"
    file.write_text(
        'format = "tradelaw/2"\nname = "eu"\njurisdiction = "EU"\nzone = "Europe/Brussels"\n'
        'currency = "EUR"\n[[items]]\nkind = "measure"\nid = "cars"\nlayer = "cet"\n'
        'period = { start = "2025-01-01" }\nrate = { kind = "ad-valorem", percent = "10" }\n',
        encoding="utf-8",
    )
    args = ("rate", "8703.23.01", "--origin", "JP", "--on", "2025-06-10", "--value", "100")
    done = run(*args, "--schedule", file)
    assert "Total: 10% = EUR 10.00 on EUR 100.00" in done.stdout
    usd = run(*args, "--schedule", file, "--currency", "USD")
    assert "Total: 10% = USD 10.00 on USD 100.00" in usd.stdout  # --currency still decides


def test_panel_writes_every_line_and_origin_with_its_layers(tmp_path: Path):
    done = run("panel", "--dataset", "us", "--on", "2025-06-10", "--goods", "8703.23.01",
               "--origins", "JP,CN")  # fmt: skip
    assert done.returncode == 0
    rows = list(csv.DictReader(done.stdout.splitlines()))
    assert len(rows) == 14  # 7 statistical lines x 2 origins
    first = rows[0]
    assert (first["goods"], first["origin"], first["total_rate"]) == (
        "8703.23.01.10",
        "CN",
        "52.5",
    )
    assert (first["rate_mfn"], first["rate_s232-autos"], first["rate_s301-china"]) == (
        "2.5",
        "25",
        "25",
    )
    assert done.stderr == "14 cells: 14 ok, 0 unknown, 0 prohibited, 0 unresolved, 0 error\n"
    out = tmp_path / "panel.parquet"
    assert run("panel", "--dataset", "us", "--on", "2025-06-10", "--goods", "0201.10", "--origins", "AR",
               "-o", out).returncode == 1  # fmt: skip  # specific rates: unknown without quantity
    import pyarrow.parquet as pq

    table = pq.read_table(out).to_pylist()
    unknown = [row for row in table if row["status"] == "unknown"]  # in-quota: 4.4c/kg
    assert len(unknown) == 4
    assert all("needs the quantity in kg" in row["message"] for row in unknown)
    assert all(row["total_rate"] is None for row in unknown)  # never zero
    assert [row["total_rate"] for row in table if row["status"] == "ok"] == [Decimal("26.4")] * 2
    bad = run("panel", "--on", "2025-06-10", "--goods", "87", "-o", tmp_path / "panel.xlsx")
    assert (bad.returncode, "-o:" in bad.stderr) == (2, True)


def test_a_file_unreadable_past_its_first_chunk_writes_nothing(tmp_path: Path):
    # The output is written beside its place and renamed into it only at the end (to
    # standard output, the file is read whole first): never a half-written output.
    source = tmp_path / "entries.csv"
    source.write_bytes(
        b"goods,origin,entered,value\n"
        + b"9503.00.00,JP,2025-04-09,1\n" * 20_005  # past the first chunk of 20,000
        + b"9503,J\xed\xa0\x80P,x,1\n"
    )
    out = tmp_path / "out.csv"
    done = run("entries", source, "-o", out)
    assert done.returncode == 2
    assert "is not UTF-8 text" in done.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [source]  # nor a part of one
    out.write_text("kept\n", encoding="utf-8")
    assert run("entries", source, "-o", out).returncode == 2
    assert out.read_text(encoding="utf-8") == "kept\n"  # an earlier output is untouched
    to_stdout = run("entries", source)
    assert (to_stdout.returncode, to_stdout.stdout) == (2, "")


def test_effective_rate_of_an_imports_file_by_authority(tmp_path: Path):
    imports = tmp_path / "imports.csv"
    imports.write_text(
        "goods,origin,value\n8703.23.01,JP,3000\n8703.23.01,DE,1000\n9503.00.00,CN,1000\n"
        "6104.29.20,VN,500\n",
        encoding="utf-8",
    )
    out = tmp_path / "rates.csv"
    args = ("effective-rate", imports, "--on", "2025-06-10", "2025-10-01", "--dataset", "us")
    done = run(*args, "--by", "authority", "-o", out)
    assert done.returncode == 1  # one row's duty is not known: counted, not zero
    assert "2 whose duty is not known" in done.stdout
    rows = [
        (r["on"], r["authority"], r["rate"], r["unknown_rows"]) for r in csv.DictReader(out.open())
    ]
    assert rows == [
        ("2025-06-10", "mfn", "2", "1"),
        ("2025-06-10", "s232", "20", "1"),
        ("2025-10-01", "mfn", "2", "1"),
        ("2025-10-01", "s232", "10", "1"),  # the Japan and EU deals: 15% inclusive
    ]
    bad = run(*args, "--by", "hs4")
    assert bad.returncode == 2
    assert "--by: 'hs4' is not one of origin" in bad.stderr
    missing = run("effective-rate", tmp_path / "none.csv", "--on", "2025-06-10")
    assert missing.returncode == 2
    assert "none.csv" in missing.stderr


def test_compare_entries_timelines_and_panels(tmp_path: Path):
    deal = tmp_path / "deal.toml"
    deal.write_text(DEAL, encoding="utf-8")
    entries = tmp_path / "entries.csv"
    entries.write_text(
        "goods,origin,entered,value,ref\n9503.00.00,JP,2025-04-09,1000,a\n"
        "9503.00.00,JP,2025-06-10,1000,b\n",
        encoding="utf-8",
    )
    done = run("compare", entries, "--overlay", deal)
    assert done.returncode == 0
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["ref"], r["duty_base"], r["duty_scenario"], r["duty_change"]) for r in rows] == [
        ("a", "240", "150", "-90"),  # 24% before, 15% inclusive after
        ("b", "100", "100", "0"),  # paused: the baseline 10% in both
    ]
    assert "2 rows: 1 changed, 0 not known" in done.stderr

    periods = run(
        "compare",
        "9503.00.00",
        "--origin",
        "JP",
        "--from",
        "2025-04-01",
        "--to",
        "2025-05-01",
        "--overlay",
        deal,
    )
    got = [
        (r["start"], r["total_rate_base"], r["total_rate_scenario"], r["rate_change"])
        for r in csv.DictReader(io.StringIO(periods.stdout))
    ]
    assert got == [
        ("2025-04-01", "0", "0", "0"),
        ("2025-04-05", "10", "10", "0"),
        ("2025-04-09", "24", "15", "-9"),
        ("2025-04-10", "10", "10", "0"),
    ]

    cells = run(
        "compare",
        "--panel",
        "--on",
        "2025-04-09",
        "--goods",
        "9503.00.00",
        "--origins",
        "JP,CN",
        "--overlay",
        deal,
    )
    got = {
        r["origin"]: (r["total_rate_base"], r["total_rate_scenario"])
        for r in csv.DictReader(io.StringIO(cells.stdout))
    }
    assert got == {"CN": ("10", "10"), "JP": ("24", "15")}

    alone = run("compare", entries)
    assert alone.returncode == 2
    assert "--overlay" in alone.stderr


def test_check_overlay_reports_items_that_never_apply(tmp_path: Path):
    idle = tmp_path / "idle.toml"
    idle.write_text(
        DEAL.replace('id = "jp-reciprocal"', 'id = "jp-15"').replace(
            'period = { start = "2025-04-09", end = "2025-08-07" }',
            'period = { start = "2040-01-01" }',
        ),
        encoding="utf-8",
    )
    done = run("check", "--overlay", idle)
    assert done.returncode == 1
    assert "overlay: jp-15: its period" in done.stdout
    assert "is outside the base's data" in done.stdout
    deal = tmp_path / "deal.toml"
    deal.write_text(DEAL, encoding="utf-8")
    fine = run("check", "--overlay", deal)
    assert fine.returncode == 0
    assert fine.stdout.startswith("ok: ")


def test_plot_writes_an_image(tmp_path: Path):
    out = tmp_path / "cars.svg"
    done = run(
        "plot",
        "timeline",
        "8703.23.01",
        "--origin",
        "JP",
        "--from",
        "2025-01-01",
        "--to",
        "2026-01-01",
        "-o",
        out,
    )
    assert done.returncode == 0
    assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    bad = run("plot", "heatmap", "--on", "2025-10-01", "-o", tmp_path / "x.txt")
    assert bad.returncode == 2
    assert "-o: " in bad.stderr


def test_compare_refuses_options_of_two_questions(tmp_path: Path):
    deal = tmp_path / "deal.toml"
    deal.write_text(DEAL, encoding="utf-8")
    mixed = run("compare", "entries.csv", "--panel", "--on", "2025-04-09", "--overlay", deal)
    assert mixed.returncode == 2
    assert "FILE.csv | GOODS: 'entries.csv' does not go with --panel" in mixed.stderr
    stray = run("compare", "entries.csv", "--goods", "9503", "--overlay", deal)
    assert "--goods: '9503' does not go with an entries file" in stray.stderr


def test_a_timeline_period_that_is_not_known_has_no_layer_rates(mini_hts: Path):
    done = run(
        "timeline",
        "0101.21.00",
        "--origin",
        "FR",
        "--from",
        "2025-01-01",
        "--to",
        "2025-02-01",
        "--hts",
        mini_hts,
        "--format",
        "jsonl",
    )
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows
    assert all(not any(k.startswith(("rate_", "duty_")) for k in r) for r in rows)

"""A fuzzer of the promises about bad input: a result or a clear error, never a traceback.

Three kinds of input, drawn by Hypothesis: command lines (run in-process through
`tradelaw.cli.main`), schedule files (the `us` dataset's files and the docs' example,
mutated), and entry files with bad rows. The invariant: every outcome is a result, or a
`TradelawError` / exit status 2 with a message; a bad row is that row's error, never the
loss of another row. `make test` runs a small budget; `make fuzz` runs
`TRADELAW_FUZZ_EXAMPLES` of each (100,000 by default there).
"""

from __future__ import annotations

import csv
import io
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradelaw import TradelawError, datasets, loads
from tradelaw.cli import main

EXAMPLES = int(os.environ.get("TRADELAW_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
DATASET = Path(datasets.__file__).parent / "us"

# Values a user may type, the bad with the good.
_HOSTILE = st.sampled_from(
    [
        "", " ", "0", "-1", "1e26", "1e999999", "9" * 5000, "NaN", "inf", "1.5", "12000 USD",
        "2025-13-01", "0001-01-01", "9999-12-31T23:59:59-12:00", "2025-06-10T09:00",
        "2025-06-10", "8703.23.01", "87O3", "8703", "JP", "XX", "kg", "ton", "\x00", "\ud800",
        "A" * 300, "../../etc/passwd", "/dev/zero", "true", "claim=KORUS", "model_year=old",
    ]
)  # fmt: skip
_WORDS = st.one_of(_HOSTILE, st.text(max_size=12))
# Values put where a schedule file's values go: wrong types, kinds and numbers.
_VALUES = ["5", "[]", "{}", "true", '"x"', '"1e999999"', '{ kind = "compare" }', '"2025-13-01"']


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(["rate", "timeline", "check", "datasets", "entries"]))
    argv = [command]
    if command in ("rate", "timeline"):
        argv += [draw(_WORDS), "--origin", draw(_WORDS)]
        argv += (
            ["--on", draw(_WORDS)]
            if command == "rate"
            else ["--from", draw(_WORDS), "--to", draw(_WORDS)]
        )
        for option in draw(st.lists(st.sampled_from(
            ["--value", "--as-of", "--currency", "--fact", "--loaded", "--format", "--locale",
             "--dataset", "--hts-from"]), max_size=3)):  # fmt: skip
            argv += [option, draw(_WORDS)]
    elif command in ("check", "entries"):
        argv += [draw(_WORDS)]
    return argv


def _run(argv: list[str]) -> int:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            return main(argv)
        except SystemExit as done:  # argparse: usage errors exit 2
            code = done.code
    assert code == 2, (argv, err.getvalue())
    return code


@FUZZ
@given(command_lines())
def test_a_command_line_gives_a_result_or_a_clear_error(argv: list[str]) -> None:
    assert _run(argv) in (0, 1, 2), argv


def _texts() -> list[str]:
    names = ["s201_solar.toml", "s232_semiconductors.toml", "aircraft.toml", "s338.toml"]
    return [(DATASET / name).read_text(encoding="utf-8") for name in names]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(_texts()))
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(0, len(lines) - 1)))
        how = draw(st.sampled_from(["drop", "repeat", "replace", "value"]))
        if not lines:
            break
        if how == "drop":
            del lines[at]
        elif how == "repeat":
            lines.insert(at, lines[at])
        elif how == "replace":
            lines[at] = draw(st.text(max_size=40))
        elif "=" in lines[at]:
            key = lines[at].split("=")[0]
            lines[at] = f"{key}= {draw(st.sampled_from(_VALUES))}"
    return "\n".join(lines)


@FUZZ
@given(mutated())
def test_a_mutated_schedule_file_loads_or_says_what_is_wrong(text: str) -> None:
    try:
        schedule = loads(text, source="fuzz.toml")
        schedule.problems()
    except TradelawError:
        return


@FUZZ
@given(st.lists(st.tuples(_WORDS, _WORDS, _WORDS, _WORDS), min_size=1, max_size=8))
def test_no_row_of_an_entries_file_is_lost(tmp_path_factory, rows) -> None:
    folder = tmp_path_factory.mktemp("entries")
    source = folder / "entries.csv"
    with source.open("w", encoding="utf-8", errors="surrogatepass", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["goods", "origin", "entered", "value"])
        writer.writerows(rows)
    output = folder / "out.csv"
    status = _run(["entries", str(source), "-o", str(output), "--dataset", "japan-us-2025"])
    assert status in (0, 1, 2)
    if status != 2 or output.exists():
        csv.field_size_limit(1 << 30)
        with source.open(encoding="utf-8", errors="surrogatepass", newline="") as file:
            expected = len(list(csv.reader(file))) - 1
        if output.exists() and expected >= 0:
            with output.open(encoding="utf-8", newline="") as file:
                assert len(list(csv.reader(file))) - 1 == expected

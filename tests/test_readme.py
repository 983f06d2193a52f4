"""The README's code sample runs and prints what it says."""

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_sample_runs_and_shows_the_24_percent_day(capsys):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1
    exec(compile(blocks[0], str(README), "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "24"
    assert "(jp-reciprocal, layer ieepa-reciprocal)" in "\n".join(out)
    rates = [line.rsplit(" ", 1)[-1] for line in out if line.startswith("[")]
    assert rates == ["0", "10", "24", "10"]

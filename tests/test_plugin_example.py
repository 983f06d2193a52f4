"""The plug-in example of the docs (examples/plugin) installs, is found and passes its tests.

The package is really installed (built by its own build backend, into a folder of its
own), and a fresh interpreter finds its kind through the ``tradelaw.kinds`` entry point
without importing it first, then resolves a schedule file that names the kind.
"""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PLUGIN = Path(__file__).resolve().parent.parent / "examples" / "plugin"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("plugin")
    source = work / "source"
    shutil.copytree(PLUGIN, source, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    site = work / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            "--target",
            str(site),
            str(source),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return source, site


def _run(args, site, cwd):
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_the_wheel_declares_its_module_in_the_entry_point_group(installed):
    _, site = installed
    (info,) = site.glob("tradelaw_threshold-*.dist-info")
    points = (info / "entry_points.txt").read_text(encoding="utf-8")
    assert "[tradelaw.kinds]" in points
    assert "threshold = tradelaw_threshold" in points


def test_the_kind_is_found_through_the_entry_point_and_a_file_can_name_it(installed):
    source, site = installed
    script = textwrap.dedent(
        f"""
        import sys
        from tradelaw import Entry, Money, kinds, load

        assert "tradelaw_threshold" not in sys.modules
        cls = kinds()["above-threshold"]
        assert cls.__module__ == "tradelaw_threshold", cls
        schedule = load({str(source / "tests" / "luxury-cars.toml")!r})
        car = Entry("8703.80.00", "JP", "2025-07-01", Money("100000", "AUD"))
        print(schedule.resolve(car).explain())
        """
    )
    done = _run(["-c", script], site, source)
    assert done.returncode == 0, done.stderr
    assert "Total: 6.6% = AUD 6,600.00 on AUD 100,000.00" in done.stdout
    assert "33% above AUD 80,000.00 on value AUD 100,000.00" in done.stdout


def test_without_the_package_a_file_naming_the_kind_is_refused(installed):
    source, _ = installed
    script = f"from tradelaw import load; load({str(source / 'tests' / 'luxury-cars.toml')!r})"
    done = _run(["-c", script], source / "missing", source)
    assert done.returncode == 1
    assert "'above-threshold' is not a registered kind" in done.stderr


def test_the_plugin_passes_its_own_tests(installed):
    source, site = installed
    done = _run(["-m", "pytest", "-q", "-p", "no:cacheprovider"], site, source)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "7 passed" in done.stdout

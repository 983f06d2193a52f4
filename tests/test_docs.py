"""The documentation: every public name is in the API reference, and the offline inventories
that intersphinx links through are well formed."""

import importlib
import io
import os
import pkgutil
import posixpath
import re
import runpy
import shlex
import shutil
import subprocess
import sys
from inspect import ismodule
from pathlib import Path

import pytest
from sphinx.util.inventory import InventoryFile

import tradelaw

DOCS = Path(__file__).resolve().parent.parent / "docs"
sys.path.insert(0, str(DOCS / "_ext"))
from offline_inventories import compile_inventory  # noqa: E402


def public_modules():
    """Every importable module of tradelaw whose dotted name has no private part."""
    names = ["tradelaw"]
    for found in pkgutil.walk_packages(tradelaw.__path__, "tradelaw."):
        if not any(part.startswith("_") for part in found.name.split(".")):
            names.append(found.name)
    return [importlib.import_module(name) for name in names]


@pytest.fixture(scope="module")
def documented(tmp_path_factory):
    """The objects that the API reference page documents, read from its built inventory."""
    work = tmp_path_factory.mktemp("reference")
    source = work / "source"
    source.mkdir()
    shutil.copy(DOCS / "reference.md", source / "index.md")
    out = work / "html"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-q",
            "-b",
            "html",
            "-c",
            str(DOCS),
            str(source),
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return {
        name
        for kind, items in read_inventory(out / "objects.inv").items()
        if kind.startswith("py:")
        for name in items
    }


def read_inventory(path_or_bytes, uri=""):
    """An inventory as Sphinx reads it: ``{"py:class": {name: (project, version, uri, …)}}``."""
    raw = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    return InventoryFile.load(io.BytesIO(raw), uri, posixpath.join)


def test_every_public_module_declares_its_public_names():
    for module in public_modules():
        if hasattr(module, "__all__"):
            continue
        names = [n for n, v in vars(module).items() if not n.startswith("_") and not ismodule(v)]
        assert not names, f"{module.__name__} has public names but no __all__: {names}"


def test_every_public_name_is_in_the_api_reference(documented):
    missing = []
    for module in public_modules():
        names = getattr(module, "__all__", ())
        if names and module.__name__ not in documented:
            missing.append(module.__name__)
        if module is tradelaw:
            continue
        missing += [
            f"{module.__name__}.{n}" for n in names if f"{module.__name__}.{n}" not in documented
        ]
    assert not missing, f"not in docs/reference.md: {missing}"


def test_every_name_of_the_top_level_api_is_documented_where_it_is_defined(documented):
    defined = {n for m in public_modules() if m is not tradelaw for n in getattr(m, "__all__", ())}
    missing = [
        n for n in tradelaw.__all__ if n not in defined and f"tradelaw.{n}" not in documented
    ]
    assert not missing, f"exported by tradelaw but documented nowhere: {missing}"


def inventories():
    return sorted((DOCS / "_inventories").glob("*.txt"))


def test_every_intersphinx_project_has_an_offline_inventory_and_back():
    conf = runpy.run_path(str(DOCS / "conf.py"))
    locations = {}
    for name, (uri, location) in conf["intersphinx_mapping"].items():
        assert uri.startswith("https://"), name
        assert location == f"_inventories/{name}.txt", name
        locations[name] = DOCS / location
    assert sorted(locations.values()) == inventories()


@pytest.mark.parametrize("text", inventories(), ids=lambda p: p.stem)
def test_an_offline_inventory_compiles_to_one_sphinx_reads(text):
    raw = text.read_text(encoding="utf-8")
    inventory = read_inventory(compile_inventory(raw), "https://example.org/docs")
    entries = [line for line in raw.splitlines()[4:] if line.strip() and not line.startswith("#")]
    assert entries, "an inventory lists at least one object"
    found = sum(len(items) for items in inventory.values())
    assert found == len(entries), "every line is one object, and no object is listed twice"
    for items in inventory.values():
        for name, item in items.items():
            uri = getattr(item, "uri", None) or item[2]  # a tuple before Sphinx 8.2
            assert uri.startswith("https://example.org/docs/"), name
            assert "#" in uri, f"{name}: a link needs its anchor"


def test_an_inventory_without_its_header_is_refused():
    with pytest.raises(ValueError, match="Sphinx inventory version 2"):
        compile_inventory("decimal.Decimal py:class 1 library/decimal.html#$ -\n")


# -- the shell examples of the how-to guides -----------------------------------------------

FILE_BLOCK = re.compile(r"```\{code-block\} \w+\n:caption: ([\w.-]+)\n\n(.*?)```", re.S)
CONSOLE_BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def shell_examples():
    """The console blocks of the how-to guides that show output: [(command, output)] each."""
    found = []
    for page in sorted((DOCS / "howto").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        files = dict(FILE_BLOCK.findall(text))
        for block in CONSOLE_BLOCK.findall(text):
            steps = [
                (command, output)
                for command, _, output in (
                    chunk.partition("\n") for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]
                )
            ]
            if any(output.strip() for _, output in steps):
                found.append(pytest.param(steps, files, id=f"{page.stem}: {steps[0][0]}"))
    return found


def _shell(command, folder):
    """Run one ``tradelaw`` or ``cat`` command of a guide in ``folder``; return its output."""
    words = shlex.split(command)
    if words[0] == "cat":
        return (folder / words[1]).read_text(encoding="utf-8")
    assert words[0] == "tradelaw", command
    env = {k: v for k, v in os.environ.items() if k != "TRADELAW_HTS"}
    done = subprocess.run(
        [sys.executable, "-m", "tradelaw", *words[1:]],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout + done.stderr


def _lines(text):
    return [line.rstrip() for line in text.rstrip("\n").splitlines()]


@pytest.mark.parametrize(("steps", "files"), shell_examples())
def test_a_shell_example_of_the_guides_prints_what_the_page_shows(steps, files, tmp_path):
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    for command, output in steps:
        assert _lines(_shell(command, tmp_path)) == _lines(output), command

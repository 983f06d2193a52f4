"""Sphinx configuration for the tradelaw documentation."""

import sys
from importlib.metadata import version as _version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "tradelaw"
author = "tradelaw maintainers"
copyright = "2026, the tradelaw maintainers"
release = _version("tradelaw")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "tradelaw_docs",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = f"tradelaw {release}"

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# The build runs offline, so there are no intersphinx inventories: references to the
# standard library and to dependencies stay plain text. References inside tradelaw must
# resolve (the build runs with -n).
nitpick_ignore_regex = [
    ("py:class", r"(decimal|datetime|zoneinfo|collections|typing|types|enum|pathlib|os)\..*"),
    ("py:class", r"(argparse|babel)\..*"),
    ("py:class", r"(attr|attrs)\..*"),
    ("py:class", r"(Decimal|datetime|date|ZoneInfo|Mapping|Iterable|Callable|Any|Sequence)"),
    ("py:class", r"(Problem|Facts|FactValue|When|Operator|Index|S|T|_T_co|PoolHook)"),
    ("py:class", r"(RateExpression|Condition|Reason)"),
    ("py:.*", r"tradelaw\._.*"),
    ("py:.*", r"tradelaw\.\w+\._\w+"),
    ("py:.*", r"tradelaw\.\w+\.(S|T)"),
]

# Docstring examples run under pytest (--doctest-modules) with their module's globals;
# the doctest builder tests the narrative pages' explicit doctest blocks.
doctest_test_doctest_blocks = ""
doctest_global_setup = "from tradelaw import *"

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
    "sphinx.ext.intersphinx",
    "sphinx_copybutton",
    "matplotlib.sphinxext.plot_directive",
    "offline_inventories",
    "tradelaw_docs",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "_inventories"]
html_theme = "furo"
html_title = f"tradelaw {release}"

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# Intersphinx, offline. The build machines and CI reach no documentation site, so
# inventories cannot be downloaded. Each project's inventory is kept as plain text in
# _inventories/NAME.txt, listing only the objects these docs link to with their real
# addresses; the offline_inventories extension (_ext/) compiles the lists into real
# objects.inv files under the build's doctree folder before intersphinx reads them. Links
# go to the real documentation; a new reference to an object not yet listed fails the
# nitpicky build (-n) until it is added (see _inventories/README.md). Nothing binary is
# committed, and the lists are the only source, so nothing can drift.
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", "_inventories/python.txt"),
    "attrs": ("https://www.attrs.org/en/stable", "_inventories/attrs.txt"),
    "cattrs": ("https://catt.rs/en/stable", "_inventories/cattrs.txt"),
    "dateutil": ("https://dateutil.readthedocs.io/en/stable", "_inventories/dateutil.txt"),
    "babel": ("https://babel.pocoo.org/en/latest", "_inventories/babel.txt"),
    "pandas": ("https://pandas.pydata.org/docs", "_inventories/pandas.txt"),
    "matplotlib": ("https://matplotlib.org/stable", "_inventories/matplotlib.txt"),
}

# What remains unresolvable: private names that autodoc shows in signatures and bases
# (the _Reads mixin, type variables), which are deliberately not documented.
nitpick_ignore_regex = [
    ("py:.*", r"tradelaw\._.*"),
    ("py:.*", r"tradelaw\.\w+\._\w+"),
    ("py:.*", r"tradelaw\.\w+\.(S|T)"),
    ("py:.*", r"_\w+"),  # a private class named in a signature, as written there
]

# Copy buttons leave out prompts and output: a copied doctest or console block runs.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

# Docstring examples run under pytest (--doctest-modules) with their module's globals;
# the doctest builder tests the narrative pages' explicit doctest blocks.
doctest_test_doctest_blocks = ""
doctest_global_setup = "from tradelaw import *"

# Figures are drawn when the docs are built, from the embedded data (matplotlib's plot
# directive): no image is kept in the repository, and every figure shows today's data.
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 110)]

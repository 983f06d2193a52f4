"""Intersphinx without a network: inventories compiled from plain text kept in the repository.

The build machines have no network, so intersphinx cannot download ``objects.inv`` from
docs.python.org and the others. ``docs/_inventories/NAME.txt`` lists, in the plain text
form of a Sphinx inventory, the external objects these docs link to, each with its real
address on the project's site. Before intersphinx reads its mapping, this extension
compiles every ``.txt`` location of ``intersphinx_mapping`` into a real (zlib) inventory
under the build's doctree folder and points the mapping at it. Links then go to the real
documentation, and a reference to an object missing from the lists fails the nitpicky
build, which says which name to add.

The text lists are the only source: nothing binary is committed and nothing can drift
between a list and a compiled file. ``compile_inventory`` is also used by the tests.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

# The four lines every version 2 inventory starts with; the rest is zlib-compressed.
HEADER_LINES = 4


def compile_inventory(text: str) -> bytes:
    """Return the ``objects.inv`` bytes for an inventory written as plain text.

    The first four lines are the inventory's header; further lines starting with ``#``
    and blank lines are comments.
    """
    lines = text.splitlines()
    header, body = lines[:HEADER_LINES], lines[HEADER_LINES:]
    if not header or header[0] != "# Sphinx inventory version 2":
        raise ValueError("an inventory starts with '# Sphinx inventory version 2'")
    entries = [line for line in body if line.strip() and not line.startswith("#")]
    head = "".join(f"{line}\n" for line in header).encode()
    return head + zlib.compress("".join(f"{line}\n" for line in entries).encode(), 9)


def _compile_locations(app: Sphinx, config: Config) -> None:
    target = Path(app.doctreedir) / "_inventories"
    mapping = {}
    for name, (uri, locations) in config.intersphinx_mapping.items():
        if not isinstance(locations, tuple | list):
            locations = (locations,)
        compiled = []
        for location in locations:
            if isinstance(location, str) and location.endswith(".txt"):
                source = Path(app.confdir) / location
                target.mkdir(parents=True, exist_ok=True)
                out = target / f"{name}.inv"
                # Written whole and renamed: concurrent builds never read half a file.
                partial = out.with_suffix(f".{os.getpid()}.tmp")
                partial.write_bytes(compile_inventory(source.read_text(encoding="utf-8")))
                partial.replace(out)
                location = str(out)
            compiled.append(location)
        mapping[name] = (uri, tuple(compiled))
    config.intersphinx_mapping = mapping


def setup(app: Sphinx) -> dict[str, object]:
    # intersphinx validates and reads its mapping at priority 800: compile before that.
    app.connect("config-inited", _compile_locations, priority=700)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

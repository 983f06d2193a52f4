"""Build hook: compile the message catalogues (``.po``) into the ``.mo`` files tradelaw reads.

Registered for the wheel target in ``pyproject.toml``, so it runs for wheels and for
editable installs (``pip install -e .``, which ``make`` does). The ``.mo`` files are
written next to their ``.po`` files, are not committed (``.gitignore``), and go into the
wheel as build artifacts. Fuzzy translations are left out, as ``pybabel compile`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

CATALOGUES = "src/tradelaw/locale"


class CompileCatalogues(BuildHookInterface):
    """Compile ``src/tradelaw/locale/*/LC_MESSAGES/*.po`` before the wheel is built."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Write each catalogue's ``.mo`` file and add it to the build's artifacts."""
        root = Path(self.root)
        for po in sorted((root / CATALOGUES).glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parents[1].name, domain=po.stem)
            mo = po.with_suffix(".mo")
            with mo.open("wb") as target:
                write_mo(target, catalog)
            build_data["artifacts"].append("/" + mo.relative_to(root).as_posix())

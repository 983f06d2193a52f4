"""Generate the `us` dataset's HTSUS edition tables from the official USITC exports.

Each table holds every numbered line of chapters 1 to 98 of one edition, with its general,
special and column 2 rates as printed, and states the edition, the date it takes effect,
and the export's file name and SHA-256, so that anyone can rebuild it and compare. The
exports themselves are never shipped (see ../shared/README.md).

Run: ``python scripts/hts_tables.py [FOLDER]`` (default: ../shared/data/hts beside the
project). The output is the same, byte for byte, for the same exports.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from tradelaw.hts._export import read_export, write_table

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "tradelaw" / "datasets" / "us" / "hts"

#: The editions shipped: the export, the edition as cited, when it takes effect, the table.
EDITIONS = (
    ("hts_2025_revision_13.csv", "2025 Rev. 13", "2025-01-01", "2025_rev_13.tsv.gz"),
    ("hts_2026_revision_4.csv", "2026 Rev. 4", "2026-01-01", "2026_rev_4.tsv.gz"),
)


def main(folder: Path) -> None:
    """Write one table per edition from the exports in ``folder``."""
    for export, name, effective, table in EDITIONS:
        source = folder / export
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        lines = [line for line in read_export(source) if not line.code.startswith("99")]
        facts = {"edition": name, "effective": effective, "source": export, "sha256": digest}
        data = write_table(lines, facts)
        (OUT / table).write_bytes(data)
        print(f"{table}: {len(lines)} lines of {export}, {len(data):,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "hts")

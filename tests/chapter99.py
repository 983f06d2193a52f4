"""The headings that Chapter 99 of the HTSUS defines, read from the text of its notes.

The text (``../shared/data/hts/chapter99_notes_2026_rev_6.txt``, 2026 Revision 6) is a
dump of the printed pages in cp1252. A page is a notes page (prose) or a tariff-table page
(its header block has the column title "Heading/"). A heading is defined by a line of a
table page, in subchapter III or IV, that starts at column 0 with the 8-digit number;
numbers in notes, ranges and indented description lines only refer to headings. Checked
against the 2026 Rev. 4 export: the same 9903 and 9904 headings, except the Section 232
metal headings renumbered in 2026 (notes/us-research/chapter99_headings.md).
"""

from __future__ import annotations

import re
from pathlib import Path

_RUNNING_HEADER = "Harmonized Tariff Schedule of the United States"
_HEADING = re.compile(r"^(99\d\d\.\d\d\.\d\d)\s")
_SUBCHAPTER = re.compile(r"^\s*\[?SUBCHAPTER ([IVXL]+)\b")


def headings(path: Path) -> dict[str, str]:
    """Every heading subchapters III and IV define, with its subchapter, in file order."""
    lines = path.read_bytes().decode("cp1252", errors="replace").split("\n")
    found: dict[str, str] = {}
    subchapter = None
    table = False
    for number, line in enumerate(lines):
        if _RUNNING_HEADER in line:  # a new page: a table page if its header says so
            table = any("Heading/" in later for later in lines[number : number + 15])
            continue
        title = _SUBCHAPTER.match(line)
        if title:
            subchapter = title[1]
            continue
        heading = _HEADING.match(line)
        if heading and table and subchapter in ("III", "IV"):
            found.setdefault(heading[1], subchapter)
    return found

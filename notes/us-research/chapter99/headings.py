"""Heading numbers defined in subchapters III and IV of HTSUS chapter 99.

Source layout (chapter99_notes_2026_rev_6.txt, HTSUS 2026 Revision 6, chapter 99;
encoded cp1252 -- en dashes are byte 0x96, range dashes in notes are often the soft
hyphen 0xAD):

* The file is a text dump of the printed pages.  Every page starts with the running
  header line "Harmonized Tariff Schedule of the United States Revision 6 (2026)".
* A page is either a *notes* page (U.S. notes / statistical notes, prose) or a
  *tariff table* page.  Table pages carry the column header
  " Heading/ Stat. ... Unit ... Rates of Duty" within the first lines of the page
  (always <= 12 lines after the running header).
* On table pages a heading's own line starts at column 0 with the 8-digit number,
  followed by whitespace and normally the footnote mark "1/" (one line has a damaged
  mark: line 41716 "9903.88.21 / Articles ...").  Description continuation lines are
  indented (>= 22 columns); when they mention other headings ("9903.01.26-9903.01.33",
  "9903.89.05.......") the number is indented, so it is not taken.
* Notes pages also have lines that begin with a heading number at column 0 (wrapped
  prose such as line 16779 "9903.85.02, in addition to the units ..." or line 31449
  "9903.88.02 and provided for in U.S. notes 20(c) ..."), and ranges such as
  "9903.01.43-9903.01.75" occur only in notes; these are excluded because they are not
  on table pages.
* Superior (6-digit) text lines such as line 42695 "9903.92   Effective with respect
  to entries ..." are not 8-digit headings and are not returned; their 8-digit
  subheading (9903.92.10, line 42707) is.

RULE: a heading is a line that (a) lies on a table page (a page whose header block
contains "Heading/"), (b) inside subchapter III or IV, and (c) matches
``^99\\d\\d\\.\\d\\d\\.\\d\\d\\s`` at column 0.  No heading number is split across lines
in this file (checked: no line ends in "9903." / "9903.xx." and no spaced numbers).

Where the subchapters are (1-based line numbers in the rev 6 file):
* Subchapter III ("TEMPORARY MODIFICATIONS ESTABLISHED PURSUANT TO TRADE
  LEGISLATION") starts with the page at line 12085 (title at line 12089); its U.S.
  notes run to line 36570 and its heading tables from line 36571 (9903.01.01 at 36584)
  to line 43050.  Its headings are 9903.01.01 ... 9903.96.02 (all "9903.xx.xx").
* Subchapter IV ("SAFEGUARD MEASURES PURSUANT TO THE AGREEMENT ON AGRICULTURE AND
  ADDITIONAL IMPORT RESTRICTIONS ESTABLISHED PURSUANT TO SECTION 22 ...") starts at
  line 43051 (title 43055) and ends at line 45274 ("[SUBCHAPTER V deleted]" is at
  45279).  Its headings are 9904.xx.xx, NOT 9903: the brief's "i.e. every 9903.xx.xx"
  only describes subchapter III.  ``headings()`` returns both (subchapter IV last);
  use ``headings(path, prefix="9903.")`` for subchapter III only.

Counts found with this rule (Rev. 6): 999 headings - subchapter III: 487 (9903.01.01 ...
9903.96.02), subchapter IV: 512 (9904.02.01 ... 9904.52.50). No duplicates; file order is
numeric order.

Edge cases checked:
* split numbers: no line ends in "99dd." / "99dd.dd." / "99dd.dd.d" and no number contains
  spaces, so no heading is split across lines;
* ranges ("9903.01.43-9903.01.75", "9903.02.02-9903.02.73", soft hyphen 0xAD or en dash 0x96
  between) occur only in notes or indented description lines - never at column 0 of a table
  page;
* page headers/footers ("Harmonized Tariff Schedule ...", "Heading/ Stat.", "XXII", "99 - III -
  nnn", "1/ See chapter 99 statistical note 1.", "Note: The shaded areas indicate the provision
  has expired") never start with a heading number;
* 39 numbers are mentioned in subchapter III notes without being heading lines (e.g. 9903.01.35,
  9903.01.39, 9903.78.01, 9903.81.87-.99, 9903.85.01-.72 except .67/.68): leftovers of earlier
  revisions, correctly not returned;
* one heading line has a damaged footnote mark (L41716 "9903.88.21 / Articles ...") - the rule
  only needs white space after the number;
* one description is printed out of order (9903.41.40 at L40544 carries "8467.29)..." while its
  real text follows later) - the number is still right.

Validation: the result equals the 9903/9904 8-digit headings of the official HTSUS 2026
Revision 4 export (/work/shared/data/hts/hts_2026_revision_4.csv, 1,223 such headings) except
for the 2026 restructuring of the Section 232 metal headings: Rev. 4 still has 9903.78.01-.02,
9903.80.xx, 9903.81.xx and 9903.85.01-.66, .69-.72 (242 headings), Rev. 6 has 9903.82.02-.19
(18) instead. No other difference.
"""
from __future__ import annotations

import re

RUNNING_HEADER = "Harmonized Tariff Schedule of the United States"
HEADING_LINE = re.compile(r"^(99\d\d\.\d\d\.\d\d)\s")
SUBCHAPTER_TITLE = re.compile(r"^\s*\[?SUBCHAPTER ([IVXL]+)\b")


def _lines(path: str) -> list[str]:
    with open(path, "rb") as fh:
        return fh.read().decode("cp1252", errors="replace").split("\n")


def heading_lines(path: str) -> list[tuple[str, int, str]]:
    """(heading, 1-based line number, subchapter roman numeral) for III and IV."""
    lines = _lines(path)
    out: list[tuple[str, int, str]] = []
    sub: str | None = None
    is_table = False
    for i, line in enumerate(lines):
        if RUNNING_HEADER in line:
            # new page: table page iff the column header follows in the header block
            is_table = any("Heading/" in l for l in lines[i : i + 15])
            continue
        m = SUBCHAPTER_TITLE.match(line)
        if m:
            sub = m.group(1)
            continue
        if sub not in ("III", "IV") or not is_table:
            continue
        h = HEADING_LINE.match(line)
        if h:
            out.append((h.group(1), i + 1, sub))
    return out


def headings(path: str, prefix: str | None = None) -> list[str]:
    """Every heading number defined (as a heading line) in subchapters III and IV.

    Order is file order (= numeric order); no duplicates occur.  ``prefix`` filters,
    e.g. ``"9903."`` for subchapter III only.
    """
    seen: list[str] = []
    for h, _, _ in heading_lines(path):
        if (prefix is None or h.startswith(prefix)) and h not in seen:
            seen.append(h)
    return seen


if __name__ == "__main__":
    import collections
    import sys

    p = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/hts/chapter99_notes_2026_rev_6.txt"
    hl = heading_lines(p)
    print(collections.Counter(s for _, _, s in hl), len(headings(p)))

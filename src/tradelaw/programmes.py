"""Special tariff programmes: the HTSUS symbols and the names people write for them.

The special column of the HTSUS lists, for each rate, the programmes that give it, each
by a symbol that General Note 3(c)(i) defines (``KR`` for the United States–Korea Free
Trade Agreement, ``S`` and ``S+`` for the USMCA, ``A``, ``A*`` and ``A+`` for the
Generalized System of Preferences…). An entry claims a programme with the ``claim``
fact, written either way: ``KORUS`` and ``KR`` are the same claim, and ``USMCA`` matches a
line that lists ``S`` or ``S+``. :data:`PROGRAMMES` is the table (the docs show it);
:func:`programme` finds one by any of its symbols or names, in any case.

The symbols of one programme are one claim here: a symbol's ``*`` or ``+`` marks which
beneficiary countries or goods a line excludes, and whether the origin qualifies is the
importer's claim, which tradelaw does not check.

Example:
    >>> programme("korus").symbols, programme("S+").name
    (('KR',), 'United States-Mexico-Canada Agreement')
    >>> programme("Atlantis") is None
    True
"""

from __future__ import annotations

from attrs import frozen

__all__ = ["PROGRAMMES", "Programme", "programme"]


@frozen
class Programme:
    """A special tariff programme of the HTSUS.

    Attributes:
        symbols: the symbols the special column prints for it.
        name: its name.
        note: the HTSUS general note that governs it.
        names: other names and acronyms people write for it.
    """

    symbols: tuple[str, ...]
    name: str
    note: str
    names: tuple[str, ...] = ()


#: The programmes whose symbols the HTSUS special column prints (2025 and 2026 editions).
PROGRAMMES: tuple[Programme, ...] = (
    Programme(("A", "A*", "A+"), "Generalized System of Preferences", "4", ("GSP",)),
    Programme(("B",), "Automotive Products Trade Act", "5", ("APTA", "Auto Pact")),
    Programme(("C",), "Agreement on Trade in Civil Aircraft", "6", ("Civil Aircraft",)),
    Programme(("E", "E*"), "Caribbean Basin Economic Recovery Act", "7", ("CBERA", "CBI")),
    Programme(("IL",), "United States-Israel Free Trade Area", "8", ("USIFTA", "Israel FTA")),
    Programme(
        ("S", "S+"),
        "United States-Mexico-Canada Agreement",
        "11",
        ("USMCA", "CUSMA", "T-MEC", "ACEUM"),
    ),
    Programme(
        ("CA", "MX"),
        "North American Free Trade Agreement (superseded by the USMCA on 1 July 2020)",
        "12",
        ("NAFTA",),
    ),
    Programme(("K",), "Agreement on Trade in Pharmaceutical Products", "13"),
    Programme(("L",), "Uruguay Round Concessions on Intermediate Chemicals for Dyes", "14"),
    Programme(("D",), "African Growth and Opportunity Act", "16", ("AGOA",)),
    Programme(("R",), "United States-Caribbean Basin Trade Partnership Act", "17", ("CBTPA",)),
    Programme(("JO",), "United States-Jordan Free Trade Area", "18", ("JFTA", "Jordan FTA")),
    Programme(("SG",), "United States-Singapore Free Trade Agreement", "25", ("USSFTA",)),
    Programme(("CL",), "United States-Chile Free Trade Agreement", "26", ("USCFTA",)),
    Programme(("MA",), "United States-Morocco Free Trade Agreement", "27", ("USMFTA",)),
    Programme(("AU",), "United States-Australia Free Trade Agreement", "28", ("AUSFTA",)),
    Programme(
        ("P", "P+"),
        "Dominican Republic-Central America-United States Free Trade Agreement",
        "29",
        ("CAFTA-DR", "DR-CAFTA", "CAFTA"),
    ),
    Programme(("BH",), "United States-Bahrain Free Trade Agreement", "30", ("USBFTA",)),
    Programme(("OM",), "United States-Oman Free Trade Agreement", "31", ("USOFTA",)),
    Programme(("PE",), "United States-Peru Trade Promotion Agreement", "32", ("Peru TPA",)),
    Programme(("KR",), "United States-Korea Free Trade Agreement", "33", ("KORUS", "KORUS FTA")),
    Programme(("CO",), "United States-Colombia Trade Promotion Agreement", "34", ("CTPA",)),
    Programme(("PA",), "United States-Panama Trade Promotion Agreement", "35", ("Panama TPA",)),
    Programme(("JP",), "United States-Japan Trade Agreement", "36", ("USJTA",)),
    Programme(("NP",), "Nepal Preference Program", "4(e)", ("NPP",)),
    Programme(
        ("J", "J*"),
        "Andean Trade Preference Act (expired 31 July 2013)",
        "11 (before the USMCA)",
        ("ATPA", "ATPDEA"),
    ),
)

_BY_SPELLING = {
    spelling.casefold(): p for p in PROGRAMMES for spelling in (*p.symbols, *p.names, p.name)
}


def programme(text: str) -> Programme | None:
    """Return the programme ``text`` names (a symbol or a name, any case), if any."""
    return _BY_SPELLING.get(" ".join(str(text).split()).casefold())

"""Units of quantity: the HTS spellings, and the spellings people write for them.

A specific rate is per unit (``4.4¢/kg``), and an entry declares its quantity in a unit.
tradelaw never converts between units, so both must name the same one. This module
knows the units of the HTSUS "Unit of Quantity" column and its rate texts, each under the
spelling the HTS prints (``kg``, ``liters``, ``No.``, ``prs.``, ``doz.``, ``m2``…), and
the spellings people write for them (``kilograms``, ``l``, ``litre``, ``each``, ``pairs``,
``dozen``, ``m²``…). :func:`unit` turns any of them into the HTS spelling and refuses the
rest with a message that lists what it accepts: a unit that cannot be read is an error,
never a guess.

Units the HTS keeps apart stay apart: ``pcs`` (pieces) is not ``No.`` (number), ``t``
(the metric ton) is not a short or long ton (``ton`` is refused), and content units such
as ``Cu kg`` (kilograms of copper content) are not ``kg``.

Example:
    >>> unit("kilograms"), unit("l"), unit("each"), unit("pairs"), unit("m²")
    ('kg', 'liters', 'No.', 'prs.', 'm2')
    >>> unit("ton")
    Traceback (most recent call last):
    ...
    tradelaw.errors.InvalidInputError: unit: 'ton' is not a unit tradelaw knows: ... such as ton
"""

from __future__ import annotations

import re
from types import MappingProxyType

from tradelaw.errors import InvalidInputError

__all__ = ["UNITS", "register_unit", "unit"]

# Content units: the quantity of one element or compound in the goods, never plain kg.
_CONTENT_KG: tuple[str, ...] = ("Cu", "Pb", "Zn", "Ni", "Co", "Mo", "W", "Mn", "Cr", "V")
_CONTENT_KG += ("V2O5", "Si", "Mg", "Sb", "NaOH")
_CONTENT_G = ("Ag", "Au", "Pt", "Pd", "Rh", "Ir", "Os", "Ru")
_CONTENT_T = ("Sn", "Cr2O3", "NH3")

_TABLE: dict[str, tuple[str, ...]] = {
    "kg": ("kgs", "kg.", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kgm"),
    "g": ("gm", "gms", "gram", "grams", "gramme", "grammes"),
    "t": ("tonne", "tonnes", "metric ton", "metric tons", "metric tonne", "metric tonnes"),
    "liters": ("l", "ltr", "ltrs", "liter", "litre", "litres"),
    "pf.liters": ("pf.liter", "pf. liter", "pf. liters", "proof liter", "proof liters"),
    "No.": ("no", "nos", "number", "numbers", "each", "ea", "unit", "units", "article"),
    "pcs": ("pc", "pce", "piece", "pieces"),
    "doz.": ("doz", "dz", "dozen", "dozens"),
    "doz. prs.": ("doz prs", "dz prs", "dozen pairs"),
    "Dz Pcs": ("doz. pcs.", "doz pcs", "dz pcs", "dozen pieces"),
    "prs.": ("prs", "pr.", "pr", "pair", "pairs"),
    "gross": (),
    "gr.lines": ("gross lines",),
    "thousands": ("thousand", "1000", "1,000"),
    "hundreds": ("hundred",),
    "m": ("meter", "meters", "metre", "metres"),
    "lin. m": ("lin m", "linear meter", "linear meters", "linear metre", "linear metres"),
    "Fiber m": ("fiber meter", "fiber meters", "fibre metre", "fibre metres"),
    "thousand m": ("1000 m", "1,000 m"),
    "m2": ("m²", "sq m", "sq. m", "sqm", "square meter", "square meters", "square metre"),
    "cm2": ("cm²", "sq cm", "square centimeter", "square centimeters"),
    "m3": ("m³", "cu m", "cbm", "cubic meter", "cubic meters", "cubic metre", "cubic metres"),
    "thousand m3": ("1000 m3", "1,000 m3"),
    "bbl": ("bbls", "barrel", "barrels"),
    "carat": ("carats", "ct", "cts"),
    "clean kg": ("cy kg", "clean yield kg", "clean-yield kg"),
    "head": (),
    "Jwls.": ("jewel", "jewels", "jwl"),
    "square": ("squares",),
    "W": ("watt", "watts"),
    "MWh": ("megawatt hour", "megawatt hours", "megawatt-hour"),
    "GBq": ("gigabecquerel", "gigabecquerels"),
    "doses": ("dose",),
    "pack": ("packs",),
    "t adw": ("air dry metric ton", "air-dry metric tons"),
    "t dwb": (),
    "kg cmsc": (),
    "kg msc": (),
    "kg amc": (),
    "kg ttl sug": ("kg total sugars",),
    **{f"{x} kg": (f"kg {x}",) for x in _CONTENT_KG},
    **{f"{x} g": (f"g {x}",) for x in _CONTENT_G},
    **{f"{x} t": (f"t {x}",) for x in _CONTENT_T},
}

#: Every unit tradelaw knows, by its HTS spelling, with the other spellings it accepts.
UNITS = MappingProxyType(_TABLE)
_SPACES = re.compile(r"\s+")
_COMMON = "kg, g, t, liters, No., pcs, prs., doz., m, m2, m3, bbl"
_LETTERS = frozenset({"g", "t", "l", "L", "m", "W"})


def _key(text: str) -> str:
    return _SPACES.sub(" ", text.strip()).casefold()


_BY_SPELLING: dict[str, str] = {}


def register_unit(name: str, *spellings: str) -> None:
    """Make ``name`` a known unit (a plug-in's own), with other spellings for it.

    Example:
        >>> register_unit("tatami", "jo")
        >>> unit("Jo")
        'tatami'
    """
    for spelling in (name, *spellings):
        known = _BY_SPELLING.get(_key(spelling))
        if known is not None and known != name:
            raise InvalidInputError("unit", spelling, f"already spells the unit {known!r}")
    for spelling in (name, *spellings):
        _BY_SPELLING[_key(spelling)] = name


for _name, _spellings in _TABLE.items():
    register_unit(_name, *_spellings)


def unit(text: str, where: str = "unit") -> str:
    """Return the HTS spelling of the unit ``text`` names (case and spaces do not matter).

    Raises:
        InvalidInputError: ``text`` names no known unit; the message lists the units.
    """
    if not isinstance(text, str):
        raise InvalidInputError(where, text, "is not a unit")
    found = _BY_SPELLING.get(_key(text))
    if len(text.strip()) == 1 and text.strip() not in _LETTERS:
        found = None  # "M" may be a thousand, "T" a tesla: one letter must match exactly
    if found is None:
        raise InvalidInputError(
            where,
            text,
            f"is not a unit tradelaw knows: the units of the HTS ({_COMMON} …) and their "
            "usual spellings; tradelaw never converts units, and refuses ambiguous ones "
            "such as ton",
        )
    return found

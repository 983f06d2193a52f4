"""Rows of an entries table read into entries: the columns, and what each cell may hold.

One reading for every table of entries, whether it comes from a CSV file
(``tradelaw entries``), a pandas DataFrame or an Arrow table (:func:`tradelaw.frame.resolve`):

* ``goods``, ``origin``, ``entered`` and ``value`` are required; ``currency`` (default: the
  schedule's) and ``quantity`` (``"12 kg"``) are optional;
* a column named after a fact the schedule declares (``loaded``, ``claim``,
  ``steel_value``…) gives that fact, read by its type;
* an empty cell is a missing value, never zero.

Cells may be text, or the values text stands for: a ``Decimal`` or ``int`` amount, a
``date`` or an aware ``datetime``. A ``float`` is refused, as everywhere in tradelaw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from tradelaw.conditions import FactValue
from tradelaw.entry import Entry
from tradelaw.errors import ExactnessError, InvalidInputError
from tradelaw.facts import FactSpec
from tradelaw.money import Money, Quantity, to_decimal
from tradelaw.units import unit

#: The columns with a fixed meaning; any other column may be a fact the schedule declares.
ENTRY_COLUMNS = ("goods", "origin", "entered", "value", "currency", "quantity")
#: The columns every table of entries must have.
REQUIRED = ("goods", "origin", "entered", "value")


def fact_columns(columns: Sequence[str], declared: Mapping[str, FactSpec]) -> list[str]:
    """The columns that give facts: those named after a fact the schedule declares."""
    return [c for c in columns if c not in ENTRY_COLUMNS and c in declared]


def missing_columns(columns: Sequence[str]) -> list[str]:
    """The required columns a table lacks."""
    return [c for c in REQUIRED if c not in columns]


def is_empty(cell: object) -> bool:
    """Whether a cell holds no value (``None``, an empty string, or a missing marker)."""
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    differs = cell != cell  # NaN and NaT are not equal to themselves; pandas.NA is NA
    return True if type(differs).__name__ == "NAType" else bool(differs)


def text(cell: object, where: str) -> str:
    """A cell as text: dates in ISO form; a float refused (it is inexact)."""
    if isinstance(cell, float):
        raise ExactnessError(where, cell)
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return str(cell).strip()


def entry_of(
    row: Mapping[str, object],
    facts: Sequence[str],
    declared: Mapping[str, FactSpec],
    currency: str,
) -> Entry:
    """Read one row (column name -> cell) into an entry.

    Raises:
        InvalidInputError: naming the column of the first cell that cannot be read.
    """

    def cell(name: str) -> str:
        value = row.get(name)
        return "" if is_empty(value) else text(value, name)

    currency = cell("currency") or currency
    value = _money(row.get("value"), currency)
    amount = quantity_of(cell("quantity")) if cell("quantity") else None
    given: dict[str, FactValue] = {}
    for name in facts:
        if not cell(name):
            continue
        try:
            given[name] = declared[name].parse(cell(name), currency=currency)
        except InvalidInputError as error:
            raise InvalidInputError(name, error.value, error.problem) from None
    entered = row.get("entered")
    when = entered if isinstance(entered, datetime | date) else cell("entered")
    try:
        return Entry(cell("goods"), cell("origin"), when, value, amount, given)
    except InvalidInputError as error:
        raise InvalidInputError(error.where.split(".")[0], error.value, error.problem) from None


def quantity_of(cell: object) -> Quantity:
    """Read a quantity cell, ``"N UNIT"`` (e.g. ``"12 kg"``).

    Raises:
        InvalidInputError: naming the ``quantity`` column.
    """
    number, _, name = text(cell, "quantity").partition(" ")
    if not name.strip():
        raise InvalidInputError("quantity", text(cell, "quantity"), "is not 'N UNIT' (e.g. 12 kg)")
    # As Quantity(number, name) reads them, with the unit's spelling looked up once.
    return Quantity._trusted(to_decimal(number, "quantity"), _unit(name.strip()))


@lru_cache(maxsize=1024)
def _unit(name: str) -> str:
    return unit(name, "quantity")


def _money(cell: object, currency: str) -> Money:
    if is_empty(cell):
        raise InvalidInputError("value", "", "is empty; the customs value is required")
    amount = cell if isinstance(cell, Decimal | int) and not isinstance(cell, bool) else None
    if amount is None:
        amount = to_decimal(text(cell, "value"), "value")
    try:
        return Money(amount, currency)
    except InvalidInputError as error:
        where = "currency" if error.where == "currency" else "value"
        raise InvalidInputError(where, error.value, error.problem) from None

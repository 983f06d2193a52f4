"""Turn command-line text into tradelaw objects: schedules, entries, facts, instants.

Every error names the option (or CSV column) it came from, so the command can print one
line that points at the bad value.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, overload

from attrs import evolve

from tradelaw import datasets, hts
from tradelaw import format as fmt
from tradelaw._i18n import Text, catalogue
from tradelaw.conditions import FactValue
from tradelaw.entry import Entry
from tradelaw.errors import InvalidInputError
from tradelaw.facts import FactSpec
from tradelaw.io import load
from tradelaw.money import Money, Quantity, to_decimal
from tradelaw.schedule import Schedule
from tradelaw.time import When, instant

#: The environment variable that names an official HTS export to use as the base layer.
HTS_VARIABLE = "TRADELAW_HTS"
#: The environment variable that says from when that export is in force (``--hts-from``).
HTS_FROM_VARIABLE = "TRADELAW_HTS_FROM"
#: The environment variable that names the embedded dataset used without --dataset.
DATASET_VARIABLE = "TRADELAW_DATASET"


def schedule(args: argparse.Namespace) -> Schedule:
    """Build the schedule the options name: the dataset or schedule files, with an HTS export.

    Overlays (``--overlay``) are stacked over it in order: a scenario over the dataset.

    An export (``--hts`` or ``$TRADELAW_HTS``) is one more edition of the HTSUS base layer,
    in force from ``--hts-from`` (or ``$TRADELAW_HTS_FROM``); by default from the start of
    the latest edition the schedule has, which it replaces (1 January 2025 when it has
    none). Its lines are built only for the goods asked about.
    """
    if args.schedule:
        files = [load(path) for path in args.schedule]
        chosen = files[0].stack(*files[1:])
    else:
        name = args.dataset or os.environ.get(DATASET_VARIABLE) or datasets.DEFAULT
        try:
            chosen = datasets.load(name)
        except InvalidInputError as error:
            from_variable = not args.dataset and os.environ.get(DATASET_VARIABLE)
            where = DATASET_VARIABLE if from_variable else "--dataset"
            raise InvalidInputError(where, error.value, error.problem) from None
    overlays = [load(path) for path in getattr(args, "overlay", None) or ()]
    if overlays:
        chosen = chosen.stack(*overlays)
    if getattr(args, "currency", "") is None:  # amounts are in the schedule's currency
        args.currency = chosen.currency
    hts_file = args.hts or os.environ.get(HTS_VARIABLE)
    if not hts_file:
        return chosen
    where = "--hts" if args.hts else HTS_VARIABLE
    if not Path(hts_file).is_file():
        raise InvalidInputError(where, hts_file, "is not a file")
    base = next((t for t in chosen.tables if isinstance(t, hts.Editions)), hts.Editions([]))
    start_text = args.hts_from or os.environ.get(HTS_FROM_VARIABLE)
    start: When = base.editions[-1].start if base.editions else "2025-01-01"
    if start_text:
        start = start_text
    try:
        edition = hts.Edition.from_export(hts_file, start=start)
    except InvalidInputError as error:
        from_where = "--hts-from" if args.hts_from else HTS_FROM_VARIABLE
        raise InvalidInputError(
            from_where if error.where == "start" else where, error.value, error.problem
        ) from None
    others = [t for t in chosen.tables if t is not base]
    return evolve(chosen, tables=[*others, base.with_edition(edition)])


def money(text: str, currency: str, where: str, currency_where: str) -> Money:
    """Read an amount in ``currency``."""
    return Money(to_decimal(text, where), _currency(currency, currency_where))


def _currency(code: str, where: str) -> str:
    try:
        return Money("0", code.strip()).currency
    except InvalidInputError:
        raise InvalidInputError(where, code, "is not an ISO 4217 currency code") from None


def quantity(number: str, unit: str, where: str) -> Quantity:
    """Read a quantity and its unit."""
    amount = to_decimal(number, where)
    try:
        return Quantity(amount, unit)
    except InvalidInputError as error:
        raise InvalidInputError(where, error.value, error.problem) from None


def facts(
    pairs: Iterable[tuple[str, str, str]],
    declared: Mapping[str, FactSpec],
    currency: str,
) -> dict[str, FactValue]:
    """Read ``(name, text, where)`` triples by each fact's declared type.

    Raises:
        InvalidInputError: a fact the schedule does not declare, or text its type refuses.
    """
    read: dict[str, FactValue] = {}
    for name, text, where in pairs:
        spec = declared.get(name)
        if spec is None:
            names = ", ".join(sorted(declared))
            raise InvalidInputError(where, name, f"is not a declared fact; declared: {names}")
        try:
            read[name] = spec.parse(text, currency=currency)
        except InvalidInputError as error:
            raise InvalidInputError(where, error.value, error.problem) from None
    return read


def fact_pairs(options: Iterable[str]) -> list[tuple[str, str, str]]:
    """Split ``--fact NAME=VALUE`` options."""
    pairs = []
    for option in options:
        name, equals, text = option.partition("=")
        if not equals or not name.strip():
            raise InvalidInputError("--fact", option, "is not NAME=VALUE")
        pairs.append((name.strip(), text, f"--fact {name.strip()}"))
    return pairs


def entry(
    goods: str,
    origin: str,
    entered: When,
    value: Money,
    amount: Quantity | None,
    given: Mapping[str, FactValue],
    names: Mapping[str, str] | None = None,
) -> Entry:
    """Build an entry; an invalid field is reported under the name the user gave it."""
    try:
        return Entry(goods, origin, entered, value, amount, given)
    except InvalidInputError as error:
        field = error.where.split(".")[0]
        where = (names or {}).get(field, error.where)
        raise InvalidInputError(where, error.value, error.problem) from None


@overload
def when(text: str, zone_name: str, where: str) -> datetime: ...
@overload
def when(text: None, zone_name: str, where: str) -> None: ...
def when(text: str | None, zone_name: str, where: str) -> datetime | None:
    """Read an instant option (``--to``, ``--as-of``…) in the schedule's zone."""
    if text is None:
        return None
    return instant(text, zone_name, where)


def locale(name: str | None) -> str | None:
    """Check a ``--locale`` option early, so a bad name is reported under its option."""
    if name is not None:
        try:
            fmt.locale(name)
        except InvalidInputError as error:
            raise InvalidInputError("--locale", error.value, error.problem) from None
    return name


def value(args: argparse.Namespace) -> tuple[Money, bool]:
    """The customs value given, or a nominal 100 (and False: no value was given)."""
    if args.value is None:
        if args.quantity:
            raise InvalidInputError("--quantity", args.quantity, "needs --value too")
        return Money("100", args.currency), False
    return money(args.value, args.currency, "--value", "--currency"), True


def quantity_of(args: argparse.Namespace) -> Quantity | None:
    """The quantity of ``--quantity N UNIT``, if given."""
    if not args.quantity:
        return None
    number, unit = args.quantity
    return quantity(number, unit, "--quantity")


def entry_facts(args: argparse.Namespace, s: Schedule) -> dict[str, Any]:
    """The facts of ``--fact NAME=VALUE`` and ``--loaded``, read by their declared types."""
    pairs = fact_pairs(args.fact)
    if args.loaded is not None:
        pairs.append(("loaded", args.loaded, "--loaded"))
    return dict(facts(pairs, s.declared_facts, args.currency))


def sayer(locale: str | None) -> Callable[[Text], str]:
    """Say texts in ``locale``'s language (English without one)."""
    words = catalogue(fmt.locale(locale) if locale else None)
    return lambda text: text.say(words)


def csv_table(path: str, where: str) -> Any:
    """A CSV file as a table of text cells, read whole; ``where`` names it in errors."""
    import pandas as pd

    if not Path(path).is_file():
        raise InvalidInputError(where, path, "is not a file")
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        problem = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InvalidInputError(where, path, f"cannot be read as CSV: {problem}") from None

"""Schedule files: TOML or JSON text <-> :class:`~tradelaw.schedule.Schedule`.

A schedule file (format ``tradelaw/2``; ``tradelaw/1`` is still read) is plain data.
Every object names its class by its registered *kind* (``kind = "measure"``,
``kind = "ad-valorem"``…), so plug-in kinds work too; nothing else is ever imported and
no code in a file is executed. Structuring and unstructuring go through cattrs. What
``tradelaw/2`` adds, named code lists and versions stated as changes, is described on
the format page of the docs.

.. code-block:: toml

    format = "tradelaw/2"
    name = "example"
    jurisdiction = "US"
    zone = "America/New_York"
    requires = ["mfn"]             # layers that must cover every entry, else unknown
    include = ["base.toml"]        # stacked below this file; this file's ids win
    hts = ["hts/2026_rev_4.tsv.gz"]  # HTSUS edition tables: the mfn layer of every line

    [facts]                        # facts read beyond the well-known ones, with types
    vessel = { type = "text", description = "name of the carrying vessel" }

    [lists."annex-ii"]             # a product list, once, named as the law names it
    citation = "EO 14257, Annex II"
    codes = ["8541", "8542"]

    [[items]]
    kind = "measure"
    id = "baseline"
    citations = ["EO 14257, 90 FR 15041"]
    heading = "9903.01.25"
    layer = "ieepa-reciprocal"
    period = { start = "2025-04-05" }   # a date is 12:01 a.m. in the zone
    rate = { kind = "ad-valorem", percent = "10" }
    recorded = { start = "2025-04-02" }

    [[items.versions]]             # a later version: when it became known, what changed
    recorded = { start = "2026-02-20" }
    void = true

Numbers are strings or integers: a TOML or JSON float is refused, because it is not
exact. Dates and instants are ISO 8601 text. Condition values say their type when it is
not text or a whole number: ``{ date = "2025-04-05" }``, ``{ instant = "…" }``,
``{ number = "1.5" }``, ``{ amount = "10", currency = "USD" }``.

Every problem of a file is reported at once, each with the file and field path
(``base.toml: items[12].period.start: '2025-13-01' is not an ISO 8601 date``).

The files a schedule file names (``include``, ``hts``) are paths relative to its folder,
and must lie inside that folder's tree. ``hts`` names edition tables made by
``scripts/hts_tables.py`` (:class:`tradelaw.hts.Edition`): they become one
:class:`tradelaw.hts.Editions` table, each edition in force until the next.

Example:
    >>> from tradelaw.examples import japan_us_2025 as jp
    >>> text = dumps(jp.schedule(), format="toml")
    >>> loads(text, format="toml") == jp.schedule()
    True
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

import attrs
from cattrs import ClassValidationError, Converter, IterableValidationError
from cattrs.errors import AttributeValidationNote, ForbiddenExtraKeysError, IterableValidationNote

from tradelaw import _cache
from tradelaw.conditions import FactValue
from tradelaw.errors import ExactnessError, InvalidInputError, Problem, ValidationError
from tradelaw.facts import FactSpec, FactType
from tradelaw.hts import Edition, Editions
from tradelaw.io import _toml, _v2
from tradelaw.measures import Scoped
from tradelaw.money import Money, to_decimal
from tradelaw.registry import _REGISTRY, find, kind_of
from tradelaw.schedule import Schedule
from tradelaw.scope import CountryGroup, Origins
from tradelaw.time import Period, instant
from tradelaw.time import zone as time_zone

__all__ = [
    "FORMAT",
    "FORMATS",
    "FORMAT_1",
    "dump",
    "dumps",
    "format_of",
    "load",
    "load_written",
    "loads",
]

#: The format tag of the files tradelaw writes.
FORMAT = "tradelaw/2"
#: The first format, which tradelaw still reads (no named lists, no stated versions).
FORMAT_1 = "tradelaw/1"
#: Every format tradelaw reads.
FORMATS = (FORMAT_1, FORMAT)

Format = Literal["toml", "json"]
_HEADER_1 = (
    "format",
    "name",
    "jurisdiction",
    "zone",
    "currency",
    "requires",
    "include",
    "hts",
    "facts",
    "items",
)
_HEADER = (*_HEADER_1, "lists")


def _decimal(value: object, _: object = None) -> Decimal:
    return to_decimal(value, "")


def _kinded(value: object) -> bool:
    return type(value) in _registered()


def _registered() -> set[type]:
    # The kinds registered so far: a plug-in's class is registered once its module is
    # imported, by the user or by `find` meeting its name in a file.
    return set(_REGISTRY.values())


def _fact_value(value: object) -> object:
    """A condition value from a file: text, integer, bool, or a typed table."""
    if isinstance(value, float):
        raise ExactnessError("value", value)
    if isinstance(value, Mapping):
        if set(value) == {"date"}:
            return date.fromisoformat(str(value["date"]))
        if set(value) == {"instant"}:
            return datetime.fromisoformat(str(value["instant"]))
        if set(value) == {"number"}:
            return to_decimal(value["number"], "number")
        if set(value) == {"amount", "currency"}:
            return Money(value["amount"], value["currency"])
        raise InvalidInputError("value", dict(value), "is not a date, instant, number or money")
    return value


def _fact_value_out(value: object) -> object:
    if isinstance(value, datetime):
        return {"instant": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else {"number": str(value)}
    return value


def _converter(zone: str) -> Converter:
    """A converter that reads dates in ``zone`` and dispatches objects on their kind.

    One per zone and set of registered kinds: making one costs more than most files.
    """
    return _made(zone, frozenset(_REGISTRY.items()))


@cache
def _made(zone: str, _kinds: frozenset[tuple[str, type]]) -> Converter:
    c = Converter(forbid_extra_keys=True)
    c.register_structure_hook(Decimal, _decimal)
    c.register_unstructure_hook(Decimal, str)
    c.register_structure_hook(datetime, lambda v, _: instant(v, zone, ""))
    c.register_unstructure_hook(datetime, lambda d: d.isoformat())

    def origins_in(data: Mapping[str, Any], _: object) -> Origins:
        return Origins(tuple(data.get("terms", ())), tuple(data.get("exclude", ())))

    def origins_out(origins: Origins) -> dict[str, Any]:
        terms = [t.name if isinstance(t, CountryGroup) else t for t in origins.terms]
        return {"terms": terms, "exclude": list(origins.exclude)}

    def period_in(data: Mapping[str, Any], _: object) -> Period:
        if not isinstance(data, Mapping) or "start" not in data:
            raise InvalidInputError("", data, "is not a period table with a 'start'")
        unknown = set(data) - {"start", "end"}
        if unknown:
            raise InvalidInputError("", sorted(unknown), "are not fields of a period")
        end = data.get("end")
        return Period(
            instant(data["start"], zone, "start"),
            None if end is None else instant(end, zone, "end"),
        )

    local = time_zone(zone)

    def moment_out(moment: datetime) -> str:
        # A date is 12:01 a.m. in the zone: write it as the instruments say it.
        at = moment.astimezone(local)
        if (at.hour, at.minute, at.second, at.microsecond) == (0, 1, 0, 0):
            return at.date().isoformat()
        return moment.isoformat()

    def period_out(period: Period) -> dict[str, str]:
        out = {"start": moment_out(period.start)}
        if period.end is not None:
            out["end"] = moment_out(period.end)
        return out

    def amount_in(data: object, _: object) -> Decimal | Money:
        if isinstance(data, Mapping):
            return c.structure(data, Money)
        return to_decimal(data, "")

    c.register_structure_hook(Decimal | Money, amount_in)
    c.register_structure_hook(FactValue, lambda v, _: _fact_value(v))
    c.register_structure_hook(Period, period_in)
    c.register_unstructure_hook(Period, period_out)
    c.register_structure_hook(Origins, origins_in)
    c.register_unstructure_hook(Origins, origins_out)

    def by_kind(data: object, slot: object) -> object:
        if not isinstance(data, Mapping) or "kind" not in data:
            raise InvalidInputError("kind", data, "is not a table with a 'kind'")
        found = find(str(data["kind"]))
        if found is None:
            raise InvalidInputError("kind", data["kind"], "is not a registered kind")
        made: object = c.structure({k: v for k, v in data.items() if k != "kind"}, found)
        args = getattr(slot, "__args__", ())  # an optional slot: `Condition | None`
        wanted = _SLOTS.get(slot) or next((_SLOTS[a] for a in args if a in _SLOTS), None)
        if wanted is not None and not isinstance(made, wanted[0]):
            raise InvalidInputError("kind", data["kind"], f"is not {wanted[1]}")
        return made

    def kinded_out(obj: object) -> dict[str, Any]:
        name = kind_of(obj)
        out: dict[str, Any] = {"kind": name}
        for a in attrs.fields(type(obj)):  # type: ignore[arg-type]  # kinds are attrs classes
            if not a.init:
                continue
            value = getattr(obj, a.name)
            if a.default is not attrs.NOTHING and _is_default(a, value):
                continue
            if name == "compare" and a.name == "value":
                out[a.name] = _fact_value_out(value)
            elif name == "one-of" and a.name == "values":
                out[a.name] = [_fact_value_out(v) for v in value]
            else:
                out[a.name] = c.unstructure(value)
        return out

    for cls in _registered():
        c.register_unstructure_hook(cls, kinded_out)
    c.register_structure_hook_func(_is_protocol_or_union, by_kind)
    c.register_structure_hook(_Item, by_kind)
    return c


def _slots() -> dict[object, tuple[type, str]]:
    """What each kind-dispatched slot must hold, and how to say it in an error."""
    from tradelaw.conditions import Condition
    from tradelaw.rates import RateExpression

    return {RateExpression: (RateExpression, "a rate"), Condition: (Condition, "a condition")}


_SLOTS = _slots()


def _is_default(a: attrs.Attribute[Any], value: object) -> bool:
    default: Any = a.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = default.factory()
    return bool(value == default)


def _is_protocol_or_union(t: object) -> bool:
    from tradelaw.conditions import Condition
    from tradelaw.rates import RateExpression

    if t in (RateExpression, Condition):
        return True
    args = getattr(t, "__args__", ())
    return bool(args) and all(a in _registered() or a is type(None) for a in args)


def _messages(error: BaseException, path: str) -> list[Problem]:
    """Flatten a cattrs error tree into problems with field paths."""
    if isinstance(error, ClassValidationError | IterableValidationError):
        problems = []
        with_notes, without_notes = error.group_exceptions()
        for inner in without_notes:
            problems.extend(_messages(inner, path))
        for inner, note in with_notes:
            if isinstance(note, AttributeValidationNote):
                step = f".{note.name}"
            elif isinstance(note, IterableValidationNote):
                step = f"[{note.index}]"
            else:
                step = ""
            problems.extend(_messages(inner, f"{path}{step}"))
        return problems or [Problem(path, str(error))]
    if isinstance(error, ForbiddenExtraKeysError):
        return [Problem(f"{path}.{k}", "is not a field here") for k in sorted(error.extra_fields)]
    if isinstance(error, KeyError):
        return [Problem(path, f"is missing required field {error.args[0]!r}")]
    if isinstance(error, InvalidInputError):
        detail = f"{error.value!r} {error.problem}"
        where = f"{path}.{error.where}" if error.where and not path.endswith(error.where) else path
        return [Problem(where, detail)]
    return [Problem(path, str(error))]


def _structure_item(c: Converter, data: object, path: str) -> tuple[Scoped | None, list[Problem]]:
    try:
        item = c.structure(data, _Item)
    except RecursionError:
        return None, [Problem(path, "is nested too deeply")]
    except (ClassValidationError, IterableValidationError) as error:
        return None, _messages(error, path)
    except (InvalidInputError, KeyError, TypeError, ValueError) as error:
        return None, _messages(error, path)
    if not isinstance(item, Scoped):
        return None, [Problem(path, f"kind {kind_of(item)!r} is not a schedule item")]
    return item, []


def _facts(data: object, path: str, problems: list[Problem]) -> list[FactSpec]:
    """Read the ``[facts]`` table: name -> {type, description}."""
    if not isinstance(data, Mapping):
        problems.append(Problem(path, "is not a table of fact names"))
        return []
    specs = []
    for name, spec in data.items():
        here = f"{path}.{name}"
        if not isinstance(spec, Mapping) or set(spec) - {"type", "description"}:
            problems.append(Problem(here, "is not a table with 'type' and 'description'"))
            continue
        try:
            specs.append(FactSpec(name, spec.get("type", ""), str(spec.get("description", ""))))
        except InvalidInputError as error:
            problems.append(Problem(here, f"{error.value!r} {error.problem}"))
        except ValueError:
            types = ", ".join(t.value for t in FactType)
            problems.append(Problem(f"{here}.type", f"{spec.get('type')!r} is not one of {types}"))
    return specs


class _Item:
    """The type under which schedule items are structured: any kind, by its tag."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's members; a key given twice is an error (TOML refuses it too)."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise json.JSONDecodeError(f"key {key!r} is given twice", "", 0)
        found[key] = value
    return found


def _parse(text: str, fmt: Format, source: str) -> Mapping[str, Any]:
    text = text.removeprefix("\ufeff")  # a byte-order mark is not part of the text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        problem = Problem(source, f"is not text: a lone surrogate at character {error.start}")
        raise ValidationError([problem], source) from None
    try:
        if fmt == "toml":
            data = _cache.parse_toml(text)
        else:
            data = json.loads(text, object_pairs_hook=_unique_keys)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        detail = error.msg if isinstance(error, json.JSONDecodeError) and not error.doc else error
        problem = Problem(source, f"is not valid {fmt.upper()}: {detail}")
        raise ValidationError([problem], source) from None
    except RecursionError:
        raise ValidationError([Problem(source, "is nested too deeply")], source) from None
    if not isinstance(data, Mapping):
        raise ValidationError([Problem(source, "is not a table at the top level")], source)
    return data


def loads(
    text: str,
    *,
    format: Format = "toml",
    source: str = "<text>",
    resolve_include: Callable[[str], Schedule] | None = None,
    resolve_path: Callable[[str], Path] | None = None,
    written: dict[int, str] | None = None,
) -> Schedule:
    """Read a schedule from TOML or JSON text.

    Args:
        text: the text.
        format: ``"toml"`` or ``"json"``.
        source: where the text came from, for messages.
        resolve_include: reads an included file, by the name the text gives.
        resolve_path: turns a file name the text gives (an ``hts`` table) into a path.
        written: if given, filled with where each item was written (by ``id()``), so that
            later problems can name the file and field path (``tradelaw check`` does).

    Raises:
        ValidationError: listing every problem, each with ``source`` and field path.
    """
    data = _parse(text, format, source)
    problems = []
    version = data.get("format")
    if version not in FORMATS:
        formats = " or ".join(repr(f) for f in FORMATS)
        problems.append(Problem(f"{source}: format", f"{version!r} is not {formats}"))
    fields = _HEADER if version != FORMAT_1 else _HEADER_1
    for key in data:
        if key not in fields:
            problems.append(Problem(f"{source}: {key}", f"is not a field of a {version} file"))
    bases = _includes(data.get("include", []), source, resolve_include)
    known = {x.name: x for base in bases for x in base.lists}
    lists = _v2.read_lists(data.get("lists"), source, known, problems)
    zone = data.get("zone", "UTC")
    try:
        instant("2000-01-01", str(zone))
    except InvalidInputError:
        problems.append(Problem(f"{source}: zone", f"{zone!r} is not an IANA time zone"))
        zone = "UTC"
    facts = _facts(data.get("facts", {}), f"{source}: facts", problems)
    c = _converter(str(zone))
    items = []
    raw_items = data.get("items", [])
    if not isinstance(raw_items, list):
        problems.append(Problem(f"{source}: items", "is not a list of tables"))
        raw_items = []
    for index, raw in enumerate(raw_items):
        where = f"{source}: items[{index}]"
        try:
            versions = _v2.expand_item(raw, known | lists, where)
        except InvalidInputError as error:
            problems.append(Problem(f"{where}.{error.where}", f"{error.value!r} {error.problem}"))
            continue
        for path, version_data in versions:
            item, found = _structure_item(c, version_data, path)
            problems.extend(found)
            if item is not None:
                items.append(item)
                if written is not None:
                    written[id(item)] = path
    tables = _tables(data.get("hts", []), f"{source}: hts", resolve_path, problems)
    if problems:
        raise ValidationError(problems, source)
    try:
        schedule = Schedule(
            items,
            name=str(data.get("name", source)),
            jurisdiction=str(data.get("jurisdiction", "")),
            zone=str(zone),
            currency=str(data.get("currency", "USD")),
            facts=facts,
            requires=data.get("requires", ()),
            tables=tables,
            lists=lists.values(),
        )
    except InvalidInputError as error:
        raise ValidationError([Problem(source, str(error))], source) from None
    if not bases:
        return schedule
    base = bases[0].stack(*bases[1:], schedule)
    return Schedule(
        base.items,
        name=schedule.name,
        jurisdiction=schedule.jurisdiction,
        zone=schedule.zone,
        currency=schedule.currency,
        facts=base.facts,
        requires=base.requires,
        tables=base.tables,
        lists=base.lists,
    )


def _includes(
    names: object, source: str, resolve_include: Callable[[str], Schedule] | None
) -> list[Schedule]:
    """The schedules of the files ``include`` names, in order."""
    if not names:
        return []
    if resolve_include is None:
        raise ValidationError([Problem(f"{source}: include", "needs a file to be relative to")])
    if not isinstance(names, list):
        problem = Problem(f"{source}: include", f"{names!r} is not a list of file names")
        raise ValidationError([problem], source)
    return [resolve_include(str(name)) for name in names]


def _tables(
    names: object,
    where: str,
    resolve_path: Callable[[str], Path] | None,
    problems: list[Problem],
) -> list[Editions]:
    """Read the ``hts`` list of edition tables into one table of editions."""
    if not names:
        return []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        problems.append(Problem(where, f"{names!r} is not a list of file names"))
        return []
    if resolve_path is None:
        problems.append(Problem(where, "needs a file to be relative to"))
        return []
    editions = []
    for i, name in enumerate(names):
        try:
            editions.append(Edition.from_table(resolve_path(name)))
        except InvalidInputError as error:
            problems.append(Problem(f"{where}[{i}]", f"{error.value!r} {error.problem}"))
    return [Editions(editions)] if editions else []


def _inside(folder: Path, name: str, where: str) -> Path:
    """The path of ``name`` relative to ``folder``, which it must not leave."""
    if "\0" in name:
        raise InvalidInputError(where, name, "is not a file name (it holds a NUL character)")
    path = folder / name
    if not path.resolve().is_relative_to(folder.resolve()):
        raise InvalidInputError(where, name, f"is outside the folder {folder}")
    return path


def load(path: str | Path) -> Schedule:
    """Read a schedule file (``.toml`` or ``.json``), with the files it includes.

    A file must be a regular file of at most 64 MiB; an included file must lie in the
    including file's folder tree, and a file that includes itself, directly or not, is
    an error naming the chain.

    Raises:
        ValidationError: every problem of the file, with file name and field path.
    """
    return _load(Path(path), (), None)


def load_written(path: str | Path) -> tuple[Schedule, dict[int, str]]:
    """Read a schedule file as :func:`load` does, and where each item was written.

    Returns:
        The schedule, and for each item (by ``id()``) its file and field path, e.g.
        ``"base.toml: items[3]"``; pass ``lambda item: written.get(id(item))`` to
        :meth:`~tradelaw.schedule.Schedule.problems`.
    """
    written: dict[int, str] = {}
    return _load(Path(path), (), written), written


#: The largest schedule file tradelaw reads.
MAX_FILE_SIZE = 64 << 20


def _load(file: Path, chain: tuple[Path, ...], written: dict[int, str] | None) -> Schedule:
    fmt: Format = "json" if file.suffix.lower() == ".json" else "toml"
    text = _read_text(file)
    folder = file.parent
    here = (*chain, file.resolve())

    def within(name: str) -> Path:
        return _inside(folder, name, f"{file}: hts")

    def include(name: str) -> Schedule:
        try:
            path = _inside(folder, name, f"{file}: include")
        except InvalidInputError as error:
            problem = Problem(error.where, f"{error.value!r} {error.problem}")
            raise ValidationError([problem]) from None
        if path.resolve() in here:
            names = " -> ".join(str(p) for p in (*here, path.resolve()))
            raise ValidationError([Problem(f"{file}: include", f"is a cycle: {names}")])
        return _load(path, here, written)

    return loads(
        text,
        format=fmt,
        source=str(file),
        resolve_include=include,
        resolve_path=within,
        written=written,
    )


def _read_text(file: Path) -> str:
    """The text of a schedule file: a regular file, not too big, UTF-8."""
    try:
        status = file.stat()
        regular = file.is_file()
    except OSError as error:
        raise ValidationError([Problem(str(file), f"cannot be read: {error.strerror}")]) from None
    except ValueError:  # a NUL, or a character no file name can hold
        raise ValidationError([Problem(repr(str(file)), "is not a file name")]) from None
    if not regular:
        raise ValidationError([Problem(str(file), "is not a regular file")])
    if status.st_size > MAX_FILE_SIZE:
        size = f"{status.st_size:,} bytes"
        raise ValidationError([Problem(str(file), f"is too big ({size}; at most 64 MiB)")])
    try:
        return file.read_text(encoding="utf-8-sig")  # a byte-order mark is allowed
    except OSError as error:
        raise ValidationError([Problem(str(file), f"cannot be read: {error.strerror}")]) from None
    except UnicodeDecodeError:
        raise ValidationError([Problem(str(file), "is not UTF-8 text")]) from None


def dumps(schedule: Schedule, *, format: Format = "toml") -> str:
    """Write a schedule as TOML or JSON text (lossless: ``loads(dumps(s)) == s``).

    Edition tables (``hts``) are named by their paths as read; :func:`dump` writes them
    relative to the file it writes.

    Raises:
        InvalidInputError: an edition was read from an export rather than a table (a
            schedule file can name only tables).
    """
    return _dumps(schedule, format, None)


def _dumps(schedule: Schedule, format: Format, folder: Path | None) -> str:
    c = _converter(schedule.zone)
    data: dict[str, Any] = {
        "format": FORMAT,
        "name": schedule.name,
        "jurisdiction": schedule.jurisdiction,
        "zone": schedule.zone,
        "currency": schedule.currency,
        "facts": {
            spec.name: {"type": str(spec.type), "description": spec.description}
            for spec in schedule.facts
        },
    }
    if not schedule.facts:
        del data["facts"]
    if schedule.requires:
        data["requires"] = list(schedule.requires)
    editions = [e for t in schedule.tables if isinstance(t, Editions) for e in t.editions]
    if editions:
        data["hts"] = [_table_name(edition, folder) for edition in editions]
    if schedule.lists:
        data["lists"] = _v2.list_tables(schedule.lists)
    items = [c.unstructure(item) for item in schedule.items]
    data["items"] = _v2.compact_items(items, schedule.lists)
    if format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return _toml.write(data)


def format_of(path: str | Path) -> str:
    """Return the format a schedule file says it is in (``tradelaw/1`` or ``tradelaw/2``).

    Raises:
        ValidationError: the file cannot be read or parsed, or names no known format.
    """
    file = Path(path)
    fmt: Format = "json" if file.suffix.lower() == ".json" else "toml"
    found = _parse(_read_text(file), fmt, str(file)).get("format")
    if found not in FORMATS:
        problem = Problem(f"{file}: format", f"{found!r} is not a format tradelaw reads")
        raise ValidationError([problem], str(file))
    return str(found)


def dump(schedule: Schedule, path: str | Path) -> None:
    """Write a schedule file; the suffix (``.toml`` or ``.json``) picks the format."""
    file = Path(path)
    fmt: Format = "json" if file.suffix.lower() == ".json" else "toml"
    file.write_text(_dumps(schedule, fmt, file.parent), encoding="utf-8")


def _table_name(edition: Edition, folder: Path | None) -> str:
    if not edition.is_table:
        raise InvalidInputError(
            "hts", str(edition.source), "is an export, not an edition table; a schedule "
            "file names tables (scripts/hts_tables.py makes them)"
        )  # fmt: skip
    if folder is None:
        return str(edition.source)
    source, base = edition.source.resolve(), folder.resolve()
    return str(source.relative_to(base)) if source.is_relative_to(base) else str(source)

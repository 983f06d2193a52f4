"""What format ``tradelaw/2`` adds to ``tradelaw/1``: named code lists and stated versions.

Both work on the plain data of a file, before cattrs structures it (reading) and after it
unstructures it (writing), so that the objects are the same whichever format a file is in:

* **Named lists.** ``[lists.NAME]`` gives a list of codes once (``codes``, or other
  ``lists`` with ``remove``d codes) with its ``citation``; a goods scope refers to lists
  by name (``goods = { lists = [...], exclude_lists = [...] }``) beside plain
  ``prefixes`` and ``exclude``. Reading puts the codes in; writing finds, for each scope,
  the largest named lists it contains and writes their names.
* **Versions.** An item's later versions are ``[[items.versions]]`` tables, each with its
  ``recorded`` period and only the fields that changed from the version before (``unset``
  names fields that go back to their default). A version known from a date ends the
  knowledge of the one before it, unless that one says otherwise. Reading makes one item
  per version; writing states each later version as its changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from tradelaw.errors import InvalidInputError, Problem
from tradelaw.scope import CodeList, dotted, goods_code

__all__ = ["compact_items", "expand_item", "list_tables", "read_lists"]

_LIST_FIELDS = frozenset({"title", "citation", "codes", "lists", "remove"})
_GOODS_FIELDS = frozenset({"prefixes", "exclude", "lists", "exclude_lists"})
_NOT_VERSIONED = frozenset({"kind", "id", "versions"})
_ALWAYS = datetime.min.replace(tzinfo=UTC)


def _names(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInputError(where, value, "is not a list of names")
    return value


def _code_list(value: object, where: str) -> list[str]:
    if not isinstance(value, list):
        raise InvalidInputError(where, value, "is not a list of goods codes")
    return [goods_code(v, f"{where}[{i}]") for i, v in enumerate(value)]


def read_lists(
    data: object, source: str, known: Mapping[str, CodeList], problems: list[Problem]
) -> dict[str, CodeList]:
    """Read the ``[lists]`` table; a list may build on ``known`` lists and on its own file's."""
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        problems.append(Problem(f"{source}: lists", "is not a table of named lists"))
        return {}
    found: dict[str, CodeList] = {}
    busy: list[str] = []

    def build(name: str) -> CodeList | None:
        if name in found:
            return found[name]
        if name not in data:
            return known.get(name)
        where = f"{source}: lists.{name}"
        if name in busy:
            chain = " -> ".join([*busy[busy.index(name) :], name])
            problems.append(Problem(where, f"is built from itself: {chain}"))
            return None
        spec = data[name]
        if not isinstance(spec, Mapping) or set(spec) - _LIST_FIELDS:
            fields = ", ".join(sorted(_LIST_FIELDS))
            problems.append(Problem(where, f"is not a table of {fields}"))
            return None
        busy.append(name)
        try:
            codes = set(_code_list(spec.get("codes", []), "codes"))
            for other in _names(spec.get("lists", []), "lists"):
                built = build(other)
                if built is None:
                    if other not in data and other not in known:
                        problems.append(Problem(f"{where}.lists", f"{other!r} is no list"))
                    continue
                codes.update(built.codes)
            codes -= set(_code_list(spec.get("remove", []), "remove"))
            made = CodeList(name, codes, str(spec.get("citation", "")), str(spec.get("title", "")))
        except InvalidInputError as error:
            problems.append(Problem(f"{where}.{error.where}", f"{error.value!r} {error.problem}"))
            return None
        finally:
            busy.pop()
        found[name] = made
        return made

    for name in data:
        build(str(name))
    return found


def _goods(data: object, lists: Mapping[str, CodeList], where: str) -> object:
    """A goods table with its named lists put in (anything else is left to cattrs)."""
    if not isinstance(data, Mapping) or not ({"lists", "exclude_lists"} & set(data)):
        return data
    if set(data) - _GOODS_FIELDS:
        return data  # cattrs names the field that does not belong

    def codes(key: str) -> list[str]:
        found: list[str] = []
        for name in _names(data.get(key, []), f"{where}.{key}"):
            if name not in lists:
                raise InvalidInputError(f"{where}.{key}", name, "is no list of this file")
            found += lists[name].codes
        return found

    prefixes = [*data.get("prefixes", []), *codes("lists")]
    exclude = [*data.get("exclude", []), *codes("exclude_lists")]
    return {"prefixes": prefixes, "exclude": exclude}


def expand_item(
    raw: object, lists: Mapping[str, CodeList], where: str
) -> list[tuple[str, object]]:
    """The plain data of each version of an item, with the path of what states it.

    Raises:
        InvalidInputError: a named list or a version that cannot be read (``where`` is
            the field path below the item).
    """
    if not isinstance(raw, Mapping):
        return [(where, raw)]
    base = {k: v for k, v in raw.items() if k != "versions"}
    if "goods" in base:
        base["goods"] = _goods(base["goods"], lists, "goods")
    versions = raw.get("versions", [])
    if not isinstance(versions, list):
        raise InvalidInputError("versions", versions, "is not a list of version tables")
    out: list[tuple[str, object]] = [(where, base)]
    previous = base
    for number, change in enumerate(versions):
        here = f"versions[{number}]"
        if not isinstance(change, Mapping) or "recorded" not in change:
            raise InvalidInputError(here, change, "is not a table with a 'recorded' period")
        fixed = sorted(_NOT_VERSIONED & set(change))
        if fixed:
            raise InvalidInputError(f"{here}.{fixed[0]}", change[fixed[0]], "cannot change")
        unset = _names(change.get("unset", []), f"{here}.unset")
        current = {k: v for k, v in previous.items() if k not in unset}
        current.update((k, v) for k, v in change.items() if k != "unset")
        if "goods" in change:
            current["goods"] = _goods(change["goods"], lists, f"{here}.goods")
        recorded, start = previous.get("recorded"), _start(change["recorded"])
        if isinstance(recorded, Mapping) and "end" not in recorded and start is not None:
            previous["recorded"] = {**recorded, "end": start}  # known until this one is
        out.append((f"{where}.{here}", current))
        previous = current
    return out


def _start(recorded: object) -> object:
    return recorded.get("start") if isinstance(recorded, Mapping) else None


# -- writing ----------------------------------------------------------------------------


def list_tables(lists: Iterable[CodeList]) -> dict[str, dict[str, Any]]:
    """The ``[lists]`` table of a file, codes written as the HTS prints them."""
    tables: dict[str, dict[str, Any]] = {}
    for code_list in lists:
        table: dict[str, Any] = {}
        if code_list.title:
            table["title"] = code_list.title
        if code_list.citation:
            table["citation"] = code_list.citation
        table["codes"] = [dotted(code) for code in code_list.codes]
        tables[code_list.name] = table
    return tables


def _compact_goods(goods: object, lists: list[CodeList]) -> object:
    """A goods table that names the largest lists it contains, the rest as codes."""
    if not isinstance(goods, Mapping):
        return goods
    out: dict[str, Any] = {}
    for key, named in (("prefixes", "lists"), ("exclude", "exclude_lists")):
        rest = set(goods.get(key, ()))
        names = []
        for code_list in lists:  # the largest first
            if rest and set(code_list.codes) <= rest:
                names.append(code_list.name)
                rest -= set(code_list.codes)
        if names:
            out[named] = names
        if rest or (key == "prefixes" and not names):
            out[key] = [dotted(code) for code in sorted(rest)]
    return out


def compact_items(items: list[dict[str, Any]], lists: Iterable[CodeList]) -> list[dict[str, Any]]:
    """Items as a ``tradelaw/2`` file writes them: named lists, later versions as changes.

    ``items`` are unstructured items (plain data); versions of one id and kind, in order
    of ``recorded`` start, become one item with ``versions``.
    """
    ordered = sorted(lists, key=lambda x: (-len(x.codes), x.name))
    items = [_tidy(item) for item in items]
    for item in items:
        if "goods" in item:
            item["goods"] = _compact_goods(item["goods"], ordered)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault((item["kind"], item["id"]), []).append(item)
    out = []
    for versions in groups.values():
        versions.sort(key=_known_from)
        first, *later = versions
        if later and not _one_history(versions):
            out += versions  # not one history: written as separate items, as in tradelaw/1
            continue
        written = dict(first)
        changes = []
        previous = first
        for version in later:
            change = {"recorded": version["recorded"]}  # when it became known, first
            change |= {k: v for k, v in version.items() if previous.get(k) != v}
            unset = sorted(k for k in previous if k not in version)
            if unset:
                change["unset"] = unset
            changes.append(change)
            previous = version
        for table, following in zip([written, *changes], [*later, None], strict=True):
            _drop_implied_end(table, following)
        if changes:
            written["versions"] = changes
        out.append(written)
    return out


#: The order in which an item's fields read best: what it is, what it covers, when, how.
_ORDER = (
    "kind", "id", "title", "citations", "heading", "layer", "goods", "origins", "period",
    "condition", "rate", "priority", "base", "excludes", "targets", "form", "recorded",
    "void", "note",
)  # fmt: skip
# Empty lists that a scope or target table may leave out (their default).
_EMPTY_DEFAULTS = {
    "origins": ("terms", "exclude"),
    "goods": ("exclude",),
    "targets": ("measures", "layers"),
}


def _tidy(item: dict[str, Any]) -> dict[str, Any]:
    """The item's fields in reading order, without empty lists that are defaults."""
    for key, optional in _EMPTY_DEFAULTS.items():
        table = item.get(key)
        if isinstance(table, Mapping):
            item[key] = {k: v for k, v in table.items() if not (k in optional and v == [])}
    rank = {key: n for n, key in enumerate(_ORDER)}
    return dict(sorted(item.items(), key=lambda kv: rank.get(kv[0], len(rank))))


def _known_from(version: Mapping[str, Any]) -> datetime:
    start = _start(version.get("recorded"))
    return datetime.fromisoformat(start) if isinstance(start, str) else _ALWAYS


def _one_history(versions: list[dict[str, Any]]) -> bool:
    """Whether the versions follow one another: each but the last known until a time."""
    recorded = [v.get("recorded") for v in versions]
    if not all(isinstance(r, Mapping) for r in recorded):
        return False
    return all(r.get("end") is not None for r in recorded[:-1])  # type: ignore[union-attr]


def _drop_implied_end(table: dict[str, Any], following: Mapping[str, Any] | None) -> None:
    """Leave out a ``recorded`` end that the next version's start implies."""
    recorded = table.get("recorded")
    if following is None or not isinstance(recorded, Mapping):
        return
    if recorded.get("end") is not None and recorded.get("end") == _start(following["recorded"]):
        table["recorded"] = {k: v for k, v in recorded.items() if k != "end"}

"""TOML as people keep schedule files: one line per field, inline tables, wrapped lists.

``tomli_w`` writes every nested table as a section of its own and every list one element
per line, which is correct and hard to read at the size of a real dataset. This writer
keeps an item together: each field on one line (``period = { start = "2025-04-05" }``),
a long list wrapped at the line width inside its brackets, and sections only for the
top-level tables (``[facts.NAME]``, ``[lists."NAME"]``) and arrays of tables
(``[[items]]``, ``[[items.versions]]``). It writes plain data only (text, integers,
booleans, lists and tables), which is all a schedule unstructures to.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["write"]

WIDTH = 99
_INDENT = "    "
_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _key(key: str) -> str:
    return key if _BARE.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    # JSON's escapes are all valid in a TOML basic string; TOML also refuses a raw DEL.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _string(value)
    raise TypeError(f"{value!r} is not plain schedule data")


def _value(value: object, column: int) -> str:
    """``value`` written to start at ``column``; lists wrap inside their brackets."""
    if isinstance(value, Mapping):
        return _inline_table(value, column)
    if isinstance(value, list):
        return _array(value, column)
    return _scalar(value)


def _inline_table(table: Mapping[str, Any], column: int) -> str:
    if not table:
        return "{}"
    parts = []
    at = column + 2
    for key, value in table.items():
        head = f"{_key(key)} = "
        text = head + _value(value, at + len(head))
        parts.append(text)
        at += len(text.rsplit("\n", 1)[-1]) + 2
    return "{ " + ", ".join(parts) + " }"


def _array(items: list[Any], column: int) -> str:
    if any(isinstance(item, Mapping | list) for item in items):
        written = [_value(item, column + 1) for item in items]
    else:
        written = [_scalar(item) for item in items]
    flat = "[" + ", ".join(written) + "]"
    if column + len(flat) <= WIDTH and "\n" not in flat:
        return flat
    lines: list[str] = []
    line = _INDENT
    for text in written:
        piece = f"{text},"
        if line.strip() and len(line) + 1 + len(piece) > WIDTH:
            lines.append(line)
            line = _INDENT
        line = f"{line} {piece}" if line.strip() else f"{line}{piece}"
    lines.append(line)
    return "[\n" + "\n".join(lines) + "\n]"


def _fields(table: Mapping[str, Any]) -> list[str]:
    lines = []
    for key, value in table.items():
        head = f"{_key(key)} = "
        lines.append(head + _value(value, len(head)))
    return lines


def write(data: Mapping[str, Any]) -> str:
    """Write a schedule file's data as TOML.

    Top-level plain values come first, then each top-level table of tables as sections,
    then ``items`` (and their ``versions``) as arrays of tables.
    """
    out = _fields({k: v for k, v in data.items() if not _sectioned(k, v) or v == []})
    for key, value in data.items():
        if key == "items" or not _sectioned(key, value):
            continue
        for name, table in value.items():
            out += ["", f"[{_key(key)}.{_key(name)}]", *_fields(table)]
    for item in data.get("items", []):
        versions = item.get("versions")
        tables = (
            isinstance(versions, list)
            and versions
            and all(isinstance(v, Mapping) for v in versions)
        )
        fields = {k: v for k, v in item.items() if k != "versions" or not tables}
        out += ["", "[[items]]", *_fields(fields)]
        for version in versions if tables else ():
            out += ["", "[[items.versions]]", *_fields(version)]
    return "\n".join(out) + "\n"


def _sectioned(key: str, value: object) -> bool:
    """Whether a top-level value is written as sections: items, and tables of tables."""
    if key == "items":
        return value != []  # no items: `items = []`
    return (
        isinstance(value, Mapping)
        and bool(value)
        and all(isinstance(v, Mapping) and v for v in value.values())
    )

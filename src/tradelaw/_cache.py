"""A cache of parsed schedule files, so that a cold start need not parse TOML again.

Parsing TOML is most of the time it takes to load a large dataset (the embedded ``us``
dataset has some 15,000 goods codes in its lists). What a TOML text parses to is stored
as JSON, named by the SHA-256 hash of the text (and of this cache's format), in the
user's cache directory. JSON is plain data: reading it back runs no code, and a file that
cannot be read or is not a table is ignored and parsed again, so the cache can only save
time, never change a result. A text whose data JSON cannot hold (a TOML date-time) is
simply not cached.

The directory is ``platformdirs.user_cache_dir("tradelaw")``, or the one
:data:`CACHE_VARIABLE` names; setting that variable to the empty string turns the cache
off. It holds at most :data:`MAX_BYTES`: when a new entry takes it over, the entries used
least recently go.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import tomllib
from contextlib import suppress
from pathlib import Path
from typing import Any

import platformdirs

#: The environment variable that names the cache directory ("" turns the cache off).
CACHE_VARIABLE = "TRADELAW_CACHE_DIR"
#: The most the cache holds; past it, the entries used least recently are deleted.
MAX_BYTES = 64 << 20
#: Changes whenever what is stored changes, so older entries are never read.
_FORMAT = b"tradelaw parsed TOML, JSON, 1\n"


def directory() -> Path | None:
    """Return the cache directory, or None when the cache is turned off."""
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen is None:
        return Path(platformdirs.user_cache_dir("tradelaw")) / "toml"
    return Path(chosen) if chosen else None


def parse_toml(text: str) -> dict[str, Any]:
    """Parse ``text`` as TOML, through the cache when it is on.

    Raises :class:`tomllib.TOMLDecodeError` as :func:`tomllib.loads` does.
    """
    folder = directory()
    if folder is None:
        return tomllib.loads(text)
    path = folder / f"{hashlib.sha256(_FORMAT + text.encode('utf-8')).hexdigest()}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if isinstance(data, dict):
        _touch(path)
        return data
    data = tomllib.loads(text)
    _store(path, data)
    _prune(folder)
    return data


def _touch(path: Path) -> None:
    """Mark an entry as just used (its modification time orders the pruning)."""
    with suppress(OSError):
        os.utime(path)


def _prune(folder: Path) -> None:
    """Delete the entries used least recently until the cache holds at most MAX_BYTES."""
    try:
        found = [(entry.stat(), entry) for entry in folder.glob("*.json")]
    except OSError:
        return
    total = sum(status.st_size for status, _entry in found)
    for status, entry in sorted(found, key=lambda pair: pair[0].st_mtime):
        if total <= MAX_BYTES:
            break
        try:
            entry.unlink()
        except OSError:
            continue
        total -= status.st_size


def _store(path: Path, data: dict[str, Any]) -> None:
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # date-times or non-finite numbers: not cached
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under another name, then renamed: a reader never sees half a file.
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, suffix=".part", delete=False
        ) as file:
            part = Path(file.name)
            file.write(text)
    except OSError:
        return
    try:
        os.replace(part, path)
    except OSError:
        part.unlink(missing_ok=True)

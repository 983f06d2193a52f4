"""The registry of *kinds*: the names by which schedule files refer to classes.

Every measure, rule, rate expression and condition class has a kind name
(``"measure"``, ``"ad-valorem"``, ``"all-of"``…). A plug-in adds its own classes by
decorating them with :func:`kind` and, when installed, by naming a module or class in the
entry point group ``tradelaw.kinds`` so that :func:`kinds` imports it on first use. Only
registered classes can be named in a file; nothing else is ever imported or executed.

Example:
    >>> import tradelaw
    >>> kinds()["ad-valorem"].__name__
    'AdValorem'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from tradelaw.errors import InvalidInputError

__all__ = ["ENTRY_POINT_GROUP", "find", "kind", "kind_of", "kinds"]

#: The entry point group in which plug-ins name their modules or classes.
ENTRY_POINT_GROUP = "tradelaw.kinds"

T = TypeVar("T", bound=type)

_REGISTRY: dict[str, type] = {}
_NAMES: dict[type, str] = {}
_plugins_loaded = False


def kind(name: str) -> Callable[[T], T]:
    """Register a class under the kind ``name``; use as a class decorator.

    Raises:
        InvalidInputError: if another class already has the name.

    Example:
        >>> from attrs import frozen
        >>> @kind("doc-example")
        ... @frozen
        ... class Example:
        ...     pass
        >>> kind_of(Example())
        'doc-example'
    """

    def register(cls: T) -> T:
        existing = _REGISTRY.get(name)
        same = existing is not None and existing.__qualname__ == cls.__qualname__
        if existing is not None and not same:
            raise InvalidInputError(
                "kind",
                name,
                f"is already registered for {existing.__module__}.{existing.__qualname__}",
            )
        _REGISTRY[name] = cls
        _NAMES[cls] = name
        return cls

    return register


def kind_of(obj: object) -> str:
    """Return the kind name registered for ``obj``'s class.

    Raises:
        InvalidInputError: if the class was never registered.
    """
    try:
        return _NAMES[type(obj)]
    except KeyError:
        raise InvalidInputError(
            "kind", type(obj).__qualname__, "is not a registered kind; decorate it with @kind"
        ) from None


def kinds() -> Mapping[str, type]:
    """Return every registered kind, loading installed plug-ins the first time."""
    _load_plugins()
    return dict(_REGISTRY)


def find(name: str) -> type | None:
    """Return the class registered as ``name``, loading plug-ins only if it is not yet known.

    Example:
        >>> find("ad-valorem").__name__, find("no-such-kind")
        ('AdValorem', None)
    """
    found = _REGISTRY.get(name)
    if found is None:
        _load_plugins()
        found = _REGISTRY.get(name)
    return found


def _load_plugins() -> None:
    global _plugins_loaded
    if not _plugins_loaded:
        _plugins_loaded = True
        # Imported here: most runs never need it, and it costs a noticeable part of a start.
        from importlib.metadata import entry_points

        for point in entry_points(group=ENTRY_POINT_GROUP):
            point.load()

"""The errors tradelaw raises: every one is a :class:`TradelawError`.

Messages name the offending value and, where known, where it came from (a field path
such as ``items[3].period.start``), so a user can fix the input without a debugger.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from attrs import frozen

__all__ = [
    "ConflictError",
    "CurrencyError",
    "ExactnessError",
    "InvalidInputError",
    "MissingExtraError",
    "Problem",
    "ProhibitedError",
    "TradelawError",
    "UnknownDutyError",
    "ValidationError",
]


class TradelawError(Exception):
    """Base class of every error raised by tradelaw.

    Example:
        >>> issubclass(ValidationError, TradelawError)
        True
    """


class InvalidInputError(TradelawError, ValueError):
    """A value given to tradelaw is malformed (a bad code, date, country or number).

    Example:
        >>> raise InvalidInputError("origin", "J1", "is not an ISO 3166-1 alpha-2 code")
        Traceback (most recent call last):
        ...
        tradelaw.errors.InvalidInputError: origin: 'J1' is not an ISO 3166-1 alpha-2 code
    """

    def __init__(self, where: str, value: object, problem: str) -> None:
        self.where = where
        self.value = value
        self.problem = problem
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}{shown(value)} {problem}")


def shown(value: object, width: int = 80) -> str:
    """``repr(value)``, cut to ``width`` characters: a message names a value, it does not copy it.

    Example:
        >>> shown("9" * 100, width=12)
        "'9999999…' (100 characters)"
    """
    text = repr(value)
    if len(text) <= width:
        return text
    size = f" ({len(value)} characters)" if isinstance(value, str) else ""
    return text[: width - 4] + "…'"[: 2 if isinstance(value, str) else 1] + size


class ExactnessError(InvalidInputError, TypeError):
    """A ``float`` was given where an exact number is needed.

    Example:
        >>> from tradelaw import Money
        >>> Money(0.1, "USD")
        Traceback (most recent call last):
        ...
        tradelaw.errors.ExactnessError: amount: 0.1 is a float, ... such as '0.1' or a Decimal
    """

    def __init__(self, where: str, value: float) -> None:
        super().__init__(
            where,
            value,
            f"is a float, which is inexact; pass a string such as '{value!r}' or a Decimal",
        )


class CurrencyError(TradelawError, ValueError):
    """Amounts in different currencies were combined; tradelaw never converts silently."""


class UnknownDutyError(TradelawError):
    """A duty cannot be computed because an input is missing or a rate is unknown.

    Unknown is never zero: a resolution with an unknown line refuses to report a total
    and raises this error, naming every unknown line, instead.
    """


class ProhibitedError(TradelawError):
    """The goods may not be entered: a measure that applies prohibits their import.

    A prohibition is not a rate of zero, nor an unknown duty: a resolution with a
    prohibited line reports no total and raises this error, naming the measures.
    """


class MissingExtraError(TradelawError, ImportError):
    """A part of tradelaw needs an optional dependency that is not installed.

    Example:
        >>> print(MissingExtraError("tradelaw.frame", "frames", "pandas"))
        tradelaw.frame needs pandas: pip install "tradelaw[frames]"
    """

    def __init__(self, part: str, extra: str, package: str) -> None:
        super().__init__(f'{part} needs {package}: pip install "tradelaw[{extra}]"')
        self.extra = extra


class ConflictError(TradelawError):
    """Two or more measures tie for one layer and nothing decides between them.

    Attributes:
        layer: the layer in which the tie happened.
        measure_ids: the ids of every measure in the tie, sorted.
    """

    def __init__(self, layer: str, measure_ids: Iterable[str], detail: str = "") -> None:
        self.layer = layer
        self.measure_ids = tuple(sorted(measure_ids))
        names = ", ".join(self.measure_ids)
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"layer {layer!r}: measures {names} tie on priority, goods and origin "
            f"specificity{extra}; give one a higher priority"
        )


@frozen
class Problem:
    """One problem found by validation: where it is and what is wrong.

    Example:
        >>> str(Problem("items[2].period", "is empty: start 2025-04-09 equals end"))
        'items[2].period: is empty: start 2025-04-09 equals end'
    """

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ValidationError(TradelawError, ValueError):
    """A schedule (or file) has problems; every one is listed, not just the first.

    Attributes:
        problems: the problems, in the order they were found.
    """

    def __init__(self, problems: Sequence[Problem], subject: str = "schedule") -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{subject} has {count} {noun}:\n{lines}")

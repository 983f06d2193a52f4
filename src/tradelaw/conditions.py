"""Declarative conditions on the facts of an entry.

A condition compares a fact (``loaded``, ``model_year``, ``claim``…) with a value, or
combines conditions with :class:`AllOf`, :class:`AnyOf` and :class:`Not`. Conditions are
plain data, so schedule files can hold them, and they never run code from a file.

Logic is three-valued: a condition on a fact the entry does not give evaluates to
``None`` (unknown), and the resolver decides what unknown means for the rule at hand (a
charging measure becomes an explicit *unknown* line; an exemption is simply not claimed).

Example:
    >>> in_transit = Fact("loaded").lt("2025-04-09")
    >>> in_transit.evaluate({"loaded": "2025-04-08"}, "America/New_York")
    True
    >>> in_transit.evaluate({}, "America/New_York") is None
    True
    >>> str(AllOf((in_transit, Fact("model_year").le(2000))))
    'loaded < 2025-04-09 and model_year <= 2000'
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from contextlib import suppress
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, Protocol, runtime_checkable

from attrs import field, frozen

from tradelaw.errors import InvalidInputError
from tradelaw.money import Money, to_decimal
from tradelaw.programmes import programme
from tradelaw.registry import kind
from tradelaw.time import date_or_instant, instant

__all__ = [
    "AllOf",
    "AnyOf",
    "Claim",
    "Compare",
    "Condition",
    "Fact",
    "FactValue",
    "Not",
    "OneOf",
    "Present",
    "examples",
]

#: The types a fact may hold.
FactValue = Decimal | int | str | bool | Money | datetime | date
Facts = Mapping[str, object]
Operator = Literal["==", "!=", "<", "<=", ">", ">="]
_OPERATORS: tuple[Operator, ...] = ("==", "!=", "<", "<=", ">", ">=")
_ORDERINGS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


@runtime_checkable
class Condition(Protocol):
    """What every condition does: evaluate on facts, name its facts, describe itself."""

    def evaluate(self, facts: Facts, zone: str) -> bool | None:
        """Return True, False, or None when a fact it needs is absent."""
        ...

    def fact_names(self) -> frozenset[str]:
        """Return the names of the facts the condition reads."""
        ...


def _value(value: object) -> FactValue:
    if isinstance(value, float):
        return to_decimal(value, "condition value")
    if isinstance(value, bool | str | Money | datetime | date):
        return value
    if isinstance(value, int | Decimal):
        return to_decimal(value, "condition value")
    raise InvalidInputError("condition value", value, "cannot be compared with a fact")


def _orderable(text: str) -> Decimal | date | datetime:
    with suppress(ArithmeticError):
        return Decimal(text)
    return date_or_instant(text, "condition value", "is neither a number nor an ISO 8601 date")


def _comparable(
    fact: str, actual: object, expected: FactValue, zone: str
) -> tuple[object, object]:
    """Bring a fact and an expected value to one comparable type, or say why not."""
    where = f"facts.{fact}"
    if isinstance(expected, datetime | date):
        if not isinstance(actual, datetime | date | str):
            raise InvalidInputError(where, actual, "is not a date or instant")
        return instant(actual, zone, where), instant(expected, zone, "condition value")
    if isinstance(expected, Money):
        if not isinstance(actual, Money):
            raise InvalidInputError(where, actual, "is not an amount of money")
        if actual.currency != expected.currency:
            raise InvalidInputError(where, actual, f"is not in {expected.currency}")
        return actual.amount, expected.amount
    if isinstance(expected, bool):
        if not isinstance(actual, bool):
            raise InvalidInputError(where, actual, "is not true or false")
        return actual, expected
    if isinstance(expected, Decimal):
        return to_decimal(actual, where), expected
    if not isinstance(actual, str):
        raise InvalidInputError(where, actual, "is not text")
    return actual, expected


@kind("compare")
@frozen(cache_hash=True)
class Compare:
    """``fact <op> value``: compare one fact with a number, text, money or instant.

    Dates stand for 12:01 a.m. in the schedule's zone, so ``loaded < 2025-04-05`` means
    "loaded before 12:01 a.m. on 5 April".
    """

    fact: str
    op: Operator = field()
    value: FactValue = field(converter=_value)

    @op.validator
    def _check_op(self, _: object, op: str) -> None:
        if op not in _OPERATORS:
            raise InvalidInputError("condition.op", op, f"is not one of {', '.join(_OPERATORS)}")

    def __attrs_post_init__(self) -> None:
        # Text cannot be ordered, so the text of an ordering is a number or a date.
        if isinstance(self.value, str) and self.op not in ("==", "!="):
            object.__setattr__(self, "value", _orderable(self.value))

    def evaluate(self, facts: Facts, zone: str) -> bool | None:
        """Compare the fact; None when the entry does not give it."""
        if self.fact not in facts:
            return None
        left, right = _comparable(self.fact, facts[self.fact], self.value, zone)
        if self.op == "==":
            return left == right
        if self.op == "!=":
            return left != right
        if isinstance(left, bool) or (isinstance(left, str) and self.op not in ("==", "!=")):
            raise InvalidInputError(
                f"facts.{self.fact}", left, f"cannot be ordered with {self.op}"
            )
        ordering: Any = _ORDERINGS[self.op]  # operands were made comparable above
        return bool(ordering(left, right))

    def fact_names(self) -> frozenset[str]:
        """The one fact compared."""
        return frozenset({self.fact})

    def __str__(self) -> str:
        value = self.value.isoformat() if isinstance(self.value, date) else str(self.value)
        return f"{self.fact} {self.op} {value}"


def _values(values: object) -> tuple[FactValue, ...]:
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise InvalidInputError("condition.values", values, "is not a list of values")
    return tuple(_value(v) for v in values)


@kind("one-of")
@frozen(cache_hash=True)
class OneOf:
    """The fact equals one of the values (``claim`` in ``{"KORUS", "S+"}``)."""

    fact: str
    values: tuple[FactValue, ...] = field(converter=_values)

    def evaluate(self, facts: Facts, zone: str) -> bool | None:
        """True if the fact equals any value; None when the entry does not give it."""
        if self.fact not in facts:
            return None
        actual = facts[self.fact]
        return any(
            left == right
            for left, right in (_comparable(self.fact, actual, v, zone) for v in self.values)
        )

    def fact_names(self) -> frozenset[str]:
        """The one fact tested."""
        return frozenset({self.fact})

    def __str__(self) -> str:
        return f"{self.fact} in {{{', '.join(map(str, self.values))}}}"


@kind("present")
@frozen(cache_hash=True)
class Present:
    """The entry gives the fact (whatever its value)."""

    fact: str

    def evaluate(self, facts: Facts, zone: str) -> bool | None:
        """True if the fact is given; never unknown."""
        return self.fact in facts

    def fact_names(self) -> frozenset[str]:
        """The one fact tested."""
        return frozenset({self.fact})

    def __str__(self) -> str:
        return f"{self.fact} is given"


def _programmes(values: object) -> tuple[str, ...]:
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise InvalidInputError("condition.programmes", values, "is not a list of programmes")
    found = tuple(values)
    if not found or not all(isinstance(v, str) and v.strip() for v in found):
        raise InvalidInputError("condition.programmes", values, "is not a list of programmes")
    return found


def _claimed(text: str) -> object:
    """What a claim stands for: its programme, or (unknown to tradelaw) its own text."""
    return programme(text) or " ".join(text.split()).casefold()


@kind("claim")
@frozen(cache_hash=True)
class Claim:
    """The entry claims one of these special programmes (the ``claim`` fact).

    A programme may be named by any of its symbols or names
    (:mod:`tradelaw.programmes`): a claim of ``KORUS`` meets ``Claim(("KR",))``, and
    ``USMCA`` meets ``Claim(("S", "S+"))``. An entry that claims nothing does not meet it
    (false, not unknown: a programme not claimed is not claimed).

    Example:
        >>> korus = Claim(("KR",))
        >>> korus.evaluate({"claim": "KORUS"}, "UTC"), korus.evaluate({}, "UTC")
        (True, False)
        >>> str(Claim(("S", "S+")))
        'claim of S, S+'
    """

    programmes: tuple[str, ...] = field(converter=_programmes)

    def evaluate(self, facts: Facts, zone: str) -> bool | None:
        """True if the entry's claim names one of the programmes."""
        claim = facts.get("claim")
        if claim is None:
            return False
        if not isinstance(claim, str):
            raise InvalidInputError("facts.claim", claim, "is not text")
        return _claimed(claim) in {_claimed(p) for p in self.programmes}

    def fact_names(self) -> frozenset[str]:
        """The ``claim`` fact."""
        return frozenset({"claim"})

    def __str__(self) -> str:
        return f"claim of {', '.join(self.programmes)}"


def _conditions(values: object) -> tuple[Condition, ...]:
    items = tuple(values) if hasattr(values, "__iter__") else ()
    if not items or not all(isinstance(c, Condition) for c in items):
        raise InvalidInputError("condition", values, "is not a non-empty list of conditions")
    return items


@kind("all-of")
@frozen(cache_hash=True)
class AllOf:
    """Every condition holds (Kleene logic: False wins over unknown)."""

    conditions: tuple[Condition, ...] = field(converter=_conditions)

    def evaluate(self, facts: Facts, zone: str) -> bool | None:
        """False if any is False, else None if any is unknown, else True."""
        results = [c.evaluate(facts, zone) for c in self.conditions]
        if False in results:
            return False
        return None if None in results else True

    def fact_names(self) -> frozenset[str]:
        """Every fact any part reads."""
        return frozenset().union(*(c.fact_names() for c in self.conditions))

    def __str__(self) -> str:
        return " and ".join(_grouped(c) for c in self.conditions)


@kind("any-of")
@frozen(cache_hash=True)
class AnyOf:
    """At least one condition holds (Kleene logic: True wins over unknown)."""

    conditions: tuple[Condition, ...] = field(converter=_conditions)

    def evaluate(self, facts: Facts, zone: str) -> bool | None:
        """True if any is True, else None if any is unknown, else False."""
        results = [c.evaluate(facts, zone) for c in self.conditions]
        if True in results:
            return True
        return None if None in results else False

    def fact_names(self) -> frozenset[str]:
        """Every fact any part reads."""
        return frozenset().union(*(c.fact_names() for c in self.conditions))

    def __str__(self) -> str:
        return " or ".join(_grouped(c) for c in self.conditions)


@kind("not")
@frozen(cache_hash=True)
class Not:
    """The condition does not hold (unknown stays unknown)."""

    condition: Condition

    def evaluate(self, facts: Facts, zone: str) -> bool | None:
        """The negation; None when the inner condition is unknown."""
        result = self.condition.evaluate(facts, zone)
        return None if result is None else not result

    def fact_names(self) -> frozenset[str]:
        """The facts the inner condition reads."""
        return self.condition.fact_names()

    def __str__(self) -> str:
        return f"not {_grouped(self.condition)}"


def _grouped(condition: Condition) -> str:
    text = str(condition)
    return f"({text})" if isinstance(condition, AllOf | AnyOf) else text


@frozen
class Fact:
    """A builder for conditions on one fact: ``Fact("model_year").le(2000)``.

    Example:
        >>> Fact("claim").one_of("KORUS", "S+")
        OneOf(fact='claim', values=('KORUS', 'S+'))
    """

    name: str

    def eq(self, value: object) -> Compare:
        """``fact == value``."""
        return Compare(self.name, "==", value)

    def ne(self, value: object) -> Compare:
        """``fact != value``."""
        return Compare(self.name, "!=", value)

    def lt(self, value: object) -> Compare:
        """``fact < value`` (for instants: before)."""
        return Compare(self.name, "<", value)

    def le(self, value: object) -> Compare:
        """``fact <= value``."""
        return Compare(self.name, "<=", value)

    def gt(self, value: object) -> Compare:
        """``fact > value`` (for instants: after)."""
        return Compare(self.name, ">", value)

    def ge(self, value: object) -> Compare:
        """``fact >= value``."""
        return Compare(self.name, ">=", value)

    def one_of(self, *values: object) -> OneOf:
        """``fact`` equals one of ``values``."""
        return OneOf(self.name, values)

    def present(self) -> Present:
        """The entry gives the fact."""
        return Present(self.name)


def examples(condition: Condition, fact: str) -> tuple[FactValue, ...]:
    """Return the values ``condition`` compares ``fact`` with, in order, once each.

    They make good examples when a user must supply the fact.

    Example:
        >>> examples(AllOf((Fact("use").eq("automobile"), Fact("use").one_of("mhdv"))), "use")
        ('automobile', 'mhdv')
    """
    found: dict[object, None] = {}
    stack = [condition]
    while stack:
        node = stack.pop(0)
        if isinstance(node, Compare) and node.fact == fact:
            found[node.value] = None
        elif isinstance(node, OneOf) and node.fact == fact:
            found.update(dict.fromkeys(node.values))
        stack.extend(getattr(node, "conditions", ()))
        inner = getattr(node, "condition", None)
        if inner is not None:
            stack.append(inner)
    return tuple(found)  # type: ignore[arg-type]

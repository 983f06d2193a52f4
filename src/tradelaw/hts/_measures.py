"""The ``mfn`` measures of one HTS line: general, column 2 and special rates."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from tradelaw.conditions import Claim
from tradelaw.measures import Measure
from tradelaw.rates import RateExpression
from tradelaw.scope import Goods, Origins, dotted
from tradelaw.time import Period

from ._export import Line
from ._rates import clean, parse_rate, parse_special

__all__ = ["COLUMN_2", "LAYER", "line_measures", "overridden"]

#: The origins charged the column 2 rate (Cuba, North Korea, and since April 2022 Russia
#: and Belarus).
COLUMN_2: tuple[str, ...] = ("CU", "KP", "RU", "BY")
#: The layer of every measure made from the HTS.
LAYER = "mfn"

_ORDINARY = Origins.all(exclude=COLUMN_2)
_COLUMN_2 = Origins.of(*COLUMN_2)


@lru_cache(maxsize=1024)
def _claim(codes: tuple[str, ...]) -> Claim:
    return Claim(codes)


@lru_cache(maxsize=1 << 14)
def _by_rate(special: str) -> tuple[tuple[RateExpression, tuple[str, ...]], ...]:
    """The special column's distinct rates, each with its programmes (a text recurs often)."""
    by_rate: dict[RateExpression, list[str]] = {}
    for programme, rate in parse_special(special).items():
        by_rate.setdefault(rate, []).append(programme)
    return tuple((rate, tuple(codes)) for rate, codes in by_rate.items())


@lru_cache(maxsize=1 << 14)
def _title(kind: str, rate: str) -> str:
    return f"{kind}: {clean(rate)}"


def overridden(lines: Iterable[Line]) -> dict[str, tuple[str, ...]]:
    """For each code, the longer codes below it that print their own general rate."""
    below: dict[str, list[str]] = {}
    for line in lines:
        if line.general.strip():
            for length in range(2, len(line.code), 2):
                below.setdefault(line.code[:length], []).append(line.code)
    return {code: tuple(codes) for code, codes in below.items()}


def line_measures(
    line: Line,
    *,
    period: Period,
    label: str,
    stem: str = "mfn-",
    code: str | None = None,
    below: tuple[str, ...] = (),
    scopes: dict[tuple[str, tuple[str, ...]], Goods] | None = None,
) -> list[Measure]:
    """The measures of ``line``: general, column 2, then one per distinct special rate.

    Args:
        line: the line, rates as printed.
        period: when its rates are in force.
        label: the edition, cited as ``HTSUS <label>, <line>``.
        stem: how every id begins; the line as printed follows.
        code: the goods code the measures cover, when not the line's own (an 8-digit
            subheading whose rate only its 10-digit line prints).
        below: longer codes under the line that print a general rate of their own; the
            special rates do not reach them.
        scopes: goods scopes already made, by (code, below), to share (the editions of
            one table cover mostly the same codes).
    """
    covered = code or line.code
    heading = dotted(covered) if code else line.printed
    citations = (f"HTSUS {label}, {line.printed}",)
    scopes = {} if scopes is None else scopes

    def scope(exclude: tuple[str, ...]) -> Goods:
        found = scopes.get((covered, exclude))
        if found is None:
            found = scopes[covered, exclude] = Goods.of(covered, exclude=exclude)
        return found

    goods = scope(())
    found = []

    def measure(suffix: str, title: str, **fields: object) -> Measure:
        return Measure(
            id=f"{stem}{heading}{suffix}",
            title=title,
            citations=citations,
            heading=heading,
            period=period,
            layer=LAYER,
            **fields,  # type: ignore[arg-type]
        )

    if line.general.strip():
        found.append(
            measure(
                "",
                _title("General rate of duty", line.general),
                goods=goods,
                origins=_ORDINARY,
                rate=parse_rate(line.general, f"{line.where}, general"),
            )
        )
    if line.other.strip():
        found.append(
            measure(
                "-col2",
                _title("Column 2 rate of duty", line.other),
                goods=goods,
                origins=_COLUMN_2,
                rate=parse_rate(line.other, f"{line.where}, column 2"),
            )
        )
    by_rate = _by_rate(line.special) if line.special.strip() else ()
    special_goods = scope(below) if below and by_rate else goods
    for number, (rate, codes) in enumerate(by_rate, start=1):
        found.append(
            measure(
                "-special" if number == 1 else f"-special-{number}",
                f"Special rate of duty ({', '.join(codes)}): {rate}",
                goods=special_goods,
                origins=_ORDINARY,
                condition=_claim(codes),
                rate=rate,
                priority=1,
            )
        )
    return found

"""The answer for one entry: :class:`Resolution` and its lines.

A resolution lists the measures that *applied* (:class:`Applied`: base, rate, duty,
heading, citation, and any credit :class:`Relief`), the items that were considered and
*skipped* with the reason (:class:`Skipped`), and the measures whose duty is *unknown*
(:class:`Unknown`). When any line is unknown, :attr:`Resolution.duty` and
:attr:`Resolution.total_rate` raise :class:`~tradelaw.errors.UnknownDutyError`: unknown is
never zero.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from attrs import Factory, field, frozen

from tradelaw import format as fmt
from tradelaw.credits import ContributionCredit
from tradelaw.entry import Entry
from tradelaw.errors import UnknownDutyError
from tradelaw.measures import Item, Measure
from tradelaw.money import HUNDRED, Money
from tradelaw.rates import AdValorem, RateExpression
from tradelaw.scope import dotted

__all__ = ["Applied", "Reason", "Relief", "Resolution", "Skipped", "Unknown", "tidy"]


def tidy(number: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation.

    Example:
        >>> tidy(Decimal("27.500")), tidy(Decimal("100.00"))
        (Decimal('27.5'), Decimal('100'))
    """
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def _percent_of(duty: Money, value: Money) -> Decimal:
    """The ad valorem equivalent of ``duty`` on ``value``, in percent."""
    if not value.amount:
        raise UnknownDutyError("the customs value is zero; there is no ad valorem rate")
    return tidy(duty.amount * HUNDRED / value.amount)


class Reason(StrEnum):
    """Why an item was considered and did not apply."""

    PAUSED = "paused"
    EXEMPTED = "exempted"
    DISPLACED = "displaced"
    OUTRANKED = "outranked"
    CONDITION_NOT_MET = "condition not met"
    VOID = "void"
    NOT_CLAIMED = "not claimed"
    NEEDS_LEDGER = "needs a ledger"


@frozen
class Skipped:
    """An item that matched the entry but did not apply, and why.

    Attributes:
        item: the measure or credit skipped.
        reason: the kind of reason.
        by: the items responsible (the pause, the exemption, the displacing measure…).
        detail: more words, e.g. the condition that was not met.
    """

    item: Item
    reason: Reason
    by: tuple[Item, ...] = ()
    detail: str = ""

    def __str__(self) -> str:
        text = f"{self.item.id}: {self.reason}"
        if self.by:
            text += " by " + ", ".join(b.id for b in self.by)
        if self.detail:
            text += f" ({self.detail})"
        return text


@frozen
class Relief:
    """The part of a measure's duty taken off by a contribution credit."""

    credit: ContributionCredit
    amount: Money
    detail: str


@frozen
class Applied:
    """A measure that applied: on what base, at what rate, for what duty.

    Attributes:
        measure: the measure.
        base: the amount it applied on (the value, a content value, or what exclusions
            left of it).
        gross: the duty before credits.
        relief: credits that reduced it.
        displaced_by: measures that excluded this one from part of the value.
        value: the entry's customs value (for the ad valorem equivalent).
    """

    measure: Measure
    base: Money
    gross: Money
    value: Money
    relief: tuple[Relief, ...] = ()
    displaced_by: tuple[Measure, ...] = ()

    @property
    def duty(self) -> Money:
        """The duty after credits."""
        total = self.gross
        for relief in self.relief:
            total -= relief.amount
        return total

    @property
    def rate(self) -> Decimal:
        """The ad valorem equivalent of :attr:`duty` on the customs value, in percent."""
        return _percent_of(self.duty, self.value)

    @property
    def heading(self) -> str:
        """The measure's tariff heading."""
        return self.measure.heading

    @property
    def citation(self) -> str:
        """The measure's citations."""
        return self.measure.citation

    def __str__(self) -> str:
        m = self.measure
        base = "value" if m.base == "value" else m.base
        text = f"{m.layer}: {m.id} {m.rate} on {base} {self.base} = {self.gross}"
        for relief in self.relief:
            text += f", less {relief.amount} ({relief.credit.id}: {relief.detail})"
        if self.displaced_by:
            text += f"; rest displaced by {', '.join(d.id for d in self.displaced_by)}"
        return text


def _layer_of(unknown: Unknown) -> str:
    return unknown.measure.layer if unknown.measure is not None else ""


@frozen
class Unknown:
    """A duty that cannot be computed, and why.

    Attributes:
        measure: the measure that applies but whose duty is unknown; ``None`` when no
            measure of a layer the schedule requires covers the entry at all.
        reason: why the duty is unknown.
        layer: the layer (the measure's own when there is one).
    """

    measure: Measure | None
    reason: str
    layer: str = field(default=Factory(_layer_of, takes_self=True))

    @property
    def id(self) -> str:
        """The measure's id, or ``"<layer>?"`` for a required layer with no measure."""
        return self.measure.id if self.measure is not None else f"{self.layer}?"

    def __str__(self) -> str:
        return f"{self.layer}: {self.id}: unknown: {self.reason}"


@frozen
class Resolution:
    """What duty is owed on one entry, and why.

    Attributes:
        entry: the entry resolved.
        at: the instant the law was read at (12:01 a.m. for a date).
        as_of: the knowledge time ("as filed"), or ``None`` for the latest ("as amended").
        schedule: the name of the schedule.
        applied: the measures that applied, by layer.
        skipped: what was considered and did not apply, with reasons.
        unknown: the measures whose duty is unknown.
    """

    entry: Entry
    at: datetime
    as_of: datetime | None
    schedule: str
    applied: tuple[Applied, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    unknown: tuple[Unknown, ...] = field(default=())

    @property
    def is_known(self) -> bool:
        """True when every applicable duty could be computed."""
        return not self.unknown

    def _require_known(self) -> None:
        if self.unknown:
            lines = "; ".join(f"{u.id}: {u.reason}" for u in self.unknown)
            raise UnknownDutyError(f"the duty is unknown: {lines}")

    @property
    def duty(self) -> Money:
        """The total duty (raises ``UnknownDutyError`` if any line is unknown)."""
        self._require_known()
        total = Money.zero(self.entry.value.currency)
        for line in self.applied:
            total += line.duty
        return total

    @property
    def total_rate(self) -> Decimal:
        """The total duty as a percentage of the customs value (ad valorem equivalent)."""
        return _percent_of(self.duty, self.entry.value)

    def layer(self, name: str) -> Applied | None:
        """Return the applied line of layer ``name``, if any."""
        return next((a for a in self.applied if a.measure.layer == name), None)

    @property
    def headings(self) -> tuple[str, ...]:
        """The headings of the applied measures, in line order (empty ones left out)."""
        return tuple(a.heading for a in self.applied if a.heading)

    def explain(self) -> str:
        """Return a readable account: total, applied lines with citations, skipped lines.

        Example:
            >>> from tradelaw.examples import japan_us_2025 as jp
            >>> print(jp.schedule().resolve(jp.toy("2025-04-09")).explain())
            9503.00.00 from JP, entered 2025-04-09 00:01 EDT (Japan–US 2025 (worked example))
            Total: 24% = USD 240.00 on USD 1,000.00
            Applied:
              9903.01.53  Reciprocal tariff: Japan — 24% on value USD 1,000.00 = USD 240.00
                          under EO 14257, 90 FR 15041, Annex I; EO 14326, 90 FR 37963
                          (jp-reciprocal, layer ieepa-reciprocal)
              9503.00.00  Column 1 general rate: toys — Free on value USD 1,000.00 = USD 0.00
                          under HTSUS 2025 Rev. 13, 9503.00.00
                          (mfn-9503.00.00, layer mfn)
            Skipped:
              baseline: outranked by jp-reciprocal
        """
        return self._render(_Plain())

    def format(self, locale: str) -> str:
        """Return :meth:`explain` with rates, money, instants and countries in ``locale``.

        Example:
            >>> from tradelaw.examples import japan_us_2025 as jp
            >>> text = jp.schedule().resolve(jp.car("2025-04-09")).format("ja_JP")
            >>> for line in text.splitlines()[:2]:
            ...     print(line.replace(" (Japan–US 2025 (worked example))", ""))
            8703.23.01 from 日本 (JP), entered 2025/04/09 0:01:00 EDT
            Total: 27.5% = $11,000.00 on $40,000.00

        Raises:
            InvalidInputError: ``locale`` is not a locale.
        """
        return self._render(_Localized(locale))

    def _render(self, fmt: _Formatter) -> str:
        e = self.entry
        when = fmt.moment(self.at)
        known = f", as known at {fmt.moment(self.as_of)}" if self.as_of else ""
        origin = fmt.country(e.origin)
        lines = [f"{dotted(e.goods)} from {origin}, entered {when}{known} ({self.schedule})"]
        if self.is_known:
            duty = self.duty
            rate = (
                fmt.percent(_percent_of(duty, e.value)) if e.value.amount else "no ad valorem rate"
            )
            lines.append(f"Total: {rate} = {fmt.money(duty)} on {fmt.money(e.value)}")
        else:
            lines.append(f"Total: unknown on {fmt.money(e.value)}")
        indent = " " * 14
        if self.applied:
            lines.append("Applied:")
        for a in self.applied:
            m = a.measure
            base = "value" if m.base == "value" else m.base
            rate, on = fmt.rate(m.rate), fmt.money(a.base)
            text = f"  {a.heading or '-':<10}  {m.title or m.id} — {rate} on {base} {on}"
            lines.append(f"{text} = {fmt.money(a.gross)}")
            for relief in a.relief:
                lines.append(
                    f"{indent}less {fmt.money(relief.amount)}: {relief.credit.id}, {relief.detail}"
                )
            if a.displaced_by:
                names = ", ".join(d.id for d in a.displaced_by)
                lines.append(f"{indent}(the rest of the value is displaced by {names})")
            if a.citation:
                lines.append(f"{indent}under {a.citation}")
            lines.append(f"{indent}({m.id}, layer {m.layer})")
        if self.unknown:
            lines.append("Unknown:")
            lines.extend(f"  {u}" for u in self.unknown)
        if self.skipped:
            lines.append("Skipped:")
            lines.extend(f"  {s}" for s in self.skipped)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict; decimals and amounts are strings, never floats."""
        e = self.entry

        def money(m: Money) -> dict[str, str]:
            return {"amount": str(tidy(m.amount)), "currency": m.currency}

        return {
            "schedule": self.schedule,
            "goods": e.goods,
            "origin": e.origin,
            "at": self.at.isoformat(),
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "value": money(e.value),
            "known": self.is_known,
            "total_rate": str(self.total_rate) if self.is_known else None,
            "duty": money(self.duty) if self.is_known else None,
            "applied": [
                {
                    "id": a.measure.id,
                    "layer": a.measure.layer,
                    "heading": a.heading,
                    "rate": str(a.measure.rate),
                    "base": money(a.base),
                    "gross": money(a.gross),
                    "duty": money(a.duty),
                    "total_rate": str(a.rate),
                    "citation": a.citation,
                    "relief": [
                        {"credit": r.credit.id, "amount": money(r.amount), "detail": r.detail}
                        for r in a.relief
                    ],
                    "displaced_by": [d.id for d in a.displaced_by],
                }
                for a in self.applied
            ],
            "unknown": [{"id": u.id, "layer": u.layer, "reason": u.reason} for u in self.unknown],
            "skipped": [
                {
                    "id": s.item.id,
                    "reason": str(s.reason),
                    "by": [b.id for b in s.by],
                    "detail": s.detail,
                }
                for s in self.skipped
            ],
        }


class _Formatter(Protocol):
    def money(self, amount: Money) -> str: ...
    def percent(self, value: Decimal) -> str: ...
    def moment(self, at: datetime) -> str: ...
    def country(self, code: str) -> str: ...
    def rate(self, rate: RateExpression) -> str: ...


class _Plain:
    """Locale-free text: ISO-like instants, codes, and the objects' own ``str``."""

    def money(self, amount: Money) -> str:
        return str(amount)

    def percent(self, value: Decimal) -> str:
        return f"{value}%"

    def moment(self, at: datetime) -> str:
        return at.strftime("%Y-%m-%d %H:%M %Z")

    def country(self, code: str) -> str:
        return code

    def rate(self, rate: RateExpression) -> str:
        return str(rate)


class _Localized:
    """Text with Babel's formats for one locale."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        fmt.locale(locale)  # fail early on a bad name

    def money(self, amount: Money) -> str:
        return fmt.money(amount, self.locale)

    def percent(self, value: Decimal) -> str:
        return fmt.percent(value, self.locale)

    def moment(self, at: datetime) -> str:
        return fmt.moment(at, self.locale)

    def country(self, code: str) -> str:
        return f"{fmt.country(code, self.locale)} ({code})"

    def rate(self, rate: RateExpression) -> str:
        if isinstance(rate, AdValorem):
            return fmt.percent(rate.percent, self.locale)
        return str(rate)

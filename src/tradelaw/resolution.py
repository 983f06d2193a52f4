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
from babel.numbers import format_decimal

from tradelaw import format as fmt
from tradelaw._i18n import N_, Text, Value, _, catalogue
from tradelaw.credits import ContributionCredit
from tradelaw.entry import Entry
from tradelaw.errors import ProhibitedError, UnknownDutyError
from tradelaw.measures import Item, Measure
from tradelaw.money import HUNDRED, Money
from tradelaw.rates import (
    AdValorem,
    Bounded,
    Compound,
    Free,
    RateExpression,
    TopUp,
    UnknownRate,
)
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
        return str(_skipped(self))


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
        return str(_unknown(self))


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
        prohibited: the measures that apply and prohibit the import (an import ban):
            :attr:`duty` and :attr:`total_rate` then raise
            :class:`~tradelaw.errors.ProhibitedError`.
    """

    entry: Entry
    at: datetime
    as_of: datetime | None
    schedule: str
    applied: tuple[Applied, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    unknown: tuple[Unknown, ...] = field(default=())
    prohibited: tuple[Measure, ...] = ()

    @property
    def is_known(self) -> bool:
        """True when every applicable duty could be computed (and the goods may enter)."""
        return not self.unknown and not self.prohibited

    @property
    def is_prohibited(self) -> bool:
        """True when a measure that applies prohibits the import (see :attr:`prohibited`)."""
        return bool(self.prohibited)

    @property
    def status(self) -> str:
        """``ok``, ``unknown`` (a duty cannot be computed) or ``prohibited``, in one word.

        Example:
            >>> from tradelaw.examples import japan_us_2025 as jp
            >>> jp.schedule().resolve(jp.toy("2025-04-09")).status
            'ok'
        """
        if self.prohibited:
            return "prohibited"
        return "unknown" if self.unknown else "ok"

    def _require_known(self) -> None:
        if self.prohibited:
            lines = "; ".join(f"{m.id} ({m.citation})" for m in self.prohibited)
            raise ProhibitedError(f"the goods may not be entered: {lines}")
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
        r"""Return :meth:`explain` in ``locale``: its words, rates, money, instants, countries.

        The words come from tradelaw's catalogues (Japanese and German are shipped; a
        locale falls back to its language, and a language without a catalogue reads
        English). Titles, citations, ids and layer names are data and stay as they are.

        Example:
            >>> from tradelaw.examples import japan_us_2025 as jp
            >>> schedule = jp.schedule()
            >>> resolution = schedule.resolve(jp.car("2025-04-09"))
            >>> for locale in ("ja_JP", "de_DE"):
            ...     for line in resolution.format(locale).splitlines()[:3]:
            ...         print(line.replace(schedule.name, "…").replace("\xa0", " "))
            8703.23.01、原産国 日本 (JP)、輸入日時 2025/04/09 0:01:00 EDT（…）
            関税合計: 27.5% = $11,000.00（課税価格 $40,000.00）
            適用:
            8703.23.01 aus Japan (JP), eingeführt am 09.04.2025, 00:01:00 EDT (…)
            Zoll insgesamt: 27,5 % = 11.000,00 $ auf 40.000,00 $
            Angewandt:

        Raises:
            InvalidInputError: ``locale`` is not a locale.
        """
        return self._render(_Localized(locale))

    def _render(self, f: _Formatter) -> str:
        e = self.entry
        head: dict[str, Value] = {
            "goods": dotted(e.goods),
            "origin": f.country(e.origin),
            "when": f.moment(self.at),
            "schedule": self.schedule,
        }
        if self.as_of is None:
            # Translators: the first line of an explanation: the goods code, the country of
            # origin, when the goods were entered (for consumption), the schedule's name.
            title = _("{goods} from {origin}, entered {when} ({schedule})", **head)
        else:
            # Translators: {known} is the knowledge time: the law as it was known then.
            title = _(
                "{goods} from {origin}, entered {when}, as known at {known} ({schedule})",
                known=f.moment(self.as_of),
                **head,
            )
        lines = [f.say(title)]
        value = f.money(e.value)
        if self.is_known:
            duty = self.duty
            rate = (
                f.percent(_percent_of(duty, e.value))
                if e.value.amount
                else f.say(_("no ad valorem rate"))
            )
            total = _(
                "Total: {rate} = {duty} on {value}", rate=rate, duty=f.money(duty), value=value
            )
        elif self.prohibited:
            total = _("Total: the goods may not be entered ({value})", value=value)
        else:
            total = _("Total: unknown on {value}", value=value)
        lines.append(f.say(total))
        indent = " " * 14
        if self.applied:
            lines.append(f.say(_("Applied:")))
        for a in self.applied:
            m = a.measure
            line: dict[str, Value] = {
                "title": m.title or m.id,
                "rate": _rate(f, m.rate),
                "base": f.money(a.base),
                "duty": f.money(a.gross),
            }
            if m.base == "value":
                # Translators: a measure that applied: its title, its rate, the customs value
                # it applies on, and its duty.
                text = _("{title} — {rate} on value {base} = {duty}", **line)
            else:
                # Translators: a measure that applied on {basis}, the part of the value it
                # taxes (e.g. content:steel, a name from the data): title, rate, amount, duty.
                text = _("{title} — {rate} on {basis} {base} = {duty}", basis=m.base, **line)
            lines.append(f"  {a.heading or '-':<10}  {f.say(text)}")
            for relief in a.relief:
                # Translators: a contribution credit reduces the duty of the line above: the
                # amount, the credit's id, and how it was worked out.
                less = _(
                    "less {amount}: {credit}, {detail}",
                    amount=f.money(relief.amount),
                    credit=relief.credit.id,
                    detail=relief.detail,
                )
                lines.append(indent + f.say(less))
            if a.displaced_by:
                names = ", ".join(d.id for d in a.displaced_by)
                rest = _("(the rest of the value is displaced by {measures})", measures=names)
                lines.append(indent + f.say(rest))
            if a.citation:
                lines.append(indent + f.say(_("under {citation}", citation=a.citation)))
            # Translators: the measure's id and its layer, both names from the data.
            lines.append(indent + f.say(_("({id}, layer {layer})", id=m.id, layer=m.layer)))
        if self.prohibited:
            lines.append(f.say(_("Prohibited:")))
        for m in self.prohibited:
            text = _("{title} — the goods may not be entered", title=m.title or m.id)
            lines.append(f"  {m.heading or '-':<10}  {f.say(text)}")
            if m.citation:
                lines.append(indent + f.say(_("under {citation}", citation=m.citation)))
            lines.append(indent + f.say(_("({id}, layer {layer})", id=m.id, layer=m.layer)))
        if self.unknown:
            lines.append(f.say(_("Unknown:")))
            lines.extend(f"  {f.say(_unknown(u))}" for u in self.unknown)
        if self.skipped:
            lines.append(f.say(_("Skipped:")))
            lines.extend(f"  {f.say(_skipped(s))}" for s in self.skipped)
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
            # A zero customs value has a duty (specific rates) but no ad valorem rate.
            "total_rate": str(self.total_rate) if self.is_known and e.value.amount else None,
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
                    "total_rate": str(a.rate) if e.value.amount else None,
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
            "prohibited": [
                {"id": m.id, "layer": m.layer, "heading": m.heading, "citation": m.citation}
                for m in self.prohibited
            ],
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


# -- words --------------------------------------------------------------------------------

#: Why an item was skipped, in words (with no item responsible).
_REASONS = {
    Reason.PAUSED: N_("paused"),
    Reason.EXEMPTED: N_("exempted"),
    Reason.DISPLACED: N_("displaced"),
    Reason.OUTRANKED: N_("outranked"),
    Reason.CONDITION_NOT_MET: N_("condition not met"),
    Reason.VOID: N_("void"),
    Reason.NOT_CLAIMED: N_("not claimed"),
    Reason.NEEDS_LEDGER: N_("needs a ledger"),
}

#: Why an item was skipped, naming the items responsible.
_REASONS_BY = {
    # Translators: why a measure did not apply; {by} names the items responsible: a pause,
    # an exemption, the measures that displace it (their exclusions cover its whole base)
    # or outrank it (a measure of its layer with a higher priority or a narrower scope).
    Reason.PAUSED: N_("paused by {by}"),
    Reason.EXEMPTED: N_("exempted by {by}"),
    Reason.DISPLACED: N_("displaced by {by}"),
    Reason.OUTRANKED: N_("outranked by {by}"),
    Reason.NEEDS_LEDGER: N_("needs a ledger by {by}"),
}


def _skipped(skipped: Skipped) -> Text:
    """A skipped line in words: ``"jp-reciprocal: paused by jp-reciprocal-pause"``."""
    reason = skipped.reason
    if skipped.by:
        by = ", ".join(b.id for b in skipped.by)
        if reason in _REASONS_BY:
            said = Text(_REASONS_BY[reason], {"by": by})
        else:
            said = _("{reason} by {by}", reason=Text(_REASONS[reason]), by=by)
    else:
        said = Text(_REASONS[reason])
    if skipped.detail:
        return _(
            "{item}: {reason} ({detail})", item=skipped.item.id, reason=said, detail=skipped.detail
        )
    return _("{item}: {reason}", item=skipped.item.id, reason=said)


def _unknown(unknown: Unknown) -> Text:
    """An unknown line in words: ``"mfn: mfn-0101: unknown: the rate ... is not known"``."""
    if unknown.measure is None:  # no measure of a required layer: the layer says it all
        return _("{layer}: unknown: {reason}", layer=unknown.layer, reason=unknown.reason)
    return _(
        "{layer}: {id}: unknown: {reason}",
        layer=unknown.layer,
        id=unknown.id,
        reason=unknown.reason,
    )


def _rate(f: _Formatter, rate: RateExpression) -> str:
    """A rate in words, for the built-in kinds (plug-in kinds say their own ``str``)."""
    kind = type(rate)
    if kind is AdValorem:
        assert isinstance(rate, AdValorem)
        return f.percent(rate.percent)
    if kind is Free:
        return f.say(_("Free"))
    if kind is Compound:
        assert isinstance(rate, Compound)
        return " + ".join(_rate(f, part) for part in rate.parts)
    if kind is Bounded:
        assert isinstance(rate, Bounded)
        text = _rate(f, rate.rate)
        if rate.minimum is not None:
            text = f.say(_("{rate}, minimum {minimum}", rate=text, minimum=_rate(f, rate.minimum)))
        if rate.maximum is not None:
            text = f.say(_("{rate}, maximum {maximum}", rate=text, maximum=_rate(f, rate.maximum)))
        return text
    if kind is TopUp:
        assert isinstance(rate, TopUp)
        return f.say(
            _("{percent} inclusive of {layer}", percent=f.percent(rate.percent), layer=rate.layer)
        )
    if kind is UnknownRate:
        assert isinstance(rate, UnknownRate)
        return f.say(_("unknown ({text})", text=rate.text))
    return str(rate)


# -- formatters ---------------------------------------------------------------------------


class _Formatter(Protocol):
    def money(self, amount: Money) -> str: ...
    def percent(self, value: Decimal) -> str: ...
    def moment(self, at: datetime) -> str: ...
    def country(self, code: str) -> str: ...
    def say(self, text: Text) -> str: ...


class _Plain:
    """Locale-free English text: ISO-like instants, codes, and the objects' own ``str``."""

    def money(self, amount: Money) -> str:
        return str(amount)

    def percent(self, value: Decimal) -> str:
        return f"{value}%"

    def moment(self, at: datetime) -> str:
        return at.strftime("%Y-%m-%d %H:%M %Z")

    def country(self, code: str) -> str:
        return code

    def say(self, text: Text) -> str:
        return str(text)


class _Localized:
    """Text with Babel's formats and the catalogue's words for one locale."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.words = catalogue(fmt.locale(locale))  # fails early on a bad name

    def money(self, amount: Money) -> str:
        return fmt.money(amount, self.locale)

    def percent(self, value: Decimal) -> str:
        return fmt.percent(value, self.locale)

    def moment(self, at: datetime) -> str:
        return fmt.moment(at, self.locale)

    def country(self, code: str) -> str:
        return f"{fmt.country(code, self.locale)} ({code})"

    def say(self, text: Text) -> str:
        return text.say(self.words, self._value)

    def _value(self, value: Value) -> str:
        if isinstance(value, Money):
            return self.money(value)
        if isinstance(value, Decimal):
            return format_decimal(
                value, locale=fmt.locale(self.locale), decimal_quantization=False
            )
        return value

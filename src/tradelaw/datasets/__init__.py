"""Embedded datasets: cited schedules that ship with tradelaw, found by name.

A dataset is a named, documented way to build a :class:`~tradelaw.schedule.Schedule`.
tradelaw embeds its own; a package adds more by exposing a :class:`Dataset` under the
entry point group ``tradelaw.datasets``.

Example:
    >>> [d.name for d in available()][:2]
    ['us', 'japan-us-2025']
    >>> load("japan-us-2025").jurisdiction
    'US'
    >>> load("atlantis")
    Traceback (most recent call last):
    ...
    tradelaw.errors.InvalidInputError: dataset: 'atlantis' is not an embedded dataset; ...
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from pathlib import Path

from attrs import field, frozen

from tradelaw.errors import InvalidInputError
from tradelaw.examples import japan_us_2025
from tradelaw.io import load as load_file
from tradelaw.schedule import Schedule
from tradelaw.time import Period, zone

__all__ = ["DEFAULT", "Coverage", "Dataset", "available", "get", "load"]

#: The dataset the command uses when none is named.
DEFAULT = "us"


@frozen
class Coverage:
    """What a dataset covers, read from its items.

    Attributes:
        items: the number of items (every version counted).
        first: the earliest date of effect of any item.
        last: the latest date on which any item starts or ends.
        recorded: the latest date on which a version became known (``None`` when no
            item carries a knowledge history).
        tables: what each item table holds (e.g. the HTSUS editions and their dates).
    """

    items: int
    first: date | None
    last: date | None
    recorded: date | None
    tables: tuple[str, ...] = ()


@frozen
class Dataset:
    """A named schedule that ships with tradelaw or a plug-in.

    Attributes:
        name: the name users give (``tradelaw rate … --dataset NAME``).
        title: one line saying what it is.
        build: returns the schedule (called once; the result is cached).
    """

    name: str
    title: str
    build: Callable[[], Schedule] = field(eq=False, repr=False)

    def load(self) -> Schedule:
        """Return the dataset's schedule (built on first use)."""
        return _built(self)

    def coverage(self) -> Coverage:
        """Return the number of items and the dates the dataset spans."""
        schedule = self.load()
        tz = zone(schedule.zone)

        def day(moment: datetime) -> date:
            return moment.astimezone(tz).date()

        always = Period.always().start
        starts = [i.period.start for i in schedule.items if i.period.start != always]
        ends = [i.period.end for i in schedule.items if i.period.end is not None]
        known = [i.recorded.start for i in schedule.items if i.recorded is not None]
        return Coverage(
            items=len(schedule.items),
            first=day(min(starts)) if starts else None,
            last=day(max(starts + ends)) if starts or ends else None,
            recorded=day(max(known)) if known else None,
            tables=tuple(str(table) for table in schedule.tables),
        )


@cache
def _built(dataset: Dataset) -> Schedule:
    return dataset.build()


_HERE = Path(__file__).parent


def _us() -> Schedule:
    return load_file(_HERE / "us" / "index.toml")


_EMBEDDED = (
    Dataset(
        "us",
        "United States tariff measures, 2025–2026: IEEPA, Section 232, Section 122, column 1",
        _us,
    ),
    Dataset(
        "japan-us-2025",
        "Japan–US 2025 worked example: baseline, Japan's 24%, the pause, Section 232 cars",
        japan_us_2025.schedule,
    ),
)


def available() -> tuple[Dataset, ...]:
    """Return the embedded datasets, then those of installed plug-ins, by name."""
    from importlib.metadata import entry_points  # here: only listing needs plug-ins

    found = {d.name: d for d in _EMBEDDED}
    for point in entry_points(group="tradelaw.datasets"):
        dataset = point.load()
        if not isinstance(dataset, Dataset):
            raise InvalidInputError(
                f"entry point {point.name}", point.value, "is not a tradelaw.datasets.Dataset"
            )
        found.setdefault(dataset.name, dataset)
    return tuple(found.values())


def get(name: str) -> Dataset:
    """Return the dataset called ``name``.

    Raises:
        InvalidInputError: no dataset has that name (the message lists those that do).
    """
    for dataset in (*_EMBEDDED, *available()):  # the embedded ones without looking further
        if dataset.name == name:
            return dataset
    names = ", ".join(d.name for d in available())
    raise InvalidInputError("dataset", name, f"is not an embedded dataset; available: {names}")


def load(name: str = DEFAULT) -> Schedule:
    """Return the schedule of the dataset called ``name``."""
    return get(name).load()

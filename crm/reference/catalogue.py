"""A catalogue of coded items, held as dated versions.

A ``Version`` is one catalogue as it stood from its ``effective_from`` date,
with the source it came from. A ``Catalogue`` holds every version, oldest
first, and answers "which version was in force on this day" with ``on(day)``.

Dated rules (rate cards, benefit thresholds) must always ask ``on(day)`` with
the day the thing happened (the activity, the assessment period). Pick lists
and labels use the shortcuts (``items``, ``codes``, ``choices()``, ...),
which read the version in force today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from crm.settings import ConfigError


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    description: str
    group: str | None = None
    easy_read: str | None = None
    validity_months: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Version:
    """One dated version of a catalogue."""

    name: str
    title: str
    effective_from: dt.date
    source: str
    items: tuple[Item, ...]
    groups: tuple[Item, ...] = ()

    @cached_property
    def codes(self) -> frozenset[str]:
        return frozenset(i.code for i in self.items)

    def get(self, code: str) -> Item | None:
        return self._by_code.get(code)

    def label(self, code: str) -> str:
        item = self.get(code)
        return item.label if item else code

    def choices(self) -> list[tuple[str, str]]:
        return [(i.code, i.label) for i in self.items]

    def in_group(self, group: str) -> list[Item]:
        return [i for i in self.items if i.group == group]

    @cached_property
    def _by_code(self) -> dict[str, Item]:
        return {i.code: i for i in self.items}


@dataclass(frozen=True)
class Catalogue:
    """Every dated version of one catalogue, oldest first (dates distinct)."""

    name: str
    versions: tuple[Version, ...]

    def __post_init__(self) -> None:
        dates = [v.effective_from for v in self.versions]
        if not dates or dates != sorted(set(dates)):
            raise ValueError(f"{self.name}: versions must be oldest first, with distinct dates")

    def on(self, day: dt.date) -> Version:
        """The version in force on ``day``: the latest that took effect on or before it."""
        in_force = [v for v in self.versions if v.effective_from <= day]
        if not in_force:
            first = self.versions[0].effective_from
            raise ConfigError(f"{self.name}: no version in force on {day:%Y-%m-%d}; the first "
                              f"takes effect on {first:%Y-%m-%d}")
        return in_force[-1]

    @property
    def current(self) -> Version:
        """The version in force today (start-up checks there is one)."""
        return self.on(dt.date.today())

    # Shortcuts to the version in force today, for pick lists and labels.

    @property
    def title(self) -> str:
        return self.current.title

    @property
    def effective_from(self) -> dt.date:
        return self.current.effective_from

    @property
    def source(self) -> str:
        return self.current.source

    @property
    def items(self) -> tuple[Item, ...]:
        return self.current.items

    @property
    def groups(self) -> tuple[Item, ...]:
        return self.current.groups

    @property
    def codes(self) -> frozenset[str]:
        return self.current.codes

    def get(self, code: str) -> Item | None:
        return self.current.get(code)

    def choices(self) -> list[tuple[str, str]]:
        return self.current.choices()

    def in_group(self, group: str) -> list[Item]:
        return self.current.in_group(group)

    def label(self, code: str) -> str:
        """Today's label; for a code a later version dropped, its last label,
        since records made before keep the code."""
        today = dt.date.today()
        for version in reversed(self.versions):
            if version.effective_from <= today and (item := version.get(code)):
                return item.label
        return code

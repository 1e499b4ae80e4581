"""Reference data from config/reference/*.toml: catalogues that change
without a code change (adjustments, training, service kinds, skills, roles).

Loaded and validated at start-up: a bad file stops the app with a message
naming the file and the key. Codes are stable identifiers stored in records;
labels and descriptions may be reworded freely.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from crm.settings import CONFIG_DIR, ConfigError, read_toml

REFERENCE_DIR = CONFIG_DIR / "reference"


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
class Catalogue:
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


_KNOWN = {"code", "label", "description", "group", "easy_read", "validity_months"}


def _item(path: Path, where: str, raw: dict[str, Any], groups: set[str] | None) -> Item:
    for key in ("code", "label", "description"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{path}: {where} key '{key}' must be non-empty text")
    code = raw["code"]
    if not code.replace("_", "").isalnum() or code.lower() != code:
        raise ConfigError(f"{path}: {where} key 'code' must be lower_snake_case, not {code!r}")
    if groups is not None and raw.get("group") not in groups:
        raise ConfigError(f"{path}: {where} ({code}) key 'group' must be one of {sorted(groups)}")
    validity = raw.get("validity_months")
    if validity is not None and (not isinstance(validity, int) or validity < 1):
        raise ConfigError(f"{path}: {where} ({code}) key 'validity_months' must be a whole "
                          "number of months, 1 or more")
    return Item(code=code, label=raw["label"].strip(), description=raw["description"].strip(),
                group=raw.get("group"), easy_read=raw.get("easy_read"),
                validity_months=validity,
                extra={k: v for k, v in raw.items() if k not in _KNOWN})


def load_catalogue(name: str, directory: Path = REFERENCE_DIR, grouped: bool = False) -> Catalogue:
    path = directory / f"{name}.toml"
    data = read_toml(path)
    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise ConfigError(f"{path}: [meta] missing")
    for key in ("title", "source"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise ConfigError(f"{path}: [meta] key '{key}' must be non-empty text")
    if not isinstance(meta.get("effective_from"), dt.date):
        raise ConfigError(f"{path}: [meta] key 'effective_from' must be a date like 2026-04-01")
    groups: tuple[Item, ...] = ()
    group_codes: set[str] | None = None
    if grouped:
        groups = tuple(_item(path, f"[[group]] {n + 1}", g, None)
                       for n, g in enumerate(data.get("group", [])))
        group_codes = {g.code for g in groups}
        if not group_codes:
            raise ConfigError(f"{path}: [[group]] missing")
    raw_items = data.get("item")
    if not isinstance(raw_items, list) or not raw_items:
        raise ConfigError(f"{path}: [[item]] missing")
    items = tuple(_item(path, f"[[item]] {n + 1}", raw, group_codes)
                  for n, raw in enumerate(raw_items))
    seen: set[str] = set()
    for item in items:
        if item.code in seen:
            raise ConfigError(f"{path}: [[item]] code {item.code!r} appears twice")
        seen.add(item.code)
    return Catalogue(name=name, title=meta["title"], effective_from=meta["effective_from"],
                     source=meta["source"], items=items, groups=groups)


@dataclass(frozen=True)
class Reference:
    adjustments: Catalogue
    training: Catalogue
    service_kinds: Catalogue
    skills: Catalogue
    involvement_roles: Catalogue
    support: Catalogue


def load_reference(directory: Path = REFERENCE_DIR) -> Reference:
    return Reference(
        adjustments=load_catalogue("adjustments", directory, grouped=True),
        training=load_catalogue("training", directory),
        service_kinds=load_catalogue("service_kinds", directory),
        skills=load_catalogue("skills", directory),
        involvement_roles=load_catalogue("involvement_roles", directory),
        support=load_catalogue("support", directory),
    )


@lru_cache(maxsize=1)
def reference() -> Reference:
    """The reference data, loaded once per process."""
    return load_reference()

"""The meetings policy from ``config/meetings.toml``: papers notice, the
further-thoughts window, when open checklists show on the home page, the
feed refresh, and the checklist items each need brings in. Read once and
checked; a bad file stops start-up with a message naming the file and key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from crm.contributors.models import InformationFormat
from crm.reference import reference
from crm.settings import CONFIG_DIR, ConfigError, read_toml

MEETINGS_FILE = CONFIG_DIR / "meetings.toml"
PLACES = ("any", "in_person", "online")


@dataclass(frozen=True)
class ItemRule:
    """A checklist item and the needs that bring it in."""

    key: str
    text: str
    adjustments: frozenset[str]
    formats: frozenset[str]
    place: str = "any"


@dataclass(frozen=True)
class MeetingsConfig:
    effective_from: dt.date
    source: str
    papers_default_days: int
    thoughts_days: int
    home_days_ahead: int
    feed_refresh_hours: int
    items: tuple[ItemRule, ...]


def _whole(path: Path, raw: dict[str, Any], table: str, key: str, minimum: int = 0) -> int:
    section = raw.get(table)
    value = section.get(key) if isinstance(section, dict) else None
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ConfigError(f"{path}: [{table}] key '{key}' must be a whole number, "
                          f"{minimum} or more")
    return value


def _item(path: Path, n: int, raw: Any, codes: frozenset[str]) -> ItemRule:
    where = f"{path}: [[item]] number {n}"
    if not isinstance(raw, dict) or not raw.get("key") or not raw.get("text"):
        raise ConfigError(f"{where} needs a key and a text")
    adjustments = frozenset(raw.get("adjustments", []))
    formats = frozenset(raw.get("formats", []))
    if not adjustments and not formats:
        raise ConfigError(f"{where} ({raw['key']}) needs adjustments or formats")
    unknown = adjustments - codes
    if unknown:
        raise ConfigError(f"{where} ({raw['key']}) names adjustments not in the catalogue: "
                          f"{sorted(unknown)}")
    bad_formats = formats - {f.value for f in InformationFormat}
    if bad_formats:
        raise ConfigError(f"{where} ({raw['key']}) names unknown formats {sorted(bad_formats)}")
    place = raw.get("place", "any")
    if place not in PLACES:
        raise ConfigError(f"{where} ({raw['key']}): place must be one of {', '.join(PLACES)}")
    return ItemRule(key=str(raw["key"]), text=str(raw["text"]), adjustments=adjustments,
                    formats=formats, place=place)


def load_meetings_config(path: Path = MEETINGS_FILE) -> MeetingsConfig:
    raw = read_toml(path)
    meta = raw.get("meta")
    if not isinstance(meta, dict) or not isinstance(meta.get("effective_from"), dt.date) \
            or not meta.get("source"):
        raise ConfigError(f"{path}: [meta] needs effective_from (a date) and source")
    codes = reference().adjustments.codes
    items = tuple(_item(path, n, item, codes) for n, item in enumerate(raw.get("item", []), 1))
    keys = [i.key for i in items]
    if len(keys) != len(set(keys)):
        raise ConfigError(f"{path}: two [[item]] tables have the same key")
    return MeetingsConfig(
        effective_from=meta["effective_from"], source=str(meta["source"]),
        papers_default_days=_whole(path, raw, "papers", "default_days_before"),
        thoughts_days=_whole(path, raw, "thoughts", "days_after", 1),
        home_days_ahead=_whole(path, raw, "home", "days_ahead", 1),
        feed_refresh_hours=_whole(path, raw, "feed", "refresh_hours", 1),
        items=items)


@lru_cache(maxsize=1)
def meetings_config() -> MeetingsConfig:
    return load_meetings_config()

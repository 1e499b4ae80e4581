"""Reading and checking catalogue files in config/reference/.

A catalogue is either one file, ``<name>.toml`` (one version), or a folder
``<name>/`` holding one file per version, each named by the date it takes
effect (``<name>/2027-04-01.toml``). Never both. Every error names the file
and the key, so a trust can fix its own files.

Each version is checked on its own (as a single file always was), then the
versions against each other:

- no two versions take effect on the same date;
- a code dropped from a version may not come back in a later one: records
  made before still hold it, so it would come back meaning something else
  (give the new item a new code);
- the keys that say what a code *is* (``group``, and a catalogue's own
  ``fixed`` keys) stay the same in every version that has the code.

What cannot be checked is wording: labels, descriptions and Easy Read may be
reworded freely, and only a person can tell that the new words still mean the
same thing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from crm.reference.catalogue import Catalogue, Item, Version
from crm.settings import ConfigError, read_toml

_KNOWN = {"code", "label", "description", "group", "easy_read", "validity_months"}
_ITEM_FIELDS = {f.name for f in dataclasses.fields(Item)}


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


def _unique(path: Path, table: str, items: tuple[Item, ...]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.code in seen:
            raise ConfigError(f"{path}: {table} code {item.code!r} appears twice")
        seen.add(item.code)


def load_version(path: Path, name: str, grouped: bool = False) -> Version:
    """One version from one file, checked on its own."""
    data = read_toml(path)
    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise ConfigError(f"{path}: [meta] missing")
    for key in ("title", "source"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise ConfigError(f"{path}: [meta] key '{key}' must be non-empty text")
    effective_from = meta.get("effective_from")
    # A TOML date, not a date and time (tomllib gives datetime for those).
    if not isinstance(effective_from, dt.date) or isinstance(effective_from, dt.datetime):
        raise ConfigError(f"{path}: [meta] key 'effective_from' must be a date like 2026-04-01")
    groups: tuple[Item, ...] = ()
    group_codes: set[str] | None = None
    if grouped:
        groups = tuple(_item(path, f"[[group]] {n + 1}", g, None)
                       for n, g in enumerate(data.get("group", [])))
        group_codes = {g.code for g in groups}
        if not group_codes:
            raise ConfigError(f"{path}: [[group]] missing")
        _unique(path, "[[group]]", groups)
    raw_items = data.get("item")
    if not isinstance(raw_items, list) or not raw_items:
        raise ConfigError(f"{path}: [[item]] missing")
    items = tuple(_item(path, f"[[item]] {n + 1}", raw, group_codes)
                  for n, raw in enumerate(raw_items))
    _unique(path, "[[item]]", items)
    return Version(name=name, title=meta["title"], effective_from=effective_from,
                   source=meta["source"], items=items, groups=groups)


def version_files(name: str, directory: Path) -> list[Path]:
    """The files holding a catalogue's versions: ``<name>.toml`` or ``<name>/*.toml``."""
    single, folder = directory / f"{name}.toml", directory / name
    if not folder.is_dir():
        return [single]
    if single.exists():
        raise ConfigError(f"{single}: also found the folder {folder}; keep the versions in "
                          "the folder only (move this file into it, named by its date)")
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise ConfigError(f"{folder}: no versions; add a file named by its date, "
                          "like 2026-04-01.toml")
    return files


def _value(item: Item, key: str) -> Any:
    return getattr(item, key) if key in _ITEM_FIELDS else item.extra.get(key)


def _check_history(table: str, history: list[tuple[Path, tuple[Item, ...]]],
                   fixed: tuple[str, ...]) -> None:
    """Codes keep their meaning from version to version (oldest first)."""
    last: dict[str, tuple[Path, Item]] = {}  # each code's latest appearance
    dropped: dict[str, Path] = {}  # retired codes: the version that dropped them
    for path, items in history:
        codes = {i.code for i in items}
        for item in items:
            if item.code in dropped:
                raise ConfigError(
                    f"{path}: {table} code {item.code!r} was dropped in {dropped[item.code]} "
                    "and cannot come back, because older records may still hold it; "
                    "give this item a new code")
            if item.code in last:
                before_path, before = last[item.code]
                for key in fixed:
                    old, new = _value(before, key), _value(item, key)
                    if old != new:
                        raise ConfigError(
                            f"{path}: {table} code {item.code!r} key '{key}' is {new!r} here "
                            f"but {old!r} in {before_path}; a code keeps its meaning in "
                            "every version, so give this item a new code")
            last[item.code] = (path, item)
        for code in set(last) - codes - set(dropped):
            dropped[code] = path


def load_catalogue(name: str, directory: Path, grouped: bool = False,
                   fixed: tuple[str, ...] = ()) -> Catalogue:
    """Every version of a catalogue, each checked, then checked against each other."""
    loaded = [(path, load_version(path, name, grouped)) for path in version_files(name, directory)]
    if len(loaded) > 1:
        first_with: dict[dt.date, Path] = {}
        for path, version in loaded:
            day = version.effective_from
            if day in first_with:
                raise ConfigError(f"{path}: [meta] effective_from {day} is also the date of "
                                  f"{first_with[day]}; each version needs a date of its own")
            first_with[day] = path
        for path, version in loaded:
            if path.stem != version.effective_from.isoformat():
                raise ConfigError(f"{path}: file name must be the version's [meta] "
                                  f"effective_from date, {version.effective_from}.toml")
    # Files named by their dates sort oldest first.
    fixed = ("group", *fixed) if grouped else fixed
    _check_history("[[item]]", [(p, v.items) for p, v in loaded], fixed)
    if grouped:
        _check_history("[[group]]", [(p, v.groups) for p, v in loaded], ())
    return Catalogue(name=name, versions=tuple(v for _, v in loaded))

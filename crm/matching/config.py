"""The matching policy from ``config/matching.toml``: score weights, the
fairness window and the batch limits. Read once and checked; a bad file
stops with a message naming the file and the key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from crm.settings import CONFIG_DIR, ConfigError, read_toml

MATCHING_FILE = CONFIG_DIR / "matching.toml"

WEIGHT_NAMES = ("skills", "service_kinds", "availability", "adjustments_provided",
                "fewer_recent_offers", "never_involved")


@dataclass(frozen=True)
class Weights:
    skills: float
    service_kinds: float
    availability: float
    adjustments_provided: float
    fewer_recent_offers: float
    never_involved: float


@dataclass(frozen=True)
class MatchingConfig:
    weights: Weights
    fairness_window_days: int
    max_roles_per_person: int
    candidates_per_role: int
    time_limit_seconds: float
    effective_from: dt.date
    source: str


def _number(path: Path, table: dict[str, object], key: str, where: str, *,
            whole: bool = False, minimum: float = 0) -> float:
    value = table.get(key)
    ok = isinstance(value, int) if whole else isinstance(value, int | float)
    if not ok or isinstance(value, bool) or value < minimum:  # type: ignore[operator]
        kind = "a whole number" if whole else "a number"
        raise ConfigError(f"{path}: [{where}] key '{key}' must be {kind}, {minimum} or more")
    return value  # type: ignore[return-value]


def load_matching_config(path: Path = MATCHING_FILE) -> MatchingConfig:
    raw = read_toml(path)
    for table in ("meta", "weights", "fairness", "batch"):
        if not isinstance(raw.get(table), dict):
            raise ConfigError(f"{path}: table [{table}] is missing")
    meta, weights, fairness, batch = raw["meta"], raw["weights"], raw["fairness"], raw["batch"]
    unknown = set(weights) - set(WEIGHT_NAMES)
    if unknown:
        raise ConfigError(f"{path}: [weights] has unknown keys {sorted(unknown)}")
    if not isinstance(meta.get("effective_from"), dt.date) or not meta.get("source"):
        raise ConfigError(f"{path}: [meta] needs effective_from (a date) and source")
    return MatchingConfig(
        weights=Weights(**{name: float(_number(path, weights, name, "weights"))
                           for name in WEIGHT_NAMES}),
        fairness_window_days=int(_number(path, fairness, "window_days", "fairness",
                                         whole=True, minimum=1)),
        max_roles_per_person=int(_number(path, batch, "max_roles_per_person", "batch",
                                         whole=True, minimum=1)),
        candidates_per_role=int(_number(path, batch, "candidates_per_role", "batch",
                                        whole=True, minimum=1)),
        time_limit_seconds=float(_number(path, batch, "time_limit_seconds", "batch",
                                         minimum=0.1)),
        effective_from=meta["effective_from"],
        source=str(meta["source"]),
    )


@lru_cache(maxsize=1)
def matching_config() -> MatchingConfig:
    return load_matching_config()

"""Distances between postcode districts, for the travel rule of matching.

Only a person's postcode district is kept (LS6, not a full postcode), so a
distance is between district centres, from ``config/postcode_districts.toml``
(its source is in the file). A district not in the table has no distance:
matching never leaves someone out for it, it says "distance not known".
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

from crm.settings import CONFIG_DIR, ConfigError, read_toml

DISTRICTS_FILE = CONFIG_DIR / "postcode_districts.toml"
EARTH_RADIUS_MILES = 3958.8


def normalise(district: str | None) -> str | None:
    """The key a district is looked up by: trimmed, upper case (as saved)."""
    if district is None:
        return None
    key = district.strip().upper()
    return key or None


def load_centroids(path: Path = DISTRICTS_FILE) -> dict[str, tuple[float, float]]:
    """District -> (latitude, longitude), checked."""
    raw = read_toml(path)
    table = raw.get("districts")
    if not isinstance(table, dict) or not isinstance(raw.get("meta"), dict) \
            or not raw["meta"].get("source"):
        raise ConfigError(f"{path}: needs [meta] with a source and a [districts] table")
    out: dict[str, tuple[float, float]] = {}
    for name, value in table.items():
        ok = (isinstance(value, list) and len(value) == 2
              and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value))
        if not ok or not (-90 <= value[0] <= 90 and -180 <= value[1] <= 180):
            raise ConfigError(f"{path}: [districts] {name} must be [latitude, longitude]")
        out[normalise(name) or name] = (float(value[0]), float(value[1]))
    return out


@lru_cache(maxsize=1)
def centroids() -> dict[str, tuple[float, float]]:
    return load_centroids()


def haversine_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(h))


def distance_miles(a: str | None, b: str | None) -> float | None:
    """Miles between two district centres, to 0.1 mile (the same number in
    SQL and in Python, so both give the same answer at a limit), or None
    when either district is unknown."""
    table = centroids()
    ka, kb = normalise(a), normalise(b)
    if ka is None or kb is None or ka not in table or kb not in table:
        return None
    return round(haversine_miles(table[ka], table[kb]), 1)


def distances_from(district: str | None) -> dict[str, float]:
    """Every known district -> miles from ``district`` (empty if unknown)."""
    key = normalise(district)
    if key is None or key not in centroids():
        return {}
    return {other: d for other in centroids()
            if (d := distance_miles(key, other)) is not None}

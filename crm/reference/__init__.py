"""Reference data from config/reference/: catalogues that change without a
code change (adjustments, training, service kinds, skills, roles, support),
and next the dated rate cards and benefit thresholds.

Each catalogue is one or more dated versions (see ``loading`` for the file
layout and the checks). Loaded and validated at start-up: a bad file stops
the app with a message naming the file and the key, and so does a catalogue
with no version in force yet. Codes are stable identifiers stored in
records; labels and descriptions may be reworded freely.

``reference().training`` is a ``Catalogue``: ``.on(day)`` gives the version
in force on a day; ``.items``, ``.codes``, ``.choices()``, ``.label(code)``
read the version in force today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from crm.reference.catalogue import Catalogue, Item, Version
from crm.reference.loading import load_catalogue, load_version
from crm.settings import CONFIG_DIR, ConfigError

__all__ = ["REFERENCE_DIR", "Catalogue", "Item", "Reference", "Version", "load_catalogue",
           "load_reference", "load_version", "reference"]

REFERENCE_DIR = CONFIG_DIR / "reference"


@dataclass(frozen=True)
class Reference:
    adjustments: Catalogue
    training: Catalogue
    service_kinds: Catalogue
    skills: Catalogue
    involvement_roles: Catalogue
    support: Catalogue
    involvement_levels: Catalogue


def load_reference(directory: Path = REFERENCE_DIR, today: dt.date | None = None) -> Reference:
    """Load and check every catalogue; each must have a version in force ``today``."""
    ref = Reference(
        adjustments=load_catalogue("adjustments", directory, grouped=True),
        training=load_catalogue("training", directory),
        service_kinds=load_catalogue("service_kinds", directory),
        skills=load_catalogue("skills", directory),
        involvement_roles=load_catalogue("involvement_roles", directory),
        support=load_catalogue("support", directory),
        involvement_levels=load_catalogue("involvement_levels", directory),
    )
    day = today or dt.date.today()
    for f in fields(ref):
        catalogue: Catalogue = getattr(ref, f.name)
        try:
            catalogue.on(day)
        except ConfigError as exc:
            raise ConfigError(f"{directory}: {exc}") from None
    return ref


@lru_cache(maxsize=1)
def reference() -> Reference:
    """The reference data, loaded once per process."""
    return load_reference()

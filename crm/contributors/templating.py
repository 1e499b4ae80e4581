"""Template filters for contributor labels (codes to plain words)."""

from __future__ import annotations

from flask import Flask

from crm.contributors.models import (
    ATTENDANCE_LABELS,
    CHANNEL_LABELS,
    CONSENT_LABELS,
    EXPERIENCE_LABELS,
    FORMAT_LABELS,
    STATUS_LABELS,
)
from crm.contributors.voice import in_their_words


def _lookup(labels: dict, value: str | None) -> str:
    # StrEnum keys hash and compare like their string values.
    return "" if value is None else labels.get(value, value)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        experience_label=lambda v: _lookup(EXPERIENCE_LABELS, v),
        status_label=lambda v: _lookup(STATUS_LABELS, v),
        attendance_label=lambda v: _lookup(ATTENDANCE_LABELS, v),
        channel_label=lambda v: _lookup(CHANNEL_LABELS, v),
        format_label=lambda v: _lookup(FORMAT_LABELS, v),
        consent_label=lambda v: _lookup(CONSENT_LABELS, v),
        their_words=in_their_words,
    )

"""Template globals and filters."""

from __future__ import annotations

import datetime as dt
from typing import cast
from zoneinfo import ZoneInfo

from flask import Flask, current_app, get_flashed_messages
from markupsafe import Markup, escape

from crm.money import format_pence
from crm.permissions import ROLE_LABELS, Permission, Role
from crm.web.navigation import navigation_items

LONDON = ZoneInfo("Europe/London")


def format_datetime(value: dt.datetime | None) -> str:
    """UK local time in words people read easily, for example 3 March 2026 at 2:05pm."""
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    return f"{local.day} {local:%B %Y} at {local.hour % 12 or 12}:{local:%M}{local:%p}".replace(
        "AM", "am").replace("PM", "pm")


def format_date(value: dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(LONDON).date()
    return f"{value.day} {value:%B %Y}"


def role_label(value: str) -> str:
    try:
        return ROLE_LABELS[Role(value)]
    except ValueError:
        return value


def lines(value: str | None) -> Markup:
    """Text someone wrote, escaped, its own lines kept as line breaks. For
    text inside an NHS.UK component's ``html`` (which indents what follows
    each new line, so a pre-wrap span would show the indent)."""
    return Markup("<br>").join(escape(line) for line in (value or "").splitlines())


def _flashes() -> list[dict[str, str]]:
    flashes = cast("list[tuple[str, str]]", get_flashed_messages(with_categories=True))
    return [{"category": c, "message": m} for c, m in flashes]


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(datetime=format_datetime, date=format_date, role_label=role_label,
                                pence=format_pence, lines=lines)

    @app.context_processor
    def globals_() -> dict[str, object]:
        settings = current_app.config["CRM_SETTINGS"]
        return {
            "service_name": settings.service_name,
            "organisation_name": settings.organisation_name,
            "navigation_items": navigation_items,
            # Templates check permissions with members, never strings, so a
            # typo is an error, not a link silently hidden.
            "Permission": Permission,
            "flashes": _flashes,
        }

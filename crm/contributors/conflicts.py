"""When two people edit the same section: the page that shows what is saved
now beside what this person submitted, in words, keeping the saved one."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import suppress
from typing import Any

from flask import render_template, request
from sqlalchemy import select

from crm.accounts.models import User
from crm.audit.models import AuditEvent
from crm.contributors import editing, services
from crm.contributors.models import (
    ATTENDANCE_LABELS,
    CHANNEL_LABELS,
    CONSENT_LABELS,
    CONSENT_METHODS,
    EXPERIENCE_LABELS,
    FORMAT_LABELS,
    STATUS_LABELS,
    Contributor,
)
from crm.db import get_session
from crm.reference import reference
from crm.web.templating import format_date, format_datetime

# ---------------------------------------------------------------- conflicts

SECTION_KEYS: dict[str, list[tuple[str, str]]] = {
    "details": [("full_name", "Full name"), ("preferred_name", "Preferred name"),
                ("pronouns", "Pronouns"), ("email", "Email address"), ("phone", "Phone number"),
                ("postal_address", "Postal address"), ("postcode_area", "Postcode district"),
                ("date_of_birth", "Date of birth")],
    "experience": [("experiences", "Experience"), ("service_kinds", "Services they know"),
                   ("what_i_bring", "What they bring"),
                   ("prefers_living_experience", "Prefers \u201cliving experience\u201d")],
    "skills": [("skills", "Skills and interests")],
    "availability": [("availability", "When they are free"),
                     ("attendance_mode", "How they take part"),
                     ("travel_max_miles", "How far they can travel (miles)"),
                     ("notice_days", "Notice they need (days)"),
                     ("availability_note", "Anything else")],
    "status": [("status", "Status"), ("paused_until", "Return date"),
               ("left_on", "Date they left"), ("key_contact_id", "Key contact")],
    "affiliations": [("is_peer_support_worker", "Peer support worker"),
                     ("peer_employer", "Employer"), ("affiliations", "Organisations")],
    "consents": [("consents", "Consents")],
    "adjustments": [("adjustments", "Adjustments"), ("adjustment_notes", "Notes"),
                    ("adjustments_other", "Other adjustments, in their words")],
    "communication": [("communication.channel_order", "Ways to contact them, in order"),
                      ("communication.do_not_use", "Do not use"),
                      ("communication.best_times", "Best times"),
                      ("communication.information_format", "Format"),
                      ("communication.language", "Language"),
                      ("communication.via_supporter", "Through a supporter"),
                      ("communication.supporter_name", "Supporter's name"),
                      ("communication.supporter_contact", "Supporter's contact details"),
                      ("communication.papers_days_before", "Papers sent (days before)"),
                      ("communication.camera_optional", "Cameras optional reminder")],
    "support": [("support", "Support in place"), ("support_notes", "Notes")],
}

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _flat(snapshot: dict[str, Any]) -> dict[str, Any]:
    out = dict(snapshot)
    comm = out.pop("communication", None) or {}
    for key, value in comm.items():
        out[f"communication.{key}"] = value
    return out


def _dates_in_words(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        try:
            return format_date(dt.date(*(int(g) for g in match.groups())))
        except ValueError:
            return match.group(0)

    return _ISO_DATE.sub(one, text)


def _coded_note(text: str, label: Any) -> str:
    code, _, note = text.partition(": ")
    return f"{label(code)}: {note}"


def describe(key: str, value: Any, users: dict[int, str]) -> list[str]:
    """A snapshot value in words, one line per item."""
    ref = reference()
    if value is None or value == "" or value == []:
        return ["Not recorded"]
    if isinstance(value, bool):
        return ["Yes" if value else "No"]
    one_of: dict[str, Any] = {
        "experiences": lambda v: EXPERIENCE_LABELS.get(v, v),
        "service_kinds": ref.service_kinds.label,
        "skills": lambda v: v[len("other: "):] if v.startswith("other: ")
        else ref.skills.label(v),
        "availability": lambda v: v.capitalize(),
        "attendance_mode": lambda v: ATTENDANCE_LABELS.get(v, v),
        "status": lambda v: STATUS_LABELS.get(v, v),
        "key_contact_id": lambda v: users.get(v, "Someone no longer listed"),
        "adjustments": ref.adjustments.label,
        "adjustment_notes": lambda v: _coded_note(v, ref.adjustments.label),
        "support": ref.support.label,
        "support_notes": lambda v: _coded_note(v, ref.support.label),
        "consents": _consent_in_words,
        "communication.channel_order": lambda v: CHANNEL_LABELS.get(v, v),
        "communication.do_not_use": lambda v: CHANNEL_LABELS.get(v, v),
        "communication.information_format": lambda v: FORMAT_LABELS.get(v, v),
        "affiliations": str,
    }
    word = one_of.get(key, lambda v: _dates_in_words(str(v)))
    values = value if isinstance(value, list) else [value]
    return [word(v) for v in values]


def _consent_in_words(text: str) -> str:
    kind, _, rest = text.partition(": ")
    label = CONSENT_LABELS.get(kind, kind)  # type: ignore[call-overload]
    for code, method in CONSENT_METHODS.items():
        rest = rest.replace(f"({code})", f"({method.lower()})")
    return f"{label}: {_dates_in_words(rest)}"


def _last_saved(contributor_id: int) -> tuple[str | None, dt.datetime | None]:
    row = get_session().execute(
        select(AuditEvent.occurred_at, User.display_name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.entity_type == "contributor", AuditEvent.entity_id == contributor_id,
               AuditEvent.action == "update")
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(1)
    ).first()
    return (row[1], row[0]) if row else (None, None)


def conflict_page(contributor: Contributor, section: str, section_title: str,
                  apply: editing.Apply) -> tuple[str, int]:
    """Show what is saved now beside what this person submitted; keep the saved one."""
    session = get_session()
    contributor_id, name = contributor.id, contributor.name
    saved = _flat(services.snapshot(contributor))
    with session.no_autoflush:
        # If the submitted change breaks a rule it is shown as unchanged; the
        # editor starts again from the saved version anyway.
        with suppress(services.ContributorError):
            apply(contributor)
        submitted = _flat(services.snapshot(contributor))
    # Throw the submitted change away: nothing of it is written.
    session.rollback()
    ids = {v for v in (saved.get("key_contact_id"), submitted.get("key_contact_id")) if v}
    users = dict(session.execute(select(User.id, User.display_name)
                                 .where(User.id.in_(ids))).all()) if ids else {}
    rows = [{
        "label": label,
        "saved": describe(key, saved.get(key), users),
        "submitted": describe(key, submitted.get(key), users),
        "differs": saved.get(key) != submitted.get(key),
    } for key, label in SECTION_KEYS[section]]
    who, when = _last_saved(contributor_id)
    return render_template(
        "contributors/conflict.html", title="Someone else changed this record",
        rows=rows, name=name, contributor_id=contributor_id, section=section,
        section_title=section_title, saved_by=who, saved_at=format_datetime(when) if when else None,
        kind=request.form.get("kind") if section == "consents" else None,
    ), 409

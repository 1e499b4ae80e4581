"""Helpers for tests of the coordinators' contributor record pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.models import AuditEvent
from crm.contributors.models import (
    Adjustment,
    Affiliation,
    AvailabilitySlot,
    CommunicationPreference,
    Consent,
    Contributor,
    LivedExperience,
    ServiceKnown,
    Skill,
    SupportInPlace,
    TrainingCompletion,
)
from crm.permissions import Role
from tests.factories import make_user, sign_in

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION_RE = re.compile(r'name="version" value="([^"]*)"')


def signed_in_client(app: Flask, db: Session, role: Role = Role.COORDINATOR,
                     user: User | None = None) -> tuple[FlaskClient, User]:
    """A new browser-like client with its own signed-in user."""
    client = app.test_client()
    user = user or make_user(db, role)
    assert sign_in(client, user).status_code == 302
    return client, user


def page_form(client: FlaskClient, path: str) -> tuple[str, str, str | None]:
    """GET ``path``; return (html, csrf token, version or None)."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    html = response.get_data(as_text=True)
    csrf = CSRF_RE.search(html)
    assert csrf, f"no CSRF token on {path}"
    version = VERSION_RE.search(html)
    return html, csrf.group(1), version.group(1) if version else None


def edit_path(contributor_id: int, section: str, kind: str | None = None) -> str:
    return f"/contributors/{contributor_id}/edit/{section}" + (f"?kind={kind}" if kind else "")


def post_section(client: FlaskClient, contributor_id: int, section: str, data: dict[str, Any],
                 kind: str | None = None):  # type: ignore[no-untyped-def]
    """Load the edit page (as a person would) and submit ``data`` with its
    CSRF token and version."""
    path = edit_path(contributor_id, section, kind)
    # The adjustments page is a summary of groups; any group's page carries
    # the version, and the whole form can still be posted to ``path``.
    form_path = f"{path}/other" if section == "adjustments" else path
    _html, csrf, version = page_form(client, form_path)
    return client.post(path, data={"csrf_token": csrf, "version": version or "", **data})


def date_fields(name: str, value: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(value.day), f"{name}-month": str(value.month),
            f"{name}-year": str(value.year)}


def fresh(db: Session, contributor_id: int) -> Contributor:
    """The contributor as saved now (not from the test session's cache)."""
    db.expire_all()
    contributor = db.get(Contributor, contributor_id)
    assert contributor is not None
    return contributor


def audit_rows(db: Session, contributor_id: int, action: str | None = None) -> list[AuditEvent]:
    db.expire_all()
    stmt = select(AuditEvent).where(AuditEvent.entity_type == "contributor",
                                    AuditEvent.entity_id == contributor_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return list(db.scalars(stmt.order_by(AuditEvent.id)))


def add_children(db: Session, contributor: Contributor, n: int) -> None:
    """Give ``contributor`` ``n`` rows of every kind of child (as far as the
    catalogues and unique keys allow), committed."""
    from crm.reference import reference

    ref = reference()
    kinds = ["patient_current", "patient_former", "carer", "family_member"]
    for kind in kinds[:n]:
        db.add(LivedExperience(kind=kind, contributor=contributor))
    for item in ref.service_kinds.items[:n]:
        db.add(ServiceKnown(code=item.code, contributor=contributor))
    for item in ref.skills.items[:n]:
        db.add(Skill(code=item.code, contributor=contributor))
    slots = [(d, p) for d in ("monday", "tuesday", "wednesday", "thursday")
             for p in ("morning", "afternoon", "evening")]
    for day, part in slots[:n]:
        db.add(AvailabilitySlot(day=day, part=part, contributor=contributor))
    for i in range(n):
        db.add(Affiliation(organisation=f"Group {i}", is_user_led=i % 2 == 0,
                           contributor=contributor))
    for kind in ["contact", "record_keeping", "story_sharing"][:n]:
        db.add(Consent(kind=kind, is_given=True, recorded_on=dt.date(2025, 1, 1), method="paper",
                       contributor=contributor))
    for item in ref.adjustments.items[:n]:
        db.add(Adjustment(code=item.code, note=f"note {item.code}", contributor=contributor))
    for i in range(n):
        db.add(TrainingCompletion(course_code="safeguarding", completed_on=dt.date(2020 + i, 1, 1),
                                  expires_on=dt.date(2023 + i, 1, 1), contributor=contributor))
    for item in ref.support.items[:n]:
        db.add(SupportInPlace(kind=item.code, note="a note", contributor=contributor))
    if contributor.communication is None:
        db.add(CommunicationPreference(contributor=contributor, channel_order=["email", "phone"],
                                       do_not_use=["letter"], papers_days_before=7))
    db.commit()


# Every route on a contributor record, as (method, path template). ``{id}``
# is the record, ``{tid}`` a training completion on it.
RECORD_ROUTES: list[tuple[str, str]] = [
    ("GET", "/contributors/{id}"),
    ("GET", "/contributors/{id}/edit/details"),
    ("POST", "/contributors/{id}/edit/details"),
    ("GET", "/contributors/{id}/edit/adjustments"),
    ("POST", "/contributors/{id}/consents/withdraw"),
    ("GET", "/contributors/{id}/training/new"),
    ("POST", "/contributors/{id}/training/new"),
    ("POST", "/contributors/{id}/training/{tid}/remove"),
    ("GET", "/contributors/training-due"),
    ("GET", "/contributors/{id}/adjustments/checklist"),
    ("GET", "/contributors/{id}/invite"),
    ("POST", "/contributors/{id}/invite"),
    ("GET", "/contributors/{id}/anonymise"),
    ("POST", "/contributors/{id}/anonymise"),
]

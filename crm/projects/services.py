"""Rules for organisations, wards and projects. Services take the acting
user, enforce the rules, flush and audit; they never commit (crm/db.py
commits once per request).

Every change to a saved row passes the version the editor loaded:
``check_version`` raises ``EditConflict`` when someone saved in between, so
nothing is overwritten silently. Roles and sessions are in ``roles.py``,
ward connections in ``connections.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import diff, record
from crm.db import utcnow
from crm.permissions import Role
from crm.projects.models import (
    Organisation,
    OrganisationKind,
    Project,
    ProjectStatus,
    Ward,
)
from crm.reference import reference

# "LS1", "LS12", "SW1A", "M1", "EC1V": the outward part of a UK postcode.
POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


class ProjectError(Exception):
    """A rule was broken; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class EditConflict(Exception):
    """Someone saved the row after this editor loaded it."""


def check_version(saved: int, expected: int | None) -> None:
    """Raise EditConflict unless ``expected`` (from the page) is the saved one."""
    if expected is not None and expected != saved:
        raise EditConflict()


def clean(value: str | None, limit: int, field_name: str, label: str) -> str | None:
    """Trimmed text, or None when empty; too long is a ProjectError."""
    text = (value or "").strip()
    if len(text) > limit:
        raise ProjectError(f"{label} must be {limit} characters or fewer", field_name)
    return text or None


def required(value: str | None, limit: int, field_name: str, label: str, missing: str) -> str:
    text = clean(value, limit, field_name, label)
    if not text:
        raise ProjectError(missing, field_name)
    return text


def codes(values: Iterable[str], allowed: Iterable[str], field_name: str) -> list[str]:
    """The chosen codes in order, once each; an unknown code is refused."""
    allowed_set = set(allowed)
    chosen = list(dict.fromkeys(v for v in values if v))
    if any(v not in allowed_set for v in chosen):
        raise ProjectError("Select from the list", field_name)
    return chosen


def _apply(row: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Set ``values`` on ``row``; returns the audit diff (values kept: these
    rows hold no personal data)."""
    before = {k: getattr(row, k) for k in values}
    for key, value in values.items():
        setattr(row, key, value)
    return diff(before, values)


# ---------------------------------------------------------------- organisations


@dataclass
class OrganisationInput:
    name: str
    kind: str = OrganisationKind.VCSE.value
    communities: str | None = None
    website: str | None = None
    is_active: bool = True


DUPLICATE_ORGANISATION = "There is already an organisation with this name"


def _organisation_values(session: Session, data: OrganisationInput,
                         except_id: int | None) -> dict[str, Any]:
    name = required(data.name, 200, "name", "Name", "Enter the organisation's name")
    if data.kind not in {k.value for k in OrganisationKind}:
        raise ProjectError("Select what kind of organisation it is", "kind")
    website = clean(data.website, 300, "website", "Website")
    if website and not re.match(r"^https?://[^\s/]+\.[^\s]+$", website):
        raise ProjectError("Enter a website address starting with https://, like "
                           "https://example.org", "website")
    taken = session.scalar(select(Organisation.id).where(
        func.lower(Organisation.name) == name.lower(),
        Organisation.id != (except_id or -1)))
    if taken is not None:
        raise ProjectError(DUPLICATE_ORGANISATION, "name")
    return {"name": name, "kind": data.kind, "website": website, "is_active": data.is_active,
            "communities": clean(data.communities, 2000, "communities", "Communities served")}


def create_organisation(session: Session, actor: User, data: OrganisationInput) -> Organisation:
    """Add an organisation. Raises ProjectError (duplicate name, bad website)."""
    organisation = Organisation(**_organisation_values(session, data, None))
    session.add(organisation)
    session.flush()
    record(session, Action.CREATE, entity_type=EntityType.ORGANISATION,
           entity_id=organisation.id, actor=actor, summary="Added an organisation")
    return organisation


def update_organisation(session: Session, actor: User, organisation: Organisation,
                        expected_version: int | None, data: OrganisationInput) -> None:
    """Change an organisation. Raises EditConflict, ProjectError."""
    check_version(organisation.version, expected_version)
    changes = _apply(organisation, _organisation_values(session, data, organisation.id))
    session.flush()
    if changes:
        record(session, Action.UPDATE, entity_type=EntityType.ORGANISATION,
               entity_id=organisation.id, actor=actor, changes=changes,
               summary="Changed an organisation")


# ---------------------------------------------------------------- wards


@dataclass
class WardInput:
    name: str
    site: str
    postcode_district: str | None = None
    service_kind: str | None = None
    room_provides: Sequence[str] = field(default_factory=list)
    room_note: str | None = None
    is_active: bool = True


DUPLICATE_WARD = "There is already a ward with this name"


def normal_district(value: str | None) -> str | None:
    """``value`` as an upper-case postcode district, or None; raises ProjectError."""
    text = (value or "").strip().upper().replace(" ", "")
    if not text:
        return None
    if not POSTCODE_DISTRICT.match(text):
        raise ProjectError("Enter the first part of a postcode, like LS1 or SW1A",
                           "postcode_district")
    return text


def _ward_values(session: Session, data: WardInput, except_id: int | None) -> dict[str, Any]:
    name = required(data.name, 200, "name", "Ward name", "Enter the ward's name")
    site = required(data.site, 200, "site", "Site", "Enter the site or hospital")
    if data.service_kind and data.service_kind not in reference().service_kinds.codes:
        raise ProjectError("Select the kind of service from the list", "service_kind")
    taken = session.scalar(select(Ward.id).where(func.lower(Ward.name) == name.lower(),
                                                 Ward.id != (except_id or -1)))
    if taken is not None:
        raise ProjectError(DUPLICATE_WARD, "name")
    return {
        "name": name, "site": site,
        "postcode_district": normal_district(data.postcode_district),
        "service_kind": data.service_kind or None,
        "room_provides": codes(data.room_provides, reference().adjustments.codes,
                               "room_provides"),
        "room_note": clean(data.room_note, 2000, "room_note", "Note about the room"),
        "is_active": data.is_active,
    }


def create_ward(session: Session, actor: User, data: WardInput) -> Ward:
    """Add a ward. Raises ProjectError."""
    ward = Ward(**_ward_values(session, data, None))
    session.add(ward)
    session.flush()
    record(session, Action.CREATE, entity_type=EntityType.WARD, entity_id=ward.id,
           actor=actor, summary="Added a ward")
    return ward


def update_ward(session: Session, actor: User, ward: Ward, expected_version: int | None,
                data: WardInput) -> None:
    """Change a ward. Raises EditConflict, ProjectError."""
    check_version(ward.version, expected_version)
    changes = _apply(ward, _ward_values(session, data, ward.id))
    session.flush()
    if changes:
        record(session, Action.UPDATE, entity_type=EntityType.WARD, entity_id=ward.id,
               actor=actor, changes=changes, summary="Changed a ward")


# ---------------------------------------------------------------- projects


@dataclass
class ProjectInput:
    title: str
    ward_ids: Sequence[int] = field(default_factory=list)
    is_trust_wide: bool = False
    lead_id: int | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    status: str = ProjectStatus.PLANNING.value
    description: str | None = None
    easy_read_summary: str | None = None
    cost_code: str | None = None


def _project_values(session: Session, data: ProjectInput,
                    current_lead_id: int | None = None) -> dict[str, Any]:
    """The checked values. A lead who is no longer an active coordinator may
    stay the lead (``current_lead_id``), not be newly chosen."""
    title = required(data.title, 200, "title", "Title", "Enter the project's title")
    if data.status not in {s.value for s in ProjectStatus}:
        raise ProjectError("Select the project's status", "status")
    wards = list(session.scalars(select(Ward).where(Ward.id.in_(list(data.ward_ids)))
                                 .order_by(Ward.name))) if data.ward_ids else []
    if len(wards) != len(set(data.ward_ids)):
        raise ProjectError("Select from the list", "ward_ids")
    if data.is_trust_wide and wards:
        raise ProjectError("Choose wards or trust-wide, not both", "ward_ids")
    if not data.is_trust_wide and not wards:
        raise ProjectError("Select the project's wards, or say it is trust-wide", "ward_ids")
    if data.lead_id is not None and data.lead_id != current_lead_id:
        lead = session.get(User, data.lead_id)
        if lead is None or not lead.is_active or lead.role != Role.COORDINATOR.value:
            raise ProjectError("Select a lead coordinator from the list", "lead_id")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise ProjectError("End date must be the same as or after the start date", "ends_on")
    return {
        "title": title, "wards": wards, "is_trust_wide": data.is_trust_wide,
        "lead_id": data.lead_id, "starts_on": data.starts_on, "ends_on": data.ends_on,
        "status": data.status,
        "description": clean(data.description, 5000, "description", "Description"),
        "easy_read_summary": clean(data.easy_read_summary, 3000, "easy_read_summary",
                                   "Easy Read summary"),
        "cost_code": clean(data.cost_code, 40, "cost_code", "Cost code"),
    }


def _project_audit_values(values: dict[str, Any]) -> dict[str, Any]:
    plain = {k: v for k, v in values.items() if k != "wards"}
    plain["ward_ids"] = sorted(w.id for w in values["wards"])
    for key in ("starts_on", "ends_on"):
        plain[key] = plain[key].isoformat() if plain[key] else None
    return plain


def _project_snapshot(project: Project) -> dict[str, Any]:
    return _project_audit_values({
        "title": project.title, "wards": list(project.wards),
        "is_trust_wide": project.is_trust_wide, "lead_id": project.lead_id,
        "starts_on": project.starts_on, "ends_on": project.ends_on,
        "status": project.status, "description": project.description,
        "easy_read_summary": project.easy_read_summary, "cost_code": project.cost_code})


def create_project(session: Session, actor: User, data: ProjectInput) -> Project:
    """Add a project. Raises ProjectError."""
    project = Project(**_project_values(session, data))
    session.add(project)
    session.flush()
    record(session, Action.CREATE, entity_type=EntityType.PROJECT, entity_id=project.id,
           actor=actor, summary="Added a project")
    return project


def update_project(session: Session, actor: User, project: Project,
                   expected_version: int | None, data: ProjectInput) -> None:
    """Change a project. Raises EditConflict, ProjectError."""
    check_version(project.version, expected_version)
    values = _project_values(session, data, current_lead_id=project.lead_id)
    before = _project_snapshot(project)
    for key, value in values.items():
        setattr(project, key, value)
    # Only the ward list may have changed: make sure the version goes up.
    project.updated_at = utcnow()
    session.flush()
    changes = diff(before, _project_audit_values(values))
    if changes:
        record(session, Action.UPDATE, entity_type=EntityType.PROJECT, entity_id=project.id,
               actor=actor, changes=changes, summary="Changed a project")


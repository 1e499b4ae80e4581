"""Factories for projects and matching: wards, projects, roles, sessions,
offers and attendance. Each commits, like tests.factories."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.contributors.models import Contributor
from crm.db import utcnow
from crm.matching.models import Offer, OfferStatus
from crm.projects.models import (
    Attendance,
    Organisation,
    Project,
    ProjectStatus,
    RoleOpening,
    RoleSession,
    RoleStatus,
    Ward,
)

_seq = itertools.count(1)


def make_organisation(session: Session, name: str | None = None, **fields: Any) -> Organisation:
    org = Organisation(name=name or f"Partner group {next(_seq)}", **fields)
    session.add(org)
    session.commit()
    return org


def make_ward(session: Session, name: str | None = None, **fields: Any) -> Ward:
    fields.setdefault("site", "Example Hospital")
    fields.setdefault("postcode_district", "LS1")
    fields.setdefault("service_kind", "acute_adult_ward")
    fields.setdefault("room_provides", [])
    ward = Ward(name=name or f"Ward {next(_seq)}", **fields)
    session.add(ward)
    session.commit()
    return ward


def make_project(session: Session, title: str | None = None, *, wards: list[Ward] | None = None,
                 **fields: Any) -> Project:
    fields.setdefault("status", ProjectStatus.ACTIVE.value)
    project = Project(title=title or f"Project {next(_seq)}", wards=wards or [], **fields)
    session.add(project)
    session.commit()
    return project


def make_role(session: Session, project: Project | None = None, *,
              sessions: list[RoleSession] | None = None, **fields: Any) -> RoleOpening:
    """An open role (one place, in person or online, unpaid unless
    ``fee_tier`` is given) on ``project`` (a new one if not given)."""
    fields.setdefault("title", f"Role {next(_seq)}")
    fields.setdefault("kind", "project_team_member")
    fields.setdefault("level", "co_production")
    fields.setdefault("status", RoleStatus.OPEN.value)
    role = RoleOpening(project=project or make_project(session), sessions=sessions or [],
                       **fields)
    session.add(role)
    session.commit()
    return role


def role_session(starts_at: dt.datetime, minutes: int = 120, **fields: Any) -> RoleSession:
    """A session to pass to make_role(sessions=[...]) or append to role.sessions."""
    return RoleSession(starts_at=starts_at, minutes=minutes, **fields)


def make_offer(session: Session, role: RoleOpening, contributor: Contributor,
               status: OfferStatus = OfferStatus.OFFERED, **fields: Any) -> Offer:
    if status != OfferStatus.WAITING:
        fields.setdefault("offered_at", utcnow())
    if status == OfferStatus.ACCEPTED and "place_no" not in fields:
        taken = set(session.scalars(select(Offer.place_no).where(Offer.role_id == role.id)))
        fields["place_no"] = min(n for n in range(1, role.places + 1) if n not in taken)
    offer = Offer(role_id=role.id, contributor_id=contributor.id, status=status.value, **fields)
    session.add(offer)
    session.commit()
    return offer


def make_attendance(session: Session, role_session_: RoleSession, contributor: Contributor,
                    outcome: str = "attended") -> Attendance:
    row = Attendance(session_id=role_session_.id, contributor_id=contributor.id, outcome=outcome)
    session.add(row)
    session.commit()
    return row

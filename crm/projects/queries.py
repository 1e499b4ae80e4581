"""Reading organisations, wards, projects and roles for the coordinators'
pages: ``select()`` statements with what each page shows loaded up front,
so a page's query count does not grow with its rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from flask import abort
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from crm.accounts.models import User
from crm.db import utcnow
from crm.permissions import Role
from crm.projects.models import (
    Organisation,
    Project,
    ProjectStatus,
    RoleOpening,
    RoleSession,
    Ward,
)

T = TypeVar("T")


def get_or_404(session: Session, model: type[T], row_id: int) -> T:
    row = session.get(model, row_id)
    if row is None:
        abort(404)
    return row


def organisations() -> Select[Organisation]:
    return select(Organisation).order_by(Organisation.is_active.desc(), Organisation.name)


def wards() -> Select[Ward]:
    return select(Ward).order_by(Ward.is_active.desc(), Ward.name)


def all_wards(session: Session) -> list[Ward]:
    return list(session.scalars(wards()))


def coordinators(session: Session) -> list[User]:
    return list(session.scalars(
        select(User).where(User.role == Role.COORDINATOR.value, User.is_active.is_(True))
        .order_by(User.display_name)))


def project_status(value: str | None) -> str | None:
    """The status filter from the URL, or None for any."""
    return value if value in {s.value for s in ProjectStatus} else None


def projects(status: str | None) -> Select[Project]:
    """Projects for the list, newest start first, wards and lead loaded."""
    stmt = (select(Project).options(selectinload(Project.wards), joinedload(Project.lead))
            .order_by(Project.starts_on.desc().nulls_last(), Project.title, Project.id))
    if status:
        stmt = stmt.where(Project.status == status)
    return stmt


def role_counts(session: Session, project_ids: list[int]) -> dict[int, int]:
    """How many roles each project has (one query for a page of projects)."""
    if not project_ids:
        return {}
    rows = session.execute(select(RoleOpening.project_id, func.count())
                           .where(RoleOpening.project_id.in_(project_ids))
                           .group_by(RoleOpening.project_id))
    return {pid: count for pid, count in rows}


def project_for_page(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id,
                          options=[selectinload(Project.wards), joinedload(Project.lead)])
    if project is None:
        abort(404)
    return project


@dataclass(frozen=True)
class RoleRow:
    role: RoleOpening
    sessions: int
    next_session: dt.datetime | None


def roles_of(session: Session, project_id: int, now: dt.datetime | None = None
             ) -> list[RoleRow]:
    """A project's roles, each with how many sessions it has (not counting
    cancelled ones) and when the next one starts, in one query."""
    now = now or utcnow()
    live = and_(RoleSession.role_id == RoleOpening.id, RoleSession.is_cancelled.is_(False))
    count = (select(func.count()).where(live).correlate(RoleOpening).scalar_subquery())
    upcoming = (select(func.min(RoleSession.starts_at)).where(live, RoleSession.starts_at >= now)
                .correlate(RoleOpening).scalar_subquery())
    rows = session.execute(select(RoleOpening, count, upcoming)
                           .where(RoleOpening.project_id == project_id)
                           .order_by(RoleOpening.id))
    return [RoleRow(role, n or 0, nxt) for role, n, nxt in rows]


def role_for_page(session: Session, role_id: int) -> RoleOpening:
    """A role with its project and sessions (and their wards) loaded."""
    role = session.get(RoleOpening, role_id, options=[
        joinedload(RoleOpening.project),
        selectinload(RoleOpening.sessions).joinedload(RoleSession.ward)])
    if role is None:
        abort(404)
    return role


def session_for_page(session: Session, session_id: int) -> RoleSession:
    row = session.get(RoleSession, session_id, options=[
        joinedload(RoleSession.role).joinedload(RoleOpening.project),
        joinedload(RoleSession.ward)])
    if row is None:
        abort(404)
    return row

"""What the coordinator's home page says needs doing, across every project:
the queries for questions waiting and offers to make by phone or letter are
in crm.matching.offer_queries; these are claims drafted and not yet sent to
finance, and sessions that have happened with nobody's attendance recorded;
and, for a contributor's home page, how many offers wait for their answer.
Each is a fixed number of queries however many rows there are, and the
lists are paged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload

from crm.contributors.models import Contributor
from crm.matching.models import Offer, OfferStatus
from crm.payments.ledger_models import Claim, ClaimState
from crm.projects.models import Attendance, Project, RoleOpening, RoleSession
from crm.projects.roles import MAX_MINUTES


def drafted_sessions_stmt() -> Select[*tuple[Any, ...]]:
    """Sessions with claims drafted and not yet sent to finance, oldest
    first, with how many each (rows: session_id, starts_at, role_title,
    project_title, drafted)."""
    return (select(RoleSession.id.label("session_id"), RoleSession.starts_at,
                   RoleOpening.title.label("role_title"), Project.title.label("project_title"),
                   func.count(Claim.id).label("drafted"))
            .join(RoleSession, RoleSession.id == Claim.session_id)
            .join(RoleOpening, RoleOpening.id == RoleSession.role_id)
            .join(Project, Project.id == RoleOpening.project_id)
            .where(Claim.state == ClaimState.DRAFTED.value)
            .group_by(RoleSession.id, RoleSession.starts_at, RoleOpening.title, Project.title)
            .order_by(RoleSession.starts_at, RoleSession.id))


def drafted_counts(session: Session) -> tuple[int, int]:
    """(claims drafted and not yet sent, the sessions they are for)."""
    claims, sessions = session.execute(
        select(func.count(Claim.id), func.count(func.distinct(Claim.session_id)))
        .where(Claim.state == ClaimState.DRAFTED.value)).one()
    return claims or 0, sessions or 0


def without_attendance_stmt(session: Session, now: dt.datetime) -> Select[Any]:
    """Sessions that have ended, not cancelled, with someone booked (a yes
    to the role) and nobody's attendance recorded yet, most recent first.
    "Ended" is worked out in Python only for the few that started in the
    last day (no session is longer), so the rest is one query to page."""
    since = now - dt.timedelta(minutes=MAX_MINUTES)
    ended_lately = [sid for sid, starts_at, minutes in session.execute(
        select(RoleSession.id, RoleSession.starts_at, RoleSession.minutes)
        .where(RoleSession.starts_at >= since, RoleSession.starts_at < now))
        if starts_at + dt.timedelta(minutes=minutes) <= now]
    booked = exists().where(Offer.role_id == RoleSession.role_id,
                            Offer.status == OfferStatus.ACCEPTED.value)
    recorded = exists().where(Attendance.session_id == RoleSession.id)
    return (select(RoleSession)
            .options(joinedload(RoleSession.role).joinedload(RoleOpening.project))
            .where(or_(RoleSession.starts_at < since, RoleSession.id.in_(ended_lately)),
                   RoleSession.is_cancelled.is_(False), booked, ~recorded)
            .order_by(RoleSession.starts_at.desc(), RoleSession.id.desc()))


def own_offers_to_answer(session: Session, user_id: int, today: dt.date) -> int:
    """Offers to the person signed in still waiting for their yes or no
    (not past the closing date), as on their "My roles" page."""
    return session.scalar(
        select(func.count(Offer.id))
        .join(Contributor, Contributor.id == Offer.contributor_id)
        .where(Contributor.user_id == user_id, Contributor.anonymised_at.is_(None),
               Offer.status == OfferStatus.OFFERED.value,
               or_(Offer.expires_on.is_(None), Offer.expires_on >= today))) or 0

"""What the coordinator's home page says needs doing, across every project:
the queries for questions waiting and offers to make by phone or letter are
in crm.matching.offer_queries; these are claims drafted and not yet sent to
finance, and sessions that have happened with nobody's attendance recorded;
and, for a contributor's home page, how many offers wait for their answer.
Each is one query however many rows there are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, joinedload

from crm.contributors.models import Contributor
from crm.matching.models import Offer, OfferStatus
from crm.payments.ledger_models import Claim, ClaimState
from crm.projects.models import Attendance, Project, RoleOpening, RoleSession


@dataclass(frozen=True)
class DraftedSession:
    session_id: int
    starts_at: dt.datetime
    role_title: str
    project_title: str
    drafted: int


def sessions_with_drafted_claims(session: Session) -> list[DraftedSession]:
    """Sessions with claims drafted and not yet sent to finance, oldest
    first, with how many each."""
    rows = session.execute(
        select(RoleSession.id, RoleSession.starts_at, RoleOpening.title, Project.title,
               func.count(Claim.id))
        .join(RoleSession, RoleSession.id == Claim.session_id)
        .join(RoleOpening, RoleOpening.id == RoleSession.role_id)
        .join(Project, Project.id == RoleOpening.project_id)
        .where(Claim.state == ClaimState.DRAFTED.value)
        .group_by(RoleSession.id, RoleSession.starts_at, RoleOpening.title, Project.title)
        .order_by(RoleSession.starts_at, RoleSession.id))
    return [DraftedSession(*row) for row in rows]


def sessions_without_attendance(session: Session, now: dt.datetime) -> list[RoleSession]:
    """Sessions that have ended, not cancelled, with someone booked (a yes
    to the role) and nobody's attendance recorded yet, most recent first."""
    booked = exists().where(Offer.role_id == RoleSession.role_id,
                            Offer.status == OfferStatus.ACCEPTED.value)
    recorded = exists().where(Attendance.session_id == RoleSession.id)
    rows = session.scalars(
        select(RoleSession)
        .options(joinedload(RoleSession.role).joinedload(RoleOpening.project))
        .where(RoleSession.starts_at < now, RoleSession.is_cancelled.is_(False), booked,
               ~recorded)
        .order_by(RoleSession.starts_at.desc(), RoleSession.id.desc()))
    return [r for r in rows if r.ends_at <= now]


def own_offers_to_answer(session: Session, user_id: int, today: dt.date) -> int:
    """Offers to the person signed in still waiting for their yes or no
    (not past the closing date), as on their "My roles" page."""
    return session.scalar(
        select(func.count(Offer.id))
        .join(Contributor, Contributor.id == Offer.contributor_id)
        .where(Contributor.user_id == user_id, Contributor.anonymised_at.is_(None),
               Offer.status == OfferStatus.OFFERED.value,
               or_(Offer.expires_on.is_(None), Offer.expires_on >= today))) or 0

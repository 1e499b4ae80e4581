"""What a contributor's "My roles" and "Opportunities" pages read: only
their own offers and attendance (every query is filtered by their own
record's id), and open roles they could do. A fixed number of queries
however many offers they have; the opportunities page checks the rules for
one page of roles at a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from crm.contributors.models import Contributor
from crm.db import utcnow
from crm.matching import offers
from crm.matching.models import OPEN_STATUSES, Offer, OfferStatus, RoleInterest
from crm.projects.models import Attendance, RoleOpening, RoleSession, RoleStatus
from crm.web.pagination import Page, paginate

OPPORTUNITIES_PER_PAGE = 10


def _with_role() -> list[Any]:
    return [selectinload(Offer.role).selectinload(RoleOpening.project),
            selectinload(Offer.role).selectinload(RoleOpening.sessions)
            .selectinload(RoleSession.ward)]


@dataclass
class MyRoles:
    waiting_for_answer: list[Offer]
    on_waiting_list: list[Offer]
    doing: list[Offer]
    done: list[Attendance]


def my_roles(session: Session, c: Contributor, today: dt.date) -> MyRoles:
    rows = session.scalars(
        select(Offer).where(Offer.contributor_id == c.id,
                            Offer.status.in_([*(s.value for s in OPEN_STATUSES),
                                              OfferStatus.ACCEPTED.value]))
        .options(*_with_role()).order_by(Offer.offered_at, Offer.id)).all()
    done = list(session.scalars(
        select(Attendance).join(RoleSession, RoleSession.id == Attendance.session_id)
        .where(Attendance.contributor_id == c.id)
        .options(selectinload(Attendance.session).selectinload(RoleSession.role))
        .order_by(RoleSession.starts_at.desc())))
    return MyRoles(
        waiting_for_answer=[o for o in rows if o.status == OfferStatus.OFFERED.value
                            and not offers.is_expired(o, today)],
        on_waiting_list=[o for o in rows if o.status == OfferStatus.WAITING.value
                         and not offers.is_expired(o, today)],
        doing=[o for o in rows if o.status == OfferStatus.ACCEPTED.value and _going_on(o.role)],
        done=done)


def _going_on(role: RoleOpening) -> bool:
    """A role they are doing: still open or filled, or with a session to come."""
    now = utcnow()
    return (role.status in offers.RUNNING
            or any(s.ends_at > now for s in role.sessions if not s.is_cancelled))


def own_offer(session: Session, c: Contributor, offer_id: int) -> Offer | None:
    """The offer, only if it is this person's own (None for anyone else's,
    so the page is "not found" and says nothing about whether it exists)."""
    return session.scalars(select(Offer).where(Offer.id == offer_id,
                                               Offer.contributor_id == c.id)
                           .options(*_with_role())).one_or_none()


def open_roles_query(c: Contributor, today: dt.date) -> Select[RoleOpening]:
    """Open roles, closing date not passed, that they have no offer for yet."""
    return (select(RoleOpening)
            .where(RoleOpening.status == RoleStatus.OPEN.value,
                   or_(RoleOpening.closes_on.is_(None), RoleOpening.closes_on >= today),
                   ~exists(select(Offer.id).where(Offer.role_id == RoleOpening.id,
                                                  Offer.contributor_id == c.id)))
            .options(selectinload(RoleOpening.project),
                     selectinload(RoleOpening.sessions).selectinload(RoleSession.ward))
            .order_by(RoleOpening.closes_on.is_(None), RoleOpening.closes_on, RoleOpening.id))


@dataclass
class Opportunities:
    page: Page[RoleOpening]
    roles: list[RoleOpening]  # the page's roles they could do
    interested: set[int]


def opportunities(session: Session, c: Contributor, today: dt.date) -> Opportunities:
    page = paginate(session, open_roles_query(c, today), per_page=OPPORTUNITIES_PER_PAGE)
    roles = [r for r in page.items if not offers.why_not(session, r, c.id, today=today)]
    interested = set(session.scalars(select(RoleInterest.role_id).where(
        RoleInterest.contributor_id == c.id,
        RoleInterest.role_id.in_([r.id for r in roles])))) if roles else set()
    return Opportunities(page=page, roles=roles, interested=interested)


def role_they_could_do(session: Session, c: Contributor, role_id: int,
                       today: dt.date) -> RoleOpening | None:
    """An open role on the opportunities page, or None (so "not found")."""
    role = session.scalars(open_roles_query(c, today).where(RoleOpening.id == role_id)).first()
    if role is None or offers.why_not(session, role, c.id, today=today):
        return None
    return role

"""Reading what the meetings pages show, each in a fixed number of queries
however many people or items a session has."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from crm.contributors.models import Contributor
from crm.matching.models import Offer, OfferStatus
from crm.meetings import checklist
from crm.meetings.config import meetings_config
from crm.meetings.models import (
    ChecklistTick,
    FurtherThought,
    SessionSupport,
    YouSaidWeDid,
)
from crm.projects.models import Attendance, Project, RoleOpening, RoleSession


def confirmed(session: Session, role_session: RoleSession) -> list[Contributor]:
    """Everyone with an accepted offer on the session's role, with what the
    checklist reads loaded (4 queries in all)."""
    return list(session.scalars(
        select(Contributor)
        .join(Offer, and_(Offer.contributor_id == Contributor.id,
                          Offer.role_id == role_session.role_id,
                          Offer.status == OfferStatus.ACCEPTED.value))
        .options(selectinload(Contributor.adjustments), selectinload(Contributor.support),
                 joinedload(Contributor.communication))
        .order_by(Contributor.full_name, Contributor.id)))


def person_facts(c: Contributor) -> checklist.Person:
    comm = c.communication
    return checklist.Person(
        contributor_id=c.id, name=c.name,
        adjustments=frozenset(a.code for a in c.adjustments),
        support=frozenset(s.kind for s in c.support),
        information_format=comm.information_format if comm else None,
        papers_days_before=comm.papers_days_before if comm else None,
        via_supporter=bool(comm and comm.via_supporter),
        supporter_name=comm.supporter_name if comm else None,
        camera_optional=bool(comm and comm.camera_optional))


def where_of(role_session: RoleSession) -> checklist.Where:
    provides = role_session.ward.room_provides if role_session.ward and not \
        role_session.is_online else []
    return checklist.Where(is_online=role_session.is_online,
                           room_provides=frozenset(provides or []))


def checklist_of(people: list[Contributor], role_session: RoleSession) -> checklist.Checklist:
    config = meetings_config()
    return checklist.build(role_session.starts_at, [person_facts(c) for c in people],
                           where_of(role_session), config.items, config.papers_default_days)


def ticks(session: Session, session_id: int) -> dict[str, ChecklistTick]:
    return {t.item_key: t for t in session.scalars(
        select(ChecklistTick).options(joinedload(ChecklistTick.arranged_by))
        .where(ChecklistTick.session_id == session_id))}


def supports(session: Session, session_id: int) -> dict[tuple[int, str], SessionSupport]:
    return {(s.contributor_id, s.kind): s for s in session.scalars(
        select(SessionSupport).where(SessionSupport.session_id == session_id))}


def attendance_of(session: Session, session_id: int) -> dict[int, str]:
    """What happened at the session for each person (contributor id to outcome)."""
    rows = session.execute(select(Attendance.contributor_id, Attendance.outcome)
                           .where(Attendance.session_id == session_id))
    return {cid: outcome for cid, outcome in rows}


def thoughts(session: Session, session_id: int) -> list[tuple[FurtherThought, str]]:
    """Further thoughts on a session, oldest first, with who wrote them."""
    rows = session.execute(
        select(FurtherThought, Contributor.full_name)
        .join(Contributor, Contributor.id == FurtherThought.contributor_id)
        .where(FurtherThought.session_id == session_id)
        .order_by(FurtherThought.created_at, FurtherThought.id))
    return [(t, name) for t, name in rows]


@dataclass(frozen=True)
class OpenChecklist:
    session: RoleSession
    open_items: int


def sessions_needing_arrangements(session: Session, now: dt.datetime,
                                  limit: int = 10) -> list[OpenChecklist]:
    """Sessions starting in the next ``home.days_ahead`` days with at least
    one checklist item not yet arranged (for the coordinator's home page)."""
    until = now + dt.timedelta(days=meetings_config().home_days_ahead)
    has_people = exists().where(Offer.role_id == RoleSession.role_id,
                                Offer.status == OfferStatus.ACCEPTED.value)
    rows = list(session.scalars(
        select(RoleSession)
        .options(joinedload(RoleSession.role).joinedload(RoleOpening.project),
                 joinedload(RoleSession.ward))
        .where(RoleSession.starts_at >= now, RoleSession.starts_at < until,
               RoleSession.is_cancelled.is_(False), has_people)
        .order_by(RoleSession.starts_at, RoleSession.id).limit(50)))
    if not rows:
        return []
    role_ids = {r.role_id for r in rows}
    people_by_role: dict[int, list[Contributor]] = {}
    for offer_role, person in session.execute(
            select(Offer.role_id, Contributor)
            .join(Contributor, Contributor.id == Offer.contributor_id)
            .options(selectinload(Contributor.adjustments), selectinload(Contributor.support),
                     joinedload(Contributor.communication))
            .where(Offer.role_id.in_(role_ids), Offer.status == OfferStatus.ACCEPTED.value)):
        people_by_role.setdefault(offer_role, []).append(person)
    done: dict[int, set[str]] = {}
    for sid, key in session.execute(
            select(ChecklistTick.session_id, ChecklistTick.item_key)
            .where(ChecklistTick.session_id.in_([r.id for r in rows]),
                   ChecklistTick.is_arranged.is_(True))):
        done.setdefault(sid, set()).add(key)
    recorded = {(sid, cid, kind) for sid, cid, kind in session.execute(
        select(SessionSupport.session_id, SessionSupport.contributor_id, SessionSupport.kind)
        .where(SessionSupport.session_id.in_([r.id for r in rows])))}
    found = []
    for row in rows:
        items = checklist_of(people_by_role.get(row.role_id, []), row).items
        left = sum(1 for i in items if not is_done(i, done.get(row.id, set()), recorded, row.id))
        if left:
            found.append(OpenChecklist(row, left))
        if len(found) == limit:
            break
    return found


def is_done(item: checklist.Item, ticked: set[str], recorded: set[tuple[int, int, str]],
            session_id: int) -> bool:
    if item.by_room or item.key in ticked:
        return True
    return bool(item.support_kind and item.contributor_id is not None and
                (session_id, item.contributor_id, item.support_kind) in recorded)


def project_log(session: Session, project_id: int) -> list[YouSaidWeDid]:
    return list(session.scalars(
        select(YouSaidWeDid).where(YouSaidWeDid.project_id == project_id)
        .order_by(YouSaidWeDid.raised_on.desc(), YouSaidWeDid.id.desc())))


def my_sessions(session: Session, contributor_id: int) -> list[RoleSession]:
    """Every session of every role the person said yes to (cancelled ones
    too, so calendars can strike them out), soonest first."""
    return list(session.scalars(
        select(RoleSession)
        .join(Offer, and_(Offer.role_id == RoleSession.role_id,
                          Offer.contributor_id == contributor_id,
                          Offer.status == OfferStatus.ACCEPTED.value))
        .options(joinedload(RoleSession.role).joinedload(RoleOpening.project),
                 joinedload(RoleSession.ward))
        .order_by(RoleSession.starts_at, RoleSession.id)))


def own_session(session: Session, contributor_id: int, session_id: int) -> RoleSession | None:
    """One of the person's own sessions, or None (not theirs is not found)."""
    return session.scalars(
        select(RoleSession)
        .join(Offer, and_(Offer.role_id == RoleSession.role_id,
                          Offer.contributor_id == contributor_id,
                          Offer.status == OfferStatus.ACCEPTED.value))
        .options(joinedload(RoleSession.role).joinedload(RoleOpening.project),
                 joinedload(RoleSession.ward))
        .where(RoleSession.id == session_id)).first()


def my_projects(session: Session, contributor_id: int) -> list[Project]:
    """Projects the person is involved in (said yes to a role on), with a
    "you said, we did" log."""
    involved = select(RoleOpening.project_id).join(
        Offer, and_(Offer.role_id == RoleOpening.id, Offer.contributor_id == contributor_id,
                    Offer.status == OfferStatus.ACCEPTED.value))
    return list(session.scalars(
        select(Project).where(Project.id.in_(involved),
                              exists().where(YouSaidWeDid.project_id == Project.id))
        .order_by(Project.title)))


def logs_of(session: Session, project_ids: list[int]) -> dict[int, list[YouSaidWeDid]]:
    out: dict[int, list[YouSaidWeDid]] = {}
    if project_ids:
        for row in session.scalars(
                select(YouSaidWeDid).where(YouSaidWeDid.project_id.in_(project_ids))
                .order_by(YouSaidWeDid.raised_on.desc(), YouSaidWeDid.id.desc())):
            out.setdefault(row.project_id, []).append(row)
    return out


def is_involved(session: Session, contributor_id: int, project_id: int) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Offer).join(
        RoleOpening, RoleOpening.id == Offer.role_id).where(
        RoleOpening.project_id == project_id, Offer.contributor_id == contributor_id,
        Offer.status == OfferStatus.ACCEPTED.value)))

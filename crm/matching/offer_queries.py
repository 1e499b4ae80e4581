"""Reading offers for the coordinators' pages, in a fixed number of
queries however many offers a role or a person has."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from crm.contributors.models import Contributor
from crm.matching import criteria
from crm.matching.models import OPEN_STATUSES, Offer, OfferStatus, RoleInterest
from crm.matching.offer_rules import BY_HAND
from crm.matching.offer_words import live_sessions
from crm.matching.ranking_facts import role_facts
from crm.projects.models import Attendance, RoleOpening, RoleSession

S = OfferStatus

# The order the groups appear on a role's offers page.
GROUP_ORDER = (S.ACCEPTED, S.OFFERED, S.WAITING, S.NOT_THIS_TIME, S.DECLINED, S.DROPPED_OUT,
               S.WITHDRAWN, S.EXPIRED)


def question_waits(offer: Offer) -> bool:
    return bool(offer.question) and offer.question_answered_at is None


@dataclass
class RoleOffers:
    """A role's offers by status: accepted by place, waiting in list order."""

    role: RoleOpening
    groups: dict[OfferStatus, list[Offer]] = field(default_factory=dict)
    interested: list[Contributor] = field(default_factory=list)

    @property
    def questions(self) -> list[Offer]:
        """Questions not yet marked answered, whatever the offer's status
        (a question asked before a yes or a no still needs an answer)."""
        return [o for s in GROUP_ORDER for o in self.groups.get(s, []) if question_waits(o)]

    @property
    def by_hand(self) -> list[Offer]:
        """Offers still open that went by no channel we send through: the
        coordinator tells these people another way (phone or letter)."""
        return [o for s in (S.OFFERED, S.WAITING) for o in self.groups.get(s, [])
                if o.channel == "by_hand"]

    @property
    def places_taken(self) -> int:
        return len(self.groups.get(S.ACCEPTED, []))


def role_for_offers(session: Session, role_id: int) -> RoleOpening | None:
    return session.scalars(select(RoleOpening).where(RoleOpening.id == role_id).options(
        selectinload(RoleOpening.project), selectinload(RoleOpening.sessions))).one_or_none()


def role_offers(session: Session, role: RoleOpening) -> RoleOffers:
    rows = session.scalars(
        select(Offer).where(Offer.role_id == role.id)
        .options(selectinload(Offer.contributor))
        .order_by(Offer.place_no, Offer.waiting_position, Offer.offered_at, Offer.id)).all()
    out = RoleOffers(role=role, groups={s: [] for s in GROUP_ORDER})
    for offer in rows:
        out.groups[OfferStatus(offer.status)].append(offer)
    out.interested = list(session.scalars(
        select(Contributor).join(RoleInterest, RoleInterest.contributor_id == Contributor.id)
        .where(RoleInterest.role_id == role.id).order_by(RoleInterest.created_at)))
    return out


def benefit_notes_of(session: Session, role: RoleOpening, data: RoleOffers, today: dt.date
                     ) -> dict[int, list[str]]:
    """The "may affect benefits" notes (criteria.benefit_notes_for, filled by
    payments) for the people offered a place or on the waiting list: shown
    before their yes is recorded or the next person is offered. Never a rule."""
    ids = [o.contributor_id for status in (OfferStatus.OFFERED, OfferStatus.WAITING)
           for o in data.groups.get(status, [])]
    if not ids or not role.is_paid:
        return {}
    facts = role_facts(session, role, today=today)
    return {cid: [r.text for r in reasons]
            for cid, reasons in criteria.benefit_notes_for(session, facts, ids).items()}


def offer_for_page(session: Session, offer_id: int) -> Offer | None:
    return session.scalars(select(Offer).where(Offer.id == offer_id).options(
        selectinload(Offer.contributor), selectinload(Offer.role).selectinload(
            RoleOpening.project))).one_or_none()


@dataclass
class PersonOffers:
    offers: list[Offer]
    attendance: list[Attendance]


def person_offers(session: Session, contributor_id: int) -> PersonOffers:
    """Every offer the person has had, newest first, and what happened at
    the sessions they were booked for."""
    offers = list(session.scalars(
        select(Offer).where(Offer.contributor_id == contributor_id)
        .options(selectinload(Offer.role).selectinload(RoleOpening.project),
                 selectinload(Offer.role).selectinload(RoleOpening.sessions))
        .order_by(Offer.offered_at.desc().nulls_last(), Offer.id.desc())))
    attendance = list(session.scalars(
        select(Attendance).join(RoleSession, RoleSession.id == Attendance.session_id)
        .where(Attendance.contributor_id == contributor_id)
        .options(selectinload(Attendance.session).selectinload(RoleSession.role)
                 .selectinload(RoleOpening.project))
        .order_by(RoleSession.starts_at.desc())))
    return PersonOffers(offers=offers, attendance=attendance)


# --- The coordinator's to-do: across every role ------------------------------------------

def waiting_questions_stmt() -> Select[Offer]:
    """Offers with a question not yet marked answered (whatever the
    offer's status), oldest question first, with the person and the role."""
    return (select(Offer)
            .where(Offer.question.is_not(None), Offer.question != "",
                   Offer.question_answered_at.is_(None))
            .options(selectinload(Offer.contributor),
                     selectinload(Offer.role).selectinload(RoleOpening.project))
            .order_by(Offer.question_at.nulls_first(), Offer.id))


def by_hand_stmt(today: dt.date) -> Select[Offer]:
    """Open offers (offered or on the waiting list, not past their closing
    date) that went by no channel we send through: the coordinator phones or
    writes to these people. They stay until the reply is recorded."""
    return (select(Offer)
            .join(Contributor, Contributor.id == Offer.contributor_id)
            .where(Offer.channel == BY_HAND,
                   Offer.status.in_([s.value for s in OPEN_STATUSES]),
                   or_(Offer.expires_on.is_(None), Offer.expires_on >= today),
                   Contributor.anonymised_at.is_(None))
            .options(selectinload(Offer.contributor),
                     selectinload(Offer.role).selectinload(RoleOpening.project))
            .order_by(Offer.offered_at.nulls_last(), Offer.id))


@dataclass(frozen=True)
class Clash:
    """Another role of the person's that meets at the same time as one of
    this role's coming sessions."""

    title: str
    starts_at: dt.datetime
    said_yes: bool


def clashes_for(session: Session, contributor_id: int, role: RoleOpening,
                today: dt.date) -> list[Clash]:
    """The person's other roles (offered, said yes, or waiting) with a
    session at the same time as one of ``role``'s coming sessions: told on
    their offer page, so two offers at one time are no surprise. One query."""
    mine = [(s.starts_at, s.ends_at) for s in live_sessions(role, today)]
    if not mine:
        return []
    rows = session.execute(
        select(RoleOpening.title, RoleSession.starts_at, RoleSession.minutes, Offer.status)
        .join(RoleOpening, RoleOpening.id == Offer.role_id)
        .join(RoleSession, RoleSession.role_id == RoleOpening.id)
        .where(Offer.contributor_id == contributor_id, Offer.role_id != role.id,
               Offer.status.in_([OfferStatus.OFFERED.value, OfferStatus.ACCEPTED.value,
                                 OfferStatus.WAITING.value]),
               RoleSession.is_cancelled.is_(False),
               RoleSession.starts_at < max(e for _s, e in mine),
               RoleSession.starts_at >= min(s for s, _e in mine) - dt.timedelta(days=1))
        .order_by(RoleSession.starts_at))
    out = []
    for title, starts_at, minutes, status in rows:
        ends_at = starts_at + dt.timedelta(minutes=minutes)
        if any(s < ends_at and starts_at < e for s, e in mine):
            out.append(Clash(title, starts_at, status == OfferStatus.ACCEPTED.value))
    return out


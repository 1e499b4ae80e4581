"""The replies to an offer: yes, no or not this time (``answer``), a
question about it (``ask``, and the coordinator's ``mark_question_answered``),
and giving up a place after a yes (``drop_out``). Offers are sent, withdrawn and expired in
crm.matching.offers.

Every function flushes and audits but never commits (the request commits
once); the confirmation of a place taken is queued by
``crm.messaging.services.queue``, with the role's calendar file, and sent
only after the commit.

Places fill in the order people say yes. Saying yes locks the role's row and
the person's row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite has one
writer at a time anyway), rechecks what can have changed since the offer
went out (another role at an overlapping time, their own limit of roles at
once) and takes the lowest free place. The database's unique
(role_id, place_no) is the last guard: if two yeses still reach the same
place, the second one's insert fails inside a savepoint and that person goes
on the waiting list instead, so a role is never overbooked.

An offer moves only along ``TRANSITIONS`` (crm.matching.offer_rules); anything else raises
``OfferError`` with words for the coordinator and for the person.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.actions import Action
from crm.contributors.models import Contributor
from crm.db import utcnow
from crm.matching.models import OPEN_STATUSES, Offer, OfferStatus
from crm.matching.offer_rules import (
    QUESTION_MAX,
    REPLIES,
    RUNNING,
    OfferError,
    audit_step,
    london_today,
    move,
    was,
)
from crm.matching.offer_words import confirmation_message, day_words, live_sessions
from crm.messaging import services as messages
from crm.messaging.services import Attachment
from crm.projects import calendar
from crm.projects.models import RoleOpening, RoleSession, RoleStatus
from crm.settings import Settings

S = OfferStatus

# --- Telling them their place ------------------------------------------------------

def _role_calendar(settings: Settings, role: RoleOpening, today: dt.date
                   ) -> Attachment | None:
    """The role's coming sessions as one .ics file (crm.projects.calendar)."""
    sessions = live_sessions(role, today)
    if not sessions:
        return None
    host = calendar.uid_host(settings.base_url)
    if len(sessions) == 1:
        return Attachment(calendar.ics_filename(sessions[0]), calendar.ICS_MIMETYPE,
                          calendar.session_calendar(sessions[0], host))
    return Attachment(f"role-{role.id}-sessions.ics", calendar.ICS_MIMETYPE,
                      calendar.feed_calendar(sessions, host, role.title))


def _confirm(session: Session, settings: Settings, offer: Offer, today: dt.date) -> None:
    """Their yes took a place: tell them, with the sessions' calendar file.
    Told even without contact consent: they have just said yes."""
    role, c = offer.role, offer.contributor
    messages.queue(session, settings, c, "confirmation",
                   confirmation_message(settings, c, role, today),
                   attachment=_role_calendar(settings, role, today), needs_consent=False,
                   dedupe_key=f"confirmation:offer:{offer.id}")



# --- Replies ------------------------------------------------------------------------------

def _for_them(actor: User, offer: Offer) -> str:
    return "" if actor.id == offer.contributor.user_id else " (recorded for them by staff)"


def answer(session: Session, actor: User, offer: Offer, reply: str, *,
           today: dt.date | None = None, settings: Settings | None = None) -> Offer:
    """The person's reply ("yes", "no" or "not_this_time"), from their own
    page or recorded for them by a coordinator. A yes takes the lowest free
    place, or puts them on the waiting list if the last place has gone
    (``offer.status`` says which); a place taken is confirmed to them by
    message (with a calendar file) when ``settings`` are given. Raises
    OfferError for an offer that is closed, expired or already answered, or
    a yes that breaks a rule."""
    today = today or london_today()
    if reply not in REPLIES:
        raise OfferError("Choose yes, no or not this time")
    if offer.status not in OPEN_STATUSES:
        raise OfferError("This offer has already been answered or closed",
                         "You have already answered this, or it has closed")
    if offer.expires_on is not None and today > offer.expires_on:
        raise OfferError(f"This offer closed on {day_words(offer.expires_on)}",
                         f"Sorry, this closed on {day_words(offer.expires_on)}")
    before = was(offer)
    if reply == "yes":
        if offer.status == S.WAITING.value:
            raise OfferError("They are on the waiting list. Offer them the place first",
                             "You are on the waiting list. We will tell you if a place is free")
        _accept(session, actor, offer)
    else:
        move(offer, REPLIES[reply])
        offer.waiting_position = None
    offer.answered_at = utcnow()
    audit_step(session, Action.OFFER_ANSWERED, actor, offer,
           f"reply {reply.replace('_', ' ')}: now {offer.status}"
           + (f" place {offer.place_no}" if offer.place_no else "") + _for_them(actor, offer),
           before)
    if settings is not None and offer.status == S.ACCEPTED.value:
        _confirm(session, settings, offer, today)
    return offer



# --- Taking a place -----------------------------------------------------------------------

def _lock_role(session: Session, role_id: int) -> RoleOpening:
    """The role's row, locked for this transaction and read afresh.

    PostgreSQL: ``SELECT ... FOR UPDATE``. SQLite ignores that, and has one
    writer at a time; but a transaction that has only read when it starts
    writing may find another writer committed in between. So on SQLite the
    transaction starts with a write that changes nothing (which waits its
    turn for the one write lock), and everything read after it is current."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(RoleOpening).where(RoleOpening.id == role_id)
                        .values(places=RoleOpening.places, updated_at=RoleOpening.updated_at))
    return session.scalars(select(RoleOpening).where(RoleOpening.id == role_id)
                           .with_for_update()
                           .execution_options(populate_existing=True)).one()


def _lock(session: Session, offer: Offer) -> RoleOpening:
    """Lock the role and then the person (always in that order, so two
    replies never wait for each other), and read both and the offer afresh."""
    role = _lock_role(session, offer.role_id)
    session.execute(select(Contributor.id).where(Contributor.id == offer.contributor_id)
                    .with_for_update())
    session.scalars(select(Offer).where(Offer.id == offer.id)
                    .execution_options(populate_existing=True)).one()
    if offer.status != S.OFFERED.value:
        raise OfferError("This offer changed while you were answering it",
                         "This offer changed. Please look at it again")
    return role


def _accept(session: Session, actor: User, offer: Offer) -> None:
    role = _lock(session, offer)
    if role.status not in RUNNING:
        raise OfferError("This role is no longer running", "Sorry, this role is not going ahead")
    _check_still_free(session, role, offer)
    place = free_place(session, role)
    if place is not None:
        try:
            with session.begin_nested():
                offer.place_no = place
                move(offer, S.ACCEPTED)
                session.flush()
        except IntegrityError:  # someone took it at the same moment
            session.refresh(offer)
            place = None
    if place is None:
        _to_waiting_list(session, offer)
        return
    if free_place(session, role) is None and role.status == RoleStatus.OPEN.value:
        role.status = RoleStatus.FILLED.value


def free_place(session: Session, role: RoleOpening) -> int | None:
    """The lowest place number not held by anyone, or None when full."""
    taken = set(session.scalars(select(Offer.place_no).where(
        Offer.role_id == role.id, Offer.status == S.ACCEPTED.value,
        Offer.place_no.is_not(None))))
    return next((n for n in range(1, role.places + 1) if n not in taken), None)


def _to_waiting_list(session: Session, offer: Offer) -> None:
    last = session.scalar(select(func.max(Offer.waiting_position))
                          .where(Offer.role_id == offer.role_id)) or 0
    move(offer, S.WAITING)
    offer.place_no = None
    offer.waiting_position = last + 1


def _check_still_free(session: Session, role: RoleOpening, offer: Offer) -> None:
    """What can change between the offer and the yes: another role they
    said yes to at an overlapping time, and their own limit of roles."""
    c = offer.contributor
    others = session.scalars(
        select(RoleSession).join(Offer, Offer.role_id == RoleSession.role_id)
        .where(Offer.contributor_id == c.id, Offer.status == S.ACCEPTED.value,
               Offer.role_id != role.id, RoleSession.is_cancelled.is_(False))).all()
    mine = [s for s in role.sessions if not s.is_cancelled]
    if any(a.starts_at < b.ends_at and b.starts_at < a.ends_at for a in mine for b in others):
        raise OfferError("They are already booked for another role at the same time",
                         "You have said yes to another role at the same time")
    if c.max_roles_at_once is not None:
        held = session.scalar(
            select(func.count()).select_from(Offer).join(RoleOpening)
            .where(Offer.contributor_id == c.id, Offer.status == S.ACCEPTED.value,
                   RoleOpening.status.in_(RUNNING), Offer.role_id != role.id)) or 0
        if held >= c.max_roles_at_once:
            raise OfferError(f"They asked for at most {c.max_roles_at_once} roles at once "
                             "and have that many already",
                             f"You told us you want at most {c.max_roles_at_once} roles at "
                             "once. You have that many now")



# --- A question, and dropping out ---------------------------------------------------------

def ask(session: Session, actor: User, offer: Offer, text: str) -> Offer:
    """A question about an open offer for the coordinator; the offer stays
    open. Earlier questions are kept above the new one. It waits for the
    coordinator (``mark_question_answered``) whatever happens to the offer
    next: answering the offer keeps it."""
    words = (text or "").strip()
    if not words:
        raise OfferError("Enter the question", "Write your question")
    if len(words) > QUESTION_MAX:
        raise OfferError(f"The question must be {QUESTION_MAX} characters or fewer",
                         f"Your question must be {QUESTION_MAX} characters or fewer")
    if offer.status not in OPEN_STATUSES:
        raise OfferError("This offer is closed", "This offer has closed")
    offer.question = f"{offer.question}\n\n{words}" if offer.question else words
    offer.question_at = utcnow()
    offer.question_answered_at = None  # a new question waits, even after an answer
    audit_step(session, Action.OFFER_ANSWERED, actor, offer,
           "asked a question about the offer" + _for_them(actor, offer))
    return offer


def mark_question_answered(session: Session, actor: User, offer: Offer) -> Offer:
    """The coordinator has answered the person's question (another way:
    email, phone or in person): it stops waiting on their pages. The words
    are kept, on the person's offers page and in their data download."""
    if not offer.question or offer.question_answered_at is not None:
        raise OfferError("There is no question waiting on this offer")
    offer.question_answered_at = utcnow()
    audit_step(session, Action.UPDATE, actor, offer, "marked their question answered")
    return offer


def drop_out(session: Session, actor: User, offer: Offer) -> Offer:
    """Someone who said yes cannot do it: their place is freed and a filled
    role opens again, so the coordinator can offer it to the next person."""
    if offer.status != S.ACCEPTED.value:
        raise OfferError("Only someone who said yes can drop out")
    role = _lock_role(session, offer.role_id)
    before = was(offer)
    freed = offer.place_no
    move(offer, S.DROPPED_OUT)
    offer.place_no = None
    if role.status == RoleStatus.FILLED.value:
        role.status = RoleStatus.OPEN.value
    audit_step(session, Action.OFFER_ANSWERED, actor, offer,
           f"dropped out, place {freed} of role {role.id} freed" + _for_them(actor, offer),
           before)
    return offer

"""Offers of a role to people, their replies, the waiting list and interest.

Every function flushes and audits but never commits (the request commits
once); the message of an offer (and of a confirmed place, or a withdrawn
offer) is queued by ``crm.messaging.services.queue``, by the person's first
usable channel in their format, and sent only after the commit.

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
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.contributors.models import Contributor
from crm.db import utcnow
from crm.matching import ranking
from crm.matching.criteria import Reason
from crm.matching.models import OPEN_STATUSES, Offer, OfferStatus, RoleInterest
from crm.matching.offer_rules import (
    BY_HAND,
    QUESTION_MAX,
    REPLIES,
    RUNNING,
    TRANSITIONS,
    OfferError,
    audit_step,
    is_expired,
    london_today,
    move,
    was,
)
from crm.matching.offer_words import (
    confirmation_message,
    day_words,
    live_sessions,
    offer_message,
    withdrawn_message,
)
from crm.messaging import channels
from crm.messaging import services as messages
from crm.messaging.services import Attachment
from crm.projects import calendar
from crm.projects.models import RoleOpening, RoleSession, RoleStatus
from crm.settings import Settings

S = OfferStatus

__all__ = ["BY_HAND", "QUESTION_MAX", "RUNNING", "TRANSITIONS", "OfferError", "add_to_waiting_list",
           "answer", "ask", "drop_out", "expire_due", "free_place",
           "is_expired", "london_today", "offer_next", "send_offers", "show_interest",
           "why_not", "withdraw"]


# --- Hard rules ----------------------------------------------------------------

def why_not(session: Session, role: RoleOpening, contributor_id: int, *,
            today: dt.date) -> list[Reason]:
    """The hard rules ``contributor_id`` does not meet for ``role``
    (crm.matching.ranking.why_not); empty means they may be offered it."""
    return ranking.why_not(session, role, contributor_id, today=today)


def reason_words(reason: Reason | str) -> str:
    return reason if isinstance(reason, str) else reason.text


def _check_rules(session: Session, role: RoleOpening, people: Sequence[Contributor],
                 today: dt.date) -> None:
    refused = []
    for c in people:
        reasons = why_not(session, role, c.id, today=today)
        if reasons:
            refused.append(f"{c.full_name}: " + "; ".join(reason_words(r) for r in reasons))
    if refused:
        raise OfferError("Nothing was sent. Some people do not meet the role's rules. "
                         + ". ".join(refused))


# --- How the offer reaches them ----------------------------------------------------

def _tell(session: Session, settings: Settings, offer: Offer, c: Contributor,
          role: RoleOpening) -> None:
    """Queue the offer by their first usable channel; ``offer.channel``
    says which ("by_hand": none, the coordinator tells them another way)."""
    message = messages.queue(session, settings, c, "offer", offer_message(settings, c, role),
                             at_best_time=True)
    offer.channel = message.channel if message is not None else BY_HAND
    offer.information_format = channels.information_format(c)


def _role_calendar(settings: Settings, role: RoleOpening) -> Attachment | None:
    """The role's sessions as one .ics file (crm.projects.calendar)."""
    sessions = live_sessions(role)
    if not sessions:
        return None
    host = calendar.uid_host(settings.base_url)
    if len(sessions) == 1:
        return Attachment(calendar.ics_filename(sessions[0]), calendar.ICS_MIMETYPE,
                          calendar.session_calendar(sessions[0], host))
    return Attachment(f"role-{role.id}-sessions.ics", calendar.ICS_MIMETYPE,
                      calendar.feed_calendar(sessions, host, role.title))


def _confirm(session: Session, settings: Settings, offer: Offer) -> None:
    """Their yes took a place: tell them, with the sessions' calendar file.
    Told even without contact consent: they have just said yes."""
    role, c = offer.role, offer.contributor
    messages.queue(session, settings, c, "confirmation", confirmation_message(settings, c, role),
                   attachment=_role_calendar(settings, role), needs_consent=False,
                   dedupe_key=f"confirmation:offer:{offer.id}")


def _people(session: Session, ids: Iterable[int]) -> list[Contributor]:
    wanted = sorted(set(ids))
    if not wanted:
        raise OfferError("Choose at least one person")
    people = list(session.scalars(
        select(Contributor).where(Contributor.id.in_(wanted), Contributor.anonymised_at.is_(None))
        .options(selectinload(Contributor.communication), selectinload(Contributor.consents))
        .order_by(Contributor.id)))
    if len(people) != len(wanted):
        raise OfferError("Someone chosen is no longer in the involvement bank")
    return people


def _existing(session: Session, role: RoleOpening) -> set[int]:
    return set(session.scalars(select(Offer.contributor_id).where(Offer.role_id == role.id)))


def _check_not_closed(role: RoleOpening, today: dt.date) -> None:
    if role.closes_on is not None and role.closes_on < today:
        raise OfferError(f"The role closed on {day_words(role.closes_on)}. Change its closing "
                         "date first")


# --- Sending ---------------------------------------------------------------------------

def send_offers(session: Session, settings: Settings, actor: User, role: RoleOpening,
                contributor_ids: Iterable[int], *, batch_id: int | None = None,
                today: dt.date | None = None) -> list[Offer]:
    """Offer an open role to each person who has no offer for it yet, by
    their first usable channel. Returns the new offers (people already
    offered it are left as they are, never offered twice).

    Raises OfferError (and sends nothing) when the role is not open or
    anyone does not meet its hard rules."""
    today = today or london_today()
    if role.status != RoleStatus.OPEN.value:
        raise OfferError("Offers can only be sent for an open role")
    _check_not_closed(role, today)
    taken = _existing(session, role)
    people = [c for c in _people(session, contributor_ids) if c.id not in taken]
    _check_rules(session, role, people, today)
    made = []
    for c in people:
        offer = Offer(role_id=role.id, contributor_id=c.id, status=S.OFFERED.value,
                      offered_at=utcnow(), offered_by_id=actor.id, expires_on=role.closes_on,
                      batch_id=batch_id)
        session.add(offer)
        _tell(session, settings, offer, c, role)
        audit_step(session, Action.OFFER_SENT, actor, offer,
               f"offered role {role.id} by {offer.channel}, {offer.information_format}"
               + (f" from batch {batch_id}" if batch_id else ""))
        made.append(offer)
    return made


def add_to_waiting_list(session: Session, actor: User, role: RoleOpening,
                        contributor_ids: Iterable[int], *,
                        today: dt.date | None = None) -> list[Offer]:
    """Put people on the role's waiting list, after those already on it.
    People with an offer for the role already are left as they are."""
    today = today or london_today()
    if role.status not in RUNNING:
        raise OfferError("People can only wait for an open or filled role")
    taken = _existing(session, role)
    people = [c for c in _people(session, contributor_ids) if c.id not in taken]
    _check_rules(session, role, people, today)
    last = session.scalar(select(func.max(Offer.waiting_position))
                          .where(Offer.role_id == role.id)) or 0
    made = []
    for n, c in enumerate(people, start=last + 1):
        offer = Offer(role_id=role.id, contributor_id=c.id, status=S.WAITING.value,
                      waiting_position=n, offered_by_id=actor.id, expires_on=role.closes_on)
        session.add(offer)
        audit_step(session, Action.CREATE, actor, offer,
               f"added to the waiting list of role {role.id} at position {n}")
        made.append(offer)
    return made


def offer_next(session: Session, settings: Settings, actor: User, role: RoleOpening, *,
               today: dt.date | None = None) -> Offer | None:
    """Offer the role to the first person on its waiting list who still
    meets its rules (others stay where they are). None when nobody can be
    offered it. Raises OfferError when the role has no free place."""
    today = today or london_today()
    if role.status != RoleStatus.OPEN.value:
        raise OfferError("There is no free place to offer. The role is not open")
    _check_not_closed(role, today)
    waiting = session.scalars(
        select(Offer).where(Offer.role_id == role.id, Offer.status == S.WAITING.value)
        .order_by(Offer.waiting_position, Offer.id)
        .options(selectinload(Offer.contributor).selectinload(Contributor.communication),
                 selectinload(Offer.contributor).selectinload(Contributor.consents)))
    for offer in waiting:
        if why_not(session, role, offer.contributor_id, today=today):
            continue
        before = was(offer)
        move(offer, S.OFFERED)
        offer.waiting_position = None
        offer.offered_at, offer.offered_by_id = utcnow(), actor.id
        offer.expires_on = role.closes_on
        _tell(session, settings, offer, offer.contributor, role)
        audit_step(session, Action.OFFER_SENT, actor, offer,
               f"offered role {role.id} to the next on the waiting list by {offer.channel}",
               before)
        return offer
    return None


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
        _confirm(session, settings, offer)
    return offer


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


def ask(session: Session, actor: User, offer: Offer, text: str) -> Offer:
    """A question about an open offer for the coordinator; the offer stays
    open. Earlier questions are kept above the new one."""
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
    audit_step(session, Action.OFFER_ANSWERED, actor, offer,
           "asked a question about the offer" + _for_them(actor, offer))
    return offer


def withdraw(session: Session, actor: User, offer: Offer, *,
             settings: Settings | None = None) -> Offer:
    """The coordinator takes back an offer not yet accepted (or a place on
    the waiting list). An accepted place is given up with ``drop_out``.
    With ``settings``, someone who was sent the offer is told it is
    withdrawn, the same way it reached them."""
    if offer.status not in OPEN_STATUSES:
        raise OfferError("Only an offer waiting for a reply, or a place on the waiting list, "
                         "can be withdrawn")
    before = was(offer)
    was_sent = offer.status == S.OFFERED.value
    move(offer, S.WITHDRAWN)
    offer.waiting_position = None
    told = ""
    if settings is not None and was_sent:
        c = offer.contributor
        message = messages.queue(session, settings, c, "offer_withdrawn",
                                 withdrawn_message(settings, c, offer.role), needs_consent=False,
                                 dedupe_key=f"withdrawn:offer:{offer.id}")
        told = f", told by {message.channel}" if message else ", to tell them another way"
    audit_step(session, Action.OFFER_WITHDRAWN, actor, offer,
           f"withdrew offer of role {offer.role_id}{told}", before)
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


def expire_due(session: Session, *, today: dt.date | None = None) -> int:
    """Mark offers and waiting places past their closing date as expired
    (for a daily job). Returns how many."""
    today = today or london_today()
    due = session.scalars(select(Offer).where(Offer.status.in_([s.value for s in OPEN_STATUSES]),
                                              Offer.expires_on < today)).all()
    for offer in due:
        move(offer, S.EXPIRED)
        offer.waiting_position = None
        session.flush()
        record(session, Action.UPDATE, entity_type=EntityType.OFFER, entity_id=offer.id,
               summary="offer expired at the closing date")
    return len(due)


# --- Interest -----------------------------------------------------------------------------

def show_interest(session: Session, actor: User, role: RoleOpening,
                  contributor: Contributor, *, today: dt.date | None = None) -> RoleInterest:
    """The person pressed "I'm interested" on an open role. Pressing it
    again changes nothing. Raises OfferError when the role has closed."""
    today = today or london_today()
    if role.status != RoleStatus.OPEN.value or (role.closes_on and role.closes_on < today):
        raise OfferError("This role is not open", "Sorry, this role has closed")
    found = session.scalars(select(RoleInterest).where(
        RoleInterest.role_id == role.id, RoleInterest.contributor_id == contributor.id)).first()
    if found is not None:
        return found
    interest = RoleInterest(role_id=role.id, contributor_id=contributor.id)
    session.add(interest)
    session.flush()
    record(session, Action.INTEREST_SHOWN, entity_type=EntityType.ROLE, entity_id=role.id,
           actor=actor, summary=f"interest in role {role.id} from contributor {contributor.id}")
    return interest

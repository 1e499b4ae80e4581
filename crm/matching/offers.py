"""Offers of a role to people: sending them, the waiting list, offering a
free place to the next person on it, withdrawing an offer, expiry at the
closing date, and interest. The replies people give, and the places a yes
takes, are crm.matching.offer_replies.

Every function flushes and audits but never commits (the request commits
once); the message of an offer (or of a withdrawn offer) is queued by
``crm.messaging.services.queue``, by the person's first usable channel in
their format, and sent only after the commit.

An offer is sent (or a place on the waiting list given) only to people who
meet the role's hard rules (``why_not``), and nothing is sent when anyone
chosen does not. An offer moves only along ``TRANSITIONS``
(crm.matching.offer_rules); anything else raises ``OfferError`` with words
for the coordinator and for the person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.contributors.models import Contributor
from crm.db import utcnow
from crm.matching import ranking
from crm.matching.criteria_facts import Reason
from crm.matching.models import OPEN_STATUSES, Offer, OfferStatus, RoleInterest
from crm.matching.offer_rules import (
    BY_HAND,
    QUESTION_MAX,
    RUNNING,
    TRANSITIONS,
    OfferError,
    audit_step,
    is_expired,
    london_today,
    move,
    was,
)
from crm.matching.offer_words import day_words, offer_message, withdrawn_message
from crm.messaging import channels
from crm.messaging import services as messages
from crm.projects.models import RoleOpening, RoleStatus
from crm.settings import Settings

S = OfferStatus

# The offer rules' names callers use are importable from here too.
__all__ = ["BY_HAND", "QUESTION_MAX", "RUNNING", "TRANSITIONS", "OfferError", "add_to_waiting_list",
           "expire_due", "is_expired", "london_today", "offer_next", "send_offers",
           "show_interest", "why_not", "withdraw"]


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
          role: RoleOpening, today: dt.date) -> None:
    """Queue the offer by their first usable channel; ``offer.channel``
    says which ("by_hand": none, the coordinator tells them another way)."""
    message = messages.queue(session, settings, c, "offer", offer_message(settings, c, role, today),
                             at_best_time=True)
    offer.channel = message.channel if message is not None else BY_HAND
    offer.information_format = channels.information_format(c)


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
        _tell(session, settings, offer, c, role, today)
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
        _tell(session, settings, offer, offer.contributor, role, today)
        audit_step(session, Action.OFFER_SENT, actor, offer,
               f"offered role {role.id} to the next on the waiting list by {offer.channel}",
               before)
        return offer
    return None


# --- Withdrawing and expiry --------------------------------------------------------------

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

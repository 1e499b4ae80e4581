"""The rules every offer step shares: where an offer may go next
(``TRANSITIONS``), the refusal every step raises (``OfferError``), and the
audit record of a step (how an offer reaches the person is
crm.messaging.channels).
The steps themselves are in crm.matching.offers (sending, the waiting list,
withdrawing, expiry) and crm.matching.offer_replies (replies)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.matching.models import OPEN_STATUSES, Offer, OfferStatus
from crm.matching.offer_words import LONDON
from crm.projects.models import RoleStatus

BY_HAND = "by_hand"  # no channel we can use: the coordinator tells them another way

REPLIES = {"yes": OfferStatus.ACCEPTED, "no": OfferStatus.DECLINED,
           "not_this_time": OfferStatus.NOT_THIS_TIME}

S = OfferStatus
# Where an offer may go next. WAITING -> OFFERED is "offer the next person";
# OFFERED -> WAITING is a yes that came after the last place was taken.
TRANSITIONS: dict[OfferStatus, frozenset[OfferStatus]] = {
    S.WAITING: frozenset({S.OFFERED, S.DECLINED, S.NOT_THIS_TIME, S.WITHDRAWN, S.EXPIRED}),
    S.OFFERED: frozenset({S.ACCEPTED, S.WAITING, S.DECLINED, S.NOT_THIS_TIME, S.WITHDRAWN,
                          S.EXPIRED}),
    S.ACCEPTED: frozenset({S.DROPPED_OUT}),
    S.DECLINED: frozenset(),
    S.NOT_THIS_TIME: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.EXPIRED: frozenset(),
    S.DROPPED_OUT: frozenset(),
}

# Roles that are still going on, for "how many roles at once".
RUNNING = (RoleStatus.OPEN.value, RoleStatus.FILLED.value)
QUESTION_MAX = 2000


class OfferError(Exception):
    """A refused step. ``message`` speaks to the coordinator ("they");
    ``own_message`` to the person themselves ("you")."""

    def __init__(self, message: str, own_message: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.own_message = own_message or message


def london_today() -> dt.date:
    return dt.datetime.now(LONDON).date()


def move(offer: Offer, to: OfferStatus) -> None:
    now = OfferStatus(offer.status)
    if to not in TRANSITIONS[now]:
        raise OfferError(f"This offer is {now.value.replace('_', ' ')}, so it cannot change now",
                         "This offer cannot be changed now")
    offer.status = to.value


def audit_step(session: Session, action: Action, actor: User, offer: Offer, summary: str,
           before: tuple[str | None, int | None] = (None, None)) -> None:
    """Record the step: ``before`` is (status, place) as it was, so the
    audit log shows the change."""
    session.flush()
    after = (offer.status, offer.place_no)
    changes = {name: {"old": old, "new": new}
               for name, old, new in zip(("status", "place"), before, after, strict=True)
               if old != new}
    record(session, action, entity_type=EntityType.OFFER, entity_id=offer.id, actor=actor,
           summary=summary[:200], changes=changes or None)


def was(offer: Offer) -> tuple[str | None, int | None]:
    return offer.status, offer.place_no


def is_expired(offer: Offer, today: dt.date) -> bool:
    """An open offer past its closing date reads as expired before the job marks it."""
    return (offer.status == S.EXPIRED.value
            or (offer.status in OPEN_STATUSES and offer.expires_on is not None
                and today > offer.expires_on))

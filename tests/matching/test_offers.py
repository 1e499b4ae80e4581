"""Offers, replies, the waiting list and interest (crm.matching.offers and offer_replies):
each transition and each refusal, how an offer reaches the person, places
filling in the order people say yes, and the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.audit.actions import Action, EntityType
from crm.audit.models import AuditEvent
from crm.db import utcnow
from crm.mail.models import OutboxMessage
from crm.matching import offer_replies, offers
from crm.matching.models import Offer, OfferStatus, RoleInterest
from crm.matching.offer_words import session_when
from crm.matching.offers import OfferError
from crm.permissions import Role
from crm.projects.models import RoleOpening, RoleStatus
from tests.factories import communication, consent, make_contributor, make_user
from tests.project_factories import make_offer, make_project, make_role, role_session

S = OfferStatus
TODAY = dt.date(2026, 12, 3)
LATER = dt.datetime(2027, 3, 9, 10, 0, tzinfo=dt.UTC)  # Tuesday 9 March 2027, 10am London


class Rules:
    """Stands in for the ranking's hard rules: nobody is refused unless named."""

    def __init__(self) -> None:
        self.refused: dict[int, list[str]] = {}

    def __call__(self, session: Session, role: RoleOpening, contributor_id: int, *,
                 today: dt.date) -> list[Any]:
        return self.refused.get(contributor_id, [])


@pytest.fixture
def rules(monkeypatch: pytest.MonkeyPatch) -> Rules:
    fake = Rules()
    monkeypatch.setattr(offers, "why_not", fake)
    return fake


@pytest.fixture
def staff(db: Session):  # type: ignore[no-untyped-def]
    return make_user(db, Role.COORDINATOR)


def person(db: Session, **fields: Any):  # type: ignore[no-untyped-def]
    fields.setdefault("consents", [consent("contact")])
    fields.setdefault("communication", communication())
    return make_contributor(db, **fields)


def open_role(db: Session, places: int = 1, **fields: Any) -> RoleOpening:
    fields.setdefault("sessions", [role_session(LATER, 120)])
    fields.setdefault("closes_on", dt.date(2027, 2, 1))
    return make_role(db, make_project(db, description="About the ward.",
                                      easy_read_summary="We make the ward better."),
                     places=places, description="Sit on the panel that chooses a new nurse.",
                     easy_read_description="Help choose a new nurse.", **fields)


def events(db: Session, action: Action) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)
                           .order_by(AuditEvent.id)))


def outbox(db: Session) -> list[OutboxMessage]:
    return list(db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


# --- Sending ------------------------------------------------------------------

def test_send_offers_by_email_sets_the_offer_and_audits_without_names(
        db, settings, staff, rules) -> None:
    role = open_role(db)
    c = person(db, full_name="Priya Sample")
    [offer] = offers.send_offers(db, settings, staff, role, [c.id], today=TODAY)
    db.commit()
    assert (offer.status, offer.channel, offer.information_format) == ("offered", "email",
                                                                       "standard")
    assert offer.offered_by_id == staff.id and offer.offered_at is not None
    assert offer.expires_on == role.closes_on
    [mail] = outbox(db)
    assert mail.to_address == c.email
    assert "Sign in" in mail.body or "sign in" in mail.body
    assert "http" not in mail.body  # never a link
    assert "Tuesday 9 March 2027, 10am to 12pm" in mail.body
    assert "Sit on the panel" in mail.body
    [event] = events(db, Action.OFFER_SENT)
    assert (event.entity_type, event.entity_id) == (EntityType.OFFER, offer.id)
    assert "Priya" not in (event.summary or "")


def test_easy_read_email_when_they_chose_easy_read(db, settings, staff, rules) -> None:
    role = open_role(db)
    c = person(db, communication=communication(information_format="easy_read"))
    [offer] = offers.send_offers(db, settings, staff, role, [c.id], today=TODAY)
    assert offer.information_format == "easy_read"
    body = outbox(db)[0].body
    assert "Help choose a new nurse." in body and "Sit on the panel" not in body
    assert "Go to My roles" in body and "http" not in body


@pytest.mark.parametrize(("fields", "channel"), [
    ({}, "email"),
    ({"communication": communication(channel_order=["phone", "email"])}, "email"),
    ({"communication": communication(channel_order=["email"], do_not_use=["email"])},
     "by_hand"),
    ({"communication": communication(channel_order=["phone", "letter"])}, "by_hand"),
    ({"communication": communication(channel_order=[])}, "email"),
    ({"email": None}, "by_hand"),
    ({"consents": [consent("contact", given=False)]}, "by_hand"),
])
def test_channel_is_the_first_usable_today(db, settings, staff, rules, fields, channel) -> None:
    role = open_role(db)
    c = person(db, **fields)
    [offer] = offers.send_offers(db, settings, staff, role, [c.id], today=TODAY)
    assert offer.channel == channel
    assert len(outbox(db)) == (1 if channel == "email" else 0)


def test_prefers_easy_read_on_the_record_counts_as_easy_read(db, settings, staff, rules) -> None:
    c = person(db, prefers_easy_read=True, communication=communication(channel_order=["letter"]))
    [offer] = offers.send_offers(db, settings, staff, open_role(db), [c.id], today=TODAY)
    assert (offer.channel, offer.information_format) == ("by_hand", "easy_read")


def test_not_duplicated_for_someone_already_offered(db, settings, staff, rules) -> None:
    role = open_role(db)
    a, b = person(db), person(db)
    offers.send_offers(db, settings, staff, role, [a.id], today=TODAY)
    made = offers.send_offers(db, settings, staff, role, [a.id, b.id], today=TODAY)
    assert [o.contributor_id for o in made] == [b.id]
    assert len(db.scalars(select(Offer).where(Offer.role_id == role.id)).all()) == 2


@pytest.mark.parametrize("status", [RoleStatus.DRAFT, RoleStatus.FILLED, RoleStatus.CLOSED,
                                    RoleStatus.CANCELLED])
def test_only_open_roles_are_offered(db, settings, staff, rules, status) -> None:
    role = open_role(db, status=status.value)
    with pytest.raises(OfferError, match="open role"):
        offers.send_offers(db, settings, staff, role, [person(db).id], today=TODAY)


def test_no_offers_after_the_closing_date(db, settings, staff, rules) -> None:
    role = open_role(db, closes_on=TODAY - dt.timedelta(days=1))
    with pytest.raises(OfferError, match="closed on"):
        offers.send_offers(db, settings, staff, role, [person(db).id], today=TODAY)
    offers.add_to_waiting_list(db, staff, role, [person(db).id], today=TODAY)
    with pytest.raises(OfferError, match="closed on"):
        offers.offer_next(db, settings, staff, role, today=TODAY)


def test_someone_who_breaks_a_hard_rule_is_refused_with_the_reason_and_nothing_sent(
        db, settings, staff, rules) -> None:
    role = open_role(db)
    ok, no = person(db), person(db, full_name="Rule Breaker")
    rules.refused[no.id] = ["Paused until 1 January"]
    with pytest.raises(OfferError, match="Rule Breaker: Paused until 1 January"):
        offers.send_offers(db, settings, staff, role, [ok.id, no.id], today=TODAY)
    db.rollback()
    assert db.scalars(select(Offer)).all() == [] and outbox(db) == []


# --- Replies ---------------------------------------------------------------------

# (starting status, reply, resulting status) for an offer with a free place.
REPLY_CASES = [
    (S.OFFERED, "yes", S.ACCEPTED),
    (S.OFFERED, "no", S.DECLINED),
    (S.OFFERED, "not_this_time", S.NOT_THIS_TIME),
    (S.WAITING, "no", S.DECLINED),
    (S.WAITING, "not_this_time", S.NOT_THIS_TIME),
]


@pytest.mark.parametrize(("start", "reply", "end"), REPLY_CASES)
def test_replies_move_the_offer(db, staff, start, reply, end) -> None:
    role = open_role(db, places=2)
    c = person(db)
    offer = make_offer(db, role, c, start, expires_on=role.closes_on,
                       waiting_position=1 if start == S.WAITING else None)
    offer_replies.answer(db, staff, offer, reply, today=TODAY)
    db.commit()
    assert offer.status == end.value
    assert (offer.place_no == 1) == (end == S.ACCEPTED)
    assert offer.waiting_position is None and offer.answered_at is not None
    [event] = events(db, Action.OFFER_ANSWERED)
    assert event.entity_id == offer.id and event.changes["status"]["new"] == end.value
    assert "recorded for them by staff" in event.summary  # the coordinator recorded it


REFUSED = [
    (S.ACCEPTED, "no"), (S.DECLINED, "yes"), (S.NOT_THIS_TIME, "yes"), (S.WITHDRAWN, "yes"),
    (S.EXPIRED, "yes"), (S.DROPPED_OUT, "yes"), (S.WAITING, "yes"), (S.OFFERED, "maybe"),
]


@pytest.mark.parametrize(("start", "reply"), REFUSED)
def test_replies_that_are_refused(db, staff, start, reply) -> None:
    role = open_role(db)
    offer = make_offer(db, role, person(db), start)
    with pytest.raises(OfferError):
        offer_replies.answer(db, staff, offer, reply, today=TODAY)
    assert offer.status == start.value


def test_every_transition_in_the_table_is_the_only_way(db, staff) -> None:
    """The table is complete: every status has an entry, and final ones go nowhere."""
    assert set(offers.TRANSITIONS) == set(OfferStatus)
    for final in (S.DECLINED, S.NOT_THIS_TIME, S.WITHDRAWN, S.EXPIRED, S.DROPPED_OUT):
        assert offers.TRANSITIONS[final] == frozenset()


def test_the_person_answering_for_themselves_is_not_marked_as_staff(db) -> None:
    user = make_user(db, Role.CONTRIBUTOR)
    c = person(db, user=user)
    offer = make_offer(db, open_role(db), c)
    offer_replies.answer(db, user, offer, "yes", today=TODAY)
    db.commit()
    [event] = events(db, Action.OFFER_ANSWERED)
    assert event.actor_id == user.id and "staff" not in event.summary


def test_an_expired_offer_cannot_be_accepted(db, staff) -> None:
    role = open_role(db, closes_on=TODAY - dt.timedelta(days=1))
    offer = make_offer(db, role, person(db), expires_on=role.closes_on)
    assert offers.is_expired(offer, TODAY)
    with pytest.raises(OfferError, match="closed on"):
        offer_replies.answer(db, staff, offer, "yes", today=TODAY)
    assert offer.status == "offered" and offer.place_no is None
    assert offers.expire_due(db, today=TODAY) == 1
    assert offer.status == "expired"


def test_an_offer_on_the_closing_day_can_still_be_accepted(db, staff) -> None:
    role = open_role(db, closes_on=TODAY)
    offer = make_offer(db, role, person(db), expires_on=TODAY)
    offer_replies.answer(db, staff, offer, "yes", today=TODAY)
    assert offer.status == "accepted"


def test_places_fill_in_the_order_people_say_yes_then_the_waiting_list(db, staff) -> None:
    role = open_role(db, places=2)
    a, b, c = (make_offer(db, role, person(db)) for _ in range(3))
    for offer in (b, a, c):
        offer_replies.answer(db, staff, offer, "yes", today=TODAY)
    db.commit()
    assert (b.place_no, a.place_no) == (1, 2)
    assert (c.status, c.place_no, c.waiting_position) == ("waiting", None, 1)
    db.refresh(role)
    assert role.status == "filled"


def test_overlapping_booking_is_refused_at_yes(db, staff) -> None:
    c = person(db)
    first = open_role(db, sessions=[role_session(LATER, 120)])
    clash = open_role(db, sessions=[role_session(LATER + dt.timedelta(hours=1), 60)])
    make_offer(db, first, c, S.ACCEPTED)
    offer = make_offer(db, clash, c)
    with pytest.raises(OfferError, match="same time"):
        offer_replies.answer(db, staff, offer, "yes", today=TODAY)


def test_back_to_back_sessions_do_not_overlap(db, staff) -> None:
    c = person(db)
    first = open_role(db, sessions=[role_session(LATER, 120)])
    after = open_role(db, sessions=[role_session(LATER + dt.timedelta(hours=2), 60)])
    make_offer(db, first, c, S.ACCEPTED)
    offer = make_offer(db, after, c)
    offer_replies.answer(db, staff, offer, "yes", today=TODAY)
    assert offer.status == "accepted"


def test_their_own_limit_of_roles_at_once_is_kept(db, staff) -> None:
    c = person(db, max_roles_at_once=1)
    held = open_role(db, sessions=[role_session(LATER - dt.timedelta(days=10))])
    make_offer(db, held, c, S.ACCEPTED)
    offer = make_offer(db, open_role(db), c)
    with pytest.raises(OfferError, match="at most 1"):
        offer_replies.answer(db, staff, offer, "yes", today=TODAY)
    held.status = RoleStatus.CLOSED.value  # a finished role no longer counts
    db.commit()
    offer_replies.answer(db, staff, offer, "yes", today=TODAY)
    assert offer.status == "accepted"


def test_a_place_taken_at_the_same_moment_puts_them_on_the_waiting_list(
        db, staff, monkeypatch) -> None:
    """The unique place is the last guard: if the free place found is taken
    by the time it is written, the yes becomes a place on the waiting list."""
    role = open_role(db, places=2)
    first = make_offer(db, role, person(db), S.ACCEPTED)  # holds place 1
    late = make_offer(db, role, person(db))
    monkeypatch.setattr(offer_replies, "free_place", lambda session, role: first.place_no)
    offer_replies.answer(db, staff, late, "yes", today=TODAY)
    db.commit()
    assert (late.status, late.place_no, late.waiting_position) == ("waiting", None, 1)


def test_questions_keep_the_offer_open_and_add_up(db, staff) -> None:
    offer = make_offer(db, open_role(db), person(db))
    offer_replies.ask(db, staff, offer, "  Is there parking?  ")
    offer_replies.ask(db, staff, offer, "Can I bring my supporter?")
    assert offer.status == "offered"
    assert offer.question == "Is there parking?\n\nCan I bring my supporter?"
    assert offer.question_at is not None
    db.commit()
    assert all("parking" not in (e.summary or "") for e in events(db, Action.OFFER_ANSWERED))


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_an_empty_or_too_long_question_is_refused(db, staff, text) -> None:
    offer = make_offer(db, open_role(db), person(db))
    with pytest.raises(OfferError):
        offer_replies.ask(db, staff, offer, text)


# --- Coordinator steps ------------------------------------------------------------

@pytest.mark.parametrize(("start", "allowed"), [
    (S.OFFERED, True), (S.WAITING, True), (S.ACCEPTED, False), (S.DECLINED, False)])
def test_withdraw(db, staff, start, allowed) -> None:
    offer = make_offer(db, open_role(db), person(db), start)
    if allowed:
        offers.withdraw(db, staff, offer)
        db.commit()
        assert offer.status == "withdrawn"
        assert len(events(db, Action.OFFER_WITHDRAWN)) == 1
    else:
        with pytest.raises(OfferError):
            offers.withdraw(db, staff, offer)


def test_waiting_list_order_and_offer_next_after_drop_out(db, settings, staff, rules) -> None:
    role = open_role(db)
    holder = person(db)
    accepted = make_offer(db, role, holder, S.ACCEPTED)
    role.status = RoleStatus.FILLED.value
    db.commit()
    first, second = person(db), person(db)
    waiting = offers.add_to_waiting_list(db, staff, role, [second.id], today=TODAY)
    waiting += offers.add_to_waiting_list(db, staff, role, [first.id], today=TODAY)
    assert [(o.contributor_id, o.waiting_position) for o in waiting] == [(second.id, 1),
                                                                         (first.id, 2)]
    with pytest.raises(OfferError, match="no free place"):
        offers.offer_next(db, settings, staff, role, today=TODAY)

    offer_replies.drop_out(db, staff, accepted)
    assert (accepted.status, accepted.place_no, role.status) == ("dropped_out", None, "open")
    nxt = offers.offer_next(db, settings, staff, role, today=TODAY)
    assert nxt is waiting[0] and nxt.status == "offered" and nxt.waiting_position is None
    assert nxt.offered_at is not None and len(outbox(db)) == 1
    offer_replies.answer(db, staff, nxt, "yes", today=TODAY)
    db.commit()
    assert (nxt.place_no, role.status) == (1, "filled")


def test_offer_next_skips_someone_who_no_longer_meets_the_rules(db, settings, staff,
                                                                rules) -> None:
    role = open_role(db)
    a, b = person(db), person(db)
    wa, wb = offers.add_to_waiting_list(db, staff, role, [a.id, b.id], today=TODAY)
    rules.refused[wa.contributor_id] = ["Paused"]
    assert offers.offer_next(db, settings, staff, role, today=TODAY) is wb
    assert wa.status == "waiting"
    rules.refused[wb.contributor_id] = ["Paused"]
    assert offers.offer_next(db, settings, staff, role, today=TODAY) is None


@pytest.mark.parametrize("start", [S.OFFERED, S.WAITING, S.DECLINED])
def test_only_someone_who_said_yes_can_drop_out(db, staff, start) -> None:
    offer = make_offer(db, open_role(db), person(db), start)
    with pytest.raises(OfferError):
        offer_replies.drop_out(db, staff, offer)


# --- Interest ----------------------------------------------------------------------

def test_interest_is_recorded_once(db, staff) -> None:
    role = open_role(db)
    c = person(db)
    first = offers.show_interest(db, staff, role, c, today=TODAY)
    again = offers.show_interest(db, staff, role, c, today=TODAY)
    db.commit()
    assert first.id == again.id
    assert len(db.scalars(select(RoleInterest)).all()) == 1
    [event] = events(db, Action.INTEREST_SHOWN)
    assert (event.entity_type, event.entity_id) == (EntityType.ROLE, role.id)


@pytest.mark.parametrize("fields", [{"status": "filled"}, {"closes_on": TODAY - dt.timedelta(1)}])
def test_interest_in_a_closed_role_is_refused(db, staff, fields) -> None:
    with pytest.raises(OfferError):
        offers.show_interest(db, staff, open_role(db, **fields), person(db), today=TODAY)


# --- Words -------------------------------------------------------------------------

@pytest.mark.parametrize(("starts_at", "minutes", "words"), [
    (dt.datetime(2027, 3, 9, 10, 0, tzinfo=dt.UTC), 120, "Tuesday 9 March 2027, 10am to 12pm"),
    # British Summer Time: 9:30 UTC is 10:30am in London.
    (dt.datetime(2027, 6, 1, 9, 30, tzinfo=dt.UTC), 90, "Tuesday 1 June 2027, 10:30am to 12pm"),
    (dt.datetime(2027, 6, 1, 12, 0, tzinfo=dt.UTC), 60, "Tuesday 1 June 2027, 1pm to 2pm"),
])
def test_session_times_in_plain_london_words(starts_at, minutes, words) -> None:
    assert session_when(role_session(starts_at, minutes)) == words


def test_utcnow_is_used_for_offer_times(db, settings, staff, rules) -> None:
    [offer] = offers.send_offers(db, settings, staff, open_role(db), [person(db).id],
                                 today=TODAY)
    assert abs((utcnow() - offer.offered_at).total_seconds()) < 60


def test_an_offer_names_only_the_sessions_still_to_come(db, settings, staff, rules) -> None:
    """A role already under way: the email, and the person's "first session",
    never name a session that has happened as if it were coming."""
    def day(offset: int) -> dt.datetime:
        d = TODAY + dt.timedelta(days=offset)
        return dt.datetime(d.year, d.month, d.day, 10, tzinfo=dt.UTC)

    past, coming = day(-7), day(14)
    role = open_role(db, sessions=[role_session(past, 120), role_session(coming, 120)])
    c = person(db)
    offers.send_offers(db, settings, staff, role, [c.id], today=TODAY)
    db.commit()
    [mail] = outbox(db)
    assert session_when(role.sessions[1]) in mail.body
    assert session_when(role.sessions[0]) not in mail.body

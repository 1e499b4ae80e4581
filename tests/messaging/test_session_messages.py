"""A change to a session's time, place or papers (or its cancelling) is told
straight away to everyone confirmed for it, each in their own way; nobody
else; never twice for the same change. And the confirmation of a yes, and a
withdrawn offer, go through the same service."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from crm.matching import offer_replies, offers
from crm.matching.models import OfferStatus
from crm.matching.session_messages import tell_confirmed
from crm.permissions import Role
from crm.projects import roles
from crm.projects.models import RoleSession
from tests.factories import make_user
from tests.fake_notify import FakeNotify, app_pointed_at
from tests.messaging.helpers import messages, someone, with_notify
from tests.project_factories import make_offer, make_role, make_ward, role_session

S = OfferStatus
FIRST = dt.datetime(2027, 3, 9, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def four(db: Session):  # type: ignore[no-untyped-def]
    """A role with one session and four people confirmed, each reached a
    different way, and two who are not confirmed."""
    ward = make_ward(db, "Aire Ward", site="Oak House")
    role = make_role(db, title="Ward menu panel", places=4, sessions=[role_session(FIRST, 120,
                                                                         ward_id=ward.id)])
    people = {
        "text": someone(db, full_name="Tia Text", order=["text", "email"]),
        "email": someone(db, full_name="Ed Email", order=["email"],
                         comm={"information_format": "easy_read"}),
        "letter": someone(db, full_name="Lee Letter", order=["letter"],
                          comm={"information_format": "large_print"}),
        "supporter": someone(db, full_name="Sue Supported", order=["email"],
                             comm={"via_supporter": True, "supporter_name": "Pat Helper",
                                   "supporter_contact": "pat.helper@example.org"}),
    }
    for c in people.values():
        make_offer(db, role, c, S.ACCEPTED)
    make_offer(db, role, someone(db, full_name="Dee Declined"), S.DECLINED)
    make_offer(db, role, someone(db, full_name="Wyn Waiting"), S.WAITING, waiting_position=1)
    return role, people


def _move(db: Session, row: RoleSession, hours: int) -> None:
    staff = make_user(db, Role.COORDINATOR)
    local = (row.starts_at + dt.timedelta(hours=hours)).astimezone(roles.LONDON)
    roles.update_session(db, staff, row, row.sequence, roles.SessionInput(
        day=local.date(), start=local.time(), minutes=row.minutes, place="ward",
        ward_id=row.ward_id))
    db.commit()


def test_a_new_time_is_told_to_each_confirmed_person_their_own_way(
        app: Flask, db: Session, four, fake_notify: FakeNotify) -> None:
    role, people = four
    row = role.sessions[0]
    with app_pointed_at(app, fake_notify), app.app_context():
        _move(db, row, 2)
    sent = {m.contributor_id: m for m in messages(db)}
    assert set(sent) == {c.id for c in people.values()}  # not the declined or waiting
    by = {k: sent[c.id] for k, c in people.items()}
    assert (by["text"].channel, by["text"].status) == ("text", "sent")
    assert (by["email"].channel, by["email"].status, by["email"].information_format) == (
        "email", "sent", "easy_read")
    assert (by["letter"].channel, by["letter"].status, by["letter"].information_format) == (
        "letter", "to_print", "large_print")
    assert "1 High Street" in (by["letter"].postal_address or "")
    supporter = by["supporter"]
    assert (supporter.channel, supporter.to_address, supporter.via_supporter) == (
        "email", "pat.helper@example.org", "Pat Helper")
    assert "This message is for Sue" in supporter.body
    assert {m.kind for m in sent.values()} == {"session_changed"}
    # What Notify was sent: the text and the two emails, each once.
    texts, emails = fake_notify.by_type("sms"), fake_notify.by_type("email")
    assert [n.to for n in texts] == ["07700 900123"]
    assert "Tuesday 9 March 2027, 12pm to 2pm" in texts[0].personalisation["body"]
    assert sorted(n.to for n in emails) == sorted([people["email"].email,
                                                   "pat.helper@example.org"])
    easy = next(n for n in emails if n.to == people["email"].email)
    assert easy.personalisation["subject"].startswith("A change to your meeting")


def test_the_same_change_is_never_told_twice(app: Flask, db: Session, four, settings) -> None:
    role, people = four
    row = role.sessions[0]
    with app.app_context():
        _move(db, row, 1)
    first = len(messages(db))
    assert first == 4
    assert tell_confirmed(db, settings, row, ["starts_at"]) == 4  # same sequence: the same ones
    db.commit()
    assert len(messages(db)) == first
    with app.app_context():
        _move(db, row, 1)  # a second change is news
    assert len(messages(db)) == 2 * first


def test_a_cancelled_session_is_told_with_its_calendar(app: Flask, db: Session, four,
                                                       fake_notify, smtp) -> None:
    role, people = four
    row = role.sessions[0]
    staff = make_user(db, Role.COORDINATOR)
    with app_pointed_at(app, fake_notify), app.app_context():
        roles.cancel_session(db, staff, row, row.sequence)
        db.commit()
    found = messages(db)
    assert len(found) == 4
    assert all("Cancelled: Ward menu panel" in m.subject for m in found)
    sms = fake_notify.by_type("sms")[0]
    assert "cancelled" in sms.personalisation["body"]


def test_confirmation_and_withdrawal_go_through_the_service(app: Flask, db: Session,
                                                            settings, smtp) -> None:
    from tests.messaging.helpers import with_smtp

    port, received = smtp
    s = with_smtp(settings, port)
    staff = make_user(db, Role.COORDINATOR)
    role = make_role(db, title="Interview panel", places=3, sessions=[role_session(FIRST, 90)])
    yes = make_offer(db, role, someone(db, email="yes@example.org"))
    offer_replies.answer(db, staff, yes, "yes", today=dt.date(2027, 1, 1), settings=s)
    db.commit()
    [raw] = received.messages
    confirmation = email.message_from_string(raw, policy=email.policy.default)
    assert confirmation["Subject"] == "Your place is confirmed: Interview panel"
    [ics] = list(confirmation.iter_attachments())  # type: ignore[attr-defined]
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_filename() == f"session-{role.sessions[0].id}-2027-03-09.ics"
    calendar = ics.get_content()
    assert "BEGIN:VEVENT" in calendar and "DTSTART:20270309T100000Z" in calendar

    told = make_offer(db, role, someone(db, order=["letter"]))
    offers.withdraw(db, staff, told, settings=s)
    db.commit()
    withdrawn = [m for m in messages(db) if m.kind == "offer_withdrawn"]
    assert [(m.channel, m.status) for m in withdrawn] == [("letter", "to_print")]
    # A place on the waiting list was never sent, so there is nothing to take back.
    waiting = make_offer(db, role, someone(db), S.WAITING, waiting_position=1)
    offers.withdraw(db, staff, waiting, settings=s)
    db.commit()
    assert len([m for m in messages(db) if m.kind == "offer_withdrawn"]) == 1


def test_offers_follow_the_channel_order(app: Flask, db: Session, settings,
                                         fake_notify) -> None:
    s = with_notify(settings, fake_notify)
    staff = make_user(db, Role.COORDINATOR)
    role = make_role(db, sessions=[role_session(FIRST, 90)], closes_on=dt.date(2027, 2, 1))
    # Any hour suits the first person, so the text goes now whatever the
    # time the suite runs (an offer's text otherwise waits for 9am to 8pm).
    people = [someone(db, order=["text", "email"],
                      comm={"best_times": "between 0:00 and 23:59"}),
              someone(db, order=["letter"]),
              someone(db, order=["phone"]), someone(db, order=["email"], email=None)]
    made = offers.send_offers(db, s, staff, role, [c.id for c in people],
                              today=dt.date(2027, 1, 1))
    db.commit()
    assert [o.channel for o in sorted(made, key=lambda o: o.contributor_id)] == [
        "text", "letter", "phone", "by_hand"]
    assert [n.type for n in fake_notify.sent] == ["sms"]
    assert {m.status for m in messages(db)} == {"sent", "to_print", "by_hand"}

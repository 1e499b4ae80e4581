"""Sending through GOV.UK Notify (the fake, over HTTP) and SMTP (a fake
server): after the commit only, once only, retried with back-off, given up
after the last attempt, delivery status recorded."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from flask import Blueprint, Flask, abort
from sqlalchemy import update
from sqlalchemy.orm import Session

from crm.contributors.models import Contributor
from crm.db import get_session, utcnow
from crm.mail.models import OutboxMessage
from crm.messaging import best_times, sending, services
from crm.messaging.sending import BACKOFF, MAX_ATTEMPTS
from crm.web.decorators import public
from tests.fake_notify import EMAIL_TEMPLATE, SMS_TEMPLATE, FakeNotify
from tests.messaging.helpers import WORDS, messages, someone, with_notify, with_smtp


def queue(db: Session, settings, c):  # type: ignore[no-untyped-def]
    message = services.queue(db, settings, c, "test", WORDS)
    db.commit()  # sending starts once the commit is done
    return message


def later(seconds: float) -> dt.datetime:
    return utcnow() + dt.timedelta(seconds=seconds)


def test_a_text_message_goes_through_notify(db, settings, fake_notify: FakeNotify) -> None:
    c = someone(db, order=["text", "email"])
    queue(db, with_notify(settings, fake_notify), c)
    [n] = fake_notify.sent
    [m] = messages(db)
    assert (n.type, n.to, n.template_id) == ("sms", "07700 900123", SMS_TEMPLATE)
    assert n.personalisation == {"body": "Short standard text."}
    assert n.reference == f"crm-{m.id}"
    assert (m.status, m.channel, m.transport, m.attempts) == ("sent", "text", "notify", 1)
    assert (m.provider_id, m.delivery_status) == (n.id, "created")
    assert m.sent_at is not None


def test_an_email_goes_through_notify_with_subject_and_body(db, settings, fake_notify) -> None:
    c = someone(db, order=["email"], email="ruth@example.org")
    queue(db, with_notify(settings, fake_notify), c)
    [n] = fake_notify.sent
    assert (n.type, n.to, n.template_id) == ("email", "ruth@example.org", EMAIL_TEMPLATE)
    assert n.personalisation == {"subject": "Your meeting on Tuesday",
                                 "body": "Hello,\n\nThe long standard letter.\n"}


@pytest.mark.parametrize("order", [["email"], ["text"]])
def test_easy_read_words_for_people_who_asked(db, settings, fake_notify, order) -> None:
    c = someone(db, order=order, comm={"information_format": "easy_read"})
    queue(db, with_notify(settings, fake_notify), c)
    [n] = fake_notify.sent
    assert "Easy Read" in n.personalisation["body"]
    assert "standard" not in n.personalisation["body"]
    assert messages(db)[0].information_format == "easy_read"


def _app_that_queues(make_app, fake: FakeNotify, person_id: int) -> Flask:  # type: ignore[no-untyped-def]
    app = make_app(**fake.settings_overrides())
    bp = Blueprint("messagetest", __name__)

    def _queue() -> None:
        session = get_session()
        c = session.get_one(Contributor, person_id)
        services.queue(session, app.config["CRM_SETTINGS"], c, "test", WORDS)

    @bp.route("/test/queue-then-fail")
    @public
    def queue_then_fail() -> str:
        _queue()
        abort(400)

    @bp.route("/test/queue-then-crash")
    @public
    def queue_then_crash() -> str:
        _queue()
        raise RuntimeError("boom")

    @bp.route("/test/queue")
    @public
    def queue_ok() -> str:
        _queue()
        return "queued"

    app.register_blueprint(bp)
    return app


def test_nothing_is_sent_when_the_request_rolls_back(db, make_app, fake_notify) -> None:
    c = someone(db, order=["text"])
    browser = _app_that_queues(make_app, fake_notify, c.id).test_client()

    assert browser.get("/test/queue-then-fail").status_code == 400
    assert browser.get("/test/queue-then-crash").status_code == 500
    assert fake_notify.sent == []
    assert messages(db) == []

    assert browser.get("/test/queue").status_code == 200
    assert len(fake_notify.sent) == 1
    assert [m.status for m in messages(db)] == ["sent"]


def test_a_failed_send_is_retried_with_back_off_then_sent_once(db, settings,
                                                                fake_notify) -> None:
    fake_notify.fail_next(500)
    s = with_notify(settings, fake_notify)
    queue(db, s, someone(db, order=["text"]))
    [m] = messages(db)
    assert (m.status, m.attempts) == ("queued", 1)
    assert m.last_error and "Notify" in m.last_error
    wait = m.next_attempt_at - utcnow()  # type: ignore[operator]
    assert BACKOFF[0] - dt.timedelta(seconds=5) < wait <= BACKOFF[0]
    engine = db.get_bind()

    assert sending.send_due(engine, s).sent == 0  # not due yet
    assert fake_notify.sent == []
    assert sending.send_due(engine, s, now=later(61)).sent == 1
    assert sending.send_due(engine, s, now=later(3600)).sent == 0  # never twice
    [m] = messages(db)
    assert (m.status, m.attempts, len(fake_notify.sent)) == ("sent", 2, 1)


def test_back_off_grows_and_the_last_failure_is_shown(db, settings, fake_notify) -> None:
    fake_notify.fail_next(503, MAX_ATTEMPTS)
    s = with_notify(settings, fake_notify)
    queue(db, s, someone(db, order=["text"]))
    engine = db.get_bind()
    waits = []
    when = utcnow()
    for _ in range(MAX_ATTEMPTS - 1):
        [m] = messages(db)
        assert m.status == "queued"
        waits.append(m.next_attempt_at - when)  # type: ignore[operator]
        when = m.next_attempt_at + dt.timedelta(seconds=1)  # type: ignore[operator]
        sending.send_due(engine, s, now=when)
    [m] = messages(db)
    assert (m.status, m.attempts) == ("failed", MAX_ATTEMPTS)
    assert "Could not reach GOV.UK Notify" in (m.last_error or "") or "503" in (m.last_error or "")
    assert [round(w.total_seconds() / 60) for w in waits] == [1, 5, 30, 120]
    assert len(fake_notify.refused) == MAX_ATTEMPTS and fake_notify.sent == []
    sending.send_due(engine, s, now=when + dt.timedelta(days=1))
    assert len(fake_notify.refused) == MAX_ATTEMPTS  # no sixth try


def test_a_number_notify_refuses_fails_at_once(db, settings, fake_notify) -> None:
    queue(db, with_notify(settings, fake_notify), someone(db, order=["text"],
                                                          phone="0113 496 0000"))
    [m] = messages(db)
    assert (m.status, m.attempts) == ("failed", 1)
    assert "400" in (m.last_error or "")
    assert fake_notify.refused == [(400, "phone_number Not a UK mobile number")]


def test_a_wrong_api_key_is_refused_by_notify(db, settings, fake_notify) -> None:
    wrong = replace(with_notify(settings, fake_notify),
                    notify_api_key=fake_notify.settings_overrides()["notify_api_key"][:-4] + "0000")
    queue(db, wrong, someone(db, order=["text"]))
    [m] = messages(db)
    assert m.status == "failed" and fake_notify.sent == []
    assert fake_notify.refused[0][0] == 403
    assert "signature" in fake_notify.refused[0][1]


def test_sending_again_never_sends_twice(db, settings, fake_notify) -> None:
    s = with_notify(settings, fake_notify)
    m = queue(db, s, someone(db, order=["text"]))
    engine = db.get_bind()
    assert sending.send_now(engine, s, [m.id]).sent == 0
    assert sending.send_due(engine, s, now=later(86400)).sent == 0
    assert len(fake_notify.sent) == 1


def _stale(db: Session, message_id: int) -> None:
    db.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(
        status="sending", claimed_at=utcnow() - dt.timedelta(minutes=20), attempts=1))
    db.commit()


def test_a_claim_left_after_notify_took_it_is_found_not_resent(db, settings,
                                                               fake_notify) -> None:
    s = with_notify(settings, fake_notify)
    m = queue(db, s, someone(db, order=["text"]))
    _stale(db, m.id)  # as if the sender died before writing "sent"
    report = sending.send_due(db.get_bind(), s)
    [m] = messages(db)
    assert report.recovered == 1 and len(fake_notify.sent) == 1
    assert (m.status, m.provider_id) == ("sent", fake_notify.sent[0].id)


def test_a_claim_left_before_notify_got_it_is_sent_once(db, settings, fake_notify) -> None:
    held = with_notify(settings, fake_notify)
    m = services.queue(db, held, someone(db, order=["text"]), "test", WORDS)
    db.flush()
    db.info.clear()  # forget the send after commit: the sender "died" first
    db.commit()
    _stale(db, m.id)
    sending.send_due(db.get_bind(), held)
    assert len(fake_notify.sent) == 1
    assert messages(db)[0].status == "sent"


def test_an_smtp_claim_left_part_way_is_failed_for_a_person_to_check(db, settings) -> None:
    s = replace(settings, mail_host="127.0.0.1", mail_port=9)
    m = services.queue(db, s, someone(db), "test", WORDS)
    db.info.clear()
    db.commit()
    _stale(db, m.id)
    sending.send_due(db.get_bind(), s)
    [m] = messages(db)
    assert m.status == "failed" and "may have been sent" in (m.last_error or "")


@pytest.mark.parametrize(("status", "row_status"), [
    ("delivered", "sent"), ("sending", "sent"), ("permanent-failure", "failed"),
    ("temporary-failure", "failed"),
])
def test_delivery_status_is_recorded(db, settings, fake_notify, status, row_status) -> None:
    s = with_notify(settings, fake_notify)
    queue(db, s, someone(db, order=["text"]))
    fake_notify.set_status(fake_notify.sent[0].id, status)
    report = sending.send_due(db.get_bind(), s, now=later(6 * 60))
    [m] = messages(db)
    assert report.statuses_checked == 1
    assert (m.delivery_status, m.status) == (status, row_status)
    if row_status == "failed":
        assert status in (m.last_error or "")


def test_smtp_email_with_a_calendar_attachment(db, settings, smtp) -> None:
    port, received = smtp
    s = with_smtp(settings, port)
    services.queue(db, s, someone(db, email="ruth@example.org"), "test", WORDS,
                   attachment=services.Attachment("session-1-2027-03-09.ics",
                                                  "text/calendar; charset=utf-8",
                                                  b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
    db.commit()
    [raw] = received.messages
    assert "To: ruth@example.org" in raw
    assert 'filename="session-1-2027-03-09.ics"' in raw and "text/calendar" in raw
    [m] = messages(db)
    assert (m.status, m.transport, m.attempts) == ("sent", "smtp", 1)


def test_smtp_down_is_retried(db, settings) -> None:
    s = replace(settings, mail_host="127.0.0.1", mail_port=9, mail_use_tls=False)
    queue(db, s, someone(db))
    [m] = messages(db)
    assert (m.status, m.attempts) == ("queued", 1)
    assert "mail server could not be reached" in (m.last_error or "")


def test_with_nothing_set_up_messages_wait_in_the_outbox(db, settings) -> None:
    queue(db, settings, someone(db, order=["text", "email"]))
    sending.send_due(db.get_bind(), settings, now=later(86400))
    [m] = messages(db)
    assert (m.status, m.channel, m.transport, m.body) == ("held", "text", "outbox",
                                                          "Short standard text.")


def test_a_text_that_can_wait_goes_at_their_best_time(db, settings, fake_notify) -> None:
    s = with_notify(settings, fake_notify)
    c = someone(db, order=["text"], comm={"best_times": "Weekday mornings"})
    today = utcnow().astimezone(best_times.LONDON).date()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 + 7)
    from_ = dt.datetime.combine(saturday, dt.time(14), best_times.LONDON)
    services.queue(db, s, c, "offer", WORDS, at_best_time=True, not_before=from_)
    db.commit()
    [m] = messages(db)
    monday_9am = dt.datetime.combine(saturday + dt.timedelta(days=2), dt.time(9),
                                     best_times.LONDON)
    assert (m.status, m.next_attempt_at) == ("queued", monday_9am)
    sending.send_due(db.get_bind(), s, now=monday_9am - dt.timedelta(minutes=1))
    assert fake_notify.sent == []
    sending.send_due(db.get_bind(), s, now=monday_9am)
    assert len(fake_notify.sent) == 1
    # Never later than ``latest``: then it goes when first asked.
    services.queue(db, s, c, "reminder_day_before", WORDS, at_best_time=True, not_before=from_,
                   latest=from_ + dt.timedelta(hours=3))
    db.commit()
    assert messages(db)[-1].next_attempt_at == from_
    # A change to a session is not held back (at_best_time is not given).
    services.queue(db, s, c, "session_changed", WORDS)
    db.commit()
    assert messages(db)[-1].status == "sent"


def test_the_email_says_where_the_calendar_file_is(db, settings, fake_notify, smtp) -> None:
    ics = services.Attachment("s.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    port, _received = smtp
    by_smtp = services.queue(db, with_smtp(settings, port), someone(db), "test", WORDS,
                             attachment=ics)
    by_notify = services.queue(db, with_notify(settings, fake_notify), someone(db), "test",
                               WORDS, attachment=ics)
    by_letter = services.queue(db, settings, someone(db, order=["letter"]), "test", WORDS,
                               attachment=ics)
    assert by_smtp and by_notify and by_letter
    assert "calendar file attached" in by_smtp.body and by_smtp.attachment
    assert "My roles, then My meetings, and download the calendar file" in by_notify.body
    assert by_notify.attachment is None
    assert "calendar" not in by_letter.body and by_letter.attachment is None

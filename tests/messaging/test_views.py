"""The coordinators' Messages pages: what waits for staff, letters marked
printed, a failed message sent again or marked done another way; and the
administrators' outbox, which shows sign-in emails only (never
contributors' messages)."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from crm.audit.models import AuditEvent
from crm.mail.models import OutboxMessage
from crm.messaging import services
from crm.permissions import Role
from tests.conftest import csrf_token
from tests.factories import log_in, make_user
from tests.messaging.helpers import WORDS, messages, someone


def coordinator(client: FlaskClient, db: Session) -> FlaskClient:
    return log_in(client, make_user(db, Role.COORDINATOR))


def _queued(db: Session, settings, **person):  # type: ignore[no-untyped-def]
    m = services.queue(db, settings, someone(db, **person), "offer", WORDS)
    db.commit()
    return m


def test_the_messages_page_counts_what_waits_and_shows_failures(client, db, settings,
                                                                count_queries) -> None:
    for order in (["letter"], ["letter"], ["phone"], ["text"]):
        _queued(db, settings, order=order)
    failed = _queued(db, settings)
    db.execute(update(OutboxMessage).where(OutboxMessage.id == failed.id).values(
        status="failed", attempts=5, last_error="The mail server could not be reached"))
    db.commit()
    c = coordinator(client, db)
    count_queries.statements.clear()
    html = c.get("/messages/").get_data(as_text=True)
    assert "Letters to print</a>: 2" in html and "Calls to make</a>: 1" in html
    assert "Waiting in the outbox</a> (no way of sending them is set up): 1" in html
    assert "The mail server could not be reached" in html and "Tried 5 times" in html
    few = count_queries.count
    for _ in range(10):
        f = _queued(db, settings)
        db.execute(update(OutboxMessage).where(OutboxMessage.id == f.id).values(status="failed"))
    db.commit()
    count_queries.statements.clear()
    c.get("/messages/")
    assert count_queries.count == few  # the same queries however many there are


def test_letters_are_marked_printed_and_audited(client, db, settings) -> None:
    letters = [_queued(db, settings, order=["letter"]) for _ in range(2)]
    c = coordinator(client, db)
    html = c.get("/messages/letters/print").get_data(as_text=True)
    assert html.count('<article class="app-letter') == 2 and "1 High Street" in html
    response = c.post("/messages/letters/printed", data={
        "csrf_token": csrf_token(c, "/messages/letters"), "message_id": [str(letters[0].id)]})
    assert response.status_code == 302
    assert [m.status for m in messages(db)] == ["printed", "to_print"]
    assert messages(db)[0].printed_at is not None
    events = db.scalars(select(AuditEvent.summary).where(
        AuditEvent.summary.like("letter printed%"))).all()
    assert len(events) == 1
    # The same letter again (another tab): refused, nothing changed.
    c.post("/messages/letters/printed", data={
        "csrf_token": csrf_token(c, "/messages/letters"),
        "message_id": [str(letters[0].id), str(letters[1].id)]})
    assert [m.status for m in messages(db)] == ["printed", "to_print"]
    assert "changed since you opened the page" in c.get("/messages/letters").get_data(
        as_text=True)


def test_each_look_at_a_list_of_messages_is_audited_for_the_list_and_each_person(
        app, client, db, settings) -> None:
    """The lists show addresses, phone numbers and message bodies: each look
    writes one event for the list (no names) and one on each person's
    record, which their "Who has looked at my record" shows."""
    own = make_user(db, Role.CONTRIBUTOR, email="ada@example.org")
    ada = _queued(db, settings, order=["letter"], full_name="Ada Alpha", user=own).contributor_id
    ben = _queued(db, settings, order=["letter"]).contributor_id
    cal = _queued(db, settings, order=["phone"]).contributor_id
    held = _queued(db, settings).contributor_id  # email, with no way of sending set up
    c = coordinator(client, db)
    seen = {"/messages/letters": ("letters to print", [ada, ben]),
            "/messages/letters/print": ("letters to print, printable", [ada, ben]),
            "/messages/calls": ("calls to make", [cal]),
            "/messages/waiting": ("messages waiting in the outbox", [held])}
    for path, (what, people) in seen.items():
        db.expire_all()
        last = db.scalar(select(func.max(AuditEvent.id))) or 0
        assert c.get(path).status_code == 200, path
        db.expire_all()
        events = db.scalars(select(AuditEvent).where(AuditEvent.id > last)
                            .order_by(AuditEvent.id)).all()
        assert [(e.action, e.entity_type, e.entity_id, e.summary) for e in events] == [
            ("view", "contributor", None,
             f"{what}, page 1: " + ("1 message to 1 person" if len(people) == 1
                                    else f"{len(people)} messages to {len(people)} people")),
            *[("view", "contributor", p, f"listed in {what}") for p in people]], path
        assert "Ada" not in str([e.summary for e in events])
    # The Messages home page lists messages not sent: audited when it lists someone.
    db.expire_all()
    last = db.scalar(select(func.max(AuditEvent.id)))
    assert c.get("/messages/").status_code == 200
    db.expire_all()
    assert db.scalar(select(func.max(AuditEvent.id))) == last
    db.execute(update(OutboxMessage).where(OutboxMessage.contributor_id == held).values(
        status="failed"))
    db.commit()
    assert c.get("/messages/").status_code == 200
    db.expire_all()
    assert [(e.entity_id, e.summary) for e in db.scalars(
        select(AuditEvent).where(AuditEvent.id > last).order_by(AuditEvent.id))] == [
        (None, "messages not sent, page 1: 1 message to 1 person"),
        (held, "listed in messages not sent")]
    log_in(client, own)
    page = client.get("/my/record-views").get_data(as_text=True)
    assert page.count("Looked at your record") == 2  # the letters list and the printable one


def test_a_failed_message_is_sent_again_or_marked_done(client, db, settings) -> None:
    a, b = _queued(db, settings), _queued(db, settings)
    db.execute(update(OutboxMessage).values(status="failed", transport="smtp", attempts=5))
    db.commit()
    c = coordinator(client, db)
    token = csrf_token(c, "/messages/")
    assert c.post(f"/messages/{a.id}/retry", data={"csrf_token": token}).status_code == 302
    assert c.post(f"/messages/{b.id}/done", data={"csrf_token": token}).status_code == 302
    again, done = messages(db)
    assert (again.status, again.attempts, again.last_error) == ("queued", 0, None)
    assert done.status == "done_by_hand" and done.sent_at is not None
    # A call made from the calls page goes back to that page.
    call = _queued(db, settings, order=["phone"])
    response = c.post(f"/messages/{call.id}/done", data={"csrf_token": token, "back": "calls"})
    assert response.headers["Location"].endswith("/messages/calls")
    assert messages(db)[-1].status == "done_by_hand"
    # A retry without the form's token changes nothing.
    assert c.post(f"/messages/{b.id}/retry").status_code == 400


def test_the_administrators_outbox_shows_sign_in_emails_only(client, db, settings) -> None:
    _queued(db, settings, full_name="Private Person", email="private@example.org")
    db.add(OutboxMessage(to_address="new.staff@example.org", subject="Your sign-in link",
                         body="Sign in", created_at=messages(db)[0].created_at))
    db.commit()
    html = log_in(client, make_user(db, Role.ADMINISTRATOR)).get("/admin/outbox").get_data(
        as_text=True)
    assert "new.staff@example.org" in html
    assert "private@example.org" not in html and "Private Person" not in html
    # ...and administrators cannot open the coordinators' Messages pages.
    assert client.get("/messages/").status_code == 403

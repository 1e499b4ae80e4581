"""Reminders made by send-due: the day before a session, papers ready,
consent review, training about to run out (to the person and their
coordinator); each once only, each can be turned off by the person on
their own page; and the ``flask messages send-due`` command."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.audit.models import AuditEvent
from crm.matching.models import OfferStatus
from crm.messaging import reminders
from crm.messaging.models import ReminderKind, ReminderTurnedOff
from crm.permissions import Role
from crm.projects.roles import to_utc
from tests.conftest import csrf_token
from tests.factories import (
    communication,
    consent,
    log_in,
    make_signed_up_contributor,
    make_user,
    training,
)
from tests.messaging.helpers import messages, someone
from tests.project_factories import make_offer, make_role, role_session

TODAY = dt.date(2027, 3, 8)


def kinds(db: Session) -> list[tuple[str, int | None]]:
    return sorted((m.kind, m.contributor_id) for m in messages(db))


def test_the_day_before_and_papers_ready_once_each(app: Flask, db: Session, settings) -> None:
    tomorrow = make_role(db, title="Menu panel", places=3, sessions=[
        role_session(to_utc(TODAY + dt.timedelta(days=1), dt.time(10)), 60)])
    papers = make_role(db, title="Food group", places=3, sessions=[
        role_session(to_utc(TODAY + dt.timedelta(days=5), dt.time(14)), 60,
                     papers_ready_on=TODAY)])
    later = make_role(db, title="Later", places=3, sessions=[
        role_session(to_utc(TODAY + dt.timedelta(days=9), dt.time(14)), 60,
                     papers_ready_on=TODAY + dt.timedelta(days=2))])
    a, b, no = someone(db), someone(db), someone(db)
    for role in (tomorrow, papers, later):
        make_offer(db, role, a, OfferStatus.ACCEPTED)
        make_offer(db, role, b, OfferStatus.ACCEPTED)
        make_offer(db, role, no, OfferStatus.DECLINED)
    db.add(ReminderTurnedOff(contributor_id=b.id, kind=ReminderKind.DAY_BEFORE.value))
    db.commit()

    assert reminders.create_due(db, settings, today=TODAY) == 3
    db.commit()
    assert kinds(db) == sorted([("reminder_day_before", a.id), ("reminder_papers_ready", a.id),
                                ("reminder_papers_ready", b.id)])
    [day_before] = [m for m in messages(db) if m.kind == "reminder_day_before"]
    assert day_before.subject == "Tomorrow: Menu panel"
    assert reminders.create_due(db, settings, today=TODAY) == 0  # never twice
    db.commit()
    assert len(messages(db)) == 3


def test_consent_review_and_training_to_the_person_and_coordinator(db: Session,
                                                                   settings) -> None:
    coordinator = make_user(db, Role.COORDINATOR, email="kim@example.nhs.uk")
    due = someone(db, consents=[], key_contact_id=coordinator.id)
    due.consents.extend([consent("contact", review_on=TODAY + dt.timedelta(days=10)),
                         consent("story_sharing", review_on=TODAY + dt.timedelta(days=40))])
    due.training.append(training("safeguarding", dt.date(2024, 4, 1)))
    due.training[0].expires_on = TODAY + dt.timedelta(days=20)
    off = someone(db, consents=[], key_contact_id=coordinator.id)
    off.consents.append(consent("contact", review_on=TODAY + dt.timedelta(days=3)))
    off.training.append(training("safeguarding", dt.date(2024, 4, 1)))
    off.training[0].expires_on = TODAY + dt.timedelta(days=5)
    db.add_all([ReminderTurnedOff(contributor_id=off.id, kind=k.value)
                for k in (ReminderKind.CONSENT_REVIEW, ReminderKind.TRAINING_EXPIRING)])
    db.commit()

    assert reminders.create_due(db, settings, today=TODAY) == 4
    db.commit()
    assert kinds(db) == sorted([
        ("reminder_consent_review", due.id), ("reminder_training_expiring", due.id),
        ("training_expiring_staff", due.id), ("training_expiring_staff", off.id)])
    staff = [m for m in messages(db) if m.kind == "training_expiring_staff"]
    assert {m.to_address for m in staff} == {"kim@example.nhs.uk"}
    assert all(m.status == "held" and "Training due" in m.body for m in staff)
    assert reminders.create_due(db, settings, today=TODAY) == 0


def test_training_news_goes_only_to_a_key_contact_who_may_still_see_the_record(
        db: Session, settings) -> None:
    """A key contact who left (account stopped) or is now an administrator
    is not sent a contributor's name: the involvement team is, with a word
    to choose another key contact; with no team address, nobody is."""
    left = make_user(db, Role.COORDINATOR, email="left@example.nhs.uk")
    moved = make_user(db, Role.COORDINATOR, email="moved@example.nhs.uk")
    still = make_user(db, Role.COORDINATOR, email="still@example.nhs.uk")
    people = {}
    for name, contact in (("Ada Alpha", left), ("Ben Beta", moved), ("Cy Gamma", still)):
        c = someone(db, full_name=name, consents=[], key_contact_id=contact.id)
        c.training.append(training("safeguarding", dt.date(2024, 4, 1)))
        c.training[0].expires_on = TODAY + dt.timedelta(days=20)
        people[name] = c
    left.is_active = False
    moved.role = Role.ADMINISTRATOR.value
    db.commit()

    no_team = replace(settings, involvement_team_email="")
    reminders.create_due(db, no_team, today=TODAY)
    db.commit()
    staff = [m for m in messages(db) if m.kind == "training_expiring_staff"]
    assert [(m.to_address, m.contributor_id) for m in staff] == [
        ("still@example.nhs.uk", people["Cy Gamma"].id)]

    reminders.create_due(db, settings, today=TODAY)
    db.commit()
    staff = [m for m in messages(db) if m.kind == "training_expiring_staff"]
    assert sorted((m.to_address, m.contributor_id) for m in staff) == sorted([
        ("still@example.nhs.uk", people["Cy Gamma"].id),
        (settings.involvement_team_email, people["Ada Alpha"].id),
        (settings.involvement_team_email, people["Ben Beta"].id)])
    assert not any(m.to_address in ("left@example.nhs.uk", "moved@example.nhs.uk")
                   for m in messages(db))
    for m in staff:
        if m.to_address == settings.involvement_team_email:
            assert "choose another key contact" in m.body and "Hello,\n" in m.body
    assert reminders.create_due(db, settings, today=TODAY) == 0


def test_a_person_turns_reminders_off_on_their_own_page(client, db: Session) -> None:
    user, c = make_signed_up_contributor(db, "Ruth Owen")
    c.communication = communication()
    db.commit()
    log_in(client, user)
    page = client.get("/messages/my/reminders").get_data(as_text=True)
    assert page.count('name="wanted"') == 4 and page.count("checked") == 4
    response = client.post("/messages/my/reminders", data={
        "csrf_token": csrf_token(client, "/messages/my/reminders"),
        "wanted": ["papers_ready", "consent_review"]})
    assert response.status_code == 302
    db.expire_all()
    assert reminders.kinds_turned_off(db, c.id) == {ReminderKind.DAY_BEFORE,
                                                     ReminderKind.TRAINING_EXPIRING}
    event = db.scalars(select(AuditEvent).where(AuditEvent.entity_id == c.id)
                       .order_by(AuditEvent.id.desc())).first()
    assert event is not None and "day before" in (event.summary or "")
    page = client.get("/messages/my/reminders").get_data(as_text=True)
    assert page.count("checked") == 2
    # Turning one back on removes its row.
    client.post("/messages/my/reminders", data={
        "csrf_token": csrf_token(client, "/messages/my/reminders"),
        "wanted": ["papers_ready", "consent_review", "day_before", "training_expiring"]})
    db.expire_all()
    assert reminders.kinds_turned_off(db, c.id) == set()


def test_the_send_due_command(app: Flask, db: Session) -> None:
    someone(db)
    result = app.test_cli_runner().invoke(args=["messages", "send-due"])
    assert result.exit_code == 0, result.output
    assert "0 sent" in result.output and "reminders queued" in result.output

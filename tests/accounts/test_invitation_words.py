"""Invitations to contributors are written for them: plain words, naming who
invited them, and Easy Read when their record says they chose it. Staff
invitations stay as they were, but name the sender too."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts import services
from crm.accounts.models import User
from crm.mail.models import OutboxMessage
from crm.permissions import Role
from crm.settings import Settings
from tests.factories import make_contributor, make_user


@pytest.fixture
def coordinator(db: Session) -> User:
    return make_user(db, Role.COORDINATOR, name="Cal Coordinator")


def _invite(db: Session, settings: Settings, coordinator: User, email: str, name: str,
            role: Role = Role.CONTRIBUTOR) -> tuple[OutboxMessage, str]:
    sent = services.invite(db, settings, coordinator, email, name, role)
    db.commit()
    message = db.scalars(select(OutboxMessage).where(OutboxMessage.to_address == email)).one()
    return message, urlsplit(sent.link).path


def test_a_contributor_invitation_names_who_sent_it_in_plain_words(db, settings,
                                                                   coordinator) -> None:
    make_contributor(db, full_name="Alexandra Example", preferred_name="Alex",
                     email="alex@example.org")
    message, _path = _invite(db, settings, coordinator, "alex@example.org", "Alexandra Example")
    assert message.subject == f"Cal Coordinator has invited you to the {settings.service_name}"
    body = message.body
    assert body.startswith("Hello Alex,\n")  # the name they like
    assert f"Cal Coordinator at {settings.organisation_name} has invited you" in body
    assert "tell us what helps you take part" in body
    assert f"stops working after {settings.invitation_valid_days} days" in body
    assert "ask Cal Coordinator" in body
    assert services.LINK_NOT_KEPT in body  # the outbox never holds the link


def test_easy_read_invitation_when_the_person_chose_easy_read(db, settings,
                                                              coordinator) -> None:
    make_contributor(db, full_name="Sam Example", preferred_name="Sam", email="sam@example.org",
                     prefers_easy_read=True)
    message, _path = _invite(db, settings, coordinator, "sam@example.org", "Sam Example")
    assert message.subject == f"Join the {settings.service_name}"
    body = message.body
    assert f"Cal Coordinator from {settings.organisation_name} asks you to join" in body
    assert "What to do:\n1. Open this link:" in body
    assert "2. Choose a password." in body
    assert "The link works one time only.\n" in body
    assert "Not sure? Ask Cal Coordinator." in body
    # Short sentences: one idea each (the outbox's note about the link aside).
    sentences = [line for line in body.splitlines() if services.LINK_NOT_KEPT not in line]
    assert max(len(line.split()) for line in sentences) <= 15


def test_a_new_sign_in_link_for_an_easy_read_contributor_is_easy_read(db, settings,
                                                                      coordinator) -> None:
    user = make_user(db, Role.CONTRIBUTOR, name="Sam Example", email="sam@example.org")
    make_contributor(db, full_name="Sam Example", user=user, prefers_easy_read=True)
    services.send_sign_in_link(db, settings, coordinator, user)
    db.commit()
    message = db.scalars(select(OutboxMessage)).one()
    assert message.subject == f"A new password for the {settings.service_name}"
    assert "It helps you choose a new password." in message.body
    assert "Your old password still works." in message.body


def test_staff_invitations_keep_their_words_and_name_the_sender(db, settings,
                                                                 coordinator) -> None:
    admin = make_user(db, Role.ADMINISTRATOR, name="Ada Admin")
    message, _path = _invite(db, settings, admin, "fin@example.org", "Fin Ance", Role.FINANCE)
    assert message.subject == f"You are invited to the {settings.service_name}"
    assert "Hello Fin Ance,\n" in message.body
    assert "Ada Admin has invited you" in message.body


def test_the_acceptance_page_is_written_for_the_contributor(db, client, settings,
                                                            coordinator) -> None:
    make_contributor(db, full_name="Alexandra Example", preferred_name="Alex",
                     email="alex@example.org")
    _message, path = _invite(db, settings, coordinator, "alex@example.org", "Alexandra Example")
    html = client.get(path).get_data(as_text=True)
    assert "Hello Alex. Cal Coordinator at" in html
    assert "tell us what helps you take part" in html
    assert '<body class="app-easy-read">' not in html


def test_the_acceptance_page_in_easy_read(db, client, settings, coordinator) -> None:
    make_contributor(db, full_name="Sam Example", preferred_name="Sam", email="sam@example.org",
                     prefers_easy_read=True)
    _message, path = _invite(db, settings, coordinator, "sam@example.org", "Sam Example")
    html = client.get(path).get_data(as_text=True)
    assert '<body class="app-easy-read">' in html
    assert "Hello Sam." in html
    assert "Cal Coordinator from" in html and "asks you to join" in html

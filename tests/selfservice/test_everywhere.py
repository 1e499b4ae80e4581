"""Easy Read and the person's own name on every page a contributor sees,
not only "Your record": home, account, change password, privacy notice and
accessibility statement. "Ask your coordinator" names the coordinator and
says how to reach them, or gives the involvement team's contact."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.contributors.models import Contributor
from crm.permissions import Role
from tests.conftest import csrf_token
from tests.factories import log_in, make_contributor, make_user

SHARED = ["/", "/account", "/account/password", "/privacy", "/accessibility"]
EASY_BODY = '<body class="app-easy-read">'
SWITCH = 'action="/my/easy-read"'


@pytest.fixture
def coordinator(db: Session) -> User:
    return make_user(db, Role.COORDINATOR, name="Cal Coordinator", email="cal@example.nhs.uk")


@pytest.fixture
def me(db: Session, coordinator: User) -> tuple[User, Contributor]:
    user = make_user(db, Role.CONTRIBUTOR, name="Alexandra Example", email="alex@example.org")
    c = make_contributor(db, full_name="Alexandra Example", preferred_name="Alex", user=user,
                         key_contact=coordinator, prefers_easy_read=True)
    return user, c


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.mark.parametrize("path", SHARED)
def test_easy_read_applies_on_every_shared_page(client, me, path) -> None:
    html = page(log_in(client, me[0]), path)
    assert EASY_BODY in html
    assert SWITCH in html
    assert "Switch to standard" in html


@pytest.mark.parametrize("path", SHARED)
def test_standard_when_the_contributor_chose_standard(db, client, me, path) -> None:
    me[1].prefers_easy_read = False
    db.commit()
    html = page(log_in(client, me[0]), path)
    assert EASY_BODY not in html
    assert "Switch to Easy Read" in html


@pytest.mark.parametrize("path", ["/", "/account", "/privacy", "/accessibility"])
def test_staff_and_visitors_see_the_standard_page_without_the_switch(client, coordinator,
                                                                   path) -> None:
    if path in ("/privacy", "/accessibility"):
        html = page(client, path)  # signed out
        assert SWITCH not in html and EASY_BODY not in html
    html = page(log_in(client, coordinator), path)
    assert SWITCH not in html and EASY_BODY not in html


def test_the_home_page_greets_them_by_their_preferred_name(db, client, me) -> None:
    html = page(log_in(client, me[0]), "/")
    assert "Hello, Alex</h1>" in html
    me[1].preferred_name = None
    me[1].prefers_easy_read = False
    db.commit()
    assert "Hello, Alexandra Example</h1>" in page(client, "/")


def test_easy_read_home_page_has_easy_words(client, me) -> None:
    html = page(log_in(client, me[0]), "/")
    assert "Thank you for being in the involvement bank." in html
    assert "Your email and your password." in html


@pytest.mark.parametrize("path", ["/", "/account", "/privacy", "/accessibility",
                                  "/my/training", "/my/record-views", "/my/remove"])
def test_ask_your_coordinator_names_them_and_how_to_reach_them(client, me, path) -> None:
    html = page(log_in(client, me[0]), path)
    assert "your coordinator, Cal Coordinator" in html
    assert 'href="mailto:cal@example.nhs.uk"' in html
    assert "0306 999 0123" in html  # the team phone, from settings


def test_without_a_key_contact_the_involvement_team_is_given(db, client, me) -> None:
    me[1].key_contact = None
    db.commit()
    html = page(log_in(client, me[0]), "/")
    assert "the involvement team" in html
    assert 'href="mailto:involvement@example.nhs.uk"' in html
    assert "Cal Coordinator" not in html


def test_a_key_contact_who_has_left_is_not_given(db, client, me, coordinator) -> None:
    coordinator.is_active = False
    db.commit()
    html = page(log_in(client, me[0]), "/")
    assert "Cal Coordinator" not in html
    assert "the involvement team" in html


def test_the_switch_on_a_shared_page_brings_them_back_there(db, client, me) -> None:
    log_in(client, me[0])
    token = csrf_token(client, "/account")
    response = client.post("/my/easy-read", data={"csrf_token": token, "enabled": "0",
                                                  "next": "/account"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    db.expire_all()
    assert db.get(Contributor, me[1].id).prefers_easy_read is False
    # Still never somewhere else.
    response = client.post("/my/easy-read", data={"csrf_token": token, "enabled": "1",
                                                  "next": "/contributors/"})
    assert response.headers["Location"] == "/my/"


def test_your_record_names_the_coordinator_too(client, me) -> None:
    html = page(log_in(client, me[0]), "/my/")
    assert "Ask your coordinator, Cal Coordinator." in html
    assert 'href="mailto:cal@example.nhs.uk"' in html

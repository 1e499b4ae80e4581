"""Easy Read outside "Your record": a contributor who chose Easy Read sees it
on their home page, their account page, the privacy notice and the
accessibility statement, greeted by the name they like, with their
coordinator's name and how to reach them. The harness checks each page with
axe (WCAG 2.2 AA) and 320px reflow."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.contributors.models import Contributor
from crm.permissions import Role
from tests.browser.harness import follow, log_in, submit, visit
from tests.factories import make_contributor, make_user

EASY = re.compile(r"\bapp-easy-read\b")
# Long enough to overflow a 320px screen unless it wraps.
LONG_EMAIL = "kim.keycontact.involvement@example.nhs.uk"


@pytest.fixture
def person(db: Session) -> tuple[User, Contributor]:
    staff = make_user(db, Role.COORDINATOR, name="Kim Keycontact", email=LONG_EMAIL)
    user = make_user(db, Role.CONTRIBUTOR, name="Robin Example", email="robin@example.org")
    c = make_contributor(db, full_name="Robin Example", preferred_name="Rob", user=user,
                         key_contact=staff, prefers_easy_read=True)
    return user, c


def test_easy_read_on_the_home_and_account_pages(page: Page, db: Session,
                                                 person: tuple[User, Contributor]) -> None:
    user, c = person
    log_in(page, user, "/")
    body, main = page.locator("body"), page.get_by_role("main")
    expect(body).to_have_class(EASY)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Rob")
    expect(main).to_contain_text("Thank you for being in the involvement bank.")
    expect(main).to_contain_text("Need help? Ask your coordinator, Kim Keycontact.")
    expect(main.get_by_role("link", name=LONG_EMAIL)).to_be_visible()

    follow(page, main.get_by_role("link", name="Your account"))
    expect(body).to_have_class(EASY)
    expect(main).to_contain_text("This is how you sign in to this website.")
    expect(main).to_contain_text("Email you sign in with")

    # The switch works here too, and brings them back to this page.
    submit(page, page.get_by_role("button", name="Switch to standard"))
    assert page.url.endswith("/account")
    expect(body).not_to_have_class(EASY)
    expect(main).to_contain_text("Email address")
    submit(page, page.get_by_role("button", name="Switch to Easy Read"))
    expect(body).to_have_class(EASY)

    for path in ("/privacy", "/accessibility", "/account/password"):
        visit(page, path)
        expect(body).to_have_class(EASY)

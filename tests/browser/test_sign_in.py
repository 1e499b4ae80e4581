"""Signing in and out in a real browser, with and without JavaScript."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.models import UserSession
from crm.permissions import Role, role_has
from crm.web.navigation import NAV_ITEMS
from tests.browser.harness import check_a11y, nav_labels, sign_in, submit, visit
from tests.factories import PASSWORD, make_user

# The h1 of each role's home page (templates/home/*.html).
HOME_HEADINGS = {
    Role.ADMINISTRATOR: "Administration",
    Role.COORDINATOR: "Involvement coordination",
    Role.FINANCE: "Finance",
    Role.REPORT_VIEWER: "Representation reports",
    Role.CONTRIBUTOR: "Hello, {name}",
}

# Written out by hand, so a change to the permission map that gives a role
# the wrong menu fails here as well as in the map's own tests.
MUST_SEE = {
    Role.ADMINISTRATOR: {"Home", "Invitations", "Users", "Outbox", "Audit log"},
    Role.COORDINATOR: {"Home", "Invitations"},
    Role.FINANCE: {"Home"},
    Role.REPORT_VIEWER: {"Home"},
    Role.CONTRIBUTOR: {"Home"},
}
ADMIN_ONLY = {"Users", "Outbox", "Audit log"}
MUST_NOT_SEE = {
    Role.ADMINISTRATOR: set(),
    Role.COORDINATOR: ADMIN_ONLY,
    Role.FINANCE: ADMIN_ONLY | {"Invitations"},
    Role.REPORT_VIEWER: ADMIN_ONLY | {"Invitations"},
    Role.CONTRIBUTOR: ADMIN_ONLY | {"Invitations"},
}


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def described_by_text(page: Page, field_id: str) -> str:
    """The text of everything the field's aria-describedby points at."""
    ids = (page.locator(f"#{field_id}").get_attribute("aria-describedby") or "").split()
    return " ".join(page.locator(f"#{i}").inner_text() for i in ids)


def test_sign_in_page_explains_what_is_missing(page: Page) -> None:
    response = visit(page, "/sign-in")
    assert response.status == 200
    expect(page).to_have_title("Sign in – Involvement bank")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    response = submit(page, page.get_by_role("button", name="Sign in"))

    assert response.status == 400
    assert page.title().startswith("Error: Sign in")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    links = summary.get_by_role("link")
    expect(links).to_have_text(["Enter your email address", "Enter your password"])
    assert [links.nth(i).get_attribute("href") for i in range(2)] == ["#email", "#password"]
    # The summary takes focus, and each link moves focus to its field.
    expect(summary).to_be_focused()
    links.nth(1).click()
    expect(page.locator("#password")).to_be_focused()
    # Each field says what is wrong with it, and is described by that message.
    assert "Enter your email address" in described_by_text(page, "email")
    assert "Enter your password" in described_by_text(page, "password")


def test_a_wrong_password_is_refused_with_a_message(page: Page, db: Session) -> None:
    user = make_user(db, Role.COORDINATOR)

    response = sign_in(page, user.email, "not-the-right-password")

    assert response.status == 400
    assert path_of(page) == "/sign-in"
    assert page.title().startswith("Error: ")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter a correct email address and password")
    assert "Enter a correct email address and password" in described_by_text(page, "email")
    expect(page.get_by_label("Email address")).to_have_value(user.email)
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    # Still signed out.
    visit(page, "/")
    assert path_of(page) == "/sign-in"


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_role_lands_on_its_own_home_page_with_its_own_menu(page: Page, db: Session,
                                                               role: Role) -> None:
    user = make_user(db, role)

    response = sign_in(page, user.email, PASSWORD)

    assert response.status == 200
    assert path_of(page) == "/"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        HOME_HEADINGS[role].format(name=user.display_name))
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(
        f"{user.display_name} ({role.label})")
    # Their name leads to their account (kept out of the menu, which stays short).
    expect(page.get_by_role("navigation", name="Account").get_by_role(
        "link", name=user.display_name)).to_have_attribute("href", "/account")

    labels = nav_labels(page)
    assert labels == [item.label for item in NAV_ITEMS if role_has(role, item.permission)]
    assert MUST_SEE[role] <= set(labels), f"{role} should see {MUST_SEE[role] - set(labels)}"
    assert not MUST_NOT_SEE[role] & set(labels), f"{role} must not see these"

    # Everything in the menu opens for this role (and is checked with axe).
    menu = page.get_by_role("navigation", name="Menu").locator("a.nhsuk-header__navigation-link")
    hrefs = [menu.nth(i).get_attribute("href") or "" for i in range(menu.count())]
    for href in hrefs:
        assert visit(page, href).status == 200, f"{role} could not open {href}"


def test_signing_out_ends_the_session(page: Page, db: Session) -> None:
    user = make_user(db, Role.FINANCE)
    sign_in(page, user.email, PASSWORD)
    assert path_of(page) == "/"

    submit(page, page.get_by_role("banner").get_by_role("button", name="Sign out"))

    assert path_of(page) == "/sign-in"
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("You have signed out.")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    # Going back to the home page (history, then the address) asks to sign in.
    page.go_back()
    check_a11y(page)
    assert path_of(page) == "/sign-in"
    visit(page, "/")
    assert path_of(page) == "/sign-in"
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    db.rollback()
    ended = db.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert [(s.ended_at is not None, s.end_reason) for s in ended] == [(True, "signed_out")]


def test_signing_in_and_out_works_without_javascript(new_context, db: Session) -> None:
    user = make_user(db, Role.REPORT_VIEWER)
    context: BrowserContext = new_context(java_script_enabled=False)
    page = context.new_page()

    response = sign_in(page, user.email, PASSWORD)

    assert response.status == 200
    assert path_of(page) == "/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Representation reports")
    # No script ran: the NHS.UK frontend marks the body when it starts.
    assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
    submit(page, page.get_by_role("button", name="Sign out"))
    assert path_of(page) == "/sign-in"
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("You have signed out.")

"""The administration pages, your account and the public pages, with data
in them, in a real browser. Each is checked with axe by the harness."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from crm.accounts import services
from crm.accounts.models import User
from crm.permissions import Role
from tests.browser.harness import follow, log_in, sign_in, submit, visit
from tests.factories import PASSWORD, make_user


def h1(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("heading", level=1)


@pytest.fixture
def admin(db: Session, settings) -> User:  # type: ignore[no-untyped-def]
    """An administrator, 30 other people (more than one page of users), one
    of them invited but not signed up (an invitation, an email and audit
    events)."""
    user = make_user(db, Role.ADMINISTRATOR, name="Ada Admin")
    for n in range(30):
        make_user(db, Role.CONTRIBUTOR if n % 2 else Role.FINANCE, name=f"Person {n:02d}")
    services.invite(db, settings, user, "pat.waiting@example.org", "Pat Waiting", Role.FINANCE)
    db.commit()
    return user


def test_public_pages_signed_out(page: Page) -> None:
    response = visit(page, "/accessibility")
    assert response.status == 200
    expect(h1(page)).to_have_text("Accessibility statement")
    expect(page.get_by_role("main")).to_contain_text("WCAG")
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)

    follow(page, page.get_by_role("contentinfo").get_by_role("link", name="Privacy notice"))
    expect(h1(page)).to_have_text("Privacy notice")
    expect(page.get_by_role("main")).to_contain_text("Your rights")


def test_users_page(page: Page, admin: User) -> None:
    log_in(page, admin)

    response = visit(page, "/admin/users")

    assert response.status == 200
    expect(h1(page)).to_have_text("Users")
    expect(page.get_by_role("main")).to_contain_text("Showing 1 to 25 of 32")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(26)  # a header and 25 people
    expect(rows.filter(has_text="Ada Admin")).to_contain_text("Active")
    expect(rows.filter(has_text="Pat Waiting")).to_contain_text("Invited")
    # Nobody is offered a button to stop themselves signing in.
    expect(rows.filter(has_text="Ada Admin").get_by_role("button")).to_have_count(0)

    # Page 2, by the pagination link.
    follow(page, page.get_by_role("link", name="Next"))
    expect(page.get_by_role("main")).to_contain_text("Showing 26 to 32 of 32")
    expect(page.get_by_role("row").filter(has_text="Person 29")).to_have_count(1)

    # The role filter.
    page.get_by_label("Show role").select_option(label="Finance")
    submit(page, page.get_by_role("button", name="Show"))
    assert parse_qs(urlsplit(page.url).query) == {"role": ["finance"]}
    expect(page.get_by_role("main")).to_contain_text("Showing 1 to 16 of 16")  # and Pat Waiting
    expect(page.get_by_role("row").filter(has_text="Contributor")).to_have_count(0)


def test_stopping_someone_signing_in(page: Page, admin: User) -> None:
    log_in(page, admin)
    visit(page, "/admin/users?role=finance")

    submit(page, page.get_by_role("button", name="Stop sign-in for Person 00"))

    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Person 00 can no longer sign in.")
    row = page.get_by_role("row").filter(has_text="Person 00")
    expect(row).to_contain_text("Cannot sign in")
    expect(row.get_by_role("button")).to_have_accessible_name("Allow sign-in for Person 00")


def test_outbox_page(page: Page, admin: User) -> None:
    log_in(page, admin)

    response = visit(page, "/admin/outbox")

    assert response.status == 200
    expect(h1(page)).to_have_text("Outbox")
    expect(page.get_by_role("main")).to_contain_text("No mail server is set up")
    card = page.locator(".nhsuk-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("To pat.waiting@example.org")
    expect(card).to_contain_text("Not sent: held here.")
    expect(card).to_contain_text("Sign-in link: Not used yet")
    # The administrator never sees the live link.
    expect(card.locator("pre")).not_to_contain_text("/invitation/")
    assert "/invitation/" not in page.content()


def test_audit_log_page(page: Page, admin: User) -> None:
    sign_in(page, admin.email, PASSWORD)  # its events include this sign-in

    response = visit(page, "/admin/audit")

    assert response.status == 200
    expect(h1(page)).to_have_text("Audit log")
    rows = page.get_by_role("table").get_by_role("row")
    # Newest first: this sign-in.
    expect(rows.nth(1)).to_contain_text("Ada Admin (Administrator) signed in to their own account")
    sent = rows.filter(has_text="sent a sign-in link to")
    expect(sent).to_have_count(1)
    expect(sent).to_contain_text("the account of Pat Waiting (Finance)")

    page.get_by_label("What happened").select_option(label="Sign-in link sent")
    submit(page, page.get_by_role("button", name="Show events"))
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)
    expect(page.get_by_label("What happened")).to_have_value("invitation_sent")

    page.get_by_label("Contributor record number").fill("999999")
    submit(page, page.get_by_role("button", name="Show events"))
    expect(page.get_by_role("table")).to_contain_text("No events match these filters.")


def test_invitations_page(page: Page, admin: User) -> None:
    log_in(page, admin)

    response = visit(page, "/invitations")

    assert response.status == 200
    expect(h1(page)).to_have_text("Invitations")
    row = page.get_by_role("row").filter(has_text="Pat Waiting")
    expect(row).to_contain_text("pat.waiting@example.org")

    submit(page, row.get_by_role("button", name="Send a new link to Pat Waiting"))

    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "A new sign-in link has been created for Pat Waiting.")
    visit(page, "/admin/outbox")
    expect(page.locator(".nhsuk-card")).to_have_count(2)


def test_new_invitation_form_errors(page: Page, db: Session) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    log_in(page, admin)

    visit(page, "/invitations/new")
    # Staff roles only (contributors are invited from their record); none is
    # chosen for the administrator.
    expect(page.get_by_label("Role").locator("option")).to_have_text([
        "Select a role", "Administrator", "Involvement coordinator", "Finance",
        "Report viewer"])
    page.get_by_label("Email address").fill("not an email")
    response = submit(page, page.get_by_role("button", name="Send invitation"))

    assert response.status == 400
    assert page.title().startswith("Error: ")
    expect(page.locator(".nhsuk-error-summary").get_by_role("link")).to_have_text([
        "Enter their full name",
        "Enter an email address in the correct format, like name@example.nhs.uk",
        "Select a role",
    ])


def test_account_page(page: Page, db: Session) -> None:
    user = make_user(db, Role.REPORT_VIEWER, name="Rae Viewer")
    log_in(page, user)

    response = visit(page, "/account")

    assert response.status == 200
    expect(h1(page)).to_have_text("Your account")
    summary = page.locator(".nhsuk-summary-list")
    expect(summary).to_contain_text("Rae Viewer")
    expect(summary).to_contain_text(user.email)
    expect(summary).to_contain_text("Report viewer")
    expect(page.get_by_role("link", name="Change password")).to_have_attribute(
        "href", "/account/password")


def test_public_pages_signed_in(page: Page, db: Session) -> None:
    user = make_user(db, Role.CONTRIBUTOR)
    log_in(page, user)

    for path, heading in [("/accessibility", "Accessibility statement"),
                          ("/privacy", "Privacy notice")]:
        assert visit(page, path).status == 200
        expect(h1(page)).to_have_text(heading)
        account = page.get_by_role("navigation", name="Account")
        expect(account.locator("a[href='/account']")).to_be_visible()


def test_changing_a_staff_role(page: Page, admin: User, db: Session) -> None:
    make_user(db, Role.FINANCE, name="Aaron Able")  # first on the Users page
    log_in(page, admin)
    visit(page, "/admin/users")
    follow(page, page.get_by_role("link", name="Change role of Aaron Able"))
    expect(h1(page)).to_have_text("Change the role of Aaron Able")
    expect(page.get_by_label("Finance")).to_be_checked()

    # Their present role again: an error, in the summary and by the choices.
    response = submit(page, page.get_by_role("button", name="Change role"))
    assert response.status == 400
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("They already have this role")

    page.get_by_label("Involvement coordinator").check()
    submit(page, page.get_by_role("button", name="Change role"))
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Aaron Able is now involvement coordinator")
    row = page.get_by_role("row").filter(has_text="Aaron Able")
    expect(row).to_contain_text("Involvement coordinator")

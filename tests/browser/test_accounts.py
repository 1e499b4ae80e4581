"""Invitations and passwords in a real browser."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from crm.permissions import Role
from tests.browser.harness import follow, log_in, sign_in, submit, visit
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "violet-anchor-meadow-42"


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def described_by_text(page: Page, field_id: str) -> str:
    ids = (page.locator(f"#{field_id}").get_attribute("aria-describedby") or "").split()
    return " ".join(page.locator(f"#{i}").inner_text() for i in ids)


def test_an_invited_staff_member_chooses_a_password_once(page: Page, new_context,
                                                       db: Session) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    log_in(page, admin)

    # Invite, through the menu and the form.
    follow(page, page.get_by_role("navigation", name="Menu").get_by_role("link",
                                                                          name="Invitations"))
    expect(page.get_by_role("main")).to_contain_text("Nobody is waiting to accept an invitation.")
    follow(page, page.get_by_role("button", name="Invite someone"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone")
    page.get_by_label("Full name").fill("Sam Example")
    page.get_by_label("Email address").fill("Sam.Example@example.org")
    page.get_by_label("Role").select_option(label="Finance")
    submit(page, page.get_by_role("button", name="Send invitation"))

    assert path_of(page) == "/invitations"
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Invitation created for Sam Example. No mail server is set up")
    row = page.get_by_role("row").filter(has_text="Sam Example")
    expect(row).to_contain_text("sam.example@example.org")
    expect(row).to_contain_text("Finance")

    # The email is held in the outbox (no mail server in tests), without the link.
    follow(page, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Outbox"))
    card = page.locator(".nhsuk-card").filter(has_text="To sam.example@example.org")
    expect(card.get_by_role("heading")).to_have_text("You are invited to the Involvement bank")
    expect(card).to_contain_text("The link is not shown here")
    expect(card.locator("pre")).not_to_contain_text("/invitation/")

    # Its sender shows it, on purpose, to pass it on.
    follow(page, page.get_by_role("navigation", name="Menu").get_by_role("link",
                                                                          name="Invitations"))
    follow(page, page.get_by_role("link", name="Links you have sent"))
    row = page.get_by_role("row").filter(has_text="Sam Example")
    expect(row).to_contain_text("Not used yet")
    submit(page, row.get_by_role("button", name="Show the link for Sam Example"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The link for Sam Example")
    body = page.locator(".nhsuk-inset-text").inner_text()
    match = re.search(r"https?://\S+/invitation/\S+", body)
    assert match, body
    # The link names the configured base URL (http://localhost in tests);
    # the same path is opened on the live server.
    link = urlsplit(match.group(0)).path

    # The invited person, in their own browser, signed out.
    theirs = new_context().new_page()
    response = visit(theirs, link)
    assert response.status == 200
    expect(theirs.get_by_role("heading", level=1)).to_have_text("Choose your password")
    expect(theirs.get_by_role("main")).to_contain_text("sam.example@example.org")
    theirs.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    theirs.get_by_label("Type your password again").fill(NEW_PASSWORD)
    response = submit(theirs, theirs.get_by_role("button", name="Save password and sign in"))

    assert response.status == 200
    assert path_of(theirs) == "/"
    expect(theirs.get_by_role("heading", level=1)).to_have_text("Finance")
    expect(theirs.locator(".nhsuk-notification-banner")).to_contain_text(
        "Your password is set and you are signed in.")
    expect(theirs.get_by_role("navigation", name="Account")).to_contain_text(
        "Sam Example (Finance)")

    # The link works once.
    again = new_context().new_page()
    response = visit(again, link)
    assert response.status == 404
    expect(again.get_by_role("heading", level=1)).to_have_text(
        "This link has expired or has already been used")
    expect(again.get_by_label("Password", exact=True)).to_have_count(0)

    # And the administrator no longer sees them waiting; the link is marked used.
    visit(page, "/invitations")
    expect(page.get_by_role("main")).to_contain_text("Nobody is waiting to accept an invitation.")
    visit(page, "/invitations/sent")
    row = page.get_by_role("row").filter(has_text="Sam Example")
    expect(row).to_contain_text("Used")
    expect(row.get_by_role("button")).to_have_count(0)

    # They can sign in with the password they chose.
    sign_in(again, "sam.example@example.org", NEW_PASSWORD)
    assert path_of(again) == "/"


def test_changing_password(page: Page, new_context, db: Session) -> None:
    user = make_user(db, Role.FINANCE)
    elsewhere = new_context().new_page()
    log_in(elsewhere, user)
    log_in(page, user)

    # Their own name in the header leads to their account.
    account = page.get_by_role("navigation", name="Account")
    follow(page, account.get_by_role("link", name=user.display_name))
    expect(page.get_by_role("main")).to_contain_text(user.email)
    follow(page, page.get_by_role("link", name="Change password"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")

    # A wrong current password: said in the summary and next to the field.
    page.get_by_label("Current password", exact=True).fill("not-my-password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type your new password again").fill(NEW_PASSWORD)
    response = submit(page, page.get_by_role("button", name="Change password"))

    assert response.status == 400
    assert page.title().startswith("Error: Change your password")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(["Your current password is not right"])
    expect(summary.get_by_role("link")).to_have_attribute("href", "#current_password")
    assert "Your current password is not right" in described_by_text(page, "current_password")
    assert "not right" not in described_by_text(page, "new_password")
    page.locator(".nhsuk-form-group--error").filter(has=page.locator("#current_password"))\
        .wait_for()

    # Right this time.
    page.get_by_label("Current password", exact=True).fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type your new password again").fill(NEW_PASSWORD)
    response = submit(page, page.get_by_role("button", name="Change password"))

    assert response.status == 200
    assert path_of(page) == "/account"
    banner = page.locator(".nhsuk-notification-banner--success")
    expect(banner).to_contain_text("Your password has been changed.")
    expect(banner).to_contain_text("You have been signed out everywhere else.")

    # The other browser has been signed out, and the new password works there.
    visit(elsewhere, "/")
    assert path_of(elsewhere) == "/sign-in"
    sign_in(elsewhere, user.email, NEW_PASSWORD)
    assert path_of(elsewhere) == "/"

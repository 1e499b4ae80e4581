"""Error pages in a real browser: plain words, the right status, and axe-clean."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from flask import Blueprint
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm import create_app
from crm.audit.models import AuditEvent
from crm.permissions import Role
from crm.web.decorators import public
from tests.browser.harness import log_in, serve, sign_in, visit
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, failed_sign_ins, make_user


def h1(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("heading", level=1)


def test_page_not_found(page: Page, db: Session) -> None:
    user = make_user(db, Role.COORDINATOR)
    log_in(page, user)

    response = visit(page, "/no-such-page")

    assert response.status == 404
    expect(page).to_have_title("Page not found – Involvement bank")
    expect(h1(page)).to_have_text("Page not found")
    # Signed in, so the header still shows who you are and where you can go.
    expect(page.get_by_role("navigation", name="Menu")).to_contain_text("Home")
    expect(page.get_by_role("link", name="Go to the home page")).to_have_attribute("href", "/")


def test_no_access(page: Page, db: Session) -> None:
    user = make_user(db, Role.COORDINATOR)
    log_in(page, user)

    response = visit(page, "/admin/users")

    assert response.status == 403
    expect(h1(page)).to_have_text("You do not have access to this page")
    expect(page.get_by_role("main")).to_contain_text("ask your administrator")
    db.rollback()
    denied = db.scalars(select(AuditEvent).where(AuditEvent.action == "permission_denied",
                                                 AuditEvent.actor_id == user.id)).all()
    assert len(denied) == 1


def test_too_many_attempts(page: Page, db: Session, settings) -> None:  # type: ignore[no-untyped-def]
    user = make_user(db, Role.CONTRIBUTOR)
    # The account has nearly reached its limit (from another address, so only
    # the per-account limit is at work); the next failure through the form
    # reaches it.
    failed_sign_ins(db, settings.max_failures_per_account - 1, email=user.email,
                    ip="203.0.113.9")

    response = sign_in(page, user.email, "not-the-right-password")
    assert response.status == 400
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a correct email")

    # Now even the right password is refused, with a page that says why.
    response = sign_in(page, user.email, PASSWORD)

    assert response.status == 429
    expect(page).to_have_title("Too many attempts – Involvement bank")
    expect(h1(page)).to_have_text("Too many attempts")
    expect(page.get_by_role("main")).to_contain_text(
        re.compile(rf"try again in {settings.sign_in_window_minutes} minutes"))
    visit(page, "/")
    assert urlsplit(page.url).path == "/sign-in"


@pytest.fixture(scope="module")
def failing_server(database_url: str,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second app instance, on the same database, with one extra route
    that fails. Routes cannot be added to the session's app once it has
    served a request, and the app itself has no way to fail on purpose."""
    app = create_app({
        "database_url": database_url,
        "testing": True,
        "secret_key": TEST_SECRET,
        "instance_path": str(tmp_path_factory.mktemp("failing-instance")),
        "base_url": "http://localhost",
        "mail_host": "",
    })
    extra = Blueprint("test_only", __name__)

    @extra.route("/test-only/fail")
    @public
    def fail() -> str:
        raise RuntimeError("a deliberate failure, for the 500 page test")

    app.register_blueprint(extra)
    with serve(app) as url:
        yield url


def test_server_error(page: Page, failing_server: str) -> None:
    response = visit(page, f"{failing_server}/test-only/fail")

    assert response.status == 500
    expect(page).to_have_title("Sorry, there is a problem with the service – Involvement bank")
    expect(h1(page)).to_have_text("Sorry, there is a problem with the service")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Anything you were changing has not been saved.")
    # Nothing about the failure itself is shown.
    expect(main).not_to_contain_text("RuntimeError")
    expect(main).not_to_contain_text("deliberate")

"""Issue 9 (messages) tried as a new user would, in a real browser: a
coordinator changes a session's time and the four people confirmed for it
are told, each in their own way: one by text message through GOV.UK Notify
(the fake, over HTTP, checking each request), one by email (Notify too, in
Easy Read as she asked), one by a large print letter on the print list, and
one through her supporter. The coordinator then finds the letter on the
Messages pages, opens it to print and marks it printed.

Every page is checked with axe (WCAG 2.2 A and AA), at 320 px and for
console errors by the harness (tests/browser/harness.py). The people and the
role are arranged with factories: filling those in is tested elsewhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.mail.models import OutboxMessage
from crm.matching.models import OfferStatus
from crm.matching.offers import london_today
from crm.permissions import Role
from crm.projects.roles import to_utc
from tests.browser.harness import follow, log_in, submit
from tests.factories import communication, consent, make_contributor, make_user
from tests.fake_notify import FakeNotify, app_pointed_at, running
from tests.project_factories import make_offer, make_role, make_ward, role_session

ROLE = "Ward menu tasting panel"


@pytest.fixture
def notify(app: Flask) -> Iterator[FakeNotify]:
    """The fake Notify, and the live server's app pointed at it."""
    with running() as fake, app_pointed_at(app, fake):
        yield fake


def person(db: Session, name: str, order: list[str], **comm: object):  # type: ignore[no-untyped-def]
    first = name.split()[0].lower()
    return make_contributor(db, full_name=name, email=f"{first}@example.org",
                            phone="07700 900321", postal_address="4 Park Lane\nLeeds\nLS2 9JT",
                            consents=[consent("contact")],
                            communication=communication(channel_order=order, **comm))


def h1(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("heading", level=1)


def main(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("main")


def test_a_changed_time_reaches_four_people_four_ways(page: Page, db: Session,
                                                     notify: FakeNotify) -> None:
    day = london_today() + dt.timedelta(days=14)
    ward = make_ward(db, "Aire Ward", site="Oak House")
    role = make_role(db, title=ROLE, places=4, sessions=[
        role_session(to_utc(day, dt.time(10, 0)), 120, ward_id=ward.id)])
    people = {
        "text": person(db, "Tomas Reyes", ["text", "email"]),
        "email": person(db, "Esme Clarke", ["email"], information_format="easy_read"),
        "letter": person(db, "Lorna Hughes", ["letter"], information_format="large_print"),
        "supporter": person(db, "Sadia Khan", ["email"], via_supporter=True,
                            supporter_name="Priya Khan (sister)",
                            supporter_contact="priya.khan@example.org"),
    }
    for c in people.values():
        make_offer(db, role, c, OfferStatus.ACCEPTED)
    coordinator = make_user(db, Role.COORDINATOR, name="Kim Coordinator")

    # 1. The coordinator changes the session's start time.
    log_in(page, coordinator, f"/projects/roles/{role.id}")
    expect(h1(page)).to_have_text(ROLE)
    follow(page, main(page).get_by_role("link", name="Change the session on"))
    expect(main(page)).to_contain_text("everyone confirmed for the session is told straight away")
    page.get_by_label("Start time (UK time)").fill("14:00")
    submit(page, page.get_by_role("button", name="Save session"))
    expect(h1(page)).to_have_text(ROLE)

    # 2. Each is told their own way, straight away.
    [text] = notify.by_type("sms")
    assert text.to == "07700 900321"
    assert "2pm to 4pm" in text.personalisation["body"]
    emails = {n.to: n for n in notify.by_type("email")}
    assert set(emails) == {"esme@example.org", "priya.khan@example.org"}
    assert emails["esme@example.org"].personalisation["subject"].startswith(
        "A change to your meeting")
    assert "This message is for Sadia" in emails["priya.khan@example.org"].personalisation["body"]
    db.expire_all()
    [letter] = db.scalars(select(OutboxMessage).where(OutboxMessage.channel == "letter")).all()
    assert (letter.status, letter.information_format) == ("to_print", "large_print")

    # 3. The letter is on the print list; printed, it is marked printed.
    follow(page, page.get_by_role("navigation", name="Menu").get_by_role("link",
                                                                        name="Messages"))
    expect(h1(page)).to_have_text("Messages")
    expect(main(page)).to_contain_text("Letters to print: 1")
    follow(page, main(page).get_by_role("link", name="Letters to print"))
    expect(h1(page)).to_have_text("Letters to print")
    follow(page, main(page).get_by_role("link", name="Open these letters to print"))
    sheet = main(page).locator("article.app-letter")
    expect(sheet).to_have_count(1)
    expect(sheet).to_have_class("app-letter app-letter--large")
    expect(sheet).to_contain_text("Lorna Hughes")
    expect(sheet).to_contain_text("4 Park Lane")
    expect(sheet).to_contain_text("2pm to 4pm")
    follow(page, page.get_by_role("link", name="Back to letters to print"))
    main(page).get_by_label(f"Changed: {ROLE} session (time)", exact=False).check()
    submit(page, page.get_by_role("button", name="Mark the ticked letters printed"))
    expect(main(page)).to_contain_text("1 letter marked as printed.")
    expect(main(page)).to_contain_text("There are no letters to print.")
    db.expire_all()
    assert db.get_one(OutboxMessage, letter.id).status == "printed"

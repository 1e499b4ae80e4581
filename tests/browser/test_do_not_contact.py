""""Do not contact" where a coordinator acts, in a real browser: the list,
the record, the invite page and the download; and the deliberate, audited
way to include their contact details. Every page is checked with axe and at
320 px by the harness (tests/browser/harness.py)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from crm.audit.models import AuditEvent
from crm.permissions import Role
from tests.browser.harness import follow, log_in, submit, visit
from tests.factories import consent, make_contributor, make_user


@pytest.fixture
def people(db):  # type: ignore[no-untyped-def]
    said_no = make_contributor(db, full_name="Noor Quiet", email="noor@example.org",
                               phone="07700 900123", consents=[consent(
                                   "contact", given=False,
                                   withdrawn_on=dt.date(2026, 6, 1))])
    said_yes = make_contributor(db, full_name="Yusuf Happy", email="yusuf@example.org",
                                consents=[consent("contact")])
    return said_no, said_yes


def read_download(page: Page, trigger) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    with page.expect_download() as info:
        trigger()
    with open(info.value.path(), encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    return {row["Full name"]: row for row in rows}


def test_do_not_contact_is_marked_in_list_record_invite_and_download(
        page: Page, db, people) -> None:
    said_no, _said_yes = people
    log_in(page, make_user(db, Role.COORDINATOR), "/contributors/")

    row = page.get_by_role("row").filter(has_text="Noor Quiet")
    expect(row).to_contain_text("Do not contact")
    expect(page.get_by_role("row").filter(has_text="Yusuf Happy")).not_to_contain_text(
        "Do not contact")

    body = read_download(page, lambda: page.get_by_role("link", name="CSV", exact=True).click())
    assert body["Noor Quiet"]["May be contacted"] == "No: do not contact"
    assert body["Noor Quiet"]["Email"] == "" and body["Noor Quiet"]["Phone"] == ""
    assert body["Yusuf Happy"]["Email"] == "yusuf@example.org"

    follow(page, row.get_by_role("link", name="Noor Quiet"))
    warning = page.get_by_role("heading", name="Important: Do not contact")
    expect(warning).to_be_visible()
    # At the top of the record, before its sections.
    assert warning.bounding_box()["y"] < page.get_by_role(  # type: ignore[index]
        "heading", name="Personal details").bounding_box()["y"]  # type: ignore[index]

    visit(page, f"/contributors/{said_no.id}/invite")
    expect(page.get_by_role("heading", name="Important: Do not contact")).to_be_visible()


def test_contact_details_are_included_only_with_a_reason(page: Page, db, people) -> None:
    log_in(page, make_user(db, Role.COORDINATOR), "/contributors/")
    follow(page, page.get_by_role("link", name="Include their contact details, giving a reason"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("may not be contacted")
    expect(page.get_by_role("main")).to_contain_text("1 person")

    response = submit(page, page.get_by_role("button", name="Download with contact details"))
    assert response.status == 400
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Say why you need the contact details")
    expect(summary.get_by_role("link")).to_have_attribute("href", "#reason")

    page.get_by_label("Why do you need their contact details?").fill(
        "Returning a coat left at the meeting")
    body = read_download(page, lambda: page.get_by_role(
        "button", name="Download with contact details").click())
    assert body["Noor Quiet"]["Email"] == "noor@example.org"
    assert body["Noor Quiet"]["May be contacted"] == "No: do not contact"
    db.expire_all()
    event = db.scalars(select(AuditEvent).where(
        AuditEvent.action == "export_contact_override")).one()
    assert "Returning a coat" in (event.summary or "")

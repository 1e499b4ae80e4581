"""A coordinator in a real browser: find a contributor with the list filters,
open their record, edit a section, print the adjustments checklist. Every
page is checked with axe-core by the harness (tests/browser/harness.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from crm.contributors.models import (
    Adjustment,
    CommunicationPreference,
    Consent,
    LivedExperience,
    TrainingCompletion,
)
from crm.db import utcnow
from crm.permissions import Role
from tests.browser.harness import follow, log_in, submit, visit
from tests.factories import make_contributor, make_user


@pytest.fixture
def coordinator(db):  # type: ignore[no-untyped-def]
    return make_user(db, Role.COORDINATOR, name="Cora Ordinator")


@pytest.fixture
def ruth(db):  # type: ignore[no-untyped-def]
    person = make_contributor(db, full_name="Ruth Okafor", preferred_name="Ruth",
                              pronouns="she/her", email="ruth@example.org")
    db.add_all([
        LivedExperience(kind="carer", contributor=person),
        Adjustment(code="quiet_room", note="Room 2, ground floor", contributor=person),
        Adjustment(code="easy_read", contributor=person),
        Consent(kind="contact", is_given=True, recorded_on=dt.date(2025, 5, 1), method="online",
                contributor=person),
        CommunicationPreference(contributor=person, channel_order=["phone", "email"],
                                do_not_use=["letter"], information_format="easy_read",
                                papers_days_before=7),
        TrainingCompletion(course_code="safeguarding", completed_on=dt.date(2023, 1, 1),
                           expires_on=dt.date.today() + dt.timedelta(days=20),
                           contributor=person),
    ])
    db.commit()
    make_contributor(db, full_name="Sam Patel", email="sam@example.org")
    return person


def test_find_open_edit_and_print_checklist(page: Page, coordinator, ruth) -> None:
    log_in(page, coordinator)

    # Find them with the list filters.
    visit(page, "/contributors/")
    page.locator("input[name=adjustment][value=quiet_room]").check()
    page.locator("input[name=experience][value=carer]").check()
    submit(page, page.get_by_role("button", name="Apply filters"))
    results = page.get_by_role("table")
    expect(results).to_contain_text("Ruth Okafor")
    expect(results).not_to_contain_text("Sam Patel")

    # Open the record.
    follow(page, page.get_by_role("link", name="Ruth Okafor"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ruth Okafor")
    expect(page.locator("#adjustments")).to_contain_text("Quiet room to take time out")
    expect(page.locator("#training")).to_contain_text("Due soon")

    # Edit a section: availability.
    follow(page, page.locator("#availability").get_by_role("link", name=re.compile("^Change")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Availability")
    page.get_by_role("group", name="Tuesday").get_by_label("Morning").check()
    page.get_by_role("group", name="Thursday").get_by_label("Evening").check()
    page.get_by_label("Online only").check()
    page.get_by_label("How far can they travel to a meeting? (optional)").fill("12")
    submit(page, page.get_by_role("button", name="Save availability"))
    expect(page.get_by_text("Availability saved.")).to_be_visible()
    grid = page.locator("#availability table")
    expect(grid.get_by_role("row", name=re.compile("^Tuesday"))).to_contain_text("Free")
    expect(page.locator("#availability")).to_contain_text("Online only")
    expect(page.locator("#availability")).to_contain_text("12 miles each way")

    # The printable adjustments checklist.
    follow(page, page.get_by_role("link", name=re.compile("^Print a checklist for a meeting")))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ruth")
    expect(page.get_by_role("table", name="Sensory needs")).to_contain_text(
        "Their note: Room 2, ground floor")
    expect(page.get_by_role("table", name="Learning disability")).to_contain_text(
        "Easy Read")
    expect(page.get_by_role("table", name="Papers and communication")).to_contain_text(
        "Send the papers 7 days before the meeting")


def test_errors_are_summarised_and_linked_to_their_fields(page: Page, coordinator,
                                                          ruth) -> None:
    log_in(page, coordinator)
    visit(page, f"/contributors/{ruth.id}/edit/details")
    page.get_by_label("Full name").fill("")
    page.get_by_role("group", name="Date of birth (optional)").get_by_label("Day").fill("31")
    page.get_by_role("group", name="Date of birth (optional)").get_by_label("Month").fill("2")
    page.get_by_role("group", name="Date of birth (optional)").get_by_label("Year").fill("1980")
    response = submit(page, page.get_by_role("button", name="Save personal details"))
    assert response.status == 400
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter their full name")
    expect(summary).to_contain_text("Date of birth must be a real date")
    summary.get_by_role("link", name="Date of birth must be a real date").click()
    expect(page.locator("#date_of_birth-day")).to_be_focused()
    # Fix it and save.
    page.get_by_label("Full name").fill("Ruth A Okafor")
    page.get_by_role("group", name="Date of birth (optional)").get_by_label("Day").fill("28")
    submit(page, page.get_by_role("button", name="Save personal details"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ruth A Okafor")
    expect(page.locator("#details")).to_contain_text("28 February 1980")


def test_a_second_editor_sees_both_versions(new_context, db, ruth) -> None:
    first_user = make_user(db, Role.COORDINATOR, name="Alex First")
    second_user = make_user(db, Role.COORDINATOR, name="Bo Second")
    first = new_context().new_page()
    second = new_context().new_page()
    log_in(first, first_user)
    log_in(second, second_user)
    for page in (first, second):
        visit(page, f"/contributors/{ruth.id}/edit/details")
    first.get_by_label("Phone number (optional)").fill("0113 000 0001")
    submit(first, first.get_by_role("button", name="Save personal details"))
    second.get_by_label("Phone number (optional)").fill("0113 000 0002")
    response = submit(second, second.get_by_role("button", name="Save personal details"))
    assert response.status == 409
    expect(second.get_by_role("heading", level=1)).to_contain_text("Someone else changed")
    table = second.get_by_role("table")
    expect(table).to_contain_text("0113 000 0001")
    expect(table).to_contain_text("0113 000 0002")
    expect(second.get_by_text("Alex First", exact=False).first).to_be_visible()
    follow(second, second.get_by_role("button", name="Start again from the saved version"))
    expect(second.get_by_label("Phone number (optional)")).to_have_value("0113 000 0001")


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_adjustments_can_be_recorded_without_javascript(page: Page, coordinator, ruth) -> None:
    log_in(page, coordinator, f"/contributors/{ruth.id}")
    # The record's "Change" leads to a summary of the groups, one page each.
    follow(page, page.locator("#adjustments").get_by_role("link", name=re.compile("^Change")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reasonable adjustments")
    follow(page, page.get_by_role("link", name=re.compile(r"^Change\s+Autism-informed")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Autism-informed")
    expect(page.get_by_role("checkbox", name="Quiet room to take time out")).to_have_count(0)
    page.get_by_role("checkbox", name="Regular breaks").check()
    # Without JavaScript every note box is shown; type one for the new adjustment.
    page.get_by_label("Note about this (optional): Regular breaks").fill("Every 45 minutes")
    submit(page, page.get_by_role("button", name="Save and go back to adjustments"))
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Autism-informed saved.")
    expect(page.locator("main")).to_contain_text("Every 45 minutes")
    follow(page, page.get_by_role("button", name="Done, back to their record"))
    expect(page.locator("#adjustments")).to_contain_text("Note: Every 45 minutes")
    expect(page.locator("#adjustments")).to_contain_text("Quiet room to take time out")


def test_removal_request_leads_to_the_anonymise_page(page: Page, db, coordinator,
                                                     ruth) -> None:
    ruth.removal_requested_at = utcnow()
    db.commit()
    log_in(page, coordinator)
    visit(page, f"/contributors/{ruth.id}")
    expect(page.get_by_text("Removal requested")).to_be_visible()
    follow(page, page.get_by_role("link", name=re.compile("^Anonymise their record")))
    expect(page.get_by_role("heading", name="What will be removed")).to_be_visible()
    response = submit(page, page.get_by_role("button", name="Anonymise record"))
    assert response.status == 400  # the confirmation box was not ticked
    page.get_by_label("I understand that this cannot be undone").check()
    submit(page, page.get_by_role("button", name="Anonymise record"))
    expect(page.get_by_text("This record was anonymised")).to_be_visible()


def test_training_due_list(page: Page, coordinator, ruth) -> None:
    log_in(page, coordinator)
    visit(page, "/contributors/training-due")
    row = page.get_by_role("row", name=re.compile("Ruth Okafor"))
    expect(row).to_contain_text("Safeguarding")
    expect(row).to_contain_text("Due soon")
    expect(row).to_contain_text("(in 20 days)")


def test_withdrawing_consent_asks_on_a_page_of_its_own(page: Page, coordinator, ruth) -> None:
    log_in(page, coordinator)
    visit(page, f"/contributors/{ruth.id}")
    expect(page.get_by_role("heading", name="Do not contact")).to_have_count(0)

    follow(page, page.get_by_role("link", name=re.compile(
        r"Withdraw\s+consent to be contacted", re.I)))
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw their consent?")
    # Going back changes nothing.
    follow(page, page.get_by_role("link", name="No, go back to their record"))
    expect(page.get_by_role("heading", name="Do not contact")).to_have_count(0)

    follow(page, page.get_by_role("link", name=re.compile(
        r"Withdraw\s+consent to be contacted", re.I)))
    submit(page, page.get_by_role("button", name="Yes, withdraw this consent"))
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Consent withdrawn")
    expect(page.get_by_role("heading", name="Do not contact")).to_be_visible()


# ---------------------------------------------------------------- after a save

BANNER_IN_VIEW = """() => {
  const banner = document.querySelector('.nhsuk-notification-banner--success');
  if (!banner) return false;
  const box = banner.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
}"""
BANNER_FOCUSED = """() => {
  const banner = document.querySelector('.nhsuk-notification-banner--success');
  return banner !== null && document.activeElement === banner;
}"""


def _save_support(page: Page) -> None:
    # Support is the last section on the record: a jump to its anchor would
    # scroll the banner out of view.
    page.get_by_role("checkbox", name="Supervision").check()
    submit(page, page.get_by_role("button", name="Save support"))


def test_after_a_save_the_banner_is_in_view_and_focused(page: Page, coordinator,
                                                         ruth) -> None:
    log_in(page, coordinator, f"/contributors/{ruth.id}/edit/support")
    _save_support(page)
    banner = page.locator(".nhsuk-notification-banner--success")
    expect(banner).to_contain_text("Support in place saved.")
    assert "#" not in page.url
    assert page.evaluate(BANNER_IN_VIEW)
    page.wait_for_function(BANNER_FOCUSED)
    assert page.evaluate(BANNER_FOCUSED)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_after_a_save_the_banner_is_in_view_without_javascript(page: Page, coordinator,
                                                                ruth) -> None:
    log_in(page, coordinator, f"/contributors/{ruth.id}/edit/support")
    _save_support(page)
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Support in place saved.")
    assert "#" not in page.url
    assert page.evaluate(BANNER_IN_VIEW)


# ---------------------------------------------------------------- removing training


def test_removing_training_asks_on_a_page_of_its_own(page: Page, coordinator, ruth) -> None:
    log_in(page, coordinator, f"/contributors/{ruth.id}")
    remove = page.locator("#training").get_by_role("link", name=re.compile("^Remove"))
    expect(remove).to_have_accessible_name(re.compile(r"Remove\s+Safeguarding, completed"))
    follow(page, remove)
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove this training?")
    expect(page.get_by_text("Safeguarding", exact=False).first).to_be_visible()
    # Going back changes nothing.
    follow(page, page.get_by_role("link", name="No, go back to their record"))
    expect(page.locator("#training")).to_contain_text("Safeguarding")

    follow(page, page.locator("#training").get_by_role("link", name=re.compile("^Remove")))
    submit(page, page.get_by_role("button", name="Yes, remove this training"))
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "removed from their training")
    expect(page.locator("#training")).to_contain_text("No training recorded.")


# ---------------------------------------------------------------- printing the checklist


def test_checklist_prints_with_aligned_columns(page: Page, coordinator, ruth) -> None:
    log_in(page, coordinator, f"/contributors/{ruth.id}/adjustments/checklist")
    button = page.get_by_role("button", name="Print this checklist")
    expect(button).to_be_visible()
    page.evaluate("() => { window.print = () => { window.appPrinted = true; }; }")
    button.click()
    assert page.evaluate("() => window.appPrinted === true")

    page.emulate_media(media="print")
    expect(page.locator(".nhsuk-header")).to_be_hidden()
    expect(button).to_be_hidden()
    columns = page.evaluate("""() => [...document.querySelectorAll('.app-checklist-table')]
        .map(t => [...t.querySelectorAll('th')].map(th => {
            const box = th.getBoundingClientRect();
            return [Math.round(box.left), Math.round(box.width)];
        }))""")
    assert len(columns) >= 3
    assert all(c == columns[0] for c in columns), columns
    # On paper each table stays a table (not the phone layout's stacked rows).
    assert page.evaluate(
        "() => getComputedStyle(document.querySelector('.app-checklist-table td')).display"
    ) == "table-cell"


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_checklist_without_javascript_says_how_to_print(page: Page, coordinator,
                                                        ruth) -> None:
    log_in(page, coordinator, f"/contributors/{ruth.id}/adjustments/checklist")
    expect(page.get_by_role("button", name="Print this checklist")).to_have_count(0)
    expect(page.get_by_text("Print this page (for example with Ctrl and P)")).to_be_visible()

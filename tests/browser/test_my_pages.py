"""A contributor's own pages in a real browser: signing in, switching to
Easy Read, answering the contact questions one page at a time, choosing
adjustments, downloading their data; errors and conflicts; and every /my
page in both modes. The harness checks each page with axe (WCAG 2.2 AA)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.contributors import editing, services
from crm.contributors.models import (
    Adjustment,
    CommunicationPreference,
    Consent,
    Contributor,
    TrainingCompletion,
)
from crm.db import utcnow
from crm.equality.questions import equality_questions
from crm.matching.models import OfferStatus
from crm.permissions import Role
from crm.reference import reference
from tests.browser.harness import check_a11y, follow, log_in, submit, visit
from tests.factories import make_signed_up_contributor, make_user
from tests.project_factories import make_offer, make_role, role_session

EASY = re.compile(r"\bapp-easy-read\b")


def h1(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("heading", level=1)


def main(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("main")


@pytest.fixture
def person(db: Session) -> tuple[User, Contributor]:
    return make_signed_up_contributor(db, "Robin Example")


def reload(db: Session, c: Contributor) -> Contributor:
    db.commit()
    db.expire_all()
    found = db.get(Contributor, c.id)
    assert found is not None
    return found


def test_a_contributor_uses_easy_read_changes_answers_and_downloads_data(
        page: Page, db: Session, person: tuple[User, Contributor]) -> None:
    user, c = person
    log_in(page, user)
    visit(page, "/my/")
    expect(h1(page)).to_have_text("Your record")

    # Easy Read: a button on the page; it sticks.
    submit(page, page.get_by_role("button", name="Switch to Easy Read"))
    expect(page.locator("body")).to_have_class(EASY)
    expect(page.get_by_role("button", name="Switch to standard")).to_be_visible()
    assert reload(db, c).prefers_easy_read

    # How to contact me, one question per page.
    follow(page, main(page).get_by_role("link", name="How to contact me"))
    expect(h1(page)).to_have_text("How to contact me")
    follow(page, page.get_by_role("button", name="Go through the questions"))
    expect(h1(page)).to_have_text("How can we contact you?")
    page.get_by_role("group", name="You can contact me by").get_by_label("Email").check()
    page.get_by_role("group", name="You can contact me by").get_by_label("Text message").check()
    page.get_by_role("group", name="Never contact me by").get_by_label("Phone call").check()
    submit(page, page.get_by_role("button", name="Save"))

    expect(h1(page)).to_have_text("When is a good time to contact you?")
    page.get_by_label("When is a good time to contact you?").fill("Weekday mornings")
    submit(page, page.get_by_role("button", name="Save"))

    expect(h1(page)).to_have_text("How do you like information?")
    page.get_by_label("In my language").check()
    page.get_by_label("Which language?").fill("Polish")
    submit(page, page.get_by_role("button", name="Save"))

    expect(h1(page)).to_have_text("Should we talk to someone who helps you?")
    page.get_by_label("No", exact=True).check()
    submit(page, page.get_by_role("button", name="Save"))

    expect(h1(page)).to_have_text("When do you want the papers?")
    page.get_by_label("When do you want the papers?").fill("7")
    submit(page, page.get_by_role("button", name="Save"))

    expect(h1(page)).to_have_text("Do you want to keep your camera off?")
    page.get_by_label("Yes", exact=True).check()
    submit(page, page.get_by_role("button", name="Save"))

    # The answers, "check your answers" style.
    expect(h1(page)).to_have_text("How to contact me")
    for text in ("Email", "Text message", "Phone call", "Weekday mornings",
                 "In my language: Polish", "7 days before"):
        expect(main(page)).to_contain_text(text)
    comm = reload(db, c).communication
    assert comm is not None
    assert (comm.channel_order, comm.do_not_use) == (["email", "text"], ["phone"])
    assert (comm.information_format, comm.language, comm.papers_days_before) == (
        "translated", "Polish", 7)

    # Adjustments: a group's page, labelled with the Easy Read sentences.
    follow(page, page.get_by_role("link", name="Back to your record").first)
    follow(page, main(page).get_by_role("link", name="What helps me take part"))
    follow(page, page.get_by_role("link", name="Change the room"))
    expect(h1(page)).to_have_text("The room")
    ref = reference().adjustments
    page.get_by_label(ref.get("quiet_room").easy_read).check()
    page.get_by_label(ref.get("natural_light").easy_read).check()
    submit(page, page.get_by_role("button", name="Save"))
    expect(h1(page)).to_have_text("What helps me take part")
    expect(main(page)).to_contain_text(ref.get("quiet_room").easy_read)
    assert {a.code for a in reload(db, c).adjustments} == {"quiet_room", "natural_light"}

    # Download my data: the printable page, then the file.
    follow(page, page.get_by_role("link", name="Back to your record").first)
    follow(page, main(page).get_by_role("link", name="Get a copy of my record"))
    expect(main(page)).to_contain_text("Weekday mornings")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Save it as a file").click()
    download = download_info.value
    assert download.suggested_filename.startswith("my-involvement-record-")
    data = json.loads(open(download.path(), encoding="utf-8").read())  # noqa: SIM115
    assert data["record"]["full_name"] == "Robin Example"
    assert data["record"]["communication"]["best_times"] == "Weekday mornings"
    assert sorted(data["record"]["adjustments"]) == ["natural_light", "quiet_room"]
    check_a11y(page)  # still on the printable page

    # And back to the standard pages.
    submit(page, page.get_by_role("button", name="Switch to standard"))
    expect(page.locator("body")).not_to_have_class(EASY)
    assert not reload(db, c).prefers_easy_read


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_questions_work_without_javascript_and_show_errors(
        page: Page, db: Session, person: tuple[User, Contributor]) -> None:
    user, c = person
    log_in(page, user)
    visit(page, "/my/communication/format")
    expect(h1(page)).to_have_text("How would you like information?")
    # Without JavaScript the follow-up question is simply shown.
    expect(page.get_by_label("Which language do you read best?")).to_be_visible()
    page.get_by_label("Translated into another language").check()
    response = submit(page, page.get_by_role("button", name="Save and continue"))
    assert response.status == 400
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter the language")).to_have_attribute(
        "href", "#language")
    expect(page).to_have_title("Error: How would you like information? – Involvement bank")
    page.get_by_label("Which language do you read best?").fill("Welsh")
    submit(page, page.get_by_role("button", name="Save and continue"))
    expect(h1(page)).to_have_text("Should we contact you through a supporter or advocate?")
    comm = reload(db, c).communication
    assert comm is not None and comm.language == "Welsh"


def test_a_conflict_keeps_what_was_entered(page: Page, db: Session,
                                           person: tuple[User, Contributor]) -> None:
    user, c = person
    log_in(page, user)
    visit(page, "/my/communication/times")
    page.get_by_label("When is the best time to contact you?").fill("After 10am")

    coordinator = make_user(db, Role.COORDINATOR)
    fresh = reload(db, c)
    services.save_section(db, coordinator, fresh, fresh.version, "communication",
                          editing.set_communication(editing.Communication(best_times="Fridays")))
    db.commit()

    response = submit(page, page.get_by_role("button", name="Save and continue"))
    assert response.status == 409
    expect(h1(page)).to_have_text("Your record was changed while you were on this page")
    expect(main(page)).to_contain_text("Fridays")
    expect(page.get_by_label("When is the best time to contact you?")).to_have_value(
        "After 10am")
    submit(page, page.get_by_role("button", name="Save and continue"))
    comm = reload(db, c).communication
    assert comm is not None and comm.best_times == "After 10am"


def _fill(db: Session, c: Contributor, staff: User) -> None:
    c.adjustments.append(Adjustment(code="regular_breaks", note="Every 45 minutes"))
    c.communication = CommunicationPreference(channel_order=["email"], best_times="Mornings")
    c.consents.append(Consent(kind="contact", is_given=True, recorded_on=dt.date(2026, 1, 5),
                              method="paper", review_on=dt.date(2027, 1, 5)))
    c.consents.append(Consent(kind="record_keeping", is_given=False,
                              recorded_on=dt.date(2026, 1, 5), method="paper",
                              withdrawn_on=dt.date(2026, 3, 1)))
    c.training.append(TrainingCompletion(course_code="safeguarding",
                                         completed_on=dt.date(2025, 1, 10),
                                         expires_on=dt.date(2026, 1, 10)))
    c.training.append(TrainingCompletion(course_code="chairing_a_meeting",
                                         completed_on=dt.date(2026, 2, 1)))
    c.key_contact_id = staff.id
    db.commit()
    services.record_view(db, staff, c, "record")
    db.commit()


@pytest.mark.parametrize("easy", [False, True], ids=["standard", "easy-read"])
def test_every_my_page_passes_axe(page: Page, app: Flask, db: Session,
                                  person: tuple[User, Contributor], easy: bool) -> None:
    user, c = person
    staff = make_user(db, Role.COORDINATOR, name="Kim Keycontact")
    _fill(db, c, staff)
    c = reload(db, c)
    c.prefers_easy_read = easy
    c.removal_requested_at = None
    db.commit()
    log_in(page, user)
    # Every contributor page without URL arguments, each question page that
    # takes one, and an offer of theirs (My roles then shows it too).
    offer = make_offer(db, make_role(db, closes_on=dt.date.today() + dt.timedelta(days=9),
                                     description="Come and tell us about the food.",
                                     easy_read_description="Tell us about the food.",
                                     sessions=[role_session(utcnow() + dt.timedelta(days=12))]),
                       c, OfferStatus.OFFERED)
    paths = sorted(r.rule for r in app.url_map.iter_rules()
                   if r.endpoint.startswith(("my.", "equality.")) and not r.arguments
                   and "GET" in (r.methods or ()) and r.endpoint != "my.data_json")
    paths += [f"/my/adjustments/choose?group={g.code}" for g in reference().adjustments.groups]
    paths += [f"/my/equality/{q.code}" for q in equality_questions().asked]
    paths.append(f"/my/offers/{offer.id}")
    for path in paths:
        response = visit(page, path)
        assert response.status == 200, path
        if easy:
            expect(page.locator("body")).to_have_class(EASY)
        else:
            expect(page.locator("body")).not_to_have_class(EASY)
    # The pages with a message after an action.
    visit(page, "/my/remove")
    submit(page, page.get_by_role("button", name="Ask to be removed"))
    expect(main(page)).to_contain_text(
        "We will do it soon" if easy else "Your request is waiting for a coordinator")
    visit(page, "/my/consents")
    submit(page, page.get_by_role("button", name="Change to no" if easy else "Withdraw consent"))
    expect(h1(page)).to_have_text("What I said yes to" if easy else "My consents")

"""The coordinators' contributor record: the page, editing each section,
concurrent edits, consents, training, the checklist, inviting, anonymising,
and who may do what."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from sqlalchemy import func, select

from crm.accounts.models import User, UserSession
from crm.audit.models import AuditEvent
from crm.audit.services import REDACTED
from crm.contributors.models import (
    Adjustment,
    Consent,
    Contributor,
    LivedExperience,
    Skill,
    TrainingCompletion,
)
from crm.db import utcnow
from crm.mail.models import OutboxMessage
from crm.permissions import Role
from crm.web.templating import format_date
from tests.factories import adjustment, communication, consent, make_contributor, make_user
from tests.record_helpers import (
    RECORD_ROUTES,
    add_children,
    audit_rows,
    date_fields,
    edit_path,
    fresh,
    page_form,
    post_section,
    signed_in_client,
)

TODAY = dt.date.today()
SECTIONS = ["details", "experience", "skills", "availability", "status", "affiliations",
            "consents", "adjustments", "communication", "support"]


@pytest.fixture
def coordinator(db):
    return make_user(db, Role.COORDINATOR, name="Cora Ordinator")


@pytest.fixture
def coord_client(app, db, coordinator):
    client, _ = signed_in_client(app, db, user=coordinator)
    return client


@pytest.fixture
def person(db):
    return make_contributor(db, full_name="Ruth Okafor", email="ruth@example.org")


def html_of(response) -> str:
    return response.get_data(as_text=True)


# ---------------------------------------------------------------- the record page


def _glance(page: str) -> str:
    """The text of the "At a glance" card, tags stripped."""
    start = page.index('id="summary"')
    end = page.index("</nav>", start)
    return re.sub(r"\s+", " ", page[start:end])


def test_record_opens_with_a_summary(coord_client, db, person) -> None:
    key = make_user(db, Role.COORDINATOR, name="Kim Key")
    person = fresh(db, person.id)
    person.status = "paused"
    person.paused_until = TODAY + dt.timedelta(days=10)
    person.key_contact_id = key.id
    person.consents.append(consent("contact", recorded_on=dt.date(2025, 5, 1),
                                   review_on=TODAY + dt.timedelta(days=5)))
    person.adjustments.extend([adjustment("quiet_room"), adjustment("regular_breaks")])
    person.training.append(TrainingCompletion(
        course_code="safeguarding", completed_on=dt.date(2023, 1, 1),
        expires_on=TODAY + dt.timedelta(days=20)))
    db.commit()
    page = html_of(coord_client.get(f"/contributors/{person.id}"))
    glance = _glance(page)
    assert page.index('id="summary"') < page.index('id="details"')
    assert "Given on 1 May 2025" in glance
    assert f"review by {format_date(TODAY + dt.timedelta(days=5))}" in glance
    assert "Quiet room to take time out" in glance and "Regular breaks" in glance
    assert f"Paused until {format_date(TODAY + dt.timedelta(days=10))}" in glance
    assert "Kim Key" in glance
    # What is due next, soonest first, each linking to its section.
    due = [glance.index(t) for t in ("Review their consent", "pause ends",
                                     "Safeguarding training runs out")]
    assert due == sorted(due)
    assert 'href="#training"' in page and 'href="#consents"' in page
    # Sections can be jumped to.
    for section in SECTIONS:
        assert f'href="#{section}"' in page


def test_summary_says_do_not_contact_and_nothing_due(coord_client, db, person) -> None:
    glance = _glance(html_of(coord_client.get(f"/contributors/{person.id}")))
    assert "<strong>Not recorded: do not contact them</strong>" in glance
    assert "No key contact" in glance and "None recorded" in glance
    assert "Nothing due in the next two months" in glance


def test_record_says_when_format_conflicts_with_an_adjustment(coord_client, db,
                                                                person) -> None:
    person = fresh(db, person.id)
    person.adjustments.append(adjustment("large_print"))
    person.communication = communication(information_format="standard")
    db.commit()
    page = html_of(coord_client.get(f"/contributors/{person.id}"))
    message = ("Their format for information is \u201cStandard\u201d, but their adjustments "
               "include \u201cLarge print\u201d")
    assert "Their format and adjustments disagree" in page
    assert page.count(message.replace("\u201c", "&#8220;").replace("\u201d", "&#8221;")) \
        + page.count(message) == 2  # at a glance and in communication preferences
    # Once they agree, nothing is said.
    person = fresh(db, person.id)
    person.communication.information_format = "large_print"
    db.commit()
    page = html_of(coord_client.get(f"/contributors/{person.id}"))
    assert "Their format and adjustments disagree" not in page
    assert "Their format for information is" not in page
    assert "Large print" in _glance(page)


def test_record_page_shows_every_section(coord_client, db, person) -> None:
    add_children(db, person, 3)
    person = fresh(db, person.id)
    person.what_i_bring = "I know what it is like on a ward at night."
    person.postal_address = "1 High Street\nHeadingley\nLeeds"
    person.status = "paused"
    person.paused_until = TODAY + dt.timedelta(days=40)
    db.commit()
    page = html_of(coord_client.get(f"/contributors/{person.id}"))
    for heading in ("Personal details", "Signing in", "Lived experience", "Skills and interests",
                    "Availability", "Status and key contact", "Peer work and organisations",
                    "Consents", "Reasonable adjustments", "Communication preferences",
                    "Training", "Support in place"):
        assert heading in page, heading
    assert "I know what it is like on a ward at night." in page
    # each line of the address on its own line, none indented
    assert "1 High Street<br>Headingley<br>Leeds" in coord_client.get(
        f"/contributors/{person.id}").get_data(as_text=True)
    assert "Paused: stepping back for a while" in page and "Expected back on" in page
    assert "Print a checklist for a meeting" in page
    assert "Invite them to sign in" in page
    # Expired training is said in words, not only shown in colour.
    assert "Expired on 1 January 2023" in page
    for section in SECTIONS:
        if section != "consents":
            assert f"/contributors/{person.id}/edit/{section}" in page, section
    assert f"/contributors/{person.id}/edit/consents?kind=contact" in page


def test_living_experience_wording_is_used_when_preferred(coord_client, db, person) -> None:
    person.prefers_living_experience = True
    db.commit()
    page = html_of(coord_client.get(f"/contributors/{person.id}"))
    assert "Living experience" in page


def test_left_is_not_shown_as_paused(coord_client, db, person) -> None:
    person.status = "left"
    person.left_on = dt.date(2025, 6, 1)
    db.commit()
    page = html_of(coord_client.get(f"/contributors/{person.id}"))
    assert "Left the involvement bank on 1 June 2025" in page
    assert "Paused:" not in page


def test_removal_request_shows_a_warning_with_a_link_to_anonymise(coord_client, db,
                                                                    person) -> None:
    person.removal_requested_at = utcnow()
    db.commit()
    page = html_of(coord_client.get(f"/contributors/{person.id}"))
    assert "Removal requested" in page
    assert f"/contributors/{person.id}/anonymise" in page


def test_viewing_the_record_is_audited(coord_client, db, coordinator, person) -> None:
    assert coord_client.get(f"/contributors/{person.id}").status_code == 200
    views = audit_rows(db, person.id, "view")
    assert [(v.summary, v.actor_id) for v in views] == [("record", coordinator.id)]


def test_missing_record_is_404(coord_client) -> None:
    assert coord_client.get("/contributors/999999").status_code == 404


def test_record_page_query_count_does_not_grow_with_child_rows(app, db, coord_client,
                                                                 count_queries) -> None:
    def run(n: int) -> int:
        c = make_contributor(db, key_contact=make_user(db, Role.COORDINATOR))
        add_children(db, c, n)
        count_queries.statements.clear()
        assert coord_client.get(f"/contributors/{c.id}").status_code == 200
        return count_queries.count

    few = run(1)
    many = run(3)
    assert few == many, count_queries.statements
    assert many <= 20, count_queries.statements


def test_get_pages_change_nothing(coord_client, db, person) -> None:
    add_children(db, person, 2)
    version = fresh(db, person.id).version
    for path in [f"/contributors/{person.id}", f"/contributors/{person.id}/adjustments/checklist",
                 f"/contributors/{person.id}/invite", f"/contributors/{person.id}/anonymise",
                 f"/contributors/{person.id}/training/new", "/contributors/training-due",
                 *[edit_path(person.id, s) for s in SECTIONS]]:
        assert coord_client.get(path).status_code == 200, path
    saved = fresh(db, person.id)
    assert saved.version == version
    assert saved.user_id is None and saved.anonymised_at is None
    assert audit_rows(db, person.id, "update") == []


# ---------------------------------------------------------------- editing each section


def _section_cases(db):  # type: ignore[no-untyped-def]
    """(section, form data, check of the saved record, values that must never
    reach the audit log, query string)."""
    key_contact = make_user(db, Role.COORDINATOR, name="Kim Contact")
    back_on = TODAY + dt.timedelta(days=30)
    return [
        ("details", {
            "full_name": "Ruth A Okafor", "preferred_name": "Roo", "pronouns": "she/her",
            "email": "Ruth.New@Example.org", "phone": "07700 900982",
            "postal_address": "1 High Street\nLeeds", "postcode_area": "ls6",
            **date_fields("date_of_birth", dt.date(1980, 4, 3))},
         lambda c: (c.full_name, c.preferred_name, c.email, c.postcode_area, c.date_of_birth,
                    c.search_text)
         == ("Ruth A Okafor", "Roo", "ruth.new@example.org", "LS6", dt.date(1980, 4, 3),
             "ruth a okafor roo ruth.new@example.org"),
         ["1980-04-03"], None),
        ("experience", {
            "experiences": ["carer", "patient_former"], "service_kinds": ["picu"],
            "what_i_bring": "Years on acute wards", "prefers_living_experience": "y"},
         lambda c: (sorted(e.kind for e in c.experiences), [s.code for s in c.service_kinds],
                    c.what_i_bring, c.prefers_living_experience)
         == (["carer", "patient_former"], ["picu"], "Years on acute wards", True),
         ["carer", "patient_former", "picu", "Years on acute wards"], None),
        ("skills", {"skills": ["interview_panels", "chairing"],
                    "other_skills": "Baking\n\nKnitting"},
         lambda c: sorted(s.code or s.label for s in c.skills)
         == ["Baking", "Knitting", "chairing", "interview_panels"], [], None),
        ("availability", {
            "slots": ["monday morning", "friday evening"], "attendance_mode": "online",
            "travel_max_miles": "10", "notice_days": "7", "availability_note": "Not in August"},
         lambda c: (sorted(f"{a.day} {a.part}" for a in c.availability), c.attendance_mode,
                    c.travel_max_miles, c.notice_days, c.availability_note)
         == (["friday evening", "monday morning"], "online", 10, 7, "Not in August"), [], None),
        ("status", {"status": "paused", **date_fields("paused_until", back_on),
                    "key_contact_id": str(key_contact.id)},
         lambda c: (c.status, c.paused_until, c.left_on, c.key_contact_id)
         == ("paused", back_on, None, key_contact.id), [], None),
        ("affiliations", {
            "is_peer_support_worker": "y", "peer_employer": "Leeds Mind",
            "organisations-0-name": "Hearing Voices Group", "organisations-0-user_led": "y",
            "organisations-1-name": "", "organisations-2-name": "Recovery College"},
         lambda c: (c.is_peer_support_worker, c.peer_employer,
                    sorted((a.organisation, a.is_user_led) for a in c.affiliations))
         == (True, "Leeds Mind", [("Hearing Voices Group", True), ("Recovery College", False)]),
         [], None),
        ("consents", {"is_given": "yes", "method": "paper", "kind": "story_sharing",
                      **date_fields("recorded_on", TODAY),
                      **date_fields("review_on", TODAY + dt.timedelta(days=365))},
         lambda c: [(x.kind, x.is_given, x.method, x.recorded_on) for x in c.consents]
         == [("story_sharing", True, "paper", TODAY)], [], "story_sharing"),
        ("adjustments", {"adjustments": ["quiet_room", "regular_breaks"],
                         "note-quiet_room": "Room 2 on the ground floor",
                         "note-fidget_toys": "not ticked, so not kept",
                         "adjustments_other": "Needs a lift to the first floor"},
         lambda c: (sorted((a.code, a.note) for a in c.adjustments), c.adjustments_other)
         == ([("quiet_room", "Room 2 on the ground floor"), ("regular_breaks", None)],
             "Needs a lift to the first floor"),
         ["quiet_room", "regular_breaks", "Room 2 on the ground floor",
          "Needs a lift to the first floor"], None),
        ("communication", {
            "rank_email": "2", "rank_phone": "1", "rank_text": "never", "rank_letter": "",
            "best_times": "Mornings", "information_format": "translated", "language": "Polish",
            "via_supporter": "y", "supporter_name": "Ana", "supporter_contact": "07700 900111",
            "papers_days_before": "7", "camera_optional": "yes"},
         lambda c: (c.communication.channel_order, c.communication.do_not_use,
                    c.communication.language, c.communication.supporter_name,
                    c.communication.papers_days_before, c.communication.camera_optional)
         == (["phone", "email"], ["text"], "Polish", "Ana", 7, True), [], None),
        ("support", {"support": ["supervision", "peer_support"],
                     "support-note-supervision": "Monthly with Jo"},
         lambda c: sorted((s.kind, s.note) for s in c.support)
         == [("peer_support", None), ("supervision", "Monthly with Jo")],
         ["Monthly with Jo"], None),
    ]


@pytest.mark.parametrize("index", range(len(SECTIONS)))
def test_each_section_saves_and_audits_without_special_category_values(
        coord_client, db, coordinator, person, index) -> None:
    section, data, check, secret_values, kind = _section_cases(db)[index]
    assert section == SECTIONS[index]
    version = person.version
    response = post_section(coord_client, person.id, section, data, kind=kind)
    assert response.status_code == 302, html_of(response)[:3000]
    # No jump to the section: the success banner at the top stays in view.
    assert response.headers["Location"].endswith(f"/contributors/{person.id}")
    saved = fresh(db, person.id)
    assert check(saved)
    assert saved.version > version
    updates = audit_rows(db, person.id, "update")
    assert [(u.summary, u.actor_id) for u in updates] == [(f"section: {section}", coordinator.id)]
    changes = updates[0].changes or {}
    assert changes, "the audit row says what changed"
    logged = json.dumps(changes)
    for value in secret_values:
        assert value not in logged, value
    for key in ("experiences", "service_kinds", "adjustments", "what_i_bring",
                "adjustment_notes", "adjustments_other", "date_of_birth", "support_notes"):
        if key in changes:
            assert changes[key] == {"old": REDACTED, "new": REDACTED}, key
    # The record page shows the change as saved.
    assert coord_client.get(f"/contributors/{person.id}").status_code == 200


def test_unknown_section_is_404(coord_client, person) -> None:
    assert coord_client.get(f"/contributors/{person.id}/edit/equality").status_code == 404


def test_editing_an_anonymised_record_is_refused(coord_client, db, person) -> None:
    person.anonymised_at = utcnow()
    db.commit()
    assert coord_client.get(edit_path(person.id, "details")).status_code == 403


BAD_INPUT = [
    ("details", {"full_name": ""}, "Enter their full name", None),
    ("details", {"full_name": "A", "email": "not-an-email"},
     "Enter an email address in the correct format", None),
    ("details", {"full_name": "A", **date_fields("date_of_birth", dt.date(2000, 1, 1)),
                 "date_of_birth-day": "31", "date_of_birth-month": "2"},
     "Date of birth must be a real date", None),
    ("details", {"full_name": "A", "date_of_birth-day": "3", "date_of_birth-year": "1980"},
     "Date of birth must include a month", None),
    ("details", {"full_name": "A", **date_fields("date_of_birth", TODAY + dt.timedelta(days=2))},
     "Date of birth must be a real date in the past", None),
    ("experience", {"experiences": ["martian"]}, "Select from the list", None),
    ("skills", {"other_skills": "x" * 101}, "Each skill must be 100 characters or fewer", None),
    ("availability", {"attendance_mode": "online", "travel_max_miles": "ten"},
     "Travel distance must be a whole number", None),
    ("availability", {"attendance_mode": "online", "travel_max_miles": "900"},
     "Travel distance must be between 0 and 500", None),
    ("availability", {"attendance_mode": "teleport"}, "Select how they can take part", None),
    ("status", {"status": "paused", **date_fields("paused_until", TODAY - dt.timedelta(days=1)),
                "key_contact_id": ""}, "The return date must be in the future", None),
    ("status", {"status": "active", "key_contact_id": "999999"},
     "Select a key contact from the list", None),
    ("affiliations", {"is_peer_support_worker": "y", "peer_employer": ""},
     "Enter who employs them as a peer support worker", None),
    ("consents", {"kind": "contact", "method": "paper", **date_fields("recorded_on", TODAY)},
     "Select whether they gave consent", "contact"),
    ("consents", {"kind": "contact", "is_given": "yes", "method": "paper",
                  **date_fields("recorded_on", TODAY),
                  **date_fields("review_on", TODAY - dt.timedelta(days=3))},
     "The review date must be after the date it was given", "contact"),
    ("adjustments", {"adjustments": ["quiet_room"], "note-quiet_room": "x" * 501},
     "Each note must be 500 characters or fewer", None),
    ("communication", {"rank_email": "1", "rank_phone": "1", "information_format": "standard",
                       "camera_optional": "yes"},
     "Give each way of contacting them a different place in the order", None),
    ("communication", {"rank_email": "never", "rank_phone": "never", "rank_text": "never",
                       "rank_letter": "never", "information_format": "standard",
                       "camera_optional": "yes"},
     "Leave at least one way to contact them", None),
    ("communication", {"information_format": "translated", "language": "",
                       "camera_optional": "yes"},
     "Enter the language", None),
    ("support", {"support": ["a_pony"]}, "Select from the list", None),
]


@pytest.mark.parametrize(("section", "data", "message", "kind"), BAD_INPUT)
def test_bad_input_is_400_with_the_error_and_nothing_saved(coord_client, db, person, section,
                                                           data, message, kind) -> None:
    before = fresh(db, person.id)
    version, name = before.version, before.full_name
    response = post_section(coord_client, person.id, section, data, kind=kind)
    assert response.status_code == 400
    page = html_of(response)
    assert "There is a problem" in page
    # In the error summary and beside the field.
    assert page.count(message) >= 2, page
    assert "<title>Error: " in page
    # Every link in the error summary goes to an input on the page.
    targets = re.findall(r'nhsuk-error-summary__list.*?</ul>', page, re.S)[0]
    for anchor in re.findall(r'href="#([^"]+)"', targets):
        assert f'id="{anchor}"' in page, anchor
    saved = fresh(db, person.id)
    assert (saved.version, saved.full_name) == (version, name)
    assert audit_rows(db, person.id, "update") == []


def test_a_post_without_the_csrf_token_is_refused(coord_client, db, person) -> None:
    response = coord_client.post(edit_path(person.id, "details"),
                                 data={"full_name": "Changed", "version": str(person.version)})
    assert response.status_code == 400
    assert fresh(db, person.id).full_name == "Ruth Okafor"


# ---------------------------------------------------------------- two people at once


def test_concurrent_edits_keep_the_first_change_and_show_both(app, db, person) -> None:
    first, first_user = signed_in_client(app, db)
    second, _ = signed_in_client(app, db)
    path = edit_path(person.id, "details")
    _, first_csrf, first_version = page_form(first, path)
    _, second_csrf, second_version = page_form(second, path)
    assert first_version == second_version

    saved = first.post(path, data={"csrf_token": first_csrf, "version": first_version,
                                   "full_name": "Ruth First-Change", "phone": "0113 000 0001"})
    assert saved.status_code == 302

    clash = second.post(path, data={"csrf_token": second_csrf, "version": second_version,
                                    "full_name": "Ruth Second-Change", "phone": "0113 000 0002"})
    assert clash.status_code == 409
    page = html_of(clash)
    assert "Someone else changed this record" in page
    assert "Ruth First-Change" in page and "Ruth Second-Change" in page
    assert "0113 000 0001" in page and "0113 000 0002" in page
    assert first_user.display_name in page  # who saved it
    assert f'href="{path}"' in page  # start again from the saved version

    kept = fresh(db, person.id)
    assert (kept.full_name, kept.phone) == ("Ruth First-Change", "0113 000 0001")
    assert [u.actor_id for u in audit_rows(db, person.id, "update")] == [first_user.id]

    # Starting again loads the saved version, and then saving works.
    retry = post_section(second, person.id, "details", {"full_name": "Ruth Second-Change"})
    assert retry.status_code == 302
    assert fresh(db, person.id).full_name == "Ruth Second-Change"


def test_conflict_on_a_list_section_shows_both_versions(app, db, person) -> None:
    first, _ = signed_in_client(app, db)
    second, _ = signed_in_client(app, db)
    path = edit_path(person.id, "adjustments")
    _, first_csrf, version = page_form(first, f"{path}/sensory")
    _, second_csrf, _ = page_form(second, f"{path}/sensory")
    assert first.post(path, data={"csrf_token": first_csrf, "version": version,
                                  "adjustments": ["quiet_room"]}).status_code == 302
    clash = second.post(path, data={"csrf_token": second_csrf, "version": version,
                                    "adjustments": ["regular_breaks"]})
    assert clash.status_code == 409
    page = html_of(clash)
    assert "Quiet room to take time out" in page and "Regular breaks" in page
    assert "Different" in page
    assert [a.code for a in fresh(db, person.id).adjustments] == ["quiet_room"]


# ---------------------------------------------------------------- consents


def _give(db, person, kind="contact"):  # type: ignore[no-untyped-def]
    db.add(Consent(kind=kind, is_given=True, recorded_on=dt.date(2025, 5, 1), method="online",
                   contributor=person))
    db.commit()


def test_withdrawing_a_consent_asks_first_and_is_kept_on_record(coord_client, db, coordinator,
                                                                person) -> None:
    _give(db, person, "contact")
    _give(db, person, "story_sharing")
    page = html_of(coord_client.get(f"/contributors/{person.id}"))
    confirm_path = f"/contributors/{person.id}/consents/withdraw?kind=contact"
    assert f'href="{confirm_path}"' in page
    # The confirmation page changes nothing.
    confirm, csrf, _ = page_form(coord_client, confirm_path)
    assert "Withdraw their consent?" in confirm
    assert "to be contacted about involvement opportunities" in confirm
    assert 'name="kind" value="contact"' in confirm
    assert all(x.is_given for x in fresh(db, person.id).consents)
    response = coord_client.post(f"/contributors/{person.id}/consents/withdraw",
                                 data={"csrf_token": csrf, "kind": "contact"})
    assert response.status_code == 302
    saved = {x.kind: x for x in fresh(db, person.id).consents}
    assert saved["contact"].is_given is False and saved["contact"].withdrawn_on == TODAY
    assert saved["story_sharing"].is_given is True  # the others are untouched
    assert [u.summary for u in audit_rows(db, person.id, "update")] == ["section: consents"]
    follow = html_of(coord_client.get(f"/contributors/{person.id}"))
    assert "Withdrawn</strong> on" in follow


def test_withdrawing_a_consent_that_was_not_given_changes_nothing(coord_client, db,
                                                                   person) -> None:
    _, csrf, _ = page_form(coord_client, f"/contributors/{person.id}")
    response = coord_client.post(f"/contributors/{person.id}/consents/withdraw",
                                 data={"csrf_token": csrf, "kind": "contact"},
                                 follow_redirects=True)
    assert "There is no consent to withdraw" in html_of(response)
    assert fresh(db, person.id).consents == []
    assert audit_rows(db, person.id, "update") == []


# ---------------------------------------------------------------- training


@pytest.mark.parametrize(("course", "completed", "expires"), [
    ("safeguarding", dt.date(2024, 3, 15), dt.date(2027, 3, 15)),  # 36 months
    ("information_governance", dt.date(2024, 2, 29), dt.date(2025, 2, 28)),  # 12, clamped
    ("recruitment_panel", dt.date(2023, 8, 31), dt.date(2026, 8, 31)),
    ("open_dialogue", dt.date(2024, 1, 1), None),  # guidance courses do not expire
])
def test_adding_training_computes_the_expiry(coord_client, db, person, course, completed,
                                             expires) -> None:
    _, csrf, _ = page_form(coord_client, f"/contributors/{person.id}/training/new")
    response = coord_client.post(f"/contributors/{person.id}/training/new", data={
        "csrf_token": csrf, "course_code": course, **date_fields("completed_on", completed),
        "provider": "Trust learning team", "note": "Face to face"})
    assert response.status_code == 302
    [row] = fresh(db, person.id).training
    assert (row.course_code, row.completed_on, row.expires_on, row.provider) == (
        course, completed, expires, "Trust learning team")
    assert [u.summary for u in audit_rows(db, person.id, "update")] == ["section: training"]


@pytest.mark.parametrize(("data", "message"), [
    ({"course_code": ""}, "Select a course"),
    ({"course_code": "juggling", **date_fields("completed_on", TODAY)}, "Select a course"),
    ({"course_code": "safeguarding"}, "Enter the date they completed the course"),
    ({"course_code": "safeguarding", **date_fields("completed_on", TODAY + dt.timedelta(days=3))},
     "The date must be today or in the past"),
])
def test_bad_training_is_400_and_not_saved(coord_client, db, person, data, message) -> None:
    _, csrf, _ = page_form(coord_client, f"/contributors/{person.id}/training/new")
    response = coord_client.post(f"/contributors/{person.id}/training/new",
                                 data={"csrf_token": csrf, **data})
    assert response.status_code == 400
    assert html_of(response).count(message) >= 2
    assert fresh(db, person.id).training == []


def test_removing_training(coord_client, db, person) -> None:
    other = make_contributor(db)
    keep = TrainingCompletion(course_code="safeguarding", completed_on=dt.date(2024, 1, 1),
                              expires_on=dt.date(2027, 1, 1), contributor=person)
    drop = TrainingCompletion(course_code="open_dialogue", completed_on=dt.date(2024, 1, 1),
                              contributor=person)
    theirs = TrainingCompletion(course_code="open_dialogue", completed_on=dt.date(2024, 1, 1),
                                contributor=other)
    db.add_all([keep, drop, theirs])
    db.commit()
    # The record links to a page that asks first; opening it changes nothing.
    record_page = html_of(coord_client.get(f"/contributors/{person.id}"))
    confirm_path = f"/contributors/{person.id}/training/{drop.id}/remove"
    assert f'href="{confirm_path}"' in record_page
    _, csrf, _ = page_form(coord_client, confirm_path)
    confirm = html_of(coord_client.get(confirm_path))
    assert "Remove this training?" in confirm and "Open Dialogue" in confirm
    assert len(fresh(db, person.id).training) == 2
    response = coord_client.post(confirm_path, data={"csrf_token": csrf})
    assert response.status_code == 302
    assert [t.id for t in fresh(db, person.id).training] == [keep.id]
    # It says what happened.
    shown = html_of(coord_client.get(response.headers["Location"]))
    assert "removed from their training" in shown and "completed 1 January 2024" in shown
    # Without a valid CSRF token nothing is removed.
    coord_client.post(f"/contributors/{person.id}/training/{keep.id}/remove",
                      data={"csrf_token": "wrong"})
    assert [t.id for t in fresh(db, person.id).training] == [keep.id]
    # Someone else's completion cannot be removed through this record's address.
    coord_client.post(f"/contributors/{person.id}/training/{theirs.id}/remove",
                      data={"csrf_token": csrf})
    assert [t.id for t in fresh(db, other.id).training] == [theirs.id]


def _completion(db, person, days_to_expiry, course="safeguarding", completed=None):  # type: ignore[no-untyped-def]
    expires = TODAY + dt.timedelta(days=days_to_expiry)
    row = TrainingCompletion(course_code=course, completed_on=completed or dt.date(2020, 1, 1),
                             expires_on=expires, contributor=person)
    db.add(row)
    db.commit()
    return row


def test_training_due_lists_only_the_right_rows(coord_client, db) -> None:
    due = make_contributor(db, full_name="Due Soon")
    _completion(db, due, 10)
    expired = make_contributor(db, full_name="Recently Expired")
    _completion(db, expired, -10)
    make_contributor_with = [("Far Future", 90), ("Long Expired", -40), ("Today Person", 0),
                             ("Edge Sixty", 60), ("Edge Thirty", -30)]
    for name, days in make_contributor_with:
        _completion(db, make_contributor(db, full_name=name), days)
    gone = make_contributor(db, full_name="Anonymised Person", anonymised_at=utcnow())
    _completion(db, gone, 5)
    _completion(db, make_contributor(db, full_name="Has Left", status="left"), 5)
    renewed = make_contributor(db, full_name="Already Renewed")
    _completion(db, renewed, 5, completed=dt.date(2023, 1, 1))
    _completion(db, renewed, 3 * 365, completed=TODAY)
    never = make_contributor(db, full_name="Never Expires")
    db.add(TrainingCompletion(course_code="open_dialogue", completed_on=TODAY,
                              contributor=never))
    db.commit()

    page = html_of(coord_client.get("/contributors/training-due"))
    listed = re.findall(r'#training">([^<]+)</a>', page)
    assert listed == ["Edge Thirty", "Recently Expired", "Today Person", "Due Soon", "Edge Sixty"]
    assert "Expired on" in page and "(10 days ago)" in page
    assert "Expires today" in page and "(in 10 days)" in page
    assert "5 courses due or recently expired" in page
    start, end = TODAY - dt.timedelta(days=30), TODAY + dt.timedelta(days=60)
    assert f"{format_date(start)}</strong> and <strong>{format_date(end)}" in page

    # The same list as a CSV, audited for each person in it.
    response = coord_client.get("/contributors/training-due.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Course", "Completed", "Runs out", "Where it stands"]
    assert [r[0] for r in rows[1:]] == listed
    exported = db.scalars(select(AuditEvent.entity_id).where(
        AuditEvent.action == "export", AuditEvent.entity_id.is_not(None))).all()
    assert sorted(exported) == sorted(db.scalars(select(Contributor.id).where(
        Contributor.full_name.in_(listed))).all())


def test_training_due_is_one_query_for_the_page(coord_client, db, count_queries) -> None:
    def run(n: int) -> int:
        for _ in range(n):
            _completion(db, make_contributor(db), 5)
        count_queries.statements.clear()
        assert coord_client.get("/contributors/training-due").status_code == 200
        return count_queries.count

    few, many = run(1), run(8)
    assert few == many, count_queries.statements
    selects = [s for s in count_queries.statements if "training_completion" in s]
    assert len(selects) == 2, selects  # the count, and the page joined to contributors


def test_training_due_is_paginated(coord_client, db, settings) -> None:
    for n in range(settings.per_page + 2):
        _completion(db, make_contributor(db, full_name=f"Person {n:03d}"), 5)
    first = html_of(coord_client.get("/contributors/training-due"))
    second = html_of(coord_client.get("/contributors/training-due?page=2"))
    assert "Person 000" in first and "Person 000" not in second
    assert f"Person {settings.per_page:03d}" in second


# ---------------------------------------------------------------- checklist


def test_adjustments_checklist_is_printable_and_audited(coord_client, db, person) -> None:
    db.add_all([Adjustment(code="quiet_room", note="Room 2", contributor=person),
                Adjustment(code="easy_read", contributor=person)])
    person.adjustments_other = "Please avoid Mondays"
    db.commit()
    post_section(coord_client, person.id, "communication", {
        "rank_email": "1", "information_format": "easy_read",
        "papers_days_before": "10", "camera_optional": "yes"})
    page = html_of(coord_client.get(f"/contributors/{person.id}/adjustments/checklist"))
    assert "Sensory needs" in page and "Learning disability" in page  # grouped
    assert "Quiet room to take time out" in page and "Their note: Room 2" in page
    assert "Send the papers 10 days before the meeting" in page
    assert "Send information in this format: Easy Read" in page
    assert "Please avoid Mondays" in page
    assert page.count("&#9744;") >= 4 or page.count("\u2610") >= 4  # tick boxes
    assert [v.summary for v in audit_rows(db, person.id, "view")][-1] == "adjustments checklist"


# ---------------------------------------------------------------- signing in


def test_inviting_links_a_new_contributor_account(coord_client, db, person) -> None:
    _, csrf, _ = page_form(coord_client, f"/contributors/{person.id}/invite")
    response = coord_client.post(f"/contributors/{person.id}/invite", data={"csrf_token": csrf})
    assert response.status_code == 302
    saved = fresh(db, person.id)
    user = db.get(User, saved.user_id)
    assert user is not None
    assert (user.email, user.role, user.password_hash) == ("ruth@example.org", "contributor",
                                                           None)
    assert db.scalar(select(func.count()).select_from(OutboxMessage)
                     .where(OutboxMessage.to_address == "ruth@example.org")) == 1
    page = html_of(coord_client.get(f"/contributors/{person.id}"))
    assert "Invited. They have not chosen a password yet." in page


def test_invite_needs_an_email_address(coord_client, db) -> None:
    person = make_contributor(db, email=None)
    page, csrf, _ = page_form(coord_client, f"/contributors/{person.id}/invite")
    assert "No email address is recorded" in page
    response = coord_client.post(f"/contributors/{person.id}/invite", data={"csrf_token": csrf})
    assert response.status_code == 400
    assert html_of(response).count("Add their email address before inviting them") >= 2
    assert fresh(db, person.id).user_id is None


def test_invite_refuses_an_email_that_belongs_to_a_staff_account(coord_client, db,
                                                                 person) -> None:
    make_user(db, Role.COORDINATOR, email="ruth@example.org")
    _, csrf, _ = page_form(coord_client, f"/contributors/{person.id}/invite")
    response = coord_client.post(f"/contributors/{person.id}/invite", data={"csrf_token": csrf})
    assert response.status_code == 400
    assert "Someone else&#39;s account uses this email address" in html_of(response)
    assert fresh(db, person.id).user_id is None


def test_invite_refuses_an_account_already_linked_to_another_record(coord_client, db,
                                                                    person) -> None:
    account = make_user(db, Role.CONTRIBUTOR, email="ruth@example.org")
    make_contributor(db, email="other@example.org", user=account)
    _, csrf, _ = page_form(coord_client, f"/contributors/{person.id}/invite")
    response = coord_client.post(f"/contributors/{person.id}/invite", data={"csrf_token": csrf})
    assert response.status_code == 400
    assert fresh(db, person.id).user_id is None


def test_invite_links_an_existing_unlinked_contributor_account(coord_client, db,
                                                               person) -> None:
    account = make_user(db, Role.CONTRIBUTOR, email="ruth@example.org")
    _, csrf, _ = page_form(coord_client, f"/contributors/{person.id}/invite")
    response = coord_client.post(f"/contributors/{person.id}/invite", data={"csrf_token": csrf})
    assert response.status_code == 302
    assert fresh(db, person.id).user_id == account.id
    # They already have a password, so no email is needed.
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 0


# ---------------------------------------------------------------- anonymising


def test_anonymise_scrubs_every_email_address_they_had_from_the_outbox(coord_client, db,
                                                                       person) -> None:
    _, csrf, _ = page_form(coord_client, f"/contributors/{person.id}/invite")
    coord_client.post(f"/contributors/{person.id}/invite", data={"csrf_token": csrf})
    post_section(coord_client, person.id, "details", {"full_name": "Ruth Okafor",
                                                      "email": "ruth.new@example.org"})
    _, csrf, _ = page_form(coord_client, f"/contributors/{person.id}/anonymise")
    coord_client.post(f"/contributors/{person.id}/anonymise",
                      data={"csrf_token": csrf, "confirm": "y"})
    db.expunge_all()
    kept = json.dumps([[m.to_address, m.subject, m.body]
                       for m in db.scalars(select(OutboxMessage))])
    for value in ("ruth@example.org", "ruth.new@example.org", "Ruth"):
        assert value not in kept, value


def test_anonymise_removes_identity_keeps_counts_and_scrubs_the_audit(app, coord_client, db,
                                                                      person) -> None:
    account = make_user(db, Role.CONTRIBUTOR, email="ruth.login@example.org", name="Ruth Okafor")
    account_id = account.id
    person = fresh(db, person.id)
    person.user_id = account.id
    person.phone = "07700 900982"
    person.what_i_bring = "My own story"
    person.removal_requested_at = utcnow()
    db.add_all([LivedExperience(kind="carer", contributor=person),
                LivedExperience(kind="patient_former", contributor=person)])
    db.commit()
    own_client, _ = signed_in_client(app, db, user=account)  # an open session to be ended
    post_section(coord_client, person.id, "details", {"full_name": "Ruth Okafor",
                                                      "phone": "07700 900983",
                                                      "postcode_area": "LS6"})

    page, csrf, _ = page_form(coord_client, f"/contributors/{person.id}/anonymise")
    assert "What will be removed" in page and "What will be kept" in page
    refused = coord_client.post(f"/contributors/{person.id}/anonymise",
                                data={"csrf_token": csrf})
    assert refused.status_code == 400
    assert fresh(db, person.id).anonymised_at is None

    done = coord_client.post(f"/contributors/{person.id}/anonymise",
                             data={"csrf_token": csrf, "confirm": "y"})
    assert done.status_code == 302
    saved = fresh(db, person.id)
    assert saved.anonymised_at is not None
    assert saved.full_name == f"Removed contributor {person.id}"
    assert (saved.email, saved.phone, saved.postcode_area, saved.what_i_bring,
            saved.user_id) == (None, None, None, None, None)
    assert db.scalar(select(func.count()).select_from(LivedExperience)
                     .where(LivedExperience.contributor_id == person.id)) == 2
    db.expunge_all()
    # The sign-in account and its sessions are gone, so it cannot be switched back on.
    assert db.scalar(select(func.count()).select_from(User).where(User.id == account_id)) == 0
    assert db.scalar(select(func.count()).select_from(UserSession).where(
        UserSession.user_id == account_id)) == 0
    logged = json.dumps([e.changes for e in db.scalars(select(AuditEvent)
                                                       .where(AuditEvent.changes.is_not(None)))])
    for value in ("Ruth", "07700", "LS6", "ruth@example.org"):
        assert value not in logged, value
    assert own_client.get("/").status_code == 302  # signed out
    # The record now shows that it was anonymised, and cannot be edited.
    page = html_of(coord_client.get(f"/contributors/{person.id}"))
    assert "This record was anonymised" in page and "Ruth" not in page
    assert coord_client.get(edit_path(person.id, "details")).status_code == 403
    again = coord_client.post(f"/contributors/{person.id}/anonymise",
                              data={"csrf_token": csrf, "confirm": "y"})
    assert again.status_code == 400


# ---------------------------------------------------------------- who may do what


@pytest.mark.parametrize("role", [Role.REPORT_VIEWER, Role.FINANCE, Role.ADMINISTRATOR,
                                  Role.CONTRIBUTOR])
def test_other_roles_are_refused_every_record_route(app, db, person, role) -> None:
    completion = _completion(db, person, 5)
    client, _ = signed_in_client(app, db, role)
    _, csrf, _ = page_form(client, "/account")
    for method, template in RECORD_ROUTES:
        path = template.format(id=person.id, tid=completion.id)
        data = {"csrf_token": csrf, "kind": "contact", "confirm": "y"} if method == "POST" \
            else None
        assert client.open(path, method=method, data=data).status_code == 403, (role, path)
    for section in SECTIONS:
        assert client.get(edit_path(person.id, section)).status_code == 403
    saved = fresh(db, person.id)
    assert saved.anonymised_at is None and saved.user_id is None
    assert len(saved.training) == 1


def test_a_contributor_cannot_open_any_record_through_the_coordinator_pages(app, db) -> None:
    account = make_user(db, Role.CONTRIBUTOR)
    own = make_contributor(db, full_name="My Own Record", user=account)
    other = make_contributor(db, full_name="Somebody Else")
    client, _ = signed_in_client(app, db, user=account)
    for record in (other, own):
        response = client.get(f"/contributors/{record.id}")
        assert response.status_code == 403
        assert record.full_name not in html_of(response)
        assert client.get(f"/contributors/{record.id}/adjustments/checklist").status_code == 403
        assert client.get(edit_path(record.id, "experience")).status_code == 403
    denied = db.scalars(select(AuditEvent).where(AuditEvent.action == "permission_denied"))
    assert len(list(denied)) >= 6
    assert audit_rows(db, other.id, "view") == []


def test_signed_out_people_are_sent_to_sign_in(client, person) -> None:
    response = client.get(f"/contributors/{person.id}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_skill_tags_are_listed_by_label(coord_client, db, person) -> None:
    db.add_all([Skill(code="chairing", contributor=person),
                Skill(label="Knitting circles", contributor=person)])
    db.commit()
    page = html_of(coord_client.get(f"/contributors/{person.id}"))
    assert "Chairing meetings" in page and "Knitting circles" in page
    assert db.get(Contributor, person.id) is not None


def test_the_database_refuses_a_second_current_record_with_an_email(db) -> None:
    """Not only the service's check: the database itself (case-insensitive,
    as emails are kept in lower case; anonymised records do not count)."""
    from sqlalchemy.exc import IntegrityError

    first = make_contributor(db, email="sam@example.org")
    for email in ("sam@example.org", "Sam@Example.org"):
        db.add(Contributor(full_name="Another Sam", email=email, search_text="another sam"))
        with pytest.raises(IntegrityError):
            db.commit()
        db.rollback()
    first.anonymised_at = utcnow()
    db.commit()
    make_contributor(db, email="sam@example.org")  # fine once the first is anonymised


# ---------------------------------------------------------------- adjustments by group


def test_adjustments_are_changed_one_group_per_page(coord_client, db, person) -> None:
    person = fresh(db, person.id)
    person.adjustments.extend([adjustment("quiet_room", "Room 2"),
                               adjustment("agenda_in_advance", "A week before")])
    person.adjustments_other = "Sit near the door"
    db.commit()
    base = edit_path(person.id, "adjustments")
    summary = html_of(coord_client.get(base))
    # A summary of every group, each with its own page.
    for group in ("autism_informed", "sensory", "cultural_language", "other"):
        assert f'href="{base}/{group}"' in summary
    assert "Quiet room to take time out" in summary and "Note: Room 2" in summary
    assert "Sit near the door" in summary
    assert 'name="adjustments"' not in summary

    page, csrf, version = page_form(coord_client, f"{base}/sensory")
    assert "<h1>Sensory needs</h1>" in page
    assert 'value="quiet_room"' in page and 'value="agenda_in_advance"' not in page
    response = coord_client.post(f"{base}/sensory", data={
        "csrf_token": csrf, "version": version,
        "adjustments": ["natural_light"], "note-natural_light": "Window seat"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(base)
    saved = fresh(db, person.id)
    # This group changed; the other group, its note and their own words are kept.
    assert sorted((a.code, a.note) for a in saved.adjustments) == [
        ("agenda_in_advance", "A week before"), ("natural_light", "Window seat")]
    assert saved.adjustments_other == "Sit near the door"
    assert "Sensory needs saved." in html_of(coord_client.get(base))

    _, csrf, version = page_form(coord_client, f"{base}/other")
    coord_client.post(f"{base}/other", data={"csrf_token": csrf, "version": version,
                                             "adjustments_other": "Needs a lift"})
    saved = fresh(db, person.id)
    assert saved.adjustments_other == "Needs a lift" and len(saved.adjustments) == 2
    assert coord_client.get(f"{base}/no_such_group").status_code == 404


def test_adjustment_pages_speak_of_them_not_you(coord_client, db, person) -> None:
    base = edit_path(person.id, "adjustments")
    for group in ("autism_informed", "trauma_informed", "communication", "cultural_language"):
        page = html_of(coord_client.get(f"{base}/{group}"))
        form = page[page.index("<main"):page.index("</main>")]
        text = re.sub(r"<[^>]+>", " ", form)
        assert not re.search(r"\b(you|your)\b", text.replace("any you tick", ""),
                             re.I), (group, re.findall(r".{40}\byour?\b.{40}", text, re.I))
    page = html_of(coord_client.get(f"{base}/autism_informed"))
    assert "They get the agenda before the meeting" in page


@pytest.mark.parametrize(("words", "theirs"), [
    ("You get the agenda.", "They get the agenda."),
    ("Staff ask you what helps you take part.", "Staff ask them what helps them take part."),
    ("They act on what you tell them.", "They act on what they tell them."),
    ("So you can make the text bigger yourself.", "So they can make the text bigger themselves."),
    ("Made for you, at your pace.", "Made for them, at their pace."),
    ("It helps. You know who they are.", "It helps. They know who they are."),
])
def test_their_words(words, theirs) -> None:
    from crm.contributors.voice import in_their_words

    assert in_their_words(words) == theirs

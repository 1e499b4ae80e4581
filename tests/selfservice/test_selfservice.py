"""A contributor's own pages (/my): they see and change only their own
record, through the same rules as coordinators, with conflicts caught,
errors shown beside the field, Easy Read that sticks, and their own copy of
their data."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.models import AuditEvent
from crm.contributors import editing, services
from crm.contributors.models import (
    CommunicationPreference,
    Contributor,
)
from crm.db import utcnow
from crm.permissions import Role
from crm.reference import reference
from tests.factories import (
    adjustment,
    communication,
    consent,
    experience,
    log_in,
    make_contributor,
    make_signed_up_contributor,
    make_user,
    service_known,
    sign_in,
    slot,
    training,
)
from tests.pages import table_rows

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION_RE = re.compile(r'name="version" value="(\d+)"')
MAIN_RE = re.compile(r'<main[^>]*>(.*)</main>', re.S)

# Words that belong only to the other person's record.
OTHER_SECRETS = ("Zanele Otherperson", "Zan", "zanele.private@example.org", "07700 900 111",
                 "Otherperson Street", "their-secret-words", "their-adjustment-note",
                 "their-availability-note", "their-best-times", "their-supporter-name",
                 "their-own-adjustments")


# --- Arranging ----------------------------------------------------------------

def fresh(db: Session) -> Session:
    db.commit()
    db.expire_all()
    return db


def fill_record(db: Session, c: Contributor, tag: str) -> Contributor:
    """Give ``c`` something in every section, with values marked by ``tag``."""
    c.preferred_name = "Zan" if tag == "their" else c.preferred_name
    c.phone = "07700 900 111" if tag == "their" else "07700 900 222"
    c.postal_address = "1 Otherperson Street" if tag == "their" else "2 Mine Road"
    c.what_i_bring = f"{tag}-secret-words"
    c.availability_note = f"{tag}-availability-note"
    c.adjustments_other = f"{tag}-own-adjustments"
    c.experiences.append(experience("carer"))
    c.service_kinds.append(service_known("picu"))
    c.adjustments.append(adjustment("regular_breaks", note=f"{tag}-adjustment-note"))
    c.availability.append(slot("monday", "morning"))
    c.communication = communication(
        do_not_use=["phone"], best_times=f"{tag}-best-times", information_format="standard",
        via_supporter=True, supporter_name=f"{tag}-supporter-name", camera_optional=True)
    c.consents.append(consent("contact", method="paper"))
    c.training.append(training("chairing_a_meeting", dt.date(2026, 2, 1)))
    db.commit()
    return c


@pytest.fixture
def me(db: Session) -> tuple[User, Contributor]:
    return make_signed_up_contributor(db, "Alex Example")


@pytest.fixture
def other(db: Session) -> tuple[User, Contributor]:
    user = make_user(db, Role.CONTRIBUTOR, name="Zanele Otherperson",
                     email="zanele.signin@example.org")
    c = make_contributor(db, full_name="Zanele Otherperson", user=user,
                         email="zanele.private@example.org")
    fill_record(db, c, "their")
    return user, c


@pytest.fixture
def signed_in(client: FlaskClient, me: tuple[User, Contributor]) -> FlaskClient:
    assert sign_in(client, me[0]).status_code == 302
    return client


def get(client: FlaskClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)


def post(client: FlaskClient, path: str, data: dict[str, Any], *, form_page: str | None = None,
         status: int | None = None) -> Any:
    """POST ``data`` to ``path`` with the CSRF token, and the version from the
    form page (``form_page``, default ``path``) unless ``data`` gives one."""
    page = client.get(form_page or path)
    if page.status_code == 405:  # a button's own path: take the token from the overview
        page = client.get("/my/")
    html = page.get_data(as_text=True)
    token = CSRF_RE.search(html)
    assert token, path
    data = {"csrf_token": token.group(1), **data}
    if "version" not in data:
        version = VERSION_RE.search(html)
        if version:
            data["version"] = version.group(1)
    response = client.post(path, data=data)
    if status is not None:
        assert response.status_code == status, (path, response.status_code,
                                                response.get_data(as_text=True)[-2000:])
    return response


def main_text(html: str) -> str:
    match = MAIN_RE.search(html)
    assert match
    return match.group(1)


def my_get_paths(app: Flask) -> list[str]:
    """Every page under /my that answers GET, with each adjustments group.
    Pages about one offer (``offer_id``) are tried with other people's
    offers in tests/selfservice/test_roles.py."""
    paths = sorted(r.rule for r in app.url_map.iter_rules()
                   if r.endpoint.startswith("my.") and "GET" in (r.methods or ())
                   and not r.arguments)
    groups = [f"/my/adjustments/choose?group={g.code}" for g in reference().adjustments.groups]
    return paths + groups


def my_post_rules(app: Flask) -> list[str]:
    """Every /my route that changes something (those about one offer or
    role are tried with other people's in tests/selfservice/test_roles.py)."""
    return sorted({r.rule for r in app.url_map.iter_rules()
                   if r.endpoint.startswith("my.") and "POST" in (r.methods or ())
                   and not r.arguments})


def events(db: Session, **where: Any) -> list[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditEvent, key) == value)
    return list(fresh(db).scalars(stmt))


def reload(db: Session, c: Contributor) -> Contributor:
    fresh(db)
    found = db.get(Contributor, c.id)
    assert found is not None
    return found


# --- Only their own record -------------------------------------------------------

def test_a_contributor_sees_only_their_own_data_on_every_page(app, db, signed_in, me,
                                                               other) -> None:
    fill_record(db, me[1], "mine")
    seen = {}
    for path in my_get_paths(app):
        body = get(signed_in, path)
        for secret in OTHER_SECRETS:
            assert secret not in body, (path, secret)
        seen[path] = body
    # ...and their own data is there.
    assert "Alex Example" in seen["/my/details"]
    assert "alex.contact@example.org" in seen["/my/details"]
    assert "mine-best-times" in seen["/my/communication"]
    assert "mine-secret-words" in seen["/my/experience"]
    assert "mine-adjustment-note" in seen["/my/adjustments"]
    assert "Chairing a meeting" in seen["/my/training"]
    assert "mine-availability-note" in seen["/my/availability"]


# Ids of things offered to everyone or checked to be the person's own
# (tests/selfservice/test_roles.py), never the id of a record.
OBJECT_IDS = {"offer_id", "role_id"}


def test_no_route_takes_a_record_id(app) -> None:
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("my."):
            assert not set(rule.arguments) - OBJECT_IDS, rule.rule


def test_a_contributor_without_a_linked_record_gets_the_not_set_up_page(app, client, db,
                                                                        other) -> None:
    lonely = make_user(db, Role.CONTRIBUTOR, name="Sam Nolink")
    log_in(client, lonely)
    before = services.snapshot(reload(db, other[1]))
    for path in my_get_paths(app):
        body = get(client, path)
        assert "Your record is not set up yet" in body, path
        assert "Please contact the involvement team" in body
        assert "involvement@example.nhs.uk" in body  # the team's contact, from settings
        for secret in OTHER_SECRETS:
            assert secret not in body, (path, secret)
    # POSTs cannot reach anyone else's record either.
    for path in my_post_rules(app):
        response = post(client, path, {"enabled": "1", "kind": "contact", "version": "1",
                                       "full_name": "Hijacked", "best_times": "hijacked"},
                        form_page="/my/")
        assert response.status_code == 200
        assert "Your record is not set up yet" in response.get_data(as_text=True)
    after = reload(db, other[1])
    assert services.snapshot(after) == before
    assert after.removal_requested_at is None


def test_the_data_level_check_uses_the_signed_in_user(db, me, other) -> None:
    from crm.contributors.access import own_record
    assert own_record(db, me[0]).id == me[1].id
    assert own_record(db, other[0]).id == other[1].id
    coordinator = make_user(db, Role.COORDINATOR)
    assert own_record(db, coordinator) is None


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.FINANCE, Role.REPORT_VIEWER,
                                  Role.ADMINISTRATOR])
def test_every_my_route_refuses_staff(app, client, db, role, me) -> None:
    staff = make_user(db, role)
    # Link a record to the staff account too: the role, not the link, decides.
    make_contributor(db, full_name="Staff Linked", user=staff)
    log_in(client, staff)
    for path in my_get_paths(app):
        assert client.get(path).status_code == 403, (role, path)
    token = CSRF_RE.search(get(client, "/")).group(1)
    for path in my_post_rules(app):
        response = client.post(path, data={"csrf_token": token, "enabled": "1"})
        assert response.status_code == 403, (role, path)
    assert not reload(db, me[1]).prefers_easy_read


def test_get_requests_change_nothing(app, db, signed_in, me) -> None:
    fill_record(db, me[1], "mine")
    c = reload(db, me[1])
    before, version = services.snapshot(c), c.version
    for path in my_get_paths(app):
        get(signed_in, path)
    c = reload(db, me[1])
    assert services.snapshot(c) == before
    assert c.version == version
    assert c.removal_requested_at is None
    # Only the two downloads are recorded (as views), nothing else.
    assert {e.action for e in events(db, entity_type="contributor")} == {"view"}


# --- Saving each question through the rules ----------------------------------------

def _comm(c: Contributor) -> CommunicationPreference:
    assert c.communication is not None
    return c.communication


SAVES: list[tuple[str, str, dict[str, Any], Any]] = [
    ("/my/details/name", "details",
     {"full_name": "Alex New Name", "preferred_name": "Al", "pronouns": "they/them"},
     lambda c: (c.full_name, c.preferred_name, c.pronouns) == ("Alex New Name", "Al",
                                                                "they/them")),
    ("/my/details/contact", "details",
     {"email": "New@Example.org", "phone": "07700 900 333", "postal_address": "3 Road",
      "postcode_area": "ls1"},
     lambda c: (c.email, c.phone, c.postcode_area) == ("new@example.org", "07700 900 333",
                                                       "LS1")),
    ("/my/details/date-of-birth", "details",
     {"date_of_birth-day": "15", "date_of_birth-month": "3", "date_of_birth-year": "1984"},
     lambda c: c.date_of_birth == dt.date(1984, 3, 15)),
    ("/my/experience/words", "experience", {"experience_word": "living"},
     lambda c: c.prefers_living_experience),
    ("/my/experience/how-you-know-services", "experience",
     {"experiences": ["patient_former", "carer"]},
     lambda c: sorted(e.kind for e in c.experiences) == ["carer", "patient_former"]),
    ("/my/experience/services", "experience", {"service_kinds": ["picu", "talking_therapies"]},
     lambda c: sorted(s.code for s in c.service_kinds) == ["picu", "talking_therapies"]),
    ("/my/experience/in-your-words", "experience", {"what_i_bring": "My own words"},
     lambda c: c.what_i_bring == "My own words"),
    ("/my/adjustments/choose?group=sensory", "adjustments",
     {"adjustments": ["quiet_room", "natural_light"]},
     lambda c: {"quiet_room", "natural_light"} <= {a.code for a in c.adjustments}),
    ("/my/adjustments/in-your-words", "adjustments", {"adjustments_other": "A lift"},
     lambda c: c.adjustments_other == "A lift"),
    ("/my/communication/ways", "communication",
     {"channel_order": ["text", "email"], "do_not_use": ["letter"]},
     lambda c: (_comm(c).channel_order, _comm(c).do_not_use) == (["text", "email"], ["letter"])),
    ("/my/communication/times", "communication", {"best_times": "Tuesday mornings"},
     lambda c: _comm(c).best_times == "Tuesday mornings"),
    ("/my/communication/format", "communication",
     {"information_format": "translated", "language": "Polish"},
     lambda c: (_comm(c).information_format, _comm(c).language) == ("translated", "Polish")),
    ("/my/communication/supporter", "communication",
     {"via_supporter": "yes", "supporter_name": "Sam Advocate", "supporter_contact": "0113"},
     lambda c: _comm(c).via_supporter and _comm(c).supporter_name == "Sam Advocate"),
    ("/my/communication/papers", "communication", {"papers_days_before": "7"},
     lambda c: _comm(c).papers_days_before == 7),
    ("/my/communication/camera", "communication", {"camera_optional": "no"},
     lambda c: _comm(c).camera_optional is False),
    ("/my/availability/days", "availability",
     {"slots": ["tuesday evening", "saturday morning"]},
     lambda c: sorted(f"{a.day} {a.part}" for a in c.availability)
     == ["saturday morning", "tuesday evening"]),
    ("/my/availability/how", "availability", {"attendance_mode": "online"},
     lambda c: c.attendance_mode == "online"),
    ("/my/availability/travel", "availability", {"travel_max_miles": "12"},
     lambda c: c.travel_max_miles == 12),
    ("/my/availability/notice", "availability", {"notice_days": "14"},
     lambda c: c.notice_days == 14),
    ("/my/availability/anything-else", "availability", {"availability_note": "Not in August"},
     lambda c: c.availability_note == "Not in August"),
]


@pytest.mark.parametrize(("path", "section", "data", "check"), SAVES,
                         ids=[s[0] for s in SAVES])
def test_each_question_saves_through_the_rules_and_is_audited(db, signed_in, me, path, section,
                                                              data, check) -> None:
    version = reload(db, me[1]).version
    response = post(signed_in, path, data, status=302)
    c = reload(db, me[1])
    assert check(c)
    assert c.version == version + 1
    [event] = events(db, action="update", entity_type="contributor")
    assert event.entity_id == me[1].id
    assert event.actor_id == me[0].id
    assert event.actor_role == "contributor"
    assert event.summary == f"section: {section}"
    assert event.changes
    # Goes on to the next question, or to the section's answers at the end.
    assert response.headers["Location"].startswith(f"/my/{section}")


def test_saving_from_the_answers_page_goes_back_to_it(db, signed_in, me) -> None:
    html = get(signed_in, "/my/communication")
    assert "/my/communication/times?then=summary" in html
    response = post(signed_in, "/my/communication/times?then=summary",
                    {"best_times": "Evenings", "then": "summary"}, status=302)
    assert response.headers["Location"] == "/my/communication"
    assert "Evenings" in get(signed_in, "/my/communication")


def test_questions_go_one_after_another_then_to_the_answers(db, signed_in, me) -> None:
    response = post(signed_in, "/my/communication/ways", {"channel_order": ["email"]},
                    status=302)
    assert response.headers["Location"] == "/my/communication/times"
    response = post(signed_in, "/my/communication/camera", {"camera_optional": "yes"},
                    status=302)
    assert response.headers["Location"] == "/my/communication"
    groups = [g.code for g in reference().adjustments.groups]
    response = post(signed_in, f"/my/adjustments/choose?group={groups[0]}", {}, status=302)
    assert response.headers["Location"] == f"/my/adjustments/choose?group={groups[1]}"
    response = post(signed_in, f"/my/adjustments/choose?group={groups[-1]}", {}, status=302)
    assert response.headers["Location"] == "/my/adjustments/in-your-words"


def test_one_adjustments_group_leaves_the_others_and_the_notes_alone(db, signed_in,
                                                                     me) -> None:
    fill_record(db, me[1], "mine")  # regular_breaks (autism-informed) with a note
    post(signed_in, "/my/adjustments/choose?group=sensory", {"adjustments": ["quiet_room"]},
         status=302)
    c = reload(db, me[1])
    assert {a.code: a.note for a in c.adjustments} == {
        "regular_breaks": "mine-adjustment-note", "quiet_room": None}
    assert c.adjustments_other == "mine-own-adjustments"


def test_one_communication_question_leaves_the_rest_alone(db, signed_in, me) -> None:
    fill_record(db, me[1], "mine")
    post(signed_in, "/my/communication/papers", {"papers_days_before": "5"}, status=302)
    comm = _comm(reload(db, me[1]))
    assert comm.papers_days_before == 5
    assert comm.best_times == "mine-best-times"
    assert comm.supporter_name == "mine-supporter-name"
    assert comm.channel_order == ["email"]


def test_special_category_answers_are_audited_without_their_values(db, signed_in, me) -> None:
    post(signed_in, "/my/experience/in-your-words", {"what_i_bring": "Very private words"},
         status=302)
    [event] = events(db, action="update")
    assert "Very private words" not in json.dumps(event.changes)


# --- Conflicts -------------------------------------------------------------------

def coordinator_saves(db: Session, c: Contributor, apply: editing.Apply) -> User:
    coordinator = make_user(db, Role.COORDINATOR, name="Casey Coordinator")
    c = reload(db, c)
    services.save_section(db, coordinator, c, c.version, "communication", apply)
    db.commit()
    return coordinator


def test_a_coordinator_saving_in_between_gives_a_calm_conflict_page(db, signed_in, me) -> None:
    html = get(signed_in, "/my/communication/times")
    token = CSRF_RE.search(html).group(1)
    loaded_version = VERSION_RE.search(html).group(1)
    coordinator_saves(db, me[1], editing.set_communication(
        editing.Communication(best_times="Coordinator's times")))
    response = signed_in.post("/my/communication/times", data={
        "csrf_token": token, "version": loaded_version, "best_times": "My entered times"})
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Your record was changed while you were on this page" in body
    assert "Nothing you entered has been lost" in body
    assert "My entered times" in body  # what they entered, ready to save again
    assert "Coordinator&#39;s times" in body  # and what is saved now
    assert "Casey Coordinator" not in body
    c = reload(db, me[1])
    assert _comm(c).best_times == "Coordinator's times"
    assert len(events(db, action="update")) == 1  # only the coordinator's
    # The form now carries the new version: saving again works.
    new_version = VERSION_RE.search(body).group(1)
    assert new_version == str(c.version)
    post(signed_in, "/my/communication/times",
         {"best_times": "My entered times", "version": new_version}, status=302)
    assert _comm(reload(db, me[1])).best_times == "My entered times"


def test_a_save_racing_another_gives_the_conflict_page(db, signed_in, me,
                                                      monkeypatch) -> None:
    """Someone saved between the version check and the write (the database's
    version column catches it): the same calm page, nothing half-saved."""
    from sqlalchemy.orm.exc import StaleDataError

    def racing(*args: Any, **kwargs: Any) -> None:
        raise StaleDataError("version changed underneath")

    monkeypatch.setattr(services, "save_section", racing)
    response = post(signed_in, "/my/communication/times", {"best_times": "Raced words"},
                    status=409)
    body = response.get_data(as_text=True)
    assert "Your record was changed while you were on this page" in body
    assert "Raced words" in body
    assert reload(db, me[1]).communication is None


def test_a_conflict_on_a_consent_button_changes_nothing(db, signed_in, me) -> None:
    fill_record(db, me[1], "mine")
    html = get(signed_in, "/my/consents")
    token = CSRF_RE.search(html).group(1)
    version = VERSION_RE.search(html).group(1)
    coordinator_saves(db, me[1], editing.set_communication(editing.Communication()))
    response = signed_in.post("/my/consents/withdraw", data={
        "csrf_token": token, "version": version, "kind": "contact"})
    assert response.status_code == 409
    assert "nothing has changed yet" in response.get_data(as_text=True)
    [consent] = reload(db, me[1]).consents
    assert consent.is_given


# --- Errors ----------------------------------------------------------------------

ERRORS = [
    ("/my/details/name", {"full_name": "  "}, "full_name", "Enter your full name"),
    ("/my/details/contact", {"email": "not-an-email"}, "email",
     "Enter an email address in the correct format"),
    ("/my/details/date-of-birth", {"date_of_birth-day": "31", "date_of_birth-month": "2",
                                   "date_of_birth-year": "1990"},
     "date_of_birth-day", "Date of birth must be a real date"),
    ("/my/details/date-of-birth", {"date_of_birth-day": "1", "date_of_birth-month": "1",
                                   "date_of_birth-year": "2999"},
     "date_of_birth-day", "Date of birth must be a real date in the past"),
    ("/my/experience/words", {}, "experience_word", "Select the words you prefer"),
    ("/my/experience/services", {"service_kinds": ["made_up"]}, "service_kinds",
     "Select from the list"),
    ("/my/adjustments/in-your-words", {"adjustments_other": "x" * 2001}, "adjustments_other",
     "Other adjustments must be 2000 characters or fewer"),
    ("/my/communication/ways", {"channel_order": ["email"], "do_not_use": ["email"]},
     "do_not_use", "You chose the same way in both lists"),
    ("/my/communication/format", {"information_format": "translated", "language": ""},
     "language", "Enter the language"),
    ("/my/communication/supporter", {"via_supporter": "yes", "supporter_name": ""},
     "supporter_name", "Enter the name of the person who helps you"),
    ("/my/communication/supporter", {}, "via_supporter", "Select yes if"),
    ("/my/communication/papers", {"papers_days_before": "soon"}, "papers_days_before",
     "Enter the number of days as a whole number"),
    ("/my/communication/papers", {"papers_days_before": "99"}, "papers_days_before",
     "Enter a number of days between 0 and 60"),
    ("/my/availability/days", {"slots": ["funday morning"]}, "slots",
     "Select days and times from the list"),
    ("/my/availability/how", {}, "attendance_mode", "Select how you can take part"),
    ("/my/availability/travel", {"travel_max_miles": "-3"}, "travel_max_miles",
     "Travel distance must be between 0 and 500"),
]


@pytest.mark.parametrize(("path", "data", "field", "message"), ERRORS,
                         ids=[f"{e[0]}:{e[2]}" for e in ERRORS])
def test_bad_input_shows_the_error_beside_the_field_and_saves_nothing(db, signed_in, me, path,
                                                                      data, field,
                                                                      message) -> None:
    before = services.snapshot(reload(db, me[1]))
    response = post(signed_in, path, data, status=400)
    body = response.get_data(as_text=True)
    assert "There is a problem" in body  # the error summary
    assert f'href="#{field}"' in body  # ...links to the field
    assert body.count(message) >= 2  # in the summary and beside the field
    assert "<title>Error: " in body
    assert "nhsuk-form-group--error" in body
    assert services.snapshot(reload(db, me[1])) == before
    assert events(db, action="update") == []


def test_the_entered_value_is_kept_after_an_error(db, signed_in, me) -> None:
    body = post(signed_in, "/my/communication/papers", {"papers_days_before": "soon"},
                status=400).get_data(as_text=True)
    assert 'value="soon"' in body


def test_a_missing_version_is_refused(db, signed_in, me) -> None:
    token = CSRF_RE.search(get(signed_in, "/my/")).group(1)
    response = signed_in.post("/my/communication/times",
                              data={"csrf_token": token, "best_times": "x"})
    assert response.status_code == 400
    assert _comm_or_none(reload(db, me[1])) is None


def _comm_or_none(c: Contributor) -> CommunicationPreference | None:
    return c.communication


# --- Easy Read ---------------------------------------------------------------------

def test_easy_read_switch_persists_and_changes_every_page(app, db, signed_in, me) -> None:
    standard = get(signed_in, "/my/")
    assert 'class="app-easy-read"' not in standard
    assert "Switch to Easy Read" in standard
    response = post(signed_in, "/my/easy-read", {"enabled": "1", "next": "/my/consents"},
                    form_page="/my/consents", status=302)
    assert response.headers["Location"] == "/my/consents"
    assert reload(db, me[1]).prefers_easy_read
    [event] = events(db, action="update")
    assert event.summary == "section: easy read"

    easy = get(signed_in, "/my/")
    assert '<body class="app-easy-read">' in easy
    assert "Switch to standard" in easy
    assert "easy-read.css" in easy
    assert "/static/img/easy-read/details.svg" in easy
    assert len(strip(main_text(easy))) < len(strip(main_text(standard)))
    # It sticks: a new session sees it too.
    other_client = app.test_client()
    sign_in(other_client, me[0])
    for path in my_get_paths(app):
        if path != "/my/data.json":
            assert '<body class="app-easy-read">' in get(other_client, path), path
    # And back.
    post(signed_in, "/my/easy-read", {"enabled": "0", "next": "/my/"}, status=302)
    assert not reload(db, me[1]).prefers_easy_read
    assert 'class="app-easy-read"' not in get(signed_in, "/my/")


def test_easy_read_uses_the_catalogue_sentences_for_adjustments(db, signed_in, me) -> None:
    item = reference().adjustments.get("quiet_room")
    standard = get(signed_in, "/my/adjustments/choose?group=sensory")
    assert item.label in standard and item.description in standard
    assert item.easy_read not in standard
    post(signed_in, "/my/easy-read", {"enabled": "1", "next": "/"}, status=302)
    easy = get(signed_in, "/my/adjustments/choose?group=sensory")
    assert item.easy_read in easy
    assert item.description not in easy


def test_easy_read_switch_only_returns_to_our_own_pages(db, signed_in, me) -> None:
    for target in ("https://evil.example/", "//evil.example/my/", "/admin/users",
                   "/my/data.json", "/my/nowhere"):
        response = post(signed_in, "/my/easy-read", {"enabled": "1", "next": target},
                        status=302)
        assert response.headers["Location"] == "/my/", target


def strip(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


# --- Who has looked at my record ------------------------------------------------------

def test_record_views_show_staff_roles_not_names_newest_first(db, signed_in, me,
                                                              other) -> None:
    coordinator = make_user(db, Role.COORDINATOR, name="Casey Staffname")
    finance = make_user(db, Role.FINANCE, name="Fin Staffname")
    c = reload(db, me[1])
    services.record_view(db, coordinator, c, "record")
    db.commit()
    services.save_section(db, coordinator, c, c.version, "communication",
                          editing.set_communication(editing.Communication(best_times="x")))
    db.commit()
    services.record_view(db, finance, c, "record")
    services.record_view(db, coordinator, reload(db, other[1]), "record")  # someone else's
    db.commit()
    # Their own actions are not staff looking.
    post(signed_in, "/my/communication/times", {"best_times": "mine"}, status=302)
    get(signed_in, "/my/data.json")

    body = get(signed_in, "/my/record-views")
    assert "Casey Staffname" not in body and "Fin Staffname" not in body
    rows = table_rows(body)[1:]  # after the heading row
    assert [(who, what) for _when, who, what in rows] == [
        ("Finance", "Looked at your record"),
        ("Involvement coordinator", "Changed how to contact you"),
        ("Involvement coordinator", "Looked at your record"),
    ]


def test_record_views_are_paginated(db, signed_in, me, settings) -> None:
    coordinator = make_user(db, Role.COORDINATOR)
    c = reload(db, me[1])
    for _ in range(settings.per_page + 3):
        services.record_view(db, coordinator, c, "record")
    db.commit()
    first = get(signed_in, "/my/record-views")
    assert first.count("Looked at your record") == settings.per_page
    assert "page=2" in first
    second = get(signed_in, "/my/record-views?page=2")
    assert second.count("Looked at your record") == 3


# --- Download my data ----------------------------------------------------------------

def test_json_download_holds_their_data_and_only_theirs(db, signed_in, me, other) -> None:
    fill_record(db, me[1], "mine")
    coordinator = make_user(db, Role.COORDINATOR, name="Casey Staffname")
    services.record_view(db, coordinator, reload(db, me[1]), "record")
    db.commit()
    response = signed_in.get("/my/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert re.search(r'filename="my-involvement-record-\d{4}-\d{2}-\d{2}\.json"', disposition)
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    for secret in OTHER_SECRETS:
        assert secret not in text, secret
    assert "Casey Staffname" not in text
    data = json.loads(text)
    assert data["record_id"] == me[1].id
    assert data["record"]["full_name"] == "Alex Example"
    assert data["record"]["what_i_bring"] == "mine-secret-words"
    assert data["in_plain_words"]["adjustments"] == [{
        "code": "regular_breaks", "label": "Regular breaks", "group": "Autism-informed",
        "note": "mine-adjustment-note"}]
    assert data["training"][0]["course"] == "Chairing a meeting"
    assert data["training"][0]["completed_on"] == "2026-02-01"
    contact = next(x for x in data["consents"] if x["kind"] == "contact")
    assert contact["given"] is True and contact["recorded_on"] == "2026-01-05"
    assert data["account"]["email"] == "alex@example.org"
    whos = {e["who"] for e in data["history"]}
    assert "Involvement coordinator" in whos and "You" in whos
    [download] = events(db, action="view", actor_id=me[0].id)
    assert download.summary == "subject access download"
    assert download.entity_id == me[1].id


def test_printable_page_shows_the_same_and_is_audited(db, signed_in, me, other) -> None:
    fill_record(db, me[1], "mine")
    body = get(signed_in, "/my/data")
    for secret in OTHER_SECRETS:
        assert secret not in body, secret
    for mine in ("Alex Example", "mine-secret-words", "mine-adjustment-note",
                 "Chairing a meeting", "alex@example.org", "History of your record"):
        assert mine in body, mine
    assert 'href="/my/data.json"' in body
    [view] = events(db, action="view", actor_id=me[0].id)
    assert view.summary == "subject access download (printable page)"


# --- Consents --------------------------------------------------------------------------

def test_withdrawing_consent_is_one_step_and_audited(db, signed_in, me) -> None:
    fill_record(db, me[1], "mine")
    post(signed_in, "/my/consents/withdraw", {"kind": "contact"}, form_page="/my/consents",
         status=302)
    [consent] = reload(db, me[1]).consents
    assert not consent.is_given
    assert consent.withdrawn_on == dt.date.today()
    [event] = events(db, action="update")
    assert event.summary == "section: consents"
    assert "You withdrew consent on" in get(signed_in, "/my/consents")


def test_giving_consent_online(db, signed_in, me) -> None:
    post(signed_in, "/my/consents/give", {"kind": "story_sharing"}, form_page="/my/consents",
         status=302)
    [consent] = reload(db, me[1]).consents
    assert (consent.kind, consent.is_given, consent.method) == ("story_sharing", True, "online")


def test_withdrawing_what_was_never_given_is_an_error(db, signed_in, me) -> None:
    response = post(signed_in, "/my/consents/withdraw", {"kind": "contact"},
                    form_page="/my/consents", status=400)
    assert "There is no consent to withdraw" in response.get_data(as_text=True)
    post(signed_in, "/my/consents/give", {"kind": "made_up"}, form_page="/my/consents",
         status=400)
    assert reload(db, me[1]).consents == []


# --- Ask to be removed ------------------------------------------------------------------

def test_asking_to_be_removed(db, signed_in, me) -> None:
    page = get(signed_in, "/my/remove")
    assert "remove your name" in page.lower() or "removes your name" in page
    assert "Nobody can tell they are about you" in page
    response = post(signed_in, "/my/remove", {}, form_page="/my/remove", status=302)
    assert response.headers["Location"] == "/my/"
    c = reload(db, me[1])
    assert c.removal_requested_at is not None
    [event] = events(db, action="removal_requested")
    assert (event.entity_id, event.actor_id) == (me[1].id, me[0].id)
    overview = get(signed_in, "/my/")
    assert "Your request is waiting for a coordinator" in overview
    # Asking again changes nothing and offers no second button.
    assert 'action="/my/remove"' not in get(signed_in, "/my/remove")
    post(signed_in, "/my/remove", {}, form_page="/my/", status=302)
    assert reload(db, me[1]).removal_requested_at == c.removal_requested_at
    assert len(events(db, action="removal_requested")) == 1


def test_an_anonymised_record_is_never_shown(db, client, me) -> None:
    c = reload(db, me[1])
    c.anonymised_at = utcnow()
    db.commit()
    sign_in(client, me[0])
    assert "Your record is not set up yet" in get(client, "/my/")


# --- The overview ---------------------------------------------------------------------------

def test_the_overview_links_every_part(db, signed_in, me) -> None:
    body = get(signed_in, "/my/")
    for text, href in [("My details", "/my/details"),
                       ("My lived experience in my words", "/my/experience"),
                       ("My adjustments (what helps me take part)", "/my/adjustments"),
                       ("How to contact me", "/my/communication"),
                       ("When I can take part", "/my/availability"),
                       ("My training", "/my/training"), ("My consents", "/my/consents"),
                       ("Who has looked at my record", "/my/record-views"),
                       ("Download my data", "/my/data"), ("Ask to be removed", "/my/remove")]:
        assert f'<a href="{href}">{text}</a>' in body, text


def test_living_experience_is_used_when_preferred(db, signed_in, me) -> None:
    post(signed_in, "/my/experience/words", {"experience_word": "living"}, status=302)
    assert "My living experience in my words" in get(signed_in, "/my/")
    assert "My living experience in my words" in get(signed_in, "/my/experience")


def test_pages_work_without_javascript_and_have_one_h1(app, db, signed_in, me) -> None:
    for path in my_get_paths(app):
        if path == "/my/data.json":
            continue
        body = get(signed_in, path)
        assert main_text(body).count("<h1") == 1, path
        assert "<script" not in main_text(body), path


def test_the_number_of_audit_rows_for_a_save_is_one(db, signed_in, me) -> None:
    post(signed_in, "/my/communication/times", {"best_times": "x"}, status=302)
    count = fresh(db).scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.entity_type == "contributor"))
    assert count == 1

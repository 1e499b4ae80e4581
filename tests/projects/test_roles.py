"""Roles on projects: adding (the usual fee tier from the kind), the rules
on what is typed, status steps along ROLE_TRANSITIONS only (audited), no
opening without a session, and the role page (links, query count)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import func, select

from crm.db import utcnow
from crm.permissions import Role
from crm.projects import roles
from crm.projects.forms import STALE
from crm.projects.models import ROLE_TRANSITIONS, RoleOpening, RoleStatus
from tests.factories import make_user
from tests.project_factories import make_project, make_role, role_session
from tests.projects.helpers import coordinator, events, field_error, post, text_of


def role_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Interview panel member", "kind": "interview_panel_member",
        "level": "co_production", "places": "2", "fee_tier": "usual", "mode": "in_person",
        "closes_on-day": "", "closes_on-month": "", "closes_on-year": ""}
    data.update(overrides)
    return data


def roles_in(db) -> int:  # type: ignore[no-untyped-def]
    db.expire_all()
    return db.scalar(select(func.count()).select_from(RoleOpening))


def test_a_new_role_is_a_draft_with_the_usual_fee_tier_of_its_kind(client, db) -> None:
    project = make_project(db)
    coordinator(db, client)
    page = client.get(f"/projects/{project.id}/roles/new").get_data(as_text=True)
    assert '<option value="usual" selected' in page
    response = post(client, f"/projects/{project.id}/roles/new", role_data(
        required_experience=["carer", "family_member"], required_training=["facilitation_skills"],
        desirable_skills=["chairing"], conflict_rules=["works_on_ward"],
        required_service_kinds=["acute_adult_ward"], description="Help choose the manager",
        **{"closes_on-day": "1", "closes_on-month": "3", "closes_on-year": "2027"}))
    assert response.status_code == 302
    role = db.scalars(select(RoleOpening)).one()
    assert (role.status, role.fee_tier, role.places, role.mode) == (
        "draft", "tier_75", 2, "in_person")
    assert role.required_experience == ["carer", "family_member"]
    assert role.required_training == ["facilitation_skills"]
    assert role.conflict_rules == ["works_on_ward"]
    assert role.closes_on == dt.date(2027, 3, 1)
    assert len(events(db, "create", "role")) == 1


@pytest.mark.parametrize(("kind", "fee_tier", "saved"), [
    ("peer_support_worker", "usual", None),  # no typical rate: unpaid
    ("co_chair", "usual", "tier_300"),
    ("co_chair", "unpaid", None),
    ("focus_group_participant", "tier_50", "tier_50"),
])
def test_fee_tiers(client, db, kind, fee_tier, saved) -> None:
    project = make_project(db)
    coordinator(db, client)
    assert post(client, f"/projects/{project.id}/roles/new",
                role_data(kind=kind, fee_tier=fee_tier)).status_code == 302
    assert db.scalars(select(RoleOpening)).one().fee_tier == saved


def test_fee_tier_choices_are_the_rate_card_in_force_cheapest_first(app) -> None:  # type: ignore[no-untyped-def]
    """With payments (the app), the card in force today, with amounts; every
    tier the roles catalogue names is there (All day included)."""
    assert roles.fee_tier_codes() == ["tier_25", "tier_50", "tier_75", "tier_150", "tier_300"]
    assert set(roles.catalogue_fee_tier_codes()) <= set(roles.fee_tier_codes())
    assert dict(roles.fee_tiers())["tier_150"] == "All day: £165.00 a day"
    assert roles.fee_tier_label("tier_75").endswith("£82.50 a half day")
    assert roles.fee_tier_label(None) == "Unpaid"


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"places": "0"}, "places", "Places must be a whole number from 1 to 500"),
    ({"places": ""}, "places", "Enter how many places there are"),
    ({"places": "two"}, "places", "Places must be a whole number, like 2"),
    ({"kind": ""}, "kind", "Select the kind of role"),
    ({"kind": "astronaut"}, "kind", "Select the kind of role"),
    ({"level": "top"}, "level", "Select the involvement level"),
    ({"fee_tier": "tier_1000"}, "fee_tier", "Select a fee tier, or unpaid"),
    ({"title": ""}, "title", "Enter the role's title"),
    ({"mode": "by_post"}, "mode", "Select online, in person or either"),
    ({"required_training": ["juggling"]}, "required_training", "Select from the list"),
])
def test_role_messages_beside_their_fields_and_nothing_saved(client, db, overrides, field,
                                                            message) -> None:
    project = make_project(db)
    coordinator(db, client)
    response = post(client, f"/projects/{project.id}/roles/new", role_data(**overrides))
    assert response.status_code == 400
    assert field_error(response, field) == message
    assert roles_in(db) == 0


def test_changing_a_role_from_a_stale_page_is_refused(client, db) -> None:
    role = make_role(db, title="Co-chair")
    coordinator(db, client)
    path = f"/projects/roles/{role.id}/edit"
    assert f'name="version" value="{role.version}"' in client.get(path).get_data(as_text=True)
    old = str(role.version)
    assert post(client, path, role_data(title="Co-chair (new)", version=old)).status_code == 302
    stale = post(client, path, role_data(title="Something else", version=old))
    assert stale.status_code == 400 and STALE in text_of(stale)
    db.expire_all()
    assert db.get(RoleOpening, role.id).title == "Co-chair (new)"


# ---------------------------------------------------------------- status


def _every_step() -> list[tuple[RoleStatus, RoleStatus]]:
    return list(itertools.product(RoleStatus, RoleStatus))


@pytest.mark.parametrize(("start", "target"), _every_step())
def test_status_moves_only_along_the_transitions(client, db, start, target) -> None:
    role = make_role(db, status=start.value, sessions=[role_session(utcnow())])
    coordinator(db, client)
    response = post(client, f"/projects/roles/{role.id}/status",
                    {"status": target.value, "version": str(role.version)})
    db.expire_all()
    saved = db.get(RoleOpening, role.id).status
    if target in ROLE_TRANSITIONS[start]:
        assert response.status_code == 302
        assert saved == target.value
        [event] = events(db, "update", "role")
        assert event.changes == {"status": {"old": start.value, "new": target.value}}
    else:
        assert response.status_code == 400
        assert saved == start.value
        assert events(db, "update", "role") == []


def test_the_role_page_shows_only_the_steps_allowed(client, db) -> None:
    role = make_role(db, status="open", sessions=[role_session(utcnow())])
    coordinator(db, client)
    page = client.get(f"/projects/roles/{role.id}").get_data(as_text=True)
    shown = {v for v in RoleStatus if f'name="status" value="{v.value}"' in page}
    assert shown == set(ROLE_TRANSITIONS[RoleStatus.OPEN])


def test_a_role_cannot_open_without_a_session_that_is_going_ahead(client, db) -> None:
    role = make_role(db, status="draft",
                     sessions=[role_session(utcnow() + dt.timedelta(days=3), is_cancelled=True)])
    coordinator(db, client)
    response = post(client, f"/projects/roles/{role.id}/status",
                    {"status": "open", "version": str(role.version)})
    assert response.status_code == 400
    assert field_error(response, "status") == roles.NO_SESSION
    db.expire_all()
    assert db.get(RoleOpening, role.id).status == "draft"


def test_a_status_change_from_a_stale_page_is_refused(client, db) -> None:
    role = make_role(db, status="open", sessions=[role_session(utcnow())])
    coordinator(db, client)
    response = post(client, f"/projects/roles/{role.id}/status",
                    {"status": "filled", "version": str(role.version - 1)})
    assert response.status_code == 400 and STALE in text_of(response)
    db.expire_all()
    assert db.get(RoleOpening, role.id).status == "open"


# ---------------------------------------------------------------- the role page


def test_the_role_page_lists_details_sessions_and_links_to_matching(app, client, db) -> None:
    role = make_role(db, title="Focus group on food", required_experience=["carer"],
                     required_training=["facilitation_skills"], fee_tier="tier_25",
                     sessions=[role_session(dt.datetime(2030, 1, 15, 14, 0, tzinfo=dt.UTC),
                                            minutes=90, venue="Oak House")])
    coordinator(db, client)
    page = text_of(client.get(f"/projects/roles/{role.id}"))
    assert "Focus group on food" in page and "Carer" in page
    assert "About 1 hour or less, little or no preparation: £27.50 an activity" in page
    assert "15 January 2030 at 2:00pm" in page and "1 hour 30 minutes" in page
    assert "Oak House" in page
    # one plain link to change the details, not a "Change" on one row of them
    assert "Change the role's details" in page
    for endpoint, text in [("matching.candidates", "Find people for this role"),
                           ("matching.offers", "Offers and replies"),
                           ("matching.attendance", "Attendance"),
                           ("meetings.session_page", "Making it work"),
                           ("payments.session_claims", "Fees and expenses")]:
        assert (text in page) == (endpoint in app.view_functions)
    html = client.get(f"/projects/roles/{role.id}").get_data(as_text=True)
    session_id = role.sessions[0].id
    for path in (f"/meetings/sessions/{session_id}", f"/payments/sessions/{session_id}/claims"):
        assert f'href="{path}"' in html
        assert client.get(path).status_code == 200


def test_the_role_page_runs_the_same_queries_for_one_or_many_sessions(client, db,
                                                                     count_queries) -> None:
    project = make_project(db)
    coordinator(db, client)
    one = make_role(db, project, sessions=[role_session(utcnow())])
    many = make_role(db, project, sessions=[role_session(utcnow() + dt.timedelta(days=n))
                                            for n in range(8)])
    counts = []
    for role in (one, many):
        before = count_queries.count
        assert client.get(f"/projects/roles/{role.id}").status_code == 200
        counts.append(count_queries.count - before)
    assert counts[0] == counts[1]


@pytest.mark.parametrize("role_", [Role.FINANCE, Role.REPORT_VIEWER, Role.CONTRIBUTOR,
                                   Role.ADMINISTRATOR])
def test_people_who_are_not_coordinators_are_refused(client, db, role_) -> None:
    from tests.factories import log_in
    role = make_role(db)
    log_in(client, make_user(db, role_))
    assert client.get(f"/projects/roles/{role.id}").status_code == 403
    assert client.get("/projects/").status_code == 403

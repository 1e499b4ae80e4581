"""Sessions of a role: UK local times stored in UTC, length, place,
papers date, edits bump the sequence (stale edits told), and cancelling
keeps the session."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from crm.matching.offers import london_today
from crm.permissions import Role
from crm.projects import roles
from crm.projects.forms import STALE, parse_time
from crm.projects.models import RoleSession
from crm.projects.roles import ProjectError, to_utc
from crm.web.templating import format_date
from tests.factories import make_user
from tests.project_factories import make_project, make_role, make_ward, role_session
from tests.projects.helpers import coordinator, events, field_error, post, text_of


def session_data(day: dt.date = dt.date(2038, 7, 15), **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {"day-day": str(day.day), "day-month": str(day.month),
                               "day-year": str(day.year), "start": "10:00", "hours": "2",
                               "minutes": "0", "place": "online"}
    data.update(overrides)
    return data


def only_session(db) -> RoleSession:  # type: ignore[no-untyped-def]
    db.expire_all()
    return db.scalars(select(RoleSession)).one()


@pytest.mark.parametrize(("day", "start", "utc"), [
    (dt.date(2038, 7, 15), "10:00", dt.datetime(2038, 7, 15, 9, 0, tzinfo=dt.UTC)),  # BST
    (dt.date(2038, 1, 15), "10:00", dt.datetime(2038, 1, 15, 10, 0, tzinfo=dt.UTC)),  # GMT
    (dt.date(2038, 3, 28), "2:30pm", dt.datetime(2038, 3, 28, 13, 30, tzinfo=dt.UTC)),
    (dt.date(2038, 10, 31), "09:15", dt.datetime(2038, 10, 31, 9, 15, tzinfo=dt.UTC)),
])
def test_times_are_typed_in_london_time_and_stored_in_utc(client, db, day, start, utc) -> None:
    role = make_role(db)
    coordinator(db, client)
    assert post(client, f"/projects/roles/{role.id}/sessions/new",
                session_data(day, start=start)).status_code == 302
    saved = only_session(db)
    assert saved.starts_at == utc
    assert saved.is_online and saved.minutes == 120


def test_a_july_session_at_ten_in_london_is_nine_utc() -> None:
    assert to_utc(dt.date(2026, 7, 1), dt.time(10, 0)) == dt.datetime(2026, 7, 1, 9, 0,
                                                                       tzinfo=dt.UTC)


@pytest.mark.parametrize(("typed", "time"), [
    ("10:00", dt.time(10, 0)), ("14:30", dt.time(14, 30)), ("9.15", dt.time(9, 15)),
    ("2pm", dt.time(14, 0)), ("2:30 PM", dt.time(14, 30)), ("12am", dt.time(0, 0)),
    ("12pm", dt.time(12, 0)), ("10", None), ("25:00", None), ("13pm", None), ("noon", None),
    ("10:60", None),
])
def test_start_times(typed, time) -> None:
    assert parse_time(typed) == time


def test_a_session_in_a_wards_room(client, db) -> None:
    ward = make_ward(db, "Aire Ward")
    role = make_role(db, make_project(db, wards=[ward]))
    coordinator(db, client)
    page = client.get(f"/projects/roles/{role.id}/sessions/new").get_data(as_text=True)
    assert f'<option value="{ward.id}" selected' in page  # the project's only ward
    assert post(client, f"/projects/roles/{role.id}/sessions/new", session_data(
        place="ward", ward_id=str(ward.id), hours="1", minutes="30",
        **{"papers_ready_on-day": "8", "papers_ready_on-month": "7",
           "papers_ready_on-year": "2038"})).status_code == 302
    saved = only_session(db)
    assert (saved.ward_id, saved.venue, saved.is_online, saved.minutes) == (
        ward.id, None, False, 90)
    assert saved.papers_ready_on == dt.date(2038, 7, 8)
    assert len(events(db, "create", "session")) == 1


@pytest.mark.parametrize(("overrides", "error_id", "href", "message"), [
    ({"start": ""}, "start", "start", "Enter the start time, like 10:00 or 2:30pm"),
    ({"start": "25:00"}, "start", "start", "Enter a real start time, like 10:00 or 2:30pm"),
    ({"hours": "", "minutes": ""}, "hours", "hours",
     "Enter how long the session is, up to 24 hours"),
    ({"minutes": "75"}, "minutes", "minutes", "Minutes must be 59 or fewer"),
    ({"place": "venue", "venue": ""}, "venue", "venue", "Enter where the session is"),
    ({"place": "ward"}, "ward_id", "ward_id", "Select the ward whose room it is in"),
    ({"place": ""}, "place", "place", "Select where the session is"),
    ({"papers_ready_on-day": "16", "papers_ready_on-month": "7", "papers_ready_on-year": "2038"},
     "papers_ready_on", "papers_ready_on-day",
     "Papers must be ready on or before the day of the session"),
    ({"day-day": "", "day-month": "", "day-year": ""}, "day", "day-day",
     "Enter the date of the session"),
])
def test_session_messages_beside_their_fields_and_nothing_saved(
        client, db, overrides, error_id, href, message) -> None:
    role = make_role(db)
    coordinator(db, client)
    response = post(client, f"/projects/roles/{role.id}/sessions/new", session_data(**overrides))
    assert response.status_code == 400
    assert field_error(response, error_id, href) == message
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(RoleSession)) == 0


def test_editing_a_session_bumps_its_sequence_and_a_stale_edit_is_told(client, db) -> None:
    role = make_role(db, sessions=[role_session(dt.datetime(2038, 7, 15, 9, 0, tzinfo=dt.UTC),
                                                venue="Oak House")])
    row = role.sessions[0]
    coordinator(db, client)
    page = client.get(f"/projects/sessions/{row.id}/edit").get_data(as_text=True)
    assert 'value="10:00"' in page and 'name="version" value="0"' in page  # London time
    assert post(client, f"/projects/sessions/{row.id}/edit", session_data(
        start="11:00", place="venue", venue="Oak House", version="0")).status_code == 302
    saved = only_session(db)
    assert saved.sequence == 1
    assert saved.starts_at == dt.datetime(2038, 7, 15, 10, 0, tzinfo=dt.UTC)
    stale = post(client, f"/projects/sessions/{row.id}/edit", session_data(
        start="12:00", place="venue", venue="Oak House", version="0"))
    assert stale.status_code == 400 and STALE in text_of(stale)
    assert only_session(db).starts_at.hour == 10


def test_saving_a_session_unchanged_keeps_its_sequence(client, db) -> None:
    role = make_role(db, sessions=[role_session(dt.datetime(2038, 7, 15, 9, 0, tzinfo=dt.UTC),
                                                is_online=True)])
    coordinator(db, client)
    assert post(client, f"/projects/sessions/{role.sessions[0].id}/edit",
                session_data(version="0")).status_code == 302
    assert only_session(db).sequence == 0
    assert events(db, "update", "session") == []


def test_cancelling_asks_first_then_keeps_the_session_marked_cancelled(client, db) -> None:
    role = make_role(db, sessions=[role_session(dt.datetime(2038, 7, 15, 9, 0, tzinfo=dt.UTC))])
    row = role.sessions[0]
    coordinator(db, client)
    page = text_of(client.get(f"/projects/sessions/{row.id}/cancel"))
    assert "Cancel the session on 15 July 2038 at 10:00am?" in page
    assert not only_session(db).is_cancelled  # GET changes nothing
    assert post(client, f"/projects/sessions/{row.id}/cancel",
                {"version": "0"}).status_code == 302
    saved = only_session(db)
    assert saved.is_cancelled and saved.sequence == 1
    assert events(db, "update", "session")[0].changes == {
        "is_cancelled": {"old": False, "new": True}}
    again = post(client, f"/projects/sessions/{row.id}/cancel", {"version": "1"})
    assert again.status_code == 400
    assert "This session has already been cancelled" in text_of(again)
    role_page = text_of(client.get(f"/projects/roles/{role.id}"))
    assert "Cancelled" in role_page


def test_a_new_session_in_the_past_is_refused_beside_its_date(client, db) -> None:
    role = make_role(db)
    coordinator(db, client)
    past = london_today() - dt.timedelta(days=2)
    response = post(client, f"/projects/roles/{role.id}/sessions/new", session_data(past))
    assert response.status_code == 400
    assert field_error(response, "day", "day-day") == (
        "The date of a new session must be today or in the future")
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(RoleSession)) == 0


def test_a_new_session_earlier_today_is_refused_beside_its_start(db) -> None:
    role = make_role(db)
    user = make_user(db, Role.COORDINATOR)
    now = dt.datetime(2038, 7, 15, 13, 0, tzinfo=dt.UTC)  # 2pm in London
    with pytest.raises(ProjectError) as refused:
        roles.add_session(db, user, role, roles.SessionInput(
            day=dt.date(2038, 7, 15), start=dt.time(10, 0), minutes=60, place="online"), now=now)
    assert (refused.value.field, refused.value.message) == (
        "start", "That time today has passed: a new session must start later than now")
    later = roles.add_session(db, user, role, roles.SessionInput(
        day=dt.date(2038, 7, 15), start=dt.time(15, 0), minutes=60, place="online"), now=now)
    assert later.starts_at == dt.datetime(2038, 7, 15, 14, 0, tzinfo=dt.UTC)


def test_a_session_that_has_happened_keeps_its_date_when_changed(client, db) -> None:
    past = london_today() - dt.timedelta(days=5)
    role = make_role(db, sessions=[role_session(to_utc(past, dt.time(10, 0)), is_online=True)])
    coordinator(db, client)
    assert post(client, f"/projects/sessions/{role.sessions[0].id}/edit",
                session_data(past, hours="3", version="0")).status_code == 302
    assert only_session(db).minutes == 180


def test_a_session_outside_the_projects_dates_is_saved_with_a_warning(client, db) -> None:
    start = london_today() + dt.timedelta(days=20)
    project = make_project(db, starts_on=start, ends_on=start + dt.timedelta(days=60))
    role = make_role(db, project)
    coordinator(db, client)
    early = start - dt.timedelta(days=8)
    response = post(client, f"/projects/roles/{role.id}/sessions/new", session_data(early))
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "The session has been added." in page
    assert (f"The session is on {format_date(early)}, before the project starts on "
            f"{format_date(start)}. If that is wrong, change the session or the project's "
            "dates.") in page
    inside = post(client, f"/projects/roles/{role.id}/sessions/new",
                  session_data(start + dt.timedelta(days=1)))
    assert "before the project starts" not in text_of(client.get(inside.headers["Location"]))
    late = start + dt.timedelta(days=61)
    response = post(client, f"/projects/roles/{role.id}/sessions/new", session_data(late))
    assert "after the project ends on" in text_of(client.get(response.headers["Location"]))

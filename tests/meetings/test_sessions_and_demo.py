"""The coordinators' list of sessions (paginated, fixed statement count)
and the demo meetings data."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from crm.db import utcnow
from crm.meetings.demo import load_meetings
from crm.meetings.models import ChecklistTick, FurtherThought, SessionSupport, YouSaidWeDid
from tests.factories import log_in
from tests.meetings.helpers import make_meeting
from tests.project_factories import make_attendance, make_role, role_session


def test_sessions_list_is_paginated_with_a_fixed_statement_count(client, db,
                                                                 count_queries) -> None:
    m = make_meeting(db, starts_at=utcnow() + dt.timedelta(days=3))
    log_in(client, m.coordinator)
    client.get("/meetings/sessions")
    count_queries.statements.clear()
    assert "Project team member" in client.get("/meetings/sessions").get_data(as_text=True)
    one = count_queries.count
    make_role(db, title="Many sessions", sessions=[
        role_session(utcnow() + dt.timedelta(days=d)) for d in range(1, 40)])
    count_queries.statements.clear()
    html = client.get("/meetings/sessions").get_data(as_text=True)
    assert count_queries.count == one
    assert "Page 1 of 2 (40 sessions)" in html
    assert "Page 2 of 2" in client.get("/meetings/sessions?page=2").get_data(as_text=True)


def test_past_sessions_are_listed_latest_first_with_attendance_and_fees(client, db,
                                                                       count_queries) -> None:
    m = make_meeting(db, starts_at=utcnow() - dt.timedelta(days=2))
    make_role(db, m.row.role.project, title="Earlier one", sessions=[
        role_session(utcnow() - dt.timedelta(days=9))])
    make_role(db, m.row.role.project, title="Still to come", sessions=[
        role_session(utcnow() + dt.timedelta(days=4))])
    log_in(client, m.coordinator)
    upcoming = client.get("/meetings/sessions").get_data(as_text=True)
    assert "Still to come" in upcoming and "Project team member" not in upcoming
    assert 'href="/meetings/sessions/past"' in upcoming
    html = client.get("/meetings/sessions/past").get_data(as_text=True)
    assert "<h1>Past sessions</h1>" in html and "Still to come" not in html
    assert html.index("Project team member") < html.index("Earlier one")  # latest first
    assert f'href="/matching/sessions/{m.row.id}/attendance">Attendance<span' in html
    assert f'href="/payments/sessions/{m.row.id}/claims">' in html
    assert 'href="/meetings/sessions">' in html
    count_queries.statements.clear()
    client.get("/meetings/sessions/past")
    one = count_queries.count
    make_role(db, title="Many sessions", sessions=[
        role_session(utcnow() - dt.timedelta(days=d)) for d in range(3, 40)])
    count_queries.statements.clear()
    html = client.get("/meetings/sessions/past").get_data(as_text=True)
    assert count_queries.count == one
    assert "Page 1 of 2 (39 sessions)" in html
    assert 'href="/meetings/sessions/past?page=2">Next page' in html


def test_the_session_page_links_its_attendance_and_fees(client, db) -> None:
    m = make_meeting(db, starts_at=utcnow() - dt.timedelta(days=2))
    log_in(client, m.coordinator)
    html = client.get(f"/meetings/sessions/{m.row.id}").get_data(as_text=True)
    assert f'<a href="/matching/sessions/{m.row.id}/attendance">Attendance at this session</a>' \
        in html
    assert f'<a href="/payments/sessions/{m.row.id}/claims">' in html


def test_demo_meetings(db) -> None:
    m = make_meeting(db, starts_at=utcnow() - dt.timedelta(days=2))
    make_attendance(db, m.row, m.asha[1])
    make_role(db, m.row.role.project, title="Next one", sessions=[
        role_session(utcnow() + dt.timedelta(days=4))])
    added = load_meetings(db, dt.date.today(), coordinator_id=m.coordinator.id)
    db.commit()
    assert added == db.scalar(select(func.count()).select_from(YouSaidWeDid)) + sum(
        db.scalar(select(func.count()).select_from(t)) for t in
        (ChecklistTick, SessionSupport, FurtherThought))
    assert db.scalar(select(func.count()).select_from(YouSaidWeDid)) == 3
    assert db.scalars(select(SessionSupport.contributor_id)).all() == [m.asha[1].id]
    assert db.scalars(select(FurtherThought.contributor_id)).all() == [m.asha[1].id]

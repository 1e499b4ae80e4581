"""Attendance at a session: everyone who said yes to the role, one answer
each, saved and audited on the session; not for a session still to come;
a stale page is refused whole; a constant query count."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from crm.db import utcnow
from crm.matching import attendance
from crm.matching.models import OfferStatus
from crm.permissions import Role
from crm.projects.models import Attendance
from tests.factories import log_in, make_contributor, make_user
from tests.project_factories import make_attendance, make_offer, make_role, role_session
from tests.projects.helpers import coordinator, events, post, text_of


def past_role(db, places: int = 3):  # type: ignore[no-untyped-def]
    return make_role(db, places=places, sessions=[
        role_session(utcnow() - dt.timedelta(days=1))])


def rows(db) -> dict[int, str]:  # type: ignore[no-untyped-def]
    db.expire_all()
    return {a.contributor_id: a.outcome for a in db.scalars(select(Attendance))}


def test_only_people_who_said_yes_are_listed(client, db) -> None:
    role = past_role(db)
    yes = make_contributor(db, full_name="Ada Yes")
    offered = make_contributor(db, full_name="Ben Offered")
    declined = make_contributor(db, full_name="Cy Declined")
    make_offer(db, role, yes, OfferStatus.ACCEPTED)
    make_offer(db, role, offered, OfferStatus.OFFERED)
    make_offer(db, role, declined, OfferStatus.DECLINED)
    coordinator(db, client)
    page = text_of(client.get(f"/matching/sessions/{role.sessions[0].id}/attendance"))
    assert "Ada Yes" in page
    assert "Ben Offered" not in page and "Cy Declined" not in page
    for label in ("Attended", "Did not attend", "Cancelled by us", "Left early"):
        assert label in page


def test_saving_creates_then_updates_one_row_each_and_audits_the_session(client, db) -> None:
    role = past_role(db)
    ada, ben = make_contributor(db), make_contributor(db)
    for person in (ada, ben):
        make_offer(db, role, person, OfferStatus.ACCEPTED)
    session_id = role.sessions[0].id
    user = coordinator(db, client)
    path = f"/matching/sessions/{session_id}/attendance"
    assert post(client, path, {f"outcome-{ada.id}": "attended", f"version-{ada.id}": "0",
                               f"version-{ben.id}": "0"}).status_code == 302
    assert rows(db) == {ada.id: "attended"}  # Ben left blank for later
    saved = db.scalars(select(Attendance)).one()
    assert saved.recorded_by_id == user.id
    assert post(client, path, {f"outcome-{ada.id}": "left_early", f"version-{ada.id}": "1",
                               f"outcome-{ben.id}": "did_not_attend",
                               f"version-{ben.id}": "0"}).status_code == 302
    assert rows(db) == {ada.id: "left_early", ben.id: "did_not_attend"}
    audited = events(db, "attendance_recorded", "session")
    assert [e.entity_id for e in audited] == [session_id, session_id]
    assert audited[1].changes == {
        f"contributor {ada.id}": {"old": "attended", "new": "left_early"},
        f"contributor {ben.id}": {"old": None, "new": "did_not_attend"}}
    assert "contributor" not in (audited[1].summary or "").lower()  # no names, no ids


def test_a_session_still_to_come_cannot_have_attendance(client, db) -> None:
    role = make_role(db, sessions=[role_session(utcnow() + dt.timedelta(hours=2))])
    person = make_contributor(db)
    make_offer(db, role, person, OfferStatus.ACCEPTED)
    coordinator(db, client)
    path = f"/matching/sessions/{role.sessions[0].id}/attendance"
    page = text_of(client.get(path))
    assert attendance.NOT_YET in page and "Save attendance" not in page
    response = post(client, path, {f"outcome-{person.id}": "attended",
                                   f"version-{person.id}": "0"})
    assert response.status_code == 400 and attendance.NOT_YET in text_of(response)
    assert rows(db) == {}


def test_a_cancelled_session_cannot_have_attendance(db) -> None:
    role = make_role(db, sessions=[role_session(utcnow() - dt.timedelta(days=1),
                                                is_cancelled=True)])
    user = make_user(db)
    with pytest.raises(attendance.AttendanceError, match="cancelled"):
        attendance.record_attendance(db, user, role.sessions[0], {}, {})


def test_a_second_coordinators_stale_save_is_told_and_changes_nothing(app, client, db) -> None:
    role = past_role(db)
    person = make_contributor(db)
    make_offer(db, role, person, OfferStatus.ACCEPTED)
    path = f"/matching/sessions/{role.sessions[0].id}/attendance"
    coordinator(db, client)
    other = app.test_client()
    coordinator(db, other)
    # Both loaded the page when nothing was recorded (version 0).
    assert post(client, path, {f"outcome-{person.id}": "attended",
                               f"version-{person.id}": "0"}).status_code == 302
    stale = post(other, path, {f"outcome-{person.id}": "did_not_attend",
                               f"version-{person.id}": "0"})
    assert stale.status_code == 400
    assert "Someone else saved attendance for this session" in text_of(stale)
    assert rows(db) == {person.id: "attended"}
    assert len(events(db, "attendance_recorded")) == 1


@pytest.mark.parametrize("answer", ["absent", ""])
def test_answers_not_in_the_list_or_for_strangers_save_nothing(db, answer) -> None:
    role = past_role(db)
    ada, stranger = make_contributor(db), make_contributor(db)
    make_offer(db, role, ada, OfferStatus.ACCEPTED)
    user = make_user(db)
    with pytest.raises(attendance.AttendanceError) as refused:
        attendance.record_attendance(db, user, role.sessions[0],
                                     {ada.id: "attended", stranger.id: "attended"}, {})
    assert refused.value.contributor_id == stranger.id
    if answer:
        with pytest.raises(attendance.AttendanceError, match="Select what happened"):
            attendance.record_attendance(db, user, role.sessions[0], {ada.id: answer}, {})
    db.rollback()
    assert rows(db) == {}


def test_the_page_runs_the_same_queries_for_one_or_many_people(client, db,
                                                               count_queries) -> None:
    small, big = past_role(db, places=1), past_role(db, places=8)
    make_offer(db, small, make_contributor(db), OfferStatus.ACCEPTED)
    for _ in range(8):
        person = make_contributor(db)
        make_offer(db, big, person, OfferStatus.ACCEPTED)
        make_attendance(db, big.sessions[0], person, "attended")
    coordinator(db, client)
    counts = []
    for role in (small, big):
        before = count_queries.count
        assert client.get(f"/matching/sessions/{role.sessions[0].id}/attendance"
                          ).status_code == 200
        counts.append(count_queries.count - before)
    assert counts[0] == counts[1]


@pytest.mark.parametrize("role_", [Role.FINANCE, Role.REPORT_VIEWER, Role.CONTRIBUTOR])
def test_only_coordinators_record_attendance(client, db, role_) -> None:
    role = past_role(db)
    log_in(client, make_user(db, role_))
    assert client.get(f"/matching/sessions/{role.sessions[0].id}/attendance"
                      ).status_code == 403

"""The .ics files and feeds: stable UID, SEQUENCE, STATUS:CANCELLED, UTC
times, location in words, and nothing of special category in them."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from crm.projects.calendar import feed_calendar, ics_filename, session_calendar, uid_host
from tests.project_factories import make_project, make_role, make_ward, role_session

START = dt.datetime(2027, 6, 9, 9, 0, tzinfo=dt.UTC)  # 10am London (BST)


def _session(db, **fields):
    ward = make_ward(db, "Willow Ward", site="Riverside Hospital")
    project = make_project(db, "Calmer evenings", wards=[ward])
    role = make_role(db, project, title="Co-chair",
                     sessions=[role_session(START, 90, ward_id=ward.id, **fields)])
    return role.sessions[0]


def _events(data: bytes):
    return Calendar.from_ical(data).walk("VEVENT")


def test_one_session_has_stable_uid_sequence_utc_and_place(db) -> None:
    row = _session(db)
    first = _events(session_calendar(row, "crm.example"))[0]
    assert str(first["UID"]) == f"session-{row.id}@crm.example"
    assert first["SEQUENCE"] == 0
    assert first["STATUS"] == "CONFIRMED"
    assert first.decoded("DTSTART") == START
    assert first.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert first.decoded("DTEND") == START + dt.timedelta(minutes=90)
    assert str(first["LOCATION"]) == "Willow Ward, Riverside Hospital"
    assert "Co-chair" in str(first["SUMMARY"])
    raw = session_calendar(row, "crm.example").decode()
    assert "DTSTART:20270609T090000Z" in raw

    row.starts_at = START + dt.timedelta(days=1)
    row.sequence += 1
    db.commit()
    again = _events(session_calendar(row, "crm.example"))[0]
    assert str(again["UID"]) == str(first["UID"])
    assert again["SEQUENCE"] == 1


def test_cancelled_session_says_so(db) -> None:
    row = _session(db, is_cancelled=True, sequence=2)
    event = _events(session_calendar(row, "crm.example"))[0]
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert str(event["UID"]) == f"session-{row.id}@crm.example"


def test_feed_keeps_cancelled_sessions_cancelled(db) -> None:
    row = _session(db)
    row.role.sessions.append(role_session(START + dt.timedelta(days=7), 60, is_online=True,
                                          is_cancelled=True, sequence=3))
    db.commit()
    events = _events(feed_calendar(row.role.sessions, "crm.example", "My sessions"))
    by_status = {str(e["STATUS"]): e for e in events}
    assert set(by_status) == {"CONFIRMED", "CANCELLED"}
    assert by_status["CANCELLED"]["SEQUENCE"] == 3
    assert str(by_status["CANCELLED"]["LOCATION"]).startswith("Online")


def test_no_special_category_data_in_the_file(db) -> None:
    row = _session(db)
    text = session_calendar(row, "crm.example").decode()
    properties = {line.split(":", 1)[0].split(";", 1)[0] for line in text.splitlines()
                  if ":" in line and not line.startswith(" ")}
    assert properties <= {"BEGIN", "END", "PRODID", "VERSION", "CALSCALE", "METHOD", "UID",
                          "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY", "LOCATION",
                          "DESCRIPTION", "STATUS", "TRANSP"}
    for word in ("adjust", "health", "experience", "wheelchair", "BSL"):
        assert word.lower() not in text.lower()
    assert ics_filename(row) == f"session-{row.id}-2027-06-09.ics"


def test_uid_host_comes_from_the_base_url() -> None:
    assert uid_host("https://involve.trust.nhs.uk/app") == "involve.trust.nhs.uk"
    assert uid_host("") == "involvement-bank.invalid"

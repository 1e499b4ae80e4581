"""The coordinator's session page: the right checklist for three people,
ticking (audited, version-checked), the printable page, statement counts,
pre-meets and check-ins (facts only), and the .ics."""

from __future__ import annotations

import datetime as dt
import re

from icalendar import Calendar
from sqlalchemy import select

from crm.audit.models import AuditEvent
from crm.matching.models import OfferStatus
from crm.meetings.models import ChecklistTick, SessionSupport
from crm.projects.models import RoleSession
from tests.conftest import csrf_token
from tests.factories import adjustment, log_in, make_contributor
from tests.meetings.helpers import make_meeting
from tests.project_factories import make_attendance, make_offer


def page(client, row):  # type: ignore[no-untyped-def]
    response = client.get(f"/meetings/sessions/{row.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_checklist_of_three_people(client, db) -> None:
    m = make_meeting(db)
    html = page(log_in(client, m.coordinator), m.row)
    for text in ("Papers and agenda sent by Sunday 28 February 2027 (10 days before",
                 "Papers and agenda in Easy Read", "British Sign Language interpreter booked",
                 "A quiet room to take time out", "Step-free access to the room",
                 "Breaks planned into the agenda", "Fidget items in the room",
                 "Send the papers and any changes to Ben Okafor&#39;s supporter, Sam Okafor",
                 "Offer Cara Lewis a pre-meet", "Offer Cara Lewis a one-to-one debrief"):
        assert text in html, (text, re.findall(r"Papers and agenda sent[^<]*", html))
    assert "The room provides this" in html  # step-free: Aire Ward's room has it
    # What is needed, not whose: the quiet room row names nobody.
    row_html = html.split("A quiet room to take time out")[1].split("</tr>")[0]
    assert "Asha" not in row_html


def test_ticking_an_item_is_audited_and_version_checked(client, db) -> None:
    m = make_meeting(db)
    log_in(client, m.coordinator)
    token = csrf_token(client, f"/meetings/sessions/{m.row.id}")
    url = f"/meetings/sessions/{m.row.id}/checklist"
    done = client.post(url, data={"csrf_token": token, "item_key": "quiet_room",
                                  "arranged": "1", "version": "0"})
    assert done.status_code == 302
    tick = db.scalars(select(ChecklistTick)).one()
    assert tick.is_arranged and tick.arranged_by_id == m.coordinator.id
    assert "By Kim Coordinator" in page(client, m.row)
    event = db.scalars(select(AuditEvent).where(
        AuditEvent.summary == "Marked a checklist item arranged")).one()
    assert event.entity_id == m.row.id and "quiet_room" in str(event.changes)
    # A second coordinator's page still shows version 0: told, nothing changed.
    stale = client.post(url, data={"csrf_token": token, "item_key": "quiet_room",
                                   "arranged": "0", "version": "0"})
    assert stale.status_code == 409
    assert "Someone else changed this" in stale.get_data(as_text=True)
    db.expire_all()
    assert db.scalars(select(ChecklistTick)).one().is_arranged
    undo = client.post(url, data={"csrf_token": token, "item_key": "quiet_room",
                                  "arranged": "0", "version": "1"})
    assert undo.status_code == 302
    db.expire_all()
    assert not db.scalars(select(ChecklistTick)).one().is_arranged


def test_room_items_and_unknown_items_cannot_be_ticked(client, db) -> None:
    m = make_meeting(db)
    log_in(client, m.coordinator)
    token = csrf_token(client, f"/meetings/sessions/{m.row.id}")
    url = f"/meetings/sessions/{m.row.id}/checklist"
    for key in ("step_free", "no_such_item"):
        response = client.post(url, data={"csrf_token": token, "item_key": key,
                                          "arranged": "1", "version": "0"})
        assert response.status_code == 400, key
    assert db.scalars(select(ChecklistTick)).all() == []


def test_statement_count_does_not_grow_with_people(client, db, count_queries) -> None:
    m = make_meeting(db)
    log_in(client, m.coordinator)
    page(client, m.row)
    count_queries.statements.clear()
    page(client, m.row)
    three = count_queries.count
    for n in range(6):
        extra = make_contributor(db, full_name=f"Extra {n}",
                                 adjustments=[adjustment("quiet_room"), adjustment("large_print")])
        m.row.role.places += 1
        db.commit()
        make_offer(db, m.row.role, extra, OfferStatus.ACCEPTED)
    count_queries.statements.clear()
    page(client, m.row)
    assert count_queries.count == three
    assert three <= 14


def test_print_page_has_the_items_and_no_buttons(client, db) -> None:
    m = make_meeting(db)
    log_in(client, m.coordinator)
    html = client.get(f"/meetings/sessions/{m.row.id}/checklist/print").get_data(as_text=True)
    assert "css/print.css" in html and "Fidget items in the room" in html
    assert "Mark arranged" not in html


def test_check_ins_keep_only_the_fact_unless_agreed(client, db) -> None:
    m = make_meeting(db, starts_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=4))
    make_attendance(db, m.row, m.cara, "left_early")
    log_in(client, m.coordinator)
    cara_card = page(client, m.row).split(f'id="person-{m.cara.id}"')[1].split("</section>")[0]
    assert "At the session: Left early." in cara_card
    token = csrf_token(client, f"/meetings/sessions/{m.row.id}")
    url = f"/meetings/sessions/{m.row.id}/support"
    base = {"csrf_token": token, "person": str(m.cara.id), "kind": "check_in", "version": "0"}
    refused = client.post(url, data={**base, "status": "follow_up", "note": "Felt low"})
    assert refused.status_code == 400
    refused_html = refused.get_data(as_text=True)
    assert "Only keep a note if the person agreed" in refused_html
    # In the NHS error summary, linking to the note box, and next to it.
    assert f'href="#note-check_in-{m.cara.id}"' in refused_html
    assert f'id="err-note-check_in-{m.cara.id}"' in refused_html
    assert db.scalars(select(SessionSupport)).all() == []
    ok = client.post(url, data={**base, "status": "follow_up"})
    assert ok.status_code == 302
    row = db.scalars(select(SessionSupport)).one()
    assert (row.kind, row.status, row.note, row.note_agreed) == ("check_in", "follow_up",
                                                                  None, False)
    agreed = client.post(url, data={**base, "version": "1", "status": "done",
                                    "note_agreed": "y", "note": "Wants a call next week"})
    assert agreed.status_code == 302
    db.expire_all()
    row = db.scalars(select(SessionSupport)).one()
    assert (row.status, row.note, row.note_agreed) == ("done", "Wants a call next week", True)
    # The audit log has the fact, never the note.
    events = db.scalars(select(AuditEvent).where(AuditEvent.entity_id == m.cara.id)).all()
    assert events and all("Wants a call" not in str(e.changes) + (e.summary or "")
                          for e in events)


def test_a_check_in_waits_for_the_session_and_people_must_be_confirmed(client, db) -> None:
    m = make_meeting(db, starts_at=dt.datetime.now(dt.UTC).replace(microsecond=0)
                     + dt.timedelta(days=30))  # still to come
    log_in(client, m.coordinator)
    token = csrf_token(client, f"/meetings/sessions/{m.row.id}")
    url = f"/meetings/sessions/{m.row.id}/support"
    early = client.post(url, data={"csrf_token": token, "person": str(m.cara.id),
                                   "kind": "check_in", "status": "done", "version": "0"})
    assert early.status_code == 400
    stranger = make_contributor(db, full_name="Not Confirmed")
    other = client.post(url, data={"csrf_token": token, "person": str(stranger.id),
                                   "kind": "pre_meet", "status": "offered", "version": "0"})
    assert other.status_code == 404
    pre = client.post(url, data={"csrf_token": token, "person": str(m.cara.id),
                                 "kind": "pre_meet", "status": "offered", "version": "0"})
    assert pre.status_code == 302
    # The pre-meet item on the checklist is done once a pre-meet is recorded.
    html = page(client, m.row)
    item = html.split("Offer Cara Lewis a pre-meet")[1].split("</tr>")[0]
    assert "Recorded under people confirmed" in item


def test_coordinator_ics(client, db) -> None:
    m = make_meeting(db)
    log_in(client, m.coordinator)
    response = client.get(f"/meetings/sessions/{m.row.id}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert f"session-{m.row.id}-2027-03-10.ics" in response.headers["Content-Disposition"]
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(event["UID"]) == f"session-{m.row.id}@localhost"
    assert "Asha" not in response.get_data(as_text=True)


def test_open_checklists_on_the_home_page(client, db) -> None:
    m = make_meeting(db, starts_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=5))
    log_in(client, m.coordinator)
    html = client.get("/").get_data(as_text=True)
    assert f"/meetings/sessions/{m.row.id}" in html
    assert "to arrange on the access checklist" in html
    far = db.get(RoleSession, m.row.id)
    far.starts_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=60)
    db.commit()
    assert f"/meetings/sessions/{m.row.id}" not in client.get("/").get_data(as_text=True)

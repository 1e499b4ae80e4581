"""A contributor's own meeting pages: only their own sessions and .ics,
the calendar feed (old token refused after a reset, cancelled sessions in
it, nothing of special category), further thoughts in their window, you
said we did for their projects, and the data download and anonymising."""

from __future__ import annotations

import datetime as dt
import re

from icalendar import Calendar
from sqlalchemy import select

from crm import hooks
from crm.meetings.models import CalendarFeed, FurtherThought, SessionSupport, YouSaidWeDid
from crm.projects.models import RoleSession
from tests.conftest import csrf_token
from tests.factories import log_in, make_signed_up_contributor
from tests.meetings.helpers import make_meeting
from tests.project_factories import make_role, role_session

FEED = re.compile(r'id="feed-address" type="text" value="http://localhost(/meetings/feed/[^"]+)"')


def turn_on(client):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/meetings/my/calendar-feed")
    html = client.post("/meetings/my/calendar-feed", data={"csrf_token": token}
                       ).get_data(as_text=True)
    return FEED.search(html).group(1)


def test_a_stopped_account_s_feed_stops(client, db) -> None:
    m = make_meeting(db)
    log_in(client, m.asha[0])
    address = turn_on(client)
    anonymous = client.application.test_client()
    assert anonymous.get(address).status_code == 200
    m.asha[0].is_active = False
    db.commit()
    assert anonymous.get(address).status_code == 404


def test_own_sessions_and_ics_only(client, db) -> None:
    m = make_meeting(db)
    other_role = make_role(db, title="Someone else's panel", sessions=[
        role_session(dt.datetime(2027, 4, 1, 9, tzinfo=dt.UTC))])
    log_in(client, m.asha[0])
    html = client.get("/meetings/my/sessions").get_data(as_text=True)
    assert "Project team member" in html and "Someone else" not in html
    mine = client.get(f"/meetings/my/sessions/{m.row.id}/calendar.ics")
    assert mine.status_code == 200 and mine.mimetype == "text/calendar"
    assert client.get(f"/meetings/my/sessions/{other_role.sessions[0].id}/calendar.ics"
                      ).status_code == 404
    assert client.get(f"/meetings/my/sessions/{other_role.sessions[0].id}/thoughts"
                      ).status_code == 404


def test_feed_reset_refuses_the_old_token_and_keeps_cancelled_sessions(client, db) -> None:
    m = make_meeting(db)
    log_in(client, m.asha[0])
    first = turn_on(client)
    token = first.rsplit("/", 1)[1].removesuffix(".ics")
    feed = db.get(CalendarFeed, m.asha[1].id)
    assert feed is not None and token not in feed.token_hash and len(feed.token_hash) == 64
    anonymous = client.application.test_client()
    served = anonymous.get(first)
    assert served.status_code == 200 and served.mimetype == "text/calendar"
    assert served.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert served.headers["Cache-Control"] == "no-store"  # no shared cache keeps it
    text = served.get_data(as_text=True)
    for word in ("Asha", "Easy Read", "quiet", "BSL", "adjust"):
        assert word.lower() not in text.lower()
    # Nothing changed: a poll with the ETag is answered 304.
    assert anonymous.get(first, headers={"If-None-Match": served.headers["ETag"]}
                         ).status_code == 304

    # The session is cancelled: the feed keeps it, cancelled, with a higher SEQUENCE.
    row = db.get(RoleSession, m.row.id)
    row.is_cancelled, row.sequence = True, row.sequence + 1
    db.commit()
    changed = anonymous.get(first, headers={"If-None-Match": served.headers["ETag"]})
    assert changed.status_code == 200
    event = Calendar.from_ical(changed.data).walk("VEVENT")[0]
    assert (event["STATUS"], event["SEQUENCE"]) == ("CANCELLED", 1)
    assert str(event["UID"]) == f"session-{m.row.id}@localhost"

    second = turn_on(client)
    assert second != first
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200

    token = csrf_token(client, "/meetings/my/calendar-feed")
    assert client.post("/meetings/my/calendar-feed/off",
                       data={"csrf_token": token}).status_code == 302
    assert anonymous.get(second).status_code == 404
    assert anonymous.get("/meetings/feed/not-a-real-token.ics").status_code == 404


def test_the_feed_can_show_plain_words_only(client, db) -> None:
    """The person chooses "Involvement meeting", the time and online or in
    person only: no role, project or ward name reaches their calendar. The
    ETag changes, so calendars that polled before fetch it again."""
    m = make_meeting(db)
    log_in(client, m.asha[0])
    address = turn_on(client)
    anonymous = client.application.test_client()
    before = anonymous.get(address)
    event = Calendar.from_ical(before.data).walk("VEVENT")[0]
    assert "Project team member" in str(event["SUMMARY"])
    token = csrf_token(client, "/meetings/my/calendar-feed")
    bad = client.post("/meetings/my/calendar-feed/words",
                      data={"csrf_token": token, "words": "everything"})
    assert bad.status_code == 400
    assert "Choose what your calendar should show" in bad.get_data(as_text=True)
    assert client.post("/meetings/my/calendar-feed/words",
                       data={"csrf_token": token, "words": "plain"}).status_code == 302
    page = client.get("/meetings/my/calendar-feed").get_data(as_text=True)
    assert re.search(r'value="plain"[^>]*checked', page)
    after = anonymous.get(address, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    event = Calendar.from_ical(after.data).walk("VEVENT")[0]
    assert (str(event["SUMMARY"]), str(event["LOCATION"])) == ("Involvement meeting",
                                                                "In person")
    text = after.get_data(as_text=True)
    role = db.get(RoleSession, m.row.id).role
    for words in (role.title, role.project.title, m.row.ward.name):
        assert words not in text
    assert client.post("/meetings/my/calendar-feed/words",
                       data={"csrf_token": token, "words": "full"}).status_code == 302
    assert role.title in anonymous.get(address).get_data(as_text=True)


def test_plain_words_need_the_feed_on(client, db) -> None:
    m = make_meeting(db)
    log_in(client, m.asha[0])
    token = csrf_token(client, "/meetings/my/calendar-feed")
    refused = client.post("/meetings/my/calendar-feed/words",
                          data={"csrf_token": token, "words": "plain"})
    assert refused.status_code == 400
    assert "Turn on your calendar link first" in refused.get_data(as_text=True)
    assert db.get(CalendarFeed, m.asha[1].id) is None


def test_further_thoughts_only_in_the_window(client, db) -> None:
    m = make_meeting(db, starts_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3))
    log_in(client, m.asha[0])
    url = f"/meetings/my/sessions/{m.row.id}/thoughts"
    token = csrf_token(client, url)
    empty = client.post(url, data={"csrf_token": token, "body": "  "})
    assert empty.status_code == 400 and "Write your thoughts" in empty.get_data(as_text=True)
    ok = client.post(url, data={"csrf_token": token, "body": "Could we have more breaks?"})
    assert ok.status_code == 302
    assert db.scalars(select(FurtherThought.body)).all() == ["Could we have more breaks?"]
    log_in(client, m.coordinator)
    assert "Could we have more breaks?" in client.get(
        f"/meetings/sessions/{m.row.id}").get_data(as_text=True)

    row = db.get(RoleSession, m.row.id)
    row.starts_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=15)
    db.commit()
    log_in(client, m.asha[0])
    token = csrf_token(client, url)
    late = client.post(url, data={"csrf_token": token, "body": "One more thing"})
    assert late.status_code == 400
    assert "only add thoughts in the days after" in late.get_data(as_text=True)
    row.starts_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    db.commit()
    assert client.post(url, data={"csrf_token": token, "body": "Early"}).status_code == 400
    assert len(db.scalars(select(FurtherThought)).all()) == 1


def test_you_said_we_did_for_their_projects_in_easy_read(client, db) -> None:
    m = make_meeting(db)
    db.add(YouSaidWeDid(project_id=m.row.role.project_id, raised_on=dt.date(2026, 11, 2),
                        you_said="The evenings on the ward are long and dull.",
                        we_did="We started a film night on Fridays.",
                        easy_read_we_did="Now there is a film on Fridays."))
    db.commit()
    log_in(client, m.asha[0])
    html = client.get("/meetings/my/you-said-we-did").get_data(as_text=True)
    assert "We started a film night on Fridays." in html
    token = csrf_token(client, "/meetings/my/you-said-we-did")
    switched = client.post("/my/easy-read", data={
        "csrf_token": token, "enabled": "1", "next": "/meetings/my/you-said-we-did"})
    assert switched.headers["Location"].endswith("/meetings/my/you-said-we-did")
    easy = client.get("/meetings/my/you-said-we-did").get_data(as_text=True)
    assert "Now there is a film on Fridays." in easy and "app-easy-read" in easy
    # Someone in no role on the project does not see it.
    other = make_signed_up_contributor(db, "Dee Stranger")
    log_in(client, other[0])
    assert "film" not in client.get("/meetings/my/you-said-we-did").get_data(as_text=True)


def test_download_and_anonymise(client, db) -> None:
    m = make_meeting(db, starts_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    cid = m.asha[1].id
    db.add_all([FurtherThought(session_id=m.row.id, contributor_id=cid, body="My words"),
                CalendarFeed(contributor_id=cid, token_hash="a" * 64),
                SessionSupport(session_id=m.row.id, contributor_id=cid, kind="check_in",
                               status="done", note_agreed=True, note="Agreed note")])
    db.commit()
    data = hooks.personal_data_everywhere(db, cid, m.asha[0].id)
    assert data["your_further_thoughts"][0]["your_words"] == "My words"
    assert data["pre_meets_and_check_ins"][0]["status"] == "Done"
    assert data["calendar_feed"] is not None
    log_in(client, m.asha[0])
    download = client.get("/my/data.json")
    assert download.status_code == 200 and "My words" in download.get_data(as_text=True)
    hooks.anonymise_everywhere(db, cid, m.asha[0].id, [])
    db.commit()
    assert db.scalars(select(FurtherThought)).all() == []
    assert db.get(CalendarFeed, cid) is None
    support = db.scalars(select(SessionSupport)).one()
    assert (support.status, support.note, support.note_agreed) == ("done", None, False)

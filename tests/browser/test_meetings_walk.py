"""Issue 9 (part B) tried as a new user would, in a real browser:

1. a coordinator opens a session with three confirmed people with
   different needs, sees the right checklist (the room's step-free access
   ticked already) and marks the quiet room arranged;
2. a contributor opens My meetings, downloads the session's .ics, turns on
   the calendar feed (its page in Easy Read too), resets its address, and
   the old address stops working;
3. after the session the contributor adds a further thought, and the
   coordinator sees it with the session and records a check-in (debrief).

Every page is checked with axe (WCAG 2.2 A and AA), at 320 px, and for
console errors by the harness (tests/browser/harness.py). The people and
the session are arranged with factories (tests/meetings/helpers.py).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from crm.meetings.models import SessionSupport
from crm.projects.models import RoleSession
from tests.browser.harness import follow, log_in, submit, visit
from tests.meetings.helpers import make_meeting

EASY = re.compile(r"\bapp-easy-read\b")


def main(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("main")


def test_a_session_made_to_work_for_three_people(page: Page, new_context, db: Session) -> None:
    m = make_meeting(db, starts_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=6))

    # 1. The coordinator finds the session on the home page and opens it.
    log_in(page, m.coordinator, "/")
    follow(page, main(page).get_by_role("link", name=re.compile("Project team member")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Making the session work")
    checklist = page.get_by_role("table", name="Access checklist")
    for text in ("Papers and agenda in Easy Read", "British Sign Language interpreter booked",
                 "A quiet room to take time out", "Fidget items in the room",
                 "Send the papers and any changes to Ben Okafor's supporter, Sam Okafor",
                 "Offer Cara Lewis a pre-meet"):
        expect(checklist).to_contain_text(text)
    expect(checklist.get_by_role("row").filter(has_text="Step-free access")).to_contain_text(
        "The room provides this")
    quiet = checklist.get_by_role("row").filter(has_text="A quiet room")
    submit(page, quiet.get_by_role("button", name=re.compile("^Mark arranged")))
    expect(main(page)).to_contain_text("Marked arranged: A quiet room")
    expect(checklist.get_by_role("row").filter(has_text="A quiet room")).to_contain_text(
        "By Kim Coordinator")
    follow(page, page.get_by_role("link", name="Print the access checklist"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Access checklist")

    # 2. Asha: her meetings, the .ics, the calendar feed on, reset, old address gone.
    context: BrowserContext = new_context()
    mine = context.new_page()
    log_in(mine, m.asha[0], "/my/roles")
    follow(mine, main(mine).get_by_role("link", name=re.compile("^My meetings")))
    expect(mine.get_by_role("heading", level=1)).to_have_text("My meetings")
    ics_link = main(mine).get_by_role("link", name=re.compile("^Add it to my calendar"))
    with mine.expect_download() as download:
        ics_link.click()
    ics = download.value
    assert ics.suggested_filename.startswith(f"session-{m.row.id}-")
    body = Path(ics.path()).read_text(encoding="utf-8")
    assert f"UID:session-{m.row.id}@" in body and "Asha" not in body

    # In Easy Read too; the switch brings her back to the page she was on.
    submit(mine, mine.get_by_role("button", name="Switch to Easy Read"))
    expect(mine.locator("body")).to_have_class(EASY)
    expect(mine.get_by_role("heading", level=1)).to_have_text("My meetings")
    follow(mine, main(mine).get_by_role("link", name="Get a calendar link"))
    expect(main(mine)).to_contain_text("Keep the link secret.")
    submit(mine, mine.get_by_role("button", name="Switch to standard"))
    expect(mine.locator("body")).not_to_have_class(EASY)
    expect(mine.get_by_role("heading", level=1)).to_have_text("My calendar")
    submit(mine, mine.get_by_role("button", name="Turn on my calendar link"))
    # The address is the app's own (base_url) with the token; the live
    # server's port differs, so it is read by its path.
    first = urlsplit(mine.get_by_label("Or copy this link into your calendar").input_value()).path
    assert re.fullmatch(r"/meetings/feed/[\w-]{40,}\.ics", first)
    assert mine.request.get(first).status == 200
    submit(mine, mine.get_by_role("button", name="Get a new link (the old one stops)"))
    second = urlsplit(mine.get_by_label("Or copy this link into your calendar").input_value()
                      ).path
    assert second != first
    assert mine.request.get(first).status == 404
    assert "BEGIN:VCALENDAR" in mine.request.get(second).text()
    # Only plain words in the calendar, as she chooses.
    mine.get_by_role("group", name="What should your calendar show?").get_by_label(
        re.compile("Involvement meeting")).check()
    submit(mine, mine.get_by_role("button", name="Save what it shows"))
    expect(main(mine)).to_contain_text("Saved. Calendars show the change")
    assert "SUMMARY:Involvement meeting" in mine.request.get(second).text()

    # 3. After the session: a further thought, then the coordinator's check-in.
    db.execute(update(RoleSession).where(RoleSession.id == m.row.id).values(
        starts_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1)))
    db.commit()
    visit(mine, "/meetings/my/sessions")
    follow(mine, main(mine).get_by_role("link", name=re.compile("^Add more thoughts")))
    mine.get_by_label("Your thoughts").fill("It would help to have the papers a day sooner.")
    submit(mine, mine.get_by_role("button", name="Send my thoughts"))
    expect(main(mine)).to_contain_text("Thank you. Your coordinator will read your thoughts.")

    # The coordinator finds it again under Sessions: Past sessions.
    visit(page, "/meetings/sessions")
    follow(page, main(page).get_by_role("link", name="Past sessions"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Past sessions")
    expect(main(page).get_by_role("link", name=re.compile("^Attendance"))).to_be_visible()
    past = page.get_by_role("table").get_by_role("row").filter(has_text="Project team member")
    follow(page, past.get_by_role("link").first)  # its date and time
    expect(main(page).get_by_role("link", name="Attendance at this session")).to_be_visible()
    expect(main(page)).to_contain_text("It would help to have the papers a day sooner.")
    asha = page.get_by_role("region", name="Asha Patel")
    after = asha.get_by_role("group", name=re.compile("^Check-in after the session"))
    after.get_by_label("Done").check()
    submit(page, asha.get_by_role("button", name=re.compile("^Save check-in")))
    expect(main(page)).to_contain_text("Check-in recorded for Asha Patel.")
    db.expire_all()
    saved = db.scalars(select(SessionSupport)).one()
    assert (saved.contributor_id, saved.kind, saved.status, saved.note) == (
        m.asha[1].id, "check_in", "done", None)

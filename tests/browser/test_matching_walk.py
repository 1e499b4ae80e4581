"""Issue 8 tried as a new user would, in a real browser, from start to end:

1. a coordinator adds a project, a role on it and the role's two sessions
   through the forms, and opens the role;
2. sees the ranked candidates with the parts of each score, and asks "why
   not?" about someone left out;
3. fills the project's three roles at once with a batch, checks the
   proposal and confirms it, which sends the offers (to the outbox: no mail
   server is set up in tests);
4. the first person sees the offer on their own pages, in standard words
   and in Easy Read, says yes, and finds it under "My roles";
5. the second person says no; the coordinator, who had put a third person
   on the waiting list, offers them the free place and records their yes;
6. after the first session the coordinator records attendance, and the
   person's offers page and "My roles" show it.

Every page is checked with axe (WCAG 2.2 A and AA), at 320 px, and for
console errors by the harness (tests/browser/harness.py). The people and
the two extra roles of the batch are arranged with factories: filling in
contributor records and roles is tested elsewhere.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.contributors.models import Contributor
from crm.mail.models import OutboxMessage
from crm.matching.models import Offer
from crm.matching.offers import london_today
from crm.permissions import Role
from crm.projects.models import Attendance, Project, RoleOpening, RoleSession, Ward
from crm.projects.roles import to_utc
from tests.browser.harness import check_a11y, follow, log_in, submit, visit
from tests.factories import (
    communication,
    consent,
    experience,
    make_contributor,
    make_signed_up_contributor,
    make_user,
    skill,
    slot,
    training,
)
from tests.project_factories import make_role, make_ward, role_session

EASY = re.compile(r"\bapp-easy-read\b")
PROJECT = "Culture of Care on Aire Ward"
ROLE = "Interview panel member for the ward manager post"
DESCRIPTION = "Sit on the panel that interviews people for the ward manager job."
EASY_DESCRIPTION = "Help us choose the new ward manager.\nYou ask questions in an interview."
# A long name: the offers page hides "Reply from <name>" in its table for
# screen readers, which once made the page scroll sideways at 320 px.
CARA = "Cara Elizabeth Montgomery-Lewis"


@dataclass
class People:
    coordinator: User
    ward: Ward
    asha: tuple[User, Contributor]  # signs in, says yes
    ben: tuple[User, Contributor]   # signs in, says no
    cara: Contributor               # waiting list; says yes by phone
    dana: Contributor               # left out: no safeguarding training
    carers: list[Contributor]       # for the batch's two other roles


def _days() -> tuple[dt.date, dt.date]:
    """The two session days: two and three weeks ahead (the same weekday)."""
    today = london_today()
    return today + dt.timedelta(days=14), today + dt.timedelta(days=21)


@pytest.fixture
def people(db: Session) -> People:
    first, _ = _days()
    weekday = first.strftime("%A").lower()

    def panel_member(row: Contributor, *, skilled: bool) -> Contributor:
        # Meets every rule of the panel role: former patient, contact
        # consent, safeguarding training, free on the sessions' mornings.
        row.experiences.append(experience("patient_former"))
        row.consents.append(consent("contact"))
        row.training.append(training("safeguarding", london_today() - dt.timedelta(days=30)))
        row.availability.append(slot(weekday, "morning"))
        if skilled:
            row.skills.append(skill("interview_panels"))
        db.commit()
        return row

    asha = make_signed_up_contributor(db, "Asha Patel")
    panel_member(asha[1], skilled=True)
    ben = make_signed_up_contributor(db, "Ben Okafor")
    panel_member(ben[1], skilled=True)
    ben[1].communication = communication(information_format="easy_read")
    db.commit()
    cara = panel_member(make_contributor(db, full_name=CARA), skilled=False)
    dana = make_contributor(db, full_name="Dana Price", experiences=[experience("patient_former")],
                            consents=[consent("contact")], availability=[slot(weekday, "morning")])
    carers = [make_contributor(db, full_name=name, experiences=[experience("carer")],
                               consents=[consent("contact")])
              for name in ("Erin Walsh", "Femi Adeyemi")]
    return People(coordinator=make_user(db, Role.COORDINATOR, name="Kim Coordinator"),
                  ward=make_ward(db, "Aire Ward", site="Oak House"), asha=asha, ben=ben,
                  cara=cara, dana=dana, carers=carers)


def h1(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("heading", level=1)


def main(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("main")


def flash(page: Page, text: str) -> None:
    expect(main(page)).to_contain_text(text)


def fill_date(page: Page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


def own_page(new_context, user: User, path: str) -> Page:  # type: ignore[no-untyped-def]
    """A contributor's own browser, signed in and on ``path``."""
    context: BrowserContext = new_context()
    page = context.new_page()
    log_in(page, user, path)
    return page


# ------------------------------------------------------------------ the steps


def add_project_role_and_sessions(page: Page, ward: Ward) -> None:
    """Through the forms: the project, its role, two sessions; then open it."""
    follow(page, main(page).get_by_role("link", name="Add a project"))
    expect(h1(page)).to_have_text("Add a project")
    page.get_by_label("Title").fill(PROJECT)
    page.get_by_role("group", name="Which wards is it about?").get_by_label(ward.name).check()
    page.get_by_role("group", name="Status").get_by_label("Active").check()
    page.get_by_label("Description (optional)", exact=True).fill(
        "Making Aire Ward a better place to stay, with the people who stay there.")
    page.get_by_label("Easy Read summary (optional)").fill("We want Aire Ward to feel better.")
    submit(page, page.get_by_role("button", name="Add project"))
    expect(h1(page)).to_have_text(PROJECT)
    flash(page, f"{PROJECT} has been added. Add its roles next.")

    follow(page, main(page).get_by_role("link", name="Add a role"))
    expect(h1(page)).to_have_text("Add a role")
    page.get_by_label("Title").fill(ROLE)
    page.get_by_label("Kind of role").select_option(label="Interview panel member")
    page.get_by_label("Involvement level").select_option(label="Co-production")
    page.get_by_label("Places").fill("2")
    page.get_by_role("group", name="Training needed (optional)").get_by_label(
        "Safeguarding").check()
    page.get_by_role("group", name="Skills that would help (optional)").get_by_label(
        "Interview panels").check()
    page.get_by_label("Description (optional)", exact=True).fill(DESCRIPTION)
    page.get_by_label("Easy Read description (optional)").fill(EASY_DESCRIPTION)
    submit(page, page.get_by_role("button", name="Add role"))
    expect(h1(page)).to_have_text(ROLE)
    flash(page, "has been added as a draft")

    for day in _days():
        follow(page, main(page).get_by_role("link", name="Add a session"))
        expect(h1(page)).to_have_text("Add a session")
        fill_date(page, "Date", day)
        page.get_by_label("Start time (UK time)").fill("10:00")
        # Two hours in Aire Ward's room: the form's defaults for this project.
        expect(page.get_by_label("Hours")).to_have_value("2")
        expect(page.get_by_label("In a ward's usual meeting room")).to_be_checked()
        submit(page, page.get_by_role("button", name="Add session"))
        flash(page, "The session has been added.")
    sessions = page.get_by_role("table").filter(has_text="Papers ready")
    expect(sessions.get_by_role("row")).to_have_count(3)  # the heading row and two sessions

    submit(page, page.get_by_role("button", name="Open the role"))
    flash(page, f"{ROLE} is now open.")


def ranked_list_and_why_not(page: Page) -> None:
    follow(page, page.get_by_role("link", name="Find people for this role"))
    expect(h1(page)).to_have_text(ROLE)
    table = page.get_by_role("table")
    expect(table.get_by_role("caption")).to_have_text("3 people meet every rule")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3)
    # Best fit first: the two with interview panel skills, then Cara.
    names = [rows.nth(i).get_by_role("link").first.inner_text() for i in range(3)]
    assert sorted(names[:2]) == ["Asha Patel", "Ben Okafor"] and names[2] == CARA
    expect(table).not_to_contain_text("Dana Price")

    # The reasons: each score opens to show its parts.
    first = rows.nth(0)
    first.get_by_text(re.compile(r"^Score \d")).click()
    for text in ("Skills", "1 of 1 wanted", "Availability", "Free for 2 of the 2 coming sessions",
                 "Fewer recent offers", "0 offers lately"):
        expect(first).to_contain_text(text)
    expect(rows.nth(2)).to_contain_text("0 of 1 wanted")

    # Why not Dana?
    page.get_by_label("Why not this person?").fill("Dana")
    submit(page, page.get_by_role("button", name="Check this person"))
    expect(h1(page)).to_have_text("Who do you mean?")
    follow(page, main(page).get_by_role("link", name="Dana Price"))
    expect(h1(page)).to_have_text("Why not Dana Price?")
    # Back returns to the list: the search answered with a redirect to a
    # GET page (record numbers only), so there is no "Confirm form resubmission".
    page.go_back()
    expect(h1(page)).to_have_text("Who do you mean?")
    check_a11y(page)
    assert "Dana" not in page.url
    follow(page, main(page).get_by_role("link", name="Dana Price"))
    expect(main(page).get_by_role("listitem").filter(has_text="Safeguarding")).to_have_text(
        "Has not completed Safeguarding training — could take part after completing it")
    follow(page, page.get_by_role("link", name=f"Back to the candidates for {ROLE}"))


def batch_for_three_roles(page: Page, db: Session, people: People) -> None:
    """Two more roles on the project (carers', made by factory), then a
    batch for all three from the project's page."""
    project = db.scalars(select(Project).where(Project.title == PROJECT)).one()
    first, _ = _days()
    for title, hour in (("Carers' focus group on visiting times", 14),
                        ("Carer co-chair of the project team", 17)):
        make_role(db, project, title=title, kind="focus_group_participant",
                  level="consultation", required_experience=["carer"],
                  sessions=[role_session(to_utc(first, dt.time(hour)), 90, is_online=True)])

    visit(page, f"/projects/{project.id}")
    follow(page, page.get_by_role("link", name="Fill several roles at once"))
    expect(h1(page)).to_have_text("Fill several roles at once")
    roles = page.get_by_role("group", name="Which roles?")
    expect(roles.get_by_role("checkbox")).to_have_count(3)
    for box in roles.get_by_role("checkbox").all():
        expect(box).to_be_checked()
    submit(page, page.get_by_role("button", name="Propose who fills the places"))
    flash(page, "The proposal is ready. Nothing has been sent")
    expect(main(page)).to_contain_text("This is the best possible proposal")
    panel = page.get_by_role("region", name=ROLE)
    expect(panel.get_by_role("row")).to_have_count(3)  # heading, Asha, Ben
    for name in ("Asha Patel", "Ben Okafor"):
        expect(panel.get_by_role("link", name=name)).to_be_visible()
    assert db.scalar(select(Offer.id).limit(1)) is None  # nothing sent before confirming

    submit(page, page.get_by_role("button", name="Confirm and send offers"))
    flash(page, "Confirmed. 4 offers sent.")
    db.expire_all()
    mail = {m.to_address: m.subject for m in db.scalars(select(OutboxMessage))}
    assert mail[people.asha[1].email] == f"You are offered a role: {ROLE}"
    assert mail[people.ben[1].email] == f"A role for you: {ROLE}"  # he chose Easy Read
    follow(page, page.get_by_role("link", name=re.compile(f"Offers and replies.*{ROLE}")))
    expect(h1(page)).to_have_text(f"Offers and replies: {ROLE}")
    offered = page.get_by_role("table").filter(has_text="Record their reply")
    expect(offered).to_contain_text("Email, Easy Read")  # Ben's


def cara_on_the_waiting_list(page: Page) -> None:
    follow(page, page.get_by_role("link", name=f"Back to {ROLE}"))
    follow(page, page.get_by_role("link", name="Find people for this role"))
    expect(page.get_by_role("row").filter(has_text="Asha Patel")).to_contain_text(
        "Offered, waiting for a reply")
    page.get_by_label(f"Choose {CARA}").check()
    submit(page, page.get_by_role("button", name="Put them on the waiting list"))
    flash(page, "1 added to the waiting list.")
    expect(page.get_by_role("heading", name="On the waiting list (1)")).to_be_visible()


def asha_says_yes_in_easy_read(mine: Page) -> None:
    expect(h1(mine)).to_have_text("My roles")
    follow(mine, main(mine).get_by_role("link", name=ROLE))
    expect(mine.get_by_text("An offer for you")).to_be_visible()
    expect(main(mine)).to_contain_text(DESCRIPTION)
    expect(mine.get_by_role("group", name="Would you like to do this role?")).to_be_visible()

    submit(mine, mine.get_by_role("button", name="Switch to Easy Read"))
    expect(mine.locator("body")).to_have_class(EASY)
    expect(h1(mine)).to_have_text(ROLE)
    expect(mine.get_by_text("A role for you")).to_be_visible()
    expect(main(mine)).to_contain_text("Help us choose the new ward manager.")
    expect(main(mine)).not_to_contain_text(DESCRIPTION)
    answer = mine.get_by_role("group", name="Will you do it?")
    answer.get_by_label("Yes").check()
    submit(mine, mine.get_by_role("button", name="Send my answer"))
    flash(mine, "Thank you. You said yes.")

    follow(mine, mine.get_by_role("link", name="Back to my roles").first)
    doing = main(mine).get_by_role("heading", name="Roles you are doing")
    expect(doing).to_be_visible()
    expect(main(mine)).to_contain_text("Nothing to answer now.")
    submit(mine, mine.get_by_role("button", name="Switch to standard"))
    expect(mine.locator("body")).not_to_have_class(EASY)
    roles_i_do = main(mine).get_by_role("list").filter(
        has=mine.get_by_role("heading", name=ROLE))
    expect(main(mine).get_by_role("heading", name="Roles I am doing")).to_be_visible()
    expect(roles_i_do).to_contain_text("10am to 12pm")


def ben_says_no(theirs: Page) -> None:
    # Ben chose Easy Read information, not Easy Read pages: his pages are standard.
    follow(theirs, main(theirs).get_by_role("link", name=ROLE))
    theirs.get_by_role("group", name="Would you like to do this role?").get_by_label(
        "No", exact=True).check()
    submit(theirs, theirs.get_by_role("button", name="Send my answer"))
    flash(theirs, "Thank you for letting us know.")
    expect(main(theirs)).to_contain_text("You said no to this role. That is fine.")


def next_on_the_waiting_list(page: Page) -> None:
    visit(page, page.url)  # the coordinator looks again
    expect(main(page)).to_contain_text("1 of 2 places taken")
    expect(page.get_by_role("heading", name="Said no (1)")).to_be_visible()
    submit(page, page.get_by_role("button", name="Offer the place to the next person"))
    flash(page, f"Offered to {CARA}.")
    expect(page.get_by_role("heading", name="On the waiting list (1)")).to_have_count(0)
    # Cara rings to say yes; the coordinator records it.
    reply = page.get_by_role("group", name=re.compile(f"^Reply from {CARA} \\(record \\d+\\)$"))
    reply.get_by_label("Yes, they will do it").check()
    submit(page, page.get_by_role("button", name=re.compile(f"^Record reply from {CARA}")))
    flash(page, "Their reply is recorded.")
    expect(main(page)).to_contain_text("2 of 2 places taken")
    accepted = page.get_by_role("table").filter(has_text="Said yes")
    for name in ("Asha Patel", CARA):
        expect(accepted.get_by_role("link", name=name)).to_be_visible()


def record_attendance(page: Page, db: Session, people: People) -> None:
    role = db.scalars(select(RoleOpening).where(RoleOpening.title == ROLE)).one()
    first = min(role.sessions, key=lambda s: s.starts_at)
    # The first session has happened: attendance is refused before it starts.
    db.execute(update(RoleSession).where(RoleSession.id == first.id).values(
        starts_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)))
    db.commit()

    visit(page, f"/projects/roles/{role.id}")
    follow(page, page.get_by_role("link", name=re.compile("^Attendance at the session")).first)
    expect(h1(page)).to_contain_text("Attendance on")
    expect(page.get_by_role("group")).to_have_count(2)  # the two who said yes
    page.get_by_role("group", name="Asha Patel").get_by_label("Attended").check()
    page.get_by_role("group", name=CARA).get_by_label("Left early").check()
    submit(page, page.get_by_role("button", name="Save attendance"))
    flash(page, "Attendance saved.")
    db.expire_all()
    rows = {(a.contributor_id, a.outcome) for a in db.scalars(
        select(Attendance).where(Attendance.session_id == first.id))}
    assert rows == {(people.asha[1].id, "attended"), (people.cara.id, "left_early")}

    # Shown on the person's offers page.
    visit(page, f"/matching/roles/{role.id}/offers")
    follow(page, page.get_by_role("table").filter(has_text="Said yes").get_by_role(
        "link", name="Asha Patel"))
    expect(h1(page)).to_have_text("Offers and attendance")
    expect(page.locator(".nhsuk-caption-l")).to_have_text(
        f"Asha Patel, record {people.asha[1].id}")
    history = page.get_by_role("table").filter(has_text="What happened")
    expect(history.get_by_role("row").filter(has_text=ROLE)).to_contain_text("Attended")


# ------------------------------------------------------------------ the walk


def test_a_coordinator_fills_a_role_and_people_answer(page: Page, new_context, db: Session,
                                                      people: People) -> None:
    log_in(page, people.coordinator, "/projects/")
    add_project_role_and_sessions(page, people.ward)
    ranked_list_and_why_not(page)
    batch_for_three_roles(page, db, people)
    cara_on_the_waiting_list(page)

    asha = own_page(new_context, people.asha[0], "/my/roles")
    asha_says_yes_in_easy_read(asha)
    ben = own_page(new_context, people.ben[0], "/my/roles")
    ben_says_no(ben)

    next_on_the_waiting_list(page)
    record_attendance(page, db, people)

    # Asha sees it under "What I have done before".
    visit(asha, "/my/roles")
    done = main(asha).get_by_role("list").filter(has_text="You took part")
    expect(done).to_contain_text(ROLE)

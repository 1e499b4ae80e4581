"""Equality monitoring and representation reports, in a real browser, as
issue 11's "done when" asks: a contributor answers the monitoring form
(standard and Easy Read), skips two questions and later deletes an answer;
a report viewer opens the representation report for a ward and a quarter,
sees hidden cells, switches the comparison population, downloads the CSV,
and finds no way to a person. Every page is checked with axe and at 320 px
by the harness."""

from __future__ import annotations

import csv
import datetime as dt

from playwright.sync_api import Page, expect
from sqlalchemy import select

from crm.db import utcnow
from crm.equality.models import EqualityAnswer
from crm.matching.models import OfferStatus
from crm.permissions import Role
from tests.browser.harness import follow, log_in, submit, visit
from tests.factories import make_contributor, make_signed_up_contributor, make_user
from tests.project_factories import make_offer, make_project, make_role, make_ward, role_session


def answers_of(db, contributor_id: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    db.expire_all()
    return dict(db.execute(select(EqualityAnswer.question, EqualityAnswer.answer).where(
        EqualityAnswer.contributor_id == contributor_id)).all())


def choose(page: Page, label: str) -> None:
    page.get_by_label(label, exact=True).check()


def save(page: Page) -> None:
    submit(page, page.get_by_role("button", name="Save and continue"))


def skip(page: Page) -> None:
    submit(page, page.get_by_role("button", name="Skip this question"))


def test_a_contributor_answers_skips_and_deletes(page: Page, db) -> None:
    user, record = make_signed_up_contributor(db, "Rae Answers")
    log_in(page, user, "/my/")
    follow(page, page.get_by_role("link", name="About me: equality questions"))
    expect(page.get_by_text("Only you can see your answers.")).to_be_visible()
    follow(page, page.get_by_role("button", name="Answer the questions"))

    choose(page, "35 to 49")
    save(page)
    skip(page)  # sex
    expect(page.get_by_role("heading", level=1)).to_contain_text("gender you identify with")
    skip(page)  # gender identity
    # Half way through, switch to Easy Read: the same question in easier words.
    submit(page, page.get_by_role("button", name="Switch to Easy Read"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Who are you attracted to? Choose the words that fit you best.")
    choose(page, "I'd rather not say")
    submit(page, page.get_by_role("button", name="Save"))
    choose(page, "Black, Black British, Black Welsh, Caribbean or African: Caribbean")
    submit(page, page.get_by_role("button", name="Save"))
    submit(page, page.get_by_role("button", name="Switch to standard"))
    choose(page, "Muslim")
    save(page)
    choose(page, "Yes")
    save(page)
    choose(page, "Yes, a little")
    save(page)  # the last question: back to the answers
    expect(page.get_by_role("heading", level=1)).to_have_text("About you: equality questions")
    assert answers_of(db, record.id) == {
        "age_band": "35_49", "sexual_orientation": "prefer_not_to_say",
        "ethnic_group": "black_caribbean", "religion": "muslim",
        "long_term_condition": "yes", "activities_reduced": "a_little"}

    # Later: delete the religion answer.
    follow(page, page.get_by_role("link", name="Delete What is your religion?"))
    submit(page, page.get_by_role("button", name="Yes, delete"))
    expect(page.get_by_text("Your answer has been deleted.")).to_be_visible()
    assert "religion" not in answers_of(db, record.id)


def test_a_report_viewer_reads_protected_figures_and_cannot_reach_a_person(
        page: Page, db) -> None:
    ward = make_ward(db, "Willow Ward")
    role = make_role(db, make_project(db, "Food on Willow", wards=[ward]), places=60,
                     sessions=[role_session(utcnow() - dt.timedelta(days=1))])
    other_ward = make_role(db, make_project(db, "Elsewhere", wards=[make_ward(db)]), places=60)
    mix = {"white_british": 24, "black_african": 11, "asian_pakistani": 3, "mixed_other": 2}
    for answer, n in mix.items():
        for _ in range(n):
            person = make_contributor(db, full_name=f"Person {answer}")
            db.add(EqualityAnswer(contributor_id=person.id, question="ethnic_group",
                                  answer=answer))
            make_offer(db, role, person, OfferStatus.ACCEPTED)
            make_offer(db, other_ward, person, OfferStatus.ACCEPTED)
    db.commit()

    log_in(page, make_user(db, Role.REPORT_VIEWER), "/reports/")
    follow(page, page.get_by_role("link", name="Who is in the bank, and who takes part"))
    page.get_by_label("Who to count").select_option(label="People who said yes to a role")
    page.get_by_label("Ward", exact=True).select_option(label="Willow Ward")
    quarter = page.get_by_label("Quarter")
    quarter.select_option(index=1)  # this quarter
    submit(page, page.get_by_role("button", name="Show the report"))
    table = page.get_by_role("table")
    expect(table).to_contain_text("White")
    # Asian (3) and Mixed (2) are hidden, and nothing lets them be worked out.
    expect(table.get_by_label("hidden: fewer than 8").first).to_be_visible()
    assert table.get_by_label("hidden: fewer than 8").count() >= 2
    expect(page.locator("main svg[role=img]")).to_have_count(1)  # the chart, described

    page.get_by_text("Change what this report shows").click()
    page.get_by_label("Compare with").select_option(label="No comparison")
    submit(page, page.get_by_role("button", name="Show the report"))
    expect(page.get_by_role("columnheader", name="Ratio")).to_have_count(0)
    page.get_by_text("Change what this report shows").click()
    page.get_by_label("Compare with").select_option(label="England and Wales, Census 2021")
    submit(page, page.get_by_role("button", name="Show the report"))
    expect(page.get_by_role("columnheader", name="Ratio")).to_have_count(1)

    with page.expect_download() as info:
        page.get_by_role("link", name="Download this table (CSV)").click()
    with open(info.value.path(), encoding="utf-8-sig") as fh:
        rows = {row[0]: row for row in csv.reader(fh) if row}
    assert rows["White"][1] == "25"
    assert rows["Asian, Asian British or Asian Welsh"][1] == "Hidden (fewer than 8)"

    # The PCREF view and "who is missing" pass the same checks.
    visit(page, "/reports/pcref")
    expect(page.get_by_role("table").first).to_contain_text("Co-production")
    visit(page, "/reports/missing")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who is missing")
    visit(page, "/reports/representation")

    # No link on the report goes to a person, and their pages are refused.
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)")
    assert not [h for h in hrefs if "/contributors" in h or "/matching" in h or "/my" in h]
    response = visit(page, "/contributors/")
    assert response.status == 403

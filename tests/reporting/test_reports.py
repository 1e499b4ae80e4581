"""Report pages: aggregate and protected, for report viewers and
coordinators only, with no way from a figure to a person."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from crm.db import utcnow
from crm.equality.models import EqualityAnswer
from crm.equality.questions import equality_questions
from crm.matching.models import OfferStatus
from crm.permissions import Role
from crm.reporting.disclosure import Rules
from crm.reporting.populations import configured_populations
from crm.reporting.queries import Quarter, Scope, Stage, counts_by_answer
from crm.reporting.representation import BROAD, representation
from tests.factories import log_in, make_contributor, make_user
from tests.project_factories import (
    make_attendance,
    make_offer,
    make_organisation,
    make_role,
    role_session,
)


def people_with(db: Session, answers: dict[str, int], question: str = "ethnic_group",
                **fields: object) -> list:  # type: ignore[type-arg]
    """``n`` contributors with each answer (an empty key: not answered)."""
    made = []
    for answer, n in answers.items():
        for _ in range(n):
            person = make_contributor(db, **fields)
            if answer:
                db.add(EqualityAnswer(contributor_id=person.id, question=question,
                                      answer=answer))
            made.append(person)
    db.commit()
    return made


@pytest.fixture
def viewer(client, db):  # type: ignore[no-untyped-def]
    log_in(client, make_user(db, Role.REPORT_VIEWER))
    return client


def test_counts_are_done_per_answer_in_sql(db) -> None:
    people_with(db, {"white_british": 3, "asian_indian": 2, "": 4})
    counts = counts_by_answer(db, "ethnic_group", Scope())
    assert counts == {"white_british": 3, "asian_indian": 2, None: 4}


def test_people_who_left_or_were_anonymised_are_not_in_the_bank(db) -> None:
    people_with(db, {"white_british": 2})
    people_with(db, {"white_british": 5}, status="left")
    people_with(db, {"white_british": 1}, anonymised_at=utcnow())
    assert counts_by_answer(db, "ethnic_group", Scope()) == {"white_british": 2}


def test_participation_counts_distinct_people_at_each_stage(db) -> None:
    role = make_role(db, sessions=[role_session(utcnow() - dt.timedelta(days=3))])
    other = make_role(db, level="consultation")
    a, b, c = people_with(db, {"black_african": 2, "white_irish": 1})
    make_offer(db, role, a, OfferStatus.ACCEPTED)
    make_offer(db, other, a, OfferStatus.ACCEPTED)  # one person, two roles: counted once
    make_offer(db, role, b, OfferStatus.DECLINED)
    make_offer(db, other, c, OfferStatus.OFFERED)
    make_attendance(db, role.sessions[0], a)
    assert counts_by_answer(db, "ethnic_group", Scope(stage=Stage.OFFERED)) == {
        "black_african": 2, "white_irish": 1}
    assert counts_by_answer(db, "ethnic_group", Scope(stage=Stage.ACCEPTED)) == {
        "black_african": 1}
    assert counts_by_answer(db, "ethnic_group", Scope(stage=Stage.ATTENDED)) == {
        "black_african": 1}
    assert counts_by_answer(db, "ethnic_group",
                            Scope(stage=Stage.ACCEPTED, level="consultation")) == {
        "black_african": 1}
    last_year = Quarter.of(dt.date.today()).previous(4)
    assert counts_by_answer(db, "ethnic_group",
                            Scope(stage=Stage.ATTENDED, quarter=last_year)) == {}


def test_representation_protects_counts_and_compares_with_the_census(db) -> None:
    people_with(db, {"white_british": 60, "asian_indian": 3, "black_african": 20,
                     "prefer_not_to_say": 2, "": 9})
    q = equality_questions().get("ethnic_group")
    census = configured_populations()[0]
    report = representation(db, q, Scope(), census, Rules(), BROAD)
    by = {r.group.label: r for r in report.rows}
    asian = by["Asian, Asian British or Asian Welsh"]
    assert asian.count is None and asian.share is None  # 3: hidden
    assert by["White"].count == 60 and report.answered == 85
    # A second group is hidden so the Asian count cannot be worked out.
    assert sum(r.count is None for r in report.rows) >= 2
    assert report.not_stated == 10  # 2 + 9 = 11, rounded
    black = by["Black, Black British, Black Welsh, Caribbean or African"]
    if black.count is not None:
        assert black.share == round(100 * black.count / 85, 1)
        assert not black.is_under  # far above 4% of the population


def test_under_represented_groups_are_flagged(db) -> None:
    people_with(db, {"female": 10, "male": 90}, question="sex")
    report = representation(db, equality_questions().get("sex"), Scope(),
                            configured_populations()[0], Rules())
    flags = {r.group.code: r.is_under for r in report.rows}
    assert flags == {"female": True, "male": False}
    assert "Female (10.0% against 51.0%)" in report.summary()


def test_the_page_says_so_when_a_filter_leaves_too_few(viewer, db) -> None:
    role = make_role(db)
    make_offer(db, role, people_with(db, {"white_british": 1})[0], OfferStatus.ACCEPTED)
    body = viewer.get(f"/reports/representation?stage=accepted&project_id={role.project_id}"
                      ).get_data(as_text=True)
    assert "cannot show their answers without risk of identifying someone" in body


def test_the_report_page_shows_hidden_cells_and_no_way_to_a_person(viewer, db) -> None:
    people_with(db, {"white_british": 40, "asian_pakistani": 4, "black_caribbean": 12})
    body = viewer.get("/reports/representation?question=ethnic_group&grouping=broad"
                      ).get_data(as_text=True)
    assert 'aria-label="hidden: fewer than 8"' in body
    assert "<svg" in body and "<desc" in body
    assert "/contributors/" not in body and "Contributor " not in body


def test_switching_the_comparison_population(viewer, db) -> None:
    people_with(db, {"christian": 20, "none": 20}, question="religion")
    with_census = viewer.get("/reports/representation?question=religion").get_data(as_text=True)
    without = viewer.get("/reports/representation?question=religion&population=none"
                         ).get_data(as_text=True)
    assert "England and Wales, Census 2021" in with_census and ">Ratio<" in with_census
    assert ">Ratio<" not in without


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_holds_the_protected_table_formula_safe(viewer, db, fmt: str) -> None:
    people_with(db, {"christian": 30, "jewish": 2, "muslim": 15}, question="religion")
    response = viewer.get(f"/reports/representation.{fmt}?question=religion")
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    else:
        book = load_workbook(io.BytesIO(response.data))
        rows = [[str(c) if c is not None else "" for c in row]
                for row in book.active.iter_rows(values_only=True)]
    flat = {row[0]: row for row in rows if row}
    assert flat["Jewish"][1] == "Hidden (fewer than 8)"
    assert flat["Christian"][1] == "30"


def test_pcref_grid_is_ethnic_group_by_level(viewer, db) -> None:
    feedback = make_role(db, level="information_feedback", places=40)
    lead = make_role(db, level="leadership_governance", places=40)
    for person in people_with(db, {"white_british": 20}):
        make_offer(db, feedback, person, OfferStatus.ACCEPTED)
    for person in people_with(db, {"black_african": 10}):
        make_offer(db, lead, person, OfferStatus.ACCEPTED)
    body = viewer.get("/reports/pcref").get_data(as_text=True)
    assert "Lived experience leadership and governance" in body
    assert "Ethnic group by involvement level" in body
    rows = list(csv.reader(io.StringIO(viewer.get("/reports/pcref.csv").get_data(
        as_text=True).lstrip("\ufeff"))))
    by = {row[0]: row for row in rows}
    levels = rows[0]
    assert by["White"][levels.index("Information and feedback")] == "20"
    assert by["Black, Black British, Black Welsh, Caribbean or African"][
        levels.index("Lived experience leadership and governance")] == "10"
    assert by["All groups"][-1] == "30"


def test_who_is_missing_names_partners_not_people(viewer, db) -> None:
    make_organisation(db, "Sahara Women's Network", communities="Asian and Muslim women")
    people_with(db, {"white_british": 95, "": 5})
    body = viewer.get("/reports/missing").get_data(as_text=True)
    assert "Asian, Asian British or Asian Welsh" in body
    assert "Sahara Women&#39;s Network" in body or "Sahara Women's Network" in body
    # a group no partner lists: the viewer is told who can add one (no link
    # they could not open); a coordinator gets the link to organisations
    assert "An involvement coordinator can add the communities" in body
    assert "/projects/organisations" not in body


def test_who_is_missing_links_coordinators_to_organisations(client, db) -> None:
    people_with(db, {"white_british": 95, "": 5})
    log_in(client, make_user(db, Role.COORDINATOR))
    body = client.get("/reports/missing").get_data(as_text=True)
    assert 'href="/projects/organisations"' in body


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.FINANCE, Role.ADMINISTRATOR])
def test_only_report_viewers_and_coordinators_see_reports(client, db, role: Role) -> None:
    log_in(client, make_user(db, role))
    assert client.get("/reports/representation").status_code == 403


def test_coordinators_see_reports(client, db) -> None:
    log_in(client, make_user(db, Role.COORDINATOR))
    assert client.get("/reports/").status_code == 200

"""The coordinators' contributor list: search, filters, pages, query count."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from crm.contributors.models import (
    Adjustment,
    AvailabilitySlot,
    LivedExperience,
    ServiceKnown,
    Skill,
    TrainingCompletion,
)
from crm.permissions import Role
from tests.conftest import csrf_token
from tests.factories import log_in, make_contributor, make_user


@pytest.fixture
def coordinator_client(client, db):
    log_in(client, make_user(db, Role.COORDINATOR))
    return client


def _names(response) -> str:
    return response.get_data(as_text=True)


def _search(client, text: str, **filters: str):
    data = {"q": text, "csrf_token": csrf_token(client, "/contributors/"), **filters}
    response = client.post("/contributors/search", data=data)
    assert response.status_code == 302
    return response


def test_search_by_name_and_email(coordinator_client, db) -> None:
    make_contributor(db, full_name="Ruth Okafor", email="ruth@example.org")
    make_contributor(db, full_name="Sam Patel", email="sam.p@example.org")
    _search(coordinator_client, "okaf")
    page = _names(coordinator_client.get("/contributors/"))
    assert "Ruth Okafor" in page and "Sam Patel" not in page
    _search(coordinator_client, "SAM.P@")
    page = _names(coordinator_client.get("/contributors/"))
    assert "Sam Patel" in page and "Ruth Okafor" not in page
    # LIKE wildcards in the search are literal, not patterns.
    _search(coordinator_client, "%")
    page = _names(coordinator_client.get("/contributors/"))
    assert "Ruth Okafor" not in page and "Sam Patel" not in page


def test_search_text_never_goes_in_a_url(coordinator_client, db) -> None:
    make_contributor(db, full_name="Ruth Okafor", email="ruth@example.org")
    response = _search(coordinator_client, "ruth@example.org", status="active")
    assert "ruth" not in response.headers["Location"]
    assert "status=active" in response.headers["Location"]
    page = _names(coordinator_client.get(response.headers["Location"]))
    assert "Ruth Okafor" in page
    # Links on the page (pages, exports) carry filters but not the search text.
    assert "ruth%40example" not in page and "q=ruth" not in page
    coordinator_client.post("/contributors/search", data={
        "clear": "1", "csrf_token": csrf_token(coordinator_client, "/contributors/")})
    make_contributor(db, full_name="Someone Else")
    assert "Someone Else" in _names(coordinator_client.get("/contributors/"))


@pytest.mark.parametrize(("query", "child"), [
    ("experience=carer", lambda c: LivedExperience(kind="carer", contributor=c)),
    ("service_kind=picu", lambda c: ServiceKnown(code="picu", contributor=c)),
    ("skill=interview_panels", lambda c: Skill(code="interview_panels", contributor=c)),
    ("adjustment=quiet_room", lambda c: Adjustment(code="quiet_room", contributor=c)),
    ("day=tuesday", lambda c: AvailabilitySlot(day="tuesday", part="morning", contributor=c)),
    ("training=safeguarding", lambda c: TrainingCompletion(
        course_code="safeguarding", completed_on=dt.date.today(),
        expires_on=dt.date.today() + dt.timedelta(days=30), contributor=c)),
])
def test_each_filter_keeps_only_matching_people(coordinator_client, db, query, child) -> None:
    match = make_contributor(db, full_name="Matching Person")
    make_contributor(db, full_name="Other Person")
    db.add(child(match))
    db.commit()
    page = _names(coordinator_client.get(f"/contributors/?{query}"))
    assert "Matching Person" in page and "Other Person" not in page


def test_expired_training_does_not_count(coordinator_client, db) -> None:
    person = make_contributor(db, full_name="Lapsed Person")
    db.add(TrainingCompletion(course_code="safeguarding", completed_on=dt.date(2020, 1, 1),
                              expires_on=dt.date(2023, 1, 1), contributor=person))
    db.commit()
    page = _names(coordinator_client.get("/contributors/?training=safeguarding"))
    assert "Lapsed Person" not in page


def test_status_and_attendance_filters(coordinator_client, db) -> None:
    make_contributor(db, full_name="Paused Online", status="paused", attendance_mode="online")
    make_contributor(db, full_name="Active Either", status="active", attendance_mode="either")
    make_contributor(db, full_name="Active InPerson", status="active", attendance_mode="in_person")
    page = _names(coordinator_client.get("/contributors/?status=active&attendance=online"))
    assert "Active Either" in page
    assert "Paused Online" not in page and "Active InPerson" not in page


def test_anonymised_records_are_not_listed(coordinator_client, db) -> None:
    from crm.db import utcnow

    make_contributor(db, full_name="Removed Person", anonymised_at=utcnow())
    assert "Removed Person" not in _names(coordinator_client.get("/contributors/"))


def test_list_is_paginated(coordinator_client, db, settings) -> None:
    for n in range(settings.per_page + 3):
        make_contributor(db, full_name=f"Person {n:03d}")
    first = _names(coordinator_client.get("/contributors/"))
    assert "Person 000" in first and f"Person {settings.per_page:03d}" not in first
    second = _names(coordinator_client.get("/contributors/?page=2"))
    assert f"Person {settings.per_page:03d}" in second and "Person 000" not in second


def test_list_query_count_does_not_grow_with_rows(coordinator_client, db, count_queries) -> None:
    def run(n_people: int) -> int:
        for _ in range(n_people):
            c = make_contributor(db, key_contact=make_user(db, Role.COORDINATOR))
            db.add(LivedExperience(kind="carer", contributor=c))
            db.add(LivedExperience(kind="patient_former", contributor=c))
        db.commit()
        count_queries.statements.clear()
        assert coordinator_client.get("/contributors/?status=active").status_code == 200
        return count_queries.count

    few = run(2)
    many = run(20)
    assert few == many
    assert many <= 8, count_queries.statements


def test_attention_filters_and_home_page_counts(coordinator_client, db) -> None:
    from crm.contributors.models import Consent
    from crm.db import utcnow

    removal = make_contributor(db, full_name="Wants Removal", removal_requested_at=utcnow())
    quiet = make_contributor(db, full_name="No Contact Please")
    db.add(Consent(contributor=quiet, kind="contact", is_given=False, method="online",
                   recorded_on=dt.date.today(), withdrawn_on=dt.date.today()))
    ordinary = make_contributor(db, full_name="Ordinary Person")
    for agreed in (removal, ordinary):
        db.add(Consent(contributor=agreed, kind="contact", is_given=True, method="online",
                       recorded_on=dt.date.today()))
    # Imported with no consent recorded: counts as not given.
    make_contributor(db, full_name="Imported Person")
    db.commit()
    page = _names(coordinator_client.get("/contributors/?attention=removal_requested"))
    assert "Wants Removal" in page and "Ordinary Person" not in page
    assert "No Contact Please" not in page
    page = _names(coordinator_client.get("/contributors/?attention=no_contact"))
    assert "No Contact Please" in page and "Imported Person" in page
    assert "Wants Removal" not in page and "Ordinary Person" not in page
    home = _names(coordinator_client.get("/"))
    assert "1 person has asked to be removed" in home
    assert "2 people may not be contacted" in home
    # Marked in the list, and at the top of the record and on the invite page.
    listing = coordinator_client.get("/contributors/").get_data(as_text=True)
    assert len(re.findall(r">\s*Do not contact\s*<", listing)) == 2
    for path in (f"/contributors/{quiet.id}", f"/contributors/{quiet.id}/invite"):
        assert "Do not contact" in coordinator_client.get(path).get_data(as_text=True), path
    for path in (f"/contributors/{ordinary.id}", f"/contributors/{ordinary.id}/invite"):
        assert "Do not contact" not in coordinator_client.get(path).get_data(as_text=True), path


def test_filters_come_from_one_table_and_queries_need_no_request(app, db) -> None:
    """The list, its template and the export read LIST_FILTERS; query
    functions take plain values (no flask.session), so they run anywhere."""
    import inspect

    from crm.contributors import queries

    assert "flask" not in inspect.getsource(queries).split('"""', 2)[2].split("class ")[0]
    with app.app_context():
        match = make_contributor(db, full_name="Knows Picu")
        db.add(ServiceKnown(code="picu", contributor=match))
        make_contributor(db, full_name="Knows Nothing")
        db.commit()
        filters = queries.ContributorFilters.from_args({"service_kind": "picu"}, q="knows")
        names = [c.full_name for c in db.scalars(queries.filtered(filters))]
    assert names == ["Knows Picu"]
    assert {f.name for f in queries.LIST_FILTERS} >= {
        "status", "experience", "service_kind", "skill", "adjustment", "training", "day",
        "attendance", "attention"}


def test_unknown_codes_are_dropped_not_searched(coordinator_client, db) -> None:
    make_contributor(db, full_name="Anyone At All")
    page = _names(coordinator_client.get("/contributors/?status=unknown&skill=Ruth+Okafor"))
    assert "Anyone At All" in page and "Filters used" not in page


def test_several_values_match_any_of_them_and_are_said_so(coordinator_client, db) -> None:
    picu = make_contributor(db, full_name="Knows Picu")
    db.add(ServiceKnown(code="picu", contributor=picu))
    crisis = make_contributor(db, full_name="Knows Crisis")
    db.add(ServiceKnown(code="crisis_home_treatment", contributor=crisis))
    make_contributor(db, full_name="Knows Neither")
    db.commit()
    page = _names(coordinator_client.get(
        "/contributors/?service_kind=picu&service_kind=crisis_home_treatment"))
    assert "Knows Picu" in page and "Knows Crisis" in page and "Knows Neither" not in page
    assert "people with any of those options are shown" in page
    # The column that matters for the filter is shown.
    assert '<th role="columnheader" scope="col" class="nhsuk-table__header">Services they know' \
        in page


def test_each_applied_filter_has_a_link_that_removes_it(coordinator_client, db) -> None:
    make_contributor(db, full_name="Someone")
    page = _names(coordinator_client.get(
        "/contributors/?status=active&service_kind=picu&service_kind=crisis_home_treatment"))
    links = re.findall(r'<a href="(/contributors/\?[^"]*)">Remove', page)
    assert len(links) == 3
    removing_picu = [link for link in links if "picu" not in link]
    assert removing_picu == ["/contributors/?status=active&amp;service_kind=crisis_home_treatment"]


def test_search_is_shown_and_removable_without_going_in_a_url(coordinator_client, db) -> None:
    make_contributor(db, full_name="Ruth Okafor")
    _search(coordinator_client, "okafor", status="active")
    page = _names(coordinator_client.get("/contributors/?status=active"))
    assert "Name or email contains “okafor”" in page
    response = coordinator_client.post("/contributors/search", data={
        "clear_search": "1", "status": "active",
        "csrf_token": csrf_token(coordinator_client, "/contributors/")})
    assert response.headers["Location"] == "/contributors/?status=active"
    assert "contains “okafor”" not in _names(coordinator_client.get(response.headers["Location"]))


def test_back_to_contributors_returns_to_the_same_filters_and_page(
        coordinator_client, db, settings) -> None:
    for n in range(settings.per_page + 2):
        make_contributor(db, full_name=f"Person {n:03d}", status="paused")
    person = make_contributor(db, full_name="Zed Last", status="paused")
    coordinator_client.get("/contributors/?status=paused&page=2")
    record = _names(coordinator_client.get(f"/contributors/{person.id}"))
    assert 'href="/contributors/?back=1"' in record
    response = coordinator_client.get("/contributors/?back=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/contributors/?status=paused&page=2"
    # Page links keep every value of a multi-value filter.
    page = _names(coordinator_client.get(
        "/contributors/?status=paused&skill=interview_panels&skill=training"))
    assert "Zed Last" not in page  # nobody has those skills


def test_page_links_keep_several_values(coordinator_client, db, settings) -> None:
    for n in range(settings.per_page + 2):
        c = make_contributor(db, full_name=f"Person {n:03d}")
        db.add(Skill(code="interview_panels", contributor=c))
    db.commit()
    page = _names(coordinator_client.get(
        "/contributors/?skill=interview_panels&skill=training"))
    assert "skill=interview_panels&amp;skill=training&amp;page=2" in page


def test_list_query_count_with_filter_columns(coordinator_client, db, count_queries) -> None:
    def run(n_people: int) -> int:
        for _ in range(n_people):
            c = make_contributor(db, key_contact=make_user(db, Role.COORDINATOR))
            db.add(ServiceKnown(code="picu", contributor=c))
            db.add(Skill(code="interview_panels", contributor=c))
            db.add(Adjustment(code="quiet_room", contributor=c))
            db.add(AvailabilitySlot(day="monday", part="morning", contributor=c))
        db.commit()
        count_queries.statements.clear()
        assert coordinator_client.get(
            "/contributors/?service_kind=picu&skill=interview_panels&adjustment=quiet_room"
            "&day=monday&attendance=online").status_code == 200
        return count_queries.count

    few = run(2)
    many = run(20)
    assert few == many
    assert many <= 12, count_queries.statements


TODAY = dt.date(2026, 3, 10)


@pytest.mark.parametrize(("review_in_days", "is_given", "due"), [
    (-400, True, True),   # overdue
    (0, True, True),      # today
    (30, True, True),     # last day of the window
    (31, True, False),    # just outside
    (5, False, False),    # not given: nothing to review
    (None, True, False),  # no review date
])
def test_consent_review_due_window(db, review_in_days, is_given, due) -> None:
    from crm.contributors.models import Consent
    from crm.contributors.queries import attention_counts

    person = make_contributor(db)
    db.add(Consent(contributor=person, kind="contact", is_given=is_given, method="online",
                   recorded_on=TODAY, review_on=None if review_in_days is None
                   else TODAY + dt.timedelta(days=review_in_days)))
    db.commit()
    assert attention_counts(db, today=TODAY)["consent_review_due"] == (1 if due else 0)


@pytest.mark.parametrize(("status", "ends_in_days", "ending"), [
    ("paused", -3, True),    # ended, status not changed yet
    ("paused", 0, True),
    ("paused", 14, True),    # last day of the window
    ("paused", 15, False),
    ("paused", None, False),  # paused with no end date
    ("active", 3, False),    # not paused
])
def test_pause_ending_window(db, status, ends_in_days, ending) -> None:
    from crm.contributors.queries import attention_counts

    make_contributor(db, status=status, paused_until=None if ends_in_days is None
                     else TODAY + dt.timedelta(days=ends_in_days))
    assert attention_counts(db, today=TODAY)["pause_ending"] == (1 if ending else 0)


def test_home_page_links_reviews_and_pauses_to_the_filtered_list(coordinator_client, db) -> None:
    from crm.contributors.models import Consent

    today = dt.date.today()
    review = make_contributor(db, full_name="Review Soon")
    db.add(Consent(contributor=review, kind="contact", is_given=True, method="online",
                   recorded_on=today, review_on=today + dt.timedelta(days=3)))
    make_contributor(db, full_name="Back Soon", status="paused",
                     paused_until=today + dt.timedelta(days=2))
    make_contributor(db, full_name="Not Yet", status="paused",
                     paused_until=today + dt.timedelta(days=90))
    db.commit()
    home = _names(coordinator_client.get("/"))
    assert '<a href="/contributors/?attention=consent_review_due">1 person has a consent ' \
        "review due</a>" in home
    assert "<a href=\"/contributors/?attention=pause_ending\">1 person&#39;s pause ends soon" \
        in home
    listing = _names(coordinator_client.get("/contributors/?attention=pause_ending"))
    assert "Back Soon" in listing and "Not Yet" not in listing and "Review Soon" not in listing
    listing = _names(coordinator_client.get("/contributors/?attention=consent_review_due"))
    assert "Review Soon" in listing and "Back Soon" not in listing


def test_a_skill_they_named_themselves_shows_in_the_skills_column(coordinator_client,
                                                                   db) -> None:
    """A skill with words but no code (one the person named) sits beside
    catalogue skills in the results column; it made the page fail."""
    c = make_contributor(db, full_name="Ruth Baker")
    db.add_all([Skill(code="interview_panels", contributor=c),
                Skill(code=None, label="Baking", contributor=c)])
    db.commit()
    response = coordinator_client.get("/contributors/?skill=interview_panels")
    assert response.status_code == 200
    page = _names(response)
    assert "Ruth Baker" in page and "Baking" in page

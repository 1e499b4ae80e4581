"""Projects: adding and changing (wards or trust-wide, lead, dates in
order), the list by status in pages, the project page with its roles, and
the query counts of both pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from crm.db import utcnow
from crm.permissions import Role
from crm.projects.forms import STALE
from crm.projects.models import Project
from tests.factories import make_user
from tests.project_factories import make_project, make_role, make_ward, role_session
from tests.projects.helpers import coordinator, events, field_error, post, text_of


def dates(name: str, day: dt.date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}-day": "", f"{name}-month": "", f"{name}-year": ""}
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month),
            f"{name}-year": str(day.year)}


def project_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {"title": "Culture of Care", "status": "planning", "lead_id": "",
                               **dates("starts_on", dt.date(2027, 1, 4)),
                               **dates("ends_on", dt.date(2027, 6, 30))}
    data.update(overrides)
    return data


def test_adding_a_project_on_two_wards(client, db) -> None:
    aire, wharfe = make_ward(db, "Aire Ward"), make_ward(db, "Wharfe Ward")
    user = coordinator(db, client)
    response = post(client, "/projects/new", project_data(
        ward_ids=[str(aire.id), str(wharfe.id)], lead_id=str(user.id),
        description="Better days on the ward", easy_read_summary="We want the ward to be nicer.",
        cost_code="CC-123"))
    assert response.status_code == 302
    project = db.scalars(select(Project)).one()
    assert response.headers["Location"].endswith(f"/projects/{project.id}")
    assert [w.name for w in project.wards] == ["Aire Ward", "Wharfe Ward"]
    assert (project.lead_id, project.starts_on, project.ends_on, project.cost_code) == (
        user.id, dt.date(2027, 1, 4), dt.date(2027, 6, 30), "CC-123")
    assert not project.is_trust_wide
    assert len(events(db, "create", "project")) == 1


def test_a_trust_wide_project_has_no_wards(client, db) -> None:
    coordinator(db, client)
    assert post(client, "/projects/new", project_data(is_trust_wide="y")).status_code == 302
    assert db.scalars(select(Project)).one().is_trust_wide


@pytest.mark.parametrize(("overrides", "error_id", "href", "message"), [
    ({"is_trust_wide": "y", "ends_on-day": "3", "ends_on-month": "1", "ends_on-year": "2027"},
     "ends_on", "ends_on-day", "End date must be the same as or after the start date"),
    ({}, "ward_ids", "ward_ids", "Select the project's wards, or say it is trust-wide"),
    ({"is_trust_wide": "y", "ward_ids": ["WARD"]}, "ward_ids", "ward_ids",
     "Choose wards or trust-wide, not both"),
    ({"is_trust_wide": "y", "title": ""}, "title", "title", "Enter the project's title"),
    ({"is_trust_wide": "y", "ends_on-month": "13"}, "ends_on", "ends_on-day",
     "End date must be a real date"),
    ({"is_trust_wide": "y", "lead_id": "FINANCE"}, "lead_id", "lead_id",
     "Select a lead coordinator from the list"),
])
def test_project_messages_beside_their_fields_and_nothing_saved(
        client, db, overrides, error_id, href, message) -> None:
    ward = make_ward(db)
    finance = make_user(db, Role.FINANCE)
    coordinator(db, client)
    data = project_data(**overrides)
    if data.get("ward_ids") == ["WARD"]:
        data["ward_ids"] = [str(ward.id)]
    if data.get("lead_id") == "FINANCE":
        data["lead_id"] = str(finance.id)
    response = post(client, "/projects/new", data)
    assert response.status_code == 400
    assert field_error(response, error_id, href) == message
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Project)) == 0
    assert events(db, "create") == []


def test_a_second_coordinator_saving_a_stale_page_is_told(client, app, db) -> None:
    project = make_project(db, "Food on the ward", is_trust_wide=True)
    coordinator(db, client)
    other = app.test_client()
    coordinator(db, other)
    path = f"/projects/{project.id}/edit"
    version = str(project.version)
    assert post(client, path, project_data(title="Food choices", is_trust_wide="y",
                                           status="active", version=version)).status_code == 302
    stale = post(other, path, project_data(title="Menus", is_trust_wide="y", version=version))
    assert stale.status_code == 400 and STALE in text_of(stale)
    db.expire_all()
    assert db.get(Project, project.id).title == "Food choices"


def test_changing_the_wards_is_audited_by_id(client, db) -> None:
    aire, wharfe = make_ward(db, "Aire Ward"), make_ward(db, "Wharfe Ward")
    project = make_project(db, wards=[aire])
    coordinator(db, client)
    page = client.get(f"/projects/{project.id}/edit").get_data(as_text=True)
    assert re.search(rf'<input[^>]*value="{aire.id}"[^>]*checked', page)
    assert not re.search(rf'<input[^>]*value="{wharfe.id}"[^>]*checked', page)
    assert post(client, f"/projects/{project.id}/edit", project_data(
        title=project.title, ward_ids=[str(wharfe.id)], status="active",
        version=str(project.version))).status_code == 302
    db.expire_all()
    assert [w.id for w in db.get(Project, project.id).wards] == [wharfe.id]
    change = events(db, "update", "project")[0].changes
    assert change["ward_ids"] == {"old": [aire.id], "new": [wharfe.id]}


def test_the_list_filters_by_status_and_is_in_pages(client, db, settings) -> None:
    for n in range(settings.per_page + 1):
        make_project(db, f"Active {n:03d}", status="active", starts_on=dt.date(2027, 1, 1))
    make_project(db, "Planned one", status="planning")
    coordinator(db, client)
    planning = text_of(client.get("/projects/?status=planning"))
    assert "Planned one" in planning and "Active 000" not in planning
    active = text_of(client.get("/projects/?status=active"))
    assert "Planned one" not in active and f"of {settings.per_page + 1}" in active
    second = text_of(client.get("/projects/?status=active&page=2"))
    assert second.count("Active 0") == 1
    everything = text_of(client.get("/projects/?status=nonsense"))
    assert f"of {settings.per_page + 2}" in everything


def test_the_list_runs_the_same_queries_for_few_or_many_projects(client, db,
                                                                 count_queries) -> None:
    coordinator(db, client)

    def queries_for_list() -> int:
        before = count_queries.count
        assert client.get("/projects/").status_code == 200
        return count_queries.count - before

    ward = make_ward(db)
    make_role(db, make_project(db, wards=[ward], lead=make_user(db)))
    few = queries_for_list()
    for _ in range(6):
        make_role(db, make_project(db, wards=[ward, make_ward(db)], lead=make_user(db)))
    assert queries_for_list() == few


def test_the_project_page_shows_each_role_with_sessions_and_the_next_one(client, db,
                                                                        count_queries) -> None:
    now = utcnow()
    project = make_project(db, "Panel project", is_trust_wide=True)
    make_role(db, project, title="Interview panel", places=3, sessions=[
        role_session(now - dt.timedelta(days=3)),
        role_session(dt.datetime(2030, 7, 1, 9, 0, tzinfo=dt.UTC)),
        role_session(now + dt.timedelta(days=1), is_cancelled=True)])
    make_role(db, project, title="Co-chair", status="draft")
    coordinator(db, client)
    before = count_queries.count
    page = text_of(client.get(f"/projects/{project.id}"))
    few = count_queries.count - before
    assert "Change the project's details" in page
    assert "Interview panel" in page and "Co-chair" in page
    assert "1 July 2030 at 10:00am" in page  # London time (BST)
    assert "None to come" in page  # the draft has no sessions
    row = page[page.index("Interview panel"):page.index("Co-chair")]
    assert ">3<" in row.replace(" ", "") and ">2<" in row.replace(" ", "")  # places; sessions
    for n in range(5):
        make_role(db, project, sessions=[role_session(now + dt.timedelta(days=n + 1))])
    before = count_queries.count
    client.get(f"/projects/{project.id}")
    assert count_queries.count - before == few


def test_closed_wards_are_offered_only_to_projects_that_have_them(client, db) -> None:
    closed = make_ward(db, "Old Ward", is_active=False)
    make_ward(db, "New Ward")
    project = make_project(db, wards=[closed])
    coordinator(db, client)
    assert "Old Ward" not in text_of(client.get("/projects/new"))
    edit = text_of(client.get(f"/projects/{project.id}/edit"))
    assert "Old Ward" in edit and "New Ward" in edit


def test_a_lead_who_has_left_stays_the_lead_until_someone_is_chosen(client, db) -> None:
    """Editing a project whose lead is no longer an active coordinator keeps
    them (named as no longer active) rather than quietly dropping them; they
    cannot be chosen for another project."""
    former = make_user(db, Role.COORDINATOR, name="Former Lead")
    project = make_project(db, "Food on the ward", is_trust_wide=True)
    project.lead_id = former.id
    former.is_active = False
    other = make_project(db, "Quiet rooms", is_trust_wide=True)
    db.commit()
    coordinator(db, client)
    page = client.get(f"/projects/{project.id}/edit").get_data(as_text=True)
    assert re.search(rf'<option[^>]*value="{former.id}"[^>]*selected[^>]*>'
                     r'Former Lead \(no longer active\)', page)
    assert "Former Lead" not in client.get(f"/projects/{other.id}/edit").get_data(as_text=True)
    assert post(client, f"/projects/{project.id}/edit", project_data(
        title="Food choices", is_trust_wide="y", lead_id=str(former.id),
        version=str(project.version))).status_code == 302
    db.expire_all()
    assert db.get(Project, project.id).lead_id == former.id
    refused = post(client, f"/projects/{other.id}/edit", project_data(
        title="Quiet rooms", is_trust_wide="y", lead_id=str(former.id),
        version=str(other.version)))
    assert refused.status_code == 400
    assert "Select a lead coordinator from the list" in text_of(refused)


def test_a_description_keeps_its_lines_and_escapes_its_text(client, db) -> None:
    """The description is shown as written (its own lines), inside our own
    markup, with any markup the writer typed shown as text."""
    project = make_project(db, "Food on the ward", is_trust_wide=True)
    project.description = "Better meals.\nAsk about <b>menus</b>."
    db.commit()
    coordinator(db, client)
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    # line breaks, not newlines in a pre-wrap span (the NHS.UK summary list
    # indents each new line of its html, which would show)
    assert "Better meals.<br>Ask about &lt;b&gt;menus&lt;/b&gt;." in html

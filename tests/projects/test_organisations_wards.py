"""Organisations and wards: adding, changing, the rules on what is typed,
stale pages, and the lists in pages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from crm.projects.forms import STALE
from crm.projects.models import Organisation, Ward
from crm.projects.services import DUPLICATE_ORGANISATION, DUPLICATE_WARD
from tests.project_factories import make_organisation, make_ward
from tests.projects.helpers import coordinator, events, field_error, post, text_of


def count(db, model) -> int:  # type: ignore[no-untyped-def]
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- organisations


def test_adding_an_organisation_saves_it_and_audits(client, db) -> None:
    coordinator(db, client)
    response = post(client, "/projects/organisations/new", {
        "name": "  Hearing Voices Leeds ", "kind": "user_led",
        "communities": "People who hear voices", "website": "https://hv.example.org",
        "is_active": "y"})
    assert response.status_code == 302
    org = db.scalars(select(Organisation)).one()
    assert (org.name, org.kind, org.website, org.is_active) == (
        "Hearing Voices Leeds", "user_led", "https://hv.example.org", True)
    assert [e.entity_id for e in events(db, "create", "organisation")] == [org.id]


def test_a_duplicate_name_is_shown_beside_the_name_and_nothing_is_saved(client, db) -> None:
    make_organisation(db, "Mind in Leeds")
    coordinator(db, client)
    response = post(client, "/projects/organisations/new",
                    {"name": "mind in leeds", "kind": "vcse"})
    assert response.status_code == 400
    assert field_error(response, "name") == DUPLICATE_ORGANISATION
    assert count(db, Organisation) == 1


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"name": "", "kind": "vcse"}, "name", "Enter the organisation's name"),
    ({"name": "A", "kind": ""}, "kind", "Select what kind of organisation it is"),
    ({"name": "A", "kind": "vcse", "website": "example"}, "website",
     "Enter a website address starting with https://, like https://example.org"),
    ({"name": "x" * 201, "kind": "vcse"}, "name", "Name must be 200 characters or fewer"),
])
def test_organisation_messages_beside_their_fields(client, db, data, field, message) -> None:
    coordinator(db, client)
    response = post(client, "/projects/organisations/new", data)
    assert response.status_code == 400
    assert field_error(response, field) == message
    assert count(db, Organisation) == 0


def test_changing_an_organisation_from_a_stale_page_is_refused(client, db) -> None:
    org = make_organisation(db, "Recovery College")
    coordinator(db, client)
    path = f"/projects/organisations/{org.id}/edit"
    assert 'name="version" value="1"' in client.get(path).get_data(as_text=True)
    first = post(client, path, {"name": "Leeds Recovery College", "kind": "recovery_college",
                                "version": "1", "is_active": "y"})
    assert first.status_code == 302
    second = post(client, path, {"name": "Someone else's name", "kind": "vcse",
                                 "version": "1", "is_active": "y"})
    assert second.status_code == 400
    assert STALE in text_of(second)
    db.expire_all()
    assert db.get(Organisation, org.id).name == "Leeds Recovery College"
    changes = events(db, "update", "organisation")[0].changes
    assert changes["name"] == {"old": "Recovery College", "new": "Leeds Recovery College"}


def test_the_organisation_list_is_in_pages(client, db, settings) -> None:
    for n in range(settings.per_page + 1):
        make_organisation(db, f"Group {n:03d}")
    coordinator(db, client)
    first = text_of(client.get("/projects/organisations"))
    second = text_of(client.get("/projects/organisations?page=2"))
    assert "Group 000" in first and f"Group {settings.per_page:03d}" not in first
    assert f"Group {settings.per_page:03d}" in second and "Group 000" not in second
    assert f"of {settings.per_page + 1}" in first


# ---------------------------------------------------------------- wards

WARD = {"name": "Aire Ward", "site": "Becklin Centre", "service_kind": "acute_adult_ward",
        "is_active": "y"}


@pytest.mark.parametrize(("typed", "saved"), [
    ("LS1", "LS1"), ("ls12", "LS12"), ("sw1a", "SW1A"), ("M1", "M1"), (" ec1v ", "EC1V"),
    ("", None),
])
def test_postcode_districts_are_saved_upper_case(client, db, typed, saved) -> None:
    coordinator(db, client)
    assert post(client, "/projects/wards/new",
                {**WARD, "postcode_district": typed}).status_code == 302
    assert db.scalars(select(Ward)).one().postcode_district == saved


@pytest.mark.parametrize("typed", ["LS", "12AB", "LS1 4AP", "L$1", "ABC1"])
def test_a_postcode_district_of_the_wrong_shape_is_refused(client, db, typed) -> None:
    coordinator(db, client)
    response = post(client, "/projects/wards/new", {**WARD, "postcode_district": typed})
    assert response.status_code == 400
    assert field_error(response, "postcode_district") == (
        "Enter the first part of a postcode, like LS1 or SW1A")
    assert count(db, Ward) == 0


def test_the_room_is_described_with_adjustment_codes_grouped_by_catalogue_group(
        client, db) -> None:
    from crm.reference import reference
    ref = reference().adjustments
    coordinator(db, client)
    page = client.get("/projects/wards/new").get_data(as_text=True)
    for group in ref.groups:
        if ref.in_group(group.code):
            assert f"{group.label}</legend>" in page or f"{group.label}\n" in page
    codes = [ref.in_group(g.code)[0].code for g in ref.groups if ref.in_group(g.code)][:2]
    assert post(client, "/projects/wards/new", {**WARD, "room_provides": codes}
                ).status_code == 302
    assert db.scalars(select(Ward)).one().room_provides == codes


def test_an_unknown_room_code_or_service_kind_is_refused(client, db) -> None:
    coordinator(db, client)
    response = post(client, "/projects/wards/new", {**WARD, "room_provides": ["made_up"]})
    assert response.status_code == 400 and "Select from the list" in text_of(response)
    response = post(client, "/projects/wards/new", {**WARD, "service_kind": "made_up"})
    assert field_error(response, "service_kind") == "Select the kind of service from the list"
    assert count(db, Ward) == 0


def test_a_duplicate_ward_name_is_refused_when_changing_another_ward(client, db) -> None:
    make_ward(db, "Aire Ward")
    other = make_ward(db, "Wharfe Ward")
    coordinator(db, client)
    response = post(client, f"/projects/wards/{other.id}/edit",
                    {**WARD, "name": "AIRE WARD", "version": str(other.version)})
    assert field_error(response, "name") == DUPLICATE_WARD
    db.expire_all()
    assert db.get(Ward, other.id).name == "Wharfe Ward"


def test_changing_a_ward_keeps_its_codes_and_audits_the_change(client, db) -> None:
    ward = make_ward(db, "Aire Ward", room_provides=["natural_light"])
    coordinator(db, client)
    page = client.get(f"/projects/wards/{ward.id}/edit").get_data(as_text=True)
    assert re.search(r'<input[^>]*value="natural_light"[^>]*checked', page)
    response = post(client, f"/projects/wards/{ward.id}/edit", {
        **WARD, "site": "St James's", "version": str(ward.version), "room_provides": []})
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Ward, ward.id).site == "St James's"
    assert events(db, "update", "ward")[0].changes["site"]["new"] == "St James's"

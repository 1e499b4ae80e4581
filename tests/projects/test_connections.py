"""A contributor's ward connections: added and removed, audited on the
contributor without saying which ward or what kind (being an inpatient is
health data)."""

from __future__ import annotations

import json

from sqlalchemy import select

from crm.projects.connections import ALREADY
from crm.projects.models import WardConnection
from tests.factories import make_contributor
from tests.project_factories import make_ward
from tests.projects.helpers import coordinator, events, field_error, post, text_of


def test_adding_and_removing_a_connection(client, db) -> None:
    person = make_contributor(db, full_name="Sam Example")
    ward = make_ward(db, "Aire Ward")
    coordinator(db, client)
    path = f"/projects/people/{person.id}/wards"
    assert "No connections are recorded" in text_of(client.get(path))
    assert [e.summary for e in events(db, "view", "contributor")] == ["ward connections"]
    assert post(client, path, {"ward_id": str(ward.id), "kind": "inpatient_now"}
                ).status_code == 302
    connection = db.scalars(select(WardConnection)).one()
    assert (connection.contributor_id, connection.ward_id, connection.kind) == (
        person.id, ward.id, "inpatient_now")
    page = text_of(client.get(path))
    assert "Aire Ward" in page and "An inpatient there now" in page
    assert post(client, f"{path}/remove", {"connection_id": str(connection.id)}
                ).status_code == 302
    db.expire_all()
    assert db.scalars(select(WardConnection)).all() == []
    audited = events(db, "update", "contributor")
    assert [e.entity_id for e in audited] == [person.id, person.id]
    for event in audited:
        written = json.dumps(event.changes) + (event.summary or "")
        assert "inpatient" not in written and "Aire" not in written and str(ward.id) not in \
            json.dumps(event.changes)


def test_the_same_connection_twice_is_refused_beside_the_ward(client, db) -> None:
    person = make_contributor(db)
    ward = make_ward(db)
    coordinator(db, client)
    path = f"/projects/people/{person.id}/wards"
    post(client, path, {"ward_id": str(ward.id), "kind": "works_on"})
    response = post(client, path, {"ward_id": str(ward.id), "kind": "works_on"})
    assert response.status_code == 400
    assert field_error(response, "ward_id") == ALREADY
    db.expire_all()
    assert len(db.scalars(select(WardConnection)).all()) == 1


def test_a_connection_of_someone_else_is_not_removed(client, db) -> None:
    person, other = make_contributor(db), make_contributor(db)
    ward = make_ward(db)
    theirs = WardConnection(contributor_id=other.id, ward_id=ward.id, kind="works_on",
                            noted_on=ward.created_at.date())
    db.add(theirs)
    db.commit()
    coordinator(db, client)
    post(client, f"/projects/people/{person.id}/wards/remove", {"connection_id": str(theirs.id)})
    db.expire_all()
    assert db.get(WardConnection, theirs.id) is not None


def test_an_unknown_person_is_not_found(client, db) -> None:
    coordinator(db, client)
    assert client.get("/projects/people/999/wards").status_code == 404

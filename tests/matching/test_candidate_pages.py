"""The candidates page and "why not this person?"."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from crm.audit.actions import Action, EntityType
from crm.audit.models import AuditEvent
from crm.matching.models import OfferStatus, RoleInterest
from crm.permissions import Role
from tests.conftest import csrf_token
from tests.factories import (
    adjustment,
    consent,
    log_in,
    make_contributor,
    make_user,
    skill,
    training,
)
from tests.project_factories import make_attendance, make_offer, make_role, role_session


def soon(days: int = 20) -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=days)


def people(db, n: int, start: int = 0) -> list:  # type: ignore[no-untyped-def,type-arg]
    return [make_contributor(db, full_name=f"Person {start + i:03d}", consents=[consent()],
                             skills=[skill()],
                             adjustments=[adjustment()], training=[training()])
            for i in range(n)]


def test_candidates_page_lists_people_with_parts_interest_and_offers(app, client, db) -> None:
    role = make_role(db, sessions=[role_session(soon())], desirable_skills=["interview_panels"])
    alice, bob = people(db, 2)
    make_contributor(db, full_name="No Consent")
    make_offer(db, role, alice, OfferStatus.OFFERED)
    db.add(RoleInterest(role_id=role.id, contributor_id=bob.id))
    db.commit()
    log_in(client, make_user(db, Role.COORDINATOR))
    html = client.get(f"/matching/roles/{role.id}/candidates").get_data(as_text=True)
    assert "2 people meet every rule" in html
    assert "No Consent" not in html
    assert "Offered, waiting for a reply" in html and "Interested" in html
    assert "Skills" in html and "Fewer recent offers" in html and "Not yet involved" in html
    assert f'name="contributor_id" type="checkbox" value="{alice.id}"' in html
    assert 'name="action" value="offer"' in html and 'name="action" value="wait"' in html
    assert f"/contributors/{alice.id}" in html
    event = db.scalars(select(AuditEvent).where(
        AuditEvent.action == Action.CANDIDATES_VIEWED)).one()
    assert (event.entity_type, event.entity_id) == (EntityType.ROLE, role.id)
    assert "Person" not in (event.summary or "")


def test_candidates_page_query_count_does_not_grow_with_people(app, client, db,
                                                              count_queries) -> None:
    role = make_role(db, sessions=[role_session(soon())], required_training=["safeguarding"])
    other = make_role(db, sessions=[role_session(soon(-40))])
    log_in(client, make_user(db, Role.COORDINATOR))
    counts = []
    for n, start in ((3, 0), (27, 3)):  # 3 people, then 30
        for person in people(db, n, start):
            make_offer(db, other, person, OfferStatus.DECLINED)
            make_attendance(db, other.sessions[0], person)
        count_queries.statements.clear()
        response = client.get(f"/matching/roles/{role.id}/candidates")
        assert response.status_code == 200
        counts.append(count_queries.count)
    assert counts[0] == counts[1], counts


def test_candidates_of_the_same_name_are_told_apart_by_record_number(client, db) -> None:
    role = make_role(db, sessions=[role_session(soon())])
    first, second = people(db, 2)
    for ryan in (first, second):
        ryan.full_name = "Ryan Clarke"
    db.commit()
    log_in(client, make_user(db, Role.COORDINATOR))
    html = client.get(f"/matching/roles/{role.id}/candidates").get_data(as_text=True)
    for ryan in (first, second):
        assert f'nhsuk-u-secondary-text-colour">Record {ryan.id}</span>' in html
        assert f"Choose Ryan Clarke, record {ryan.id}</span>" in html


def test_why_not_lists_each_rule_not_met(client, db) -> None:
    role = make_role(db, sessions=[role_session(soon())], required_training=["safeguarding"])
    person = make_contributor(db, full_name="Dana Example", status="paused")
    log_in(client, make_user(db, Role.COORDINATOR))
    html = client.get(f"/matching/roles/{role.id}/why-not/{person.id}").get_data(as_text=True)
    assert "Why not Dana Example?" in html
    assert "Has not given consent to be contacted" in html
    assert "Paused" in html and "could take part after completing it" in html
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == Action.VIEW)).one()
    assert (event.entity_type, event.entity_id) == (EntityType.CONTRIBUTOR, person.id)


def test_why_not_for_someone_eligible_shows_their_score(client, db) -> None:
    role = make_role(db, sessions=[role_session(soon())])
    (person,) = people(db, 1)
    log_in(client, make_user(db, Role.COORDINATOR))
    html = client.get(f"/matching/roles/{role.id}/why-not/{person.id}").get_data(as_text=True)
    assert "meets every rule for this role" in html and "Fewer recent offers" in html


def test_why_not_search_by_name_is_posted_and_answered_with_a_redirect(client, db) -> None:
    """A name is posted, never put in the URL; the answer is a redirect to a
    GET page of record numbers, so Back from a person returns to the list
    without "Confirm form resubmission"."""
    role = make_role(db, sessions=[role_session(soon())])
    person = make_contributor(db, full_name="Eleni Papadopoulos")
    namesake = make_contributor(db, full_name="Eleni Papadopoulou")
    log_in(client, make_user(db, Role.COORDINATOR))
    token = csrf_token(client, f"/matching/roles/{role.id}/candidates")
    url = f"/matching/roles/{role.id}/why-not"
    response = client.post(url, data={"csrf_token": token, "q": "papado"})
    assert response.status_code == 303
    listing = response.headers["Location"]
    assert "papado" not in listing.lower() and "eleni" not in listing.lower()
    assert listing.endswith(f"{url}?ids={person.id},{namesake.id}")
    html = client.get(listing).get_data(as_text=True)
    assert "Who do you mean?" in html
    assert f"/matching/roles/{role.id}/why-not/{person.id}" in html
    assert f"/matching/roles/{role.id}/why-not/{namesake.id}" in html
    response = client.post(url, data={"csrf_token": token, "q": str(person.id)})
    assert response.headers["Location"].endswith(f"/why-not/{person.id}")
    empty = client.post(url, data={"csrf_token": token, "q": "zzzz"})
    assert empty.status_code == 400 and "Nobody found" in empty.get_data(as_text=True)


def test_why_not_list_shows_only_live_records_by_number(client, db) -> None:
    role = make_role(db, sessions=[role_session(soon())])
    person = make_contributor(db, full_name="Eleni Papadopoulos")
    gone = make_contributor(db, full_name="Removed Person")
    gone.anonymised_at = dt.datetime.now(dt.UTC)
    db.commit()
    log_in(client, make_user(db, Role.COORDINATOR))
    url = f"/matching/roles/{role.id}/why-not"
    html = client.get(f"{url}?ids={person.id},{gone.id},x,²").get_data(as_text=True)
    assert "Eleni Papadopoulos" in html and "Removed Person" not in html
    plain = client.get(url)
    assert plain.status_code == 200 and "Who do you mean?" not in plain.get_data(as_text=True)


def test_unknown_role_or_person_is_404(client, db) -> None:
    role = make_role(db, sessions=[role_session(soon())])
    log_in(client, make_user(db, Role.COORDINATOR))
    assert client.get("/matching/roles/999/candidates").status_code == 404
    assert client.get(f"/matching/roles/{role.id}/why-not/999").status_code == 404


def test_people_outside_matching_are_refused(client, db) -> None:
    role = make_role(db, sessions=[role_session(soon())])
    for who in (Role.FINANCE, Role.REPORT_VIEWER, Role.ADMINISTRATOR, Role.CONTRIBUTOR):
        log_in(client, make_user(db, who))
        assert client.get(f"/matching/roles/{role.id}/candidates").status_code == 403, who

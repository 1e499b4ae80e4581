"""The batch pages: a new batch from a form, the proposal with its result in
words, removing and adding people, confirming once, discarding, the list,
and the page's query count whatever the batch's size."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from crm.audit.actions import Action, EntityType
from crm.audit.models import AuditEvent
from crm.mail.models import OutboxMessage
from crm.matching.models import BatchStatus, MatchBatch, MatchProposal, Offer
from crm.payments.choice_models import BenefitRecord
from crm.permissions import Role
from crm.projects.models import RoleStatus
from tests.conftest import csrf_token
from tests.factories import consent, log_in, make_user, skill
from tests.matching.test_batches import person, role


@pytest.fixture
def coordinator(db, client):  # type: ignore[no-untyped-def]
    user = make_user(db, Role.COORDINATOR)
    log_in(client, user)
    return user


def version_of(html: str) -> str:
    match = re.search(r'name="version" value="(\d+)"', html)
    assert match
    return match.group(1)


def new_batch(client, role_ids, *, cap: str = "2", fill: bool = False):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/matching/batches/new")
    data = {"csrf_token": token, "role_ids": [str(r) for r in role_ids],
            "max_roles_per_person": cap}
    if fill:
        data["fill_every_role"] = "y"
    return client.post("/matching/batches/new", data=data)


def latest(db) -> MatchBatch:  # type: ignore[no-untyped-def]
    db.expire_all()
    return db.scalars(select(MatchBatch).order_by(MatchBatch.id.desc())).first()


def test_the_form_lists_open_roles_and_a_project_preselects_its_own(db, client,
                                                                     coordinator) -> None:  # type: ignore[no-untyped-def]
    a = role(db, title="Interview panel")
    b = role(db, title="Co-chair")
    role(db, title="Still a draft", status=RoleStatus.DRAFT.value)
    html = client.get("/matching/batches/new").get_data(as_text=True)
    assert "Interview panel" in html and "Co-chair" in html and "Still a draft" not in html
    assert "best-ranked 60 eligible people" in html
    assert 'name="max_roles_per_person"' in html and 'value="2"' in html
    html = client.get(f"/matching/batches/new?project_id={a.project_id}").get_data(as_text=True)
    assert "Interview panel" in html and "Co-chair" not in html
    assert re.search(rf'value="{a.id}"[^>]*checked', html)
    assert b.id != a.id


def test_the_form_says_what_is_missing(db, client, coordinator) -> None:  # type: ignore[no-untyped-def]
    role(db)
    response = new_batch(client, [], cap="")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose at least one open role" in html
    assert "Enter the most roles for one person" in html
    assert "There is a problem" in html
    assert latest(db) is None


def test_proposing_shows_the_result_and_sends_nothing(db, client, coordinator) -> None:  # type: ignore[no-untyped-def]
    c = person(db, full_name="Robin Example", skills=[skill("chairing_meetings")])
    r = role(db, title="Co-chair")
    response = new_batch(client, [r.id])
    batch = latest(db)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/matching/batches/{batch.id}")
    html = client.get(f"/matching/batches/{batch.id}").get_data(as_text=True)
    assert "This is the best possible proposal" in html
    assert "Robin Example" in html and "Co-chair" in html
    assert "best-ranked 60 eligible people" in html
    assert "Confirm and send offers" in html
    assert [(p.role_id, p.contributor_id) for p in batch.proposals] == [(r.id, c.id)]
    assert db.scalar(select(func.count()).select_from(Offer)) == 0
    viewed = db.scalars(select(AuditEvent).where(AuditEvent.action == Action.VIEW,
                                                 AuditEvent.entity_type == EntityType.BATCH)).one()
    assert viewed.entity_id == batch.id and "Robin" not in (viewed.summary or "")


def test_an_impossible_batch_is_explained_on_the_page(db, client, coordinator) -> None:  # type: ignore[no-untyped-def]
    person(db)
    r = role(db, title="Co-chair", places=2)
    new_batch(client, [r.id], fill=True)
    html = client.get(f"/matching/batches/{latest(db).id}").get_data(as_text=True)
    assert "Every role could not be filled" in html
    assert f"Co-chair (role {r.id}) needs 2 people but only 1 eligible person" in html


def test_a_stopped_search_shows_its_gap(db, client, coordinator) -> None:  # type: ignore[no-untyped-def]
    person(db)
    new_batch(client, [role(db).id])
    batch = latest(db)
    batch.solver_status, batch.gap, batch.seconds = "feasible", 0.0042, 5.01
    db.commit()
    html = client.get(f"/matching/batches/{batch.id}").get_data(as_text=True)
    assert "The search stopped after 5 seconds" in html
    assert "at most 0.4% below the best possible" in html


def test_remove_then_add_back_from_the_ranked_list(db, client, coordinator) -> None:  # type: ignore[no-untyped-def]
    c = person(db, full_name="Robin Example")
    r = role(db, title="Co-chair")
    new_batch(client, [r.id])
    batch = latest(db)
    page = f"/matching/batches/{batch.id}"
    html = client.get(page).get_data(as_text=True)
    token = csrf_token(client, page)
    response = client.post(f"{page}/remove", data={
        "csrf_token": token, "version": version_of(html), "role_id": r.id,
        "contributor_id": c.id})
    assert response.status_code == 302
    assert latest(db).proposals == []
    html = client.get(f"{page}/roles/{r.id}/people").get_data(as_text=True)
    assert "Robin Example" in html and "Add<span" in html
    response = client.post(f"{page}/add", data={
        "csrf_token": token, "version": version_of(html), "role_id": r.id,
        "contributor_id": c.id})
    assert response.status_code == 302
    assert [p.contributor_id for p in latest(db).proposals] == [c.id]
    # the role's one place is now proposed: no Add button, and words saying why
    html = client.get(f"{page}/roles/{r.id}/people").get_data(as_text=True)
    assert "Add<span" not in html
    assert "No free place is left in this batch for" in html


def test_a_change_from_a_stale_page_is_refused_and_nothing_changes(db, client,
                                                                    coordinator) -> None:  # type: ignore[no-untyped-def]
    c = person(db)
    r = role(db)
    new_batch(client, [r.id])
    batch = latest(db)
    page = f"/matching/batches/{batch.id}"
    stale = version_of(client.get(page).get_data(as_text=True))
    token = csrf_token(client, page)
    client.post(f"{page}/remove", data={"csrf_token": token, "version": stale,
                                        "role_id": r.id, "contributor_id": c.id})
    response = client.post(f"{page}/add", data={"csrf_token": token, "version": stale,
                                                "role_id": r.id, "contributor_id": c.id})
    assert response.status_code == 409
    assert "Someone changed this batch after you opened the page" in response.get_data(
        as_text=True)
    assert latest(db).proposals == []


def test_adding_someone_not_eligible_says_why(db, client, coordinator) -> None:  # type: ignore[no-untyped-def]
    person(db)
    r = role(db, title="Co-chair", places=2)
    unable = person(db, consents=[consent("contact", given=False)])
    new_batch(client, [r.id])
    page = f"/matching/batches/{latest(db).id}"
    html = client.get(f"{page}/roles/{r.id}/people").get_data(as_text=True)
    assert "Proposed in this batch" in html  # the one eligible person
    response = client.post(f"{page}/add", data={
        "csrf_token": csrf_token(client, page),
        "version": version_of(client.get(page).get_data(as_text=True)), "role_id": r.id,
        "contributor_id": unable.id})
    assert response.status_code == 400
    assert "cannot be proposed for Co-chair" in response.get_data(as_text=True)
    assert len(latest(db).proposals) == 1


def test_confirming_sends_offers_once(db, client, coordinator) -> None:  # type: ignore[no-untyped-def]
    person(db)
    new_batch(client, [role(db).id])
    batch = latest(db)
    page = f"/matching/batches/{batch.id}"
    version = version_of(client.get(page).get_data(as_text=True))
    token = csrf_token(client, page)
    response = client.post(f"{page}/confirm", data={"csrf_token": token, "version": version})
    assert response.status_code == 302
    assert latest(db).status == BatchStatus.CONFIRMED.value
    assert db.scalar(select(func.count()).select_from(Offer)) == 1
    sent = db.scalar(select(func.count()).select_from(OutboxMessage))
    html = client.get(page).get_data(as_text=True)
    assert "Confirmed" in html and "Confirm and send offers" not in html
    again = client.post(f"{page}/confirm", data={"csrf_token": token, "version": version})
    assert again.status_code == 409
    assert "already been confirmed" in again.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Offer)) == 1
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == sent


def test_discarding_sends_nothing(db, client, coordinator) -> None:  # type: ignore[no-untyped-def]
    person(db)
    new_batch(client, [role(db).id])
    page = f"/matching/batches/{latest(db).id}"
    version = version_of(client.get(page).get_data(as_text=True))
    response = client.post(f"{page}/discard", data={"csrf_token": csrf_token(client, page),
                                                    "version": version})
    assert response.status_code == 302
    assert latest(db).status == BatchStatus.DISCARDED.value
    assert "This batch was discarded. Nothing was sent." in client.get(page).get_data(
        as_text=True)
    assert db.scalar(select(func.count()).select_from(Offer)) == 0


def test_the_list_pages_batches_newest_first(db, client, coordinator, app) -> None:  # type: ignore[no-untyped-def]
    r = role(db)
    for _ in range(3):
        db.add(MatchBatch(role_ids=[r.id], max_roles_per_person=1, solver_status="optimal",
                          created_by_id=coordinator.id))
    db.commit()
    html = client.get("/matching/batches").get_data(as_text=True)
    assert "3 batches, newest first" in html
    ids = [int(i) for i in re.findall(r"/matching/batches/(\d+)\"", html)]
    assert ids == sorted(ids, reverse=True) and len(ids) == 3


def test_the_batch_page_makes_the_same_queries_however_big(db, client, coordinator,
                                                            count_queries) -> None:  # type: ignore[no-untyped-def]
    def page_queries(n_roles: int) -> int:
        # paid roles and people who told us their benefits: the "may affect
        # benefits" notes are read too
        roles = [role(db, 10 + 3 * i, places=2, fee_tier="tier_150") for i in range(n_roles)]
        people = [person(db) for _ in range(2 * n_roles)]
        db.add_all(BenefitRecord(contributor_id=p.id, benefits=["carers_allowance"], week_day=0)
                   for p in people)
        batch = MatchBatch(role_ids=[r.id for r in roles], max_roles_per_person=1,
                           solver_status="optimal", objective=0.0)
        batch.proposals = [MatchProposal(role_id=r.id, contributor_id=people[2 * i + j].id,
                                         score=1.0) for i, r in enumerate(roles) for j in (0, 1)]
        db.add(batch)
        db.commit()
        before = count_queries.count
        assert client.get(f"/matching/batches/{batch.id}").status_code == 200
        return count_queries.count - before

    assert page_queries(1) == page_queries(6)


def test_the_pages_count_free_places_the_same_way(db, client, coordinator) -> None:  # type: ignore[no-untyped-def]
    """A place offered to someone is not free, on the new-batch page as on
    the batch page (the offers page counts places taken by a yes)."""
    from tests.project_factories import make_offer

    r = role(db, title="Interview panel", places=2)
    make_offer(db, r, person(db))
    db.commit()
    html = client.get("/matching/batches/new").get_data(as_text=True)
    assert "1 of 2 places free (not yet taken or offered)" in html
    batch = MatchBatch(role_ids=[r.id], max_roles_per_person=1, solver_status="optimal",
                       objective=0.0)
    db.add(batch)
    db.commit()
    html = client.get(f"/matching/batches/{batch.id}").get_data(as_text=True)
    assert "1 of 2 places free (not yet taken or offered)" in html


def test_people_of_the_same_name_are_told_apart_on_the_batch_pages(db, client,
                                                                    coordinator) -> None:  # type: ignore[no-untyped-def]
    r = role(db, title="Interview panel", places=2)
    twins = [person(db, full_name="Ryan Clarke") for _ in range(2)]
    new_batch(client, [r.id])
    page = f"/matching/batches/{latest(db).id}"
    html = client.get(page).get_data(as_text=True)
    for twin in twins:
        assert f"Record {twin.id}" in html and f"Ryan Clarke (record {twin.id})" in html

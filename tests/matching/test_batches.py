"""Batches (crm.matching.batches) over the real ranking and offers: what a
proposal takes into account, changes and their refusals in words, and
confirming (which alone sends anything, once)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.audit.actions import Action, EntityType
from crm.audit.models import AuditEvent
from crm.mail.models import OutboxMessage
from crm.matching import batch_confirm, batches
from crm.matching.batches import BatchError
from crm.matching.models import BatchStatus, MatchBatch, Offer, OfferStatus
from crm.permissions import Role
from crm.projects.models import RoleOpening, RoleStatus
from tests.factories import communication, consent, make_contributor, make_user, skill
from tests.project_factories import make_offer, make_role, role_session

TODAY = dt.date.today()


def at(days: int, hour: int = 10) -> dt.datetime:
    day = TODAY + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def person(db: Session, **fields: Any):  # type: ignore[no-untyped-def]
    """Someone who meets every rule of a plain role."""
    fields.setdefault("consents", [consent("contact")])
    fields.setdefault("communication", communication())
    return make_contributor(db, **fields)


def role(db: Session, days: int = 30, hour: int = 10, **fields: Any) -> RoleOpening:
    fields.setdefault("desirable_skills", ["chairing_meetings"])
    return make_role(db, sessions=[role_session(at(days, hour), 120)], **fields)


@pytest.fixture
def staff(db: Session):  # type: ignore[no-untyped-def]
    return make_user(db, Role.COORDINATOR)


def propose(db: Session, staff, roles: list[RoleOpening], *, cap: int = 2,  # type: ignore[no-untyped-def]
            fill: bool = False) -> MatchBatch:
    batch = batches.propose(db, staff, batches.load_roles(db, [r.id for r in roles]),
                            max_roles_per_person=cap, fill_every_role=fill, today=TODAY)
    db.commit()
    return batch


def proposed(batch: MatchBatch) -> set[tuple[int, int]]:
    return {(p.role_id, p.contributor_id) for p in batch.proposals}


def count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


# --- proposing ------------------------------------------------------------------

def test_a_proposal_fills_places_best_first_and_sends_nothing(db, staff) -> None:  # type: ignore[no-untyped-def]
    chair = person(db, skills=[skill("chairing_meetings")])
    other = person(db)
    a = role(db, 30, places=1)
    b = role(db, 30, hour=11, places=1)  # overlaps a
    batch = propose(db, staff, [a, b])
    # The chair scores higher for both but can be at only one; the total
    # is the same either way, so both roles are filled by the two people.
    assert {p for _r, p in proposed(batch)} == {chair.id, other.id}
    assert len(batch.proposals) == 2
    assert batch.solver_status == "optimal" and batch.gap == 0
    assert batch.objective == pytest.approx(sum(p.score for p in batch.proposals))
    assert count(db, Offer) == 0 and count(db, OutboxMessage) == 0
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == Action.BATCH_PROPOSED)).one()
    assert (event.entity_type, event.entity_id) == (EntityType.BATCH, batch.id)
    assert event.changes["role_ids"] == sorted([a.id, b.id])
    assert str(chair.full_name) not in (event.summary or "")


def test_people_already_offered_a_role_and_places_already_held_are_left_out(db, staff) -> None:  # type: ignore[no-untyped-def]
    held, offered, free = person(db), person(db), person(db)
    r = role(db, places=3)
    make_offer(db, r, held, OfferStatus.ACCEPTED)
    make_offer(db, r, offered, OfferStatus.OFFERED)
    batch = propose(db, staff, [r])
    assert proposed(batch) == {(r.id, free.id)}  # one place left, and only one new person


def test_someone_booked_at_the_same_time_is_not_proposed(db, staff) -> None:  # type: ignore[no-untyped-def]
    busy, free = person(db), person(db)
    booked = role(db, 30, hour=9)
    make_offer(db, booked, busy, OfferStatus.ACCEPTED)
    r = role(db, 30, hour=10, places=2)
    batch = propose(db, staff, [r])
    assert proposed(batch) == {(r.id, free.id)}


def test_the_limit_per_person_and_their_own_limit_are_kept(db, staff) -> None:  # type: ignore[no-untyped-def]
    keen = person(db, skills=[skill("chairing_meetings")], max_roles_at_once=2)
    doing = role(db, 90)
    make_offer(db, doing, keen, OfferStatus.ACCEPTED)  # one role already: one more at most
    roles = [role(db, d) for d in (10, 20, 30)]
    batch = propose(db, staff, roles, cap=3)
    assert sum(1 for _r, p in proposed(batch) if p == keen.id) == 1


def test_every_role_filled_when_it_cannot_be_is_explained(db, staff) -> None:  # type: ignore[no-untyped-def]
    person(db)
    r = role(db, places=2, title="Co-chair")
    batch = propose(db, staff, [r], fill=True)
    assert batch.solver_status == "infeasible" and batch.proposals == []
    assert batch.explanation == (f"Co-chair (role {r.id}) needs 2 people but only 1 eligible "
                                 "person could take it.")


@pytest.mark.parametrize(("make", "cap", "message"), [
    (lambda db: [], 2, "Choose at least one open role"),
    (lambda db: [role(db, status=RoleStatus.DRAFT.value, title="Panel")], 2, "are not open"),
    (lambda db: [role(db)], 0, "Roles per person must be between 1 and 10"),
])
def test_a_proposal_is_refused_in_words(db, staff, make, cap, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BatchError, match=message):
        batches.propose(db, staff, make(db), max_roles_per_person=cap, fill_every_role=False,
                        today=TODAY)


# --- changing -------------------------------------------------------------------

def test_removing_someone_raises_the_version_and_a_stale_page_is_refused(db, staff) -> None:  # type: ignore[no-untyped-def]
    c = person(db)
    r = role(db)
    batch = propose(db, staff, [r])
    version = batch.version
    batches.remove_person(db, staff, batch, role_id=r.id, contributor_id=c.id,
                          expected_version=version)
    db.commit()
    assert batch.proposals == [] and batch.version == version + 1
    with pytest.raises(BatchError, match="Someone changed this batch") as caught:
        batches.add_person(db, staff, batch, role_id=r.id, contributor_id=c.id,
                           expected_version=version, today=TODAY)
    assert caught.value.conflict


def test_adding_someone_eligible_gives_them_their_score(db, staff) -> None:  # type: ignore[no-untyped-def]
    c = person(db, skills=[skill("chairing_meetings")])
    r = role(db, places=2)
    batch = propose(db, staff, [r])
    batches.remove_person(db, staff, batch, role_id=r.id, contributor_id=c.id,
                          expected_version=batch.version)
    added = batches.add_person(db, staff, batch, role_id=r.id, contributor_id=c.id,
                               expected_version=batch.version, today=TODAY)
    db.commit()
    assert proposed(batch) == {(r.id, c.id)}
    assert added.score > 3  # the skill part counts
    summaries = set(db.scalars(select(AuditEvent.summary).where(
        AuditEvent.entity_type == EntityType.BATCH, AuditEvent.action == Action.UPDATE)))
    assert summaries == {f"removed contributor {c.id} from role {r.id}",
                         f"added contributor {c.id} to role {r.id}"}


def _setup_refusal(db, staff, case: str):  # type: ignore[no-untyped-def]
    """A batch, a role in it and someone to add, arranged for ``case``."""
    first = role(db, 30, places=1, title="Panel")
    clash = role(db, 30, hour=11, places=1, title="Visit")
    later = role(db, 60, places=1, title="Review")
    proposed_one = person(db)
    batch = propose(db, staff, [first, clash, later], cap=1)
    # Start from a known proposal: proposed_one in first only.
    for p in list(batch.proposals):
        batches.remove_person(db, staff, batch, role_id=p.role_id,
                              contributor_id=p.contributor_id, expected_version=batch.version)
    batches.add_person(db, staff, batch, role_id=first.id, contributor_id=proposed_one.id,
                       expected_version=batch.version, today=TODAY)
    db.commit()
    if case == "not eligible":
        return batch, later, person(db, consents=[consent("contact", given=False)])
    if case == "already proposed":
        return batch, first, proposed_one
    if case == "has an offer":
        c = person(db)
        make_offer(db, later, c, OfferStatus.DECLINED)
        return batch, later, c
    if case == "no free place":
        return batch, first, person(db)
    if case == "over the batch limit":
        return batch, later, proposed_one
    if case == "same time":
        batch.max_roles_per_person = 2
        db.commit()
        return batch, clash, proposed_one
    raise AssertionError(case)


@pytest.mark.parametrize(("case", "message"), [
    ("not eligible", r"cannot be proposed for Review \(role \d+\): .*"),
    ("already proposed", r"is already proposed for Panel \(role \d+\)"),
    ("has an offer", r"already has an offer for Review \(role \d+\)"),
    ("no free place", r"Panel \(role \d+\) has no free place left in this batch"),
    ("over the batch limit", r"already proposed for 1 roles in this batch, the most for one "
                             r"person \(1\)"),
    ("same time", r"is proposed for Panel \(role \d+\), which meets at the same time as "
                  r"Visit \(role \d+\)"),
])
def test_adding_someone_is_refused_with_the_reason(db, staff, case, message) -> None:  # type: ignore[no-untyped-def]
    batch, r, c = _setup_refusal(db, staff, case)
    before = proposed(batch)
    with pytest.raises(BatchError, match=message):
        batches.add_person(db, staff, batch, role_id=r.id, contributor_id=c.id,
                           expected_version=batch.version, today=TODAY)
    assert proposed(batch) == before


# --- confirming -----------------------------------------------------------------

def test_confirming_sends_the_offers_once(db, staff, settings) -> None:  # type: ignore[no-untyped-def]
    a_person, b_person = person(db), person(db)
    a, b = role(db, 20), role(db, 40)
    batch = propose(db, staff, [a, b], cap=1)
    version = batch.version
    made = batch_confirm.confirm(db, settings, staff, batch, expected_version=version, today=TODAY)
    db.commit()
    assert batch.status == BatchStatus.CONFIRMED.value and batch.confirmed_at is not None
    assert {(o.role_id, o.contributor_id, o.batch_id, o.status) for o in made} == {
        (p.role_id, p.contributor_id, batch.id, OfferStatus.OFFERED.value)
        for p in batch.proposals}
    assert {o.contributor_id for o in made} == {a_person.id, b_person.id}
    assert db.scalars(select(AuditEvent.summary).where(
        AuditEvent.action == Action.BATCH_CONFIRMED)).one() == (
        "confirmed: 2 offers sent for 2 roles")
    with pytest.raises(BatchError, match="already been confirmed"):
        batch_confirm.confirm(db, settings, staff, batch, expected_version=batch.version,
                              today=TODAY)
    assert count(db, Offer) == 2


def test_a_role_closed_since_the_proposal_stops_the_confirmation(db, staff, settings) -> None:  # type: ignore[no-untyped-def]
    person(db)
    r = role(db, title="Panel")
    batch = propose(db, staff, [r])
    r.status = RoleStatus.CANCELLED.value
    db.commit()
    with pytest.raises(BatchError, match=r"Nothing was sent. Panel \(role \d+\) is no longer open"):
        batch_confirm.confirm(db, settings, staff, batch, expected_version=batch.version,
                              today=TODAY)
    assert count(db, Offer) == 0


def test_places_taken_since_the_proposal_stop_the_confirmation(db, staff, settings) -> None:  # type: ignore[no-untyped-def]
    """Another batch (or offers by hand) took the role's only place after
    this proposal: nothing is sent, rather than more offers than places."""
    first, second = person(db), person(db)
    r = role(db, title="Panel", places=1)
    batch = propose(db, staff, [r])
    assert len(batch.proposals) == 1
    taker = second if batch.proposals[0].contributor_id == first.id else first
    make_offer(db, r, taker)
    db.commit()
    with pytest.raises(BatchError, match=r"Panel \(role \d+\) has 0 free places now and 1 "
                                         r"people proposed") as refused:
        batch_confirm.confirm(db, settings, staff, batch, expected_version=batch.version,
                              today=TODAY)
    assert refused.value.conflict
    db.rollback()
    assert count(db, Offer) == 1


def test_an_offer_at_the_same_time_since_the_proposal_stops_the_confirmation(  # type: ignore[no-untyped-def]
        db, staff, settings) -> None:
    someone = person(db, full_name="Kit Example")
    r = role(db, 20, 14, title="Panel")
    batch = propose(db, staff, [r])
    assert [p.contributor_id for p in batch.proposals] == [someone.id]
    clash = role(db, 20, 15, title="Ward visit")  # overlaps the panel's 2pm to 4pm
    make_offer(db, clash, someone)
    later = role(db, 20, 18, title="Evening group")  # after it: no clash
    make_offer(db, later, someone)
    db.commit()
    with pytest.raises(BatchError, match=r"Kit Example already has Ward visit \(role \d+\) at "
                                         r"the same time as Panel") as refused:
        batch_confirm.confirm(db, settings, staff, batch, expected_version=batch.version,
                              today=TODAY)
    assert refused.value.conflict and "Evening group" not in refused.value.message
    db.rollback()
    assert count(db, Offer) == 2


def test_a_discarded_batch_cannot_be_confirmed(db, staff, settings) -> None:  # type: ignore[no-untyped-def]
    person(db)
    batch = propose(db, staff, [role(db)])
    batch_confirm.discard(db, staff, batch, expected_version=batch.version)
    db.commit()
    with pytest.raises(BatchError, match="discarded"):
        batch_confirm.confirm(db, settings, staff, batch, expected_version=batch.version,
                              today=TODAY)
    assert count(db, Offer) == 0 and count(db, OutboxMessage) == 0


def test_a_stale_confirmation_is_refused(db, staff, settings) -> None:  # type: ignore[no-untyped-def]
    person(db)
    batch = propose(db, staff, [role(db)])
    with pytest.raises(BatchError, match="Someone changed this batch"):
        batch_confirm.confirm(db, settings, staff, batch, expected_version=batch.version - 1,
                        today=TODAY)
    assert batch.status == BatchStatus.PROPOSED.value


def test_two_coordinators_confirming_at_once_send_the_offers_once(app, db, staff,  # type: ignore[no-untyped-def]
                                                                  settings) -> None:
    """The second confirmation waits for the first one's row lock, then
    finds the version gone: refused, nothing sent twice (both databases;
    PostgreSQL with --db=postgresql)."""
    import threading

    from crm.db import get_db

    person(db)
    person(db)
    batch = propose(db, staff, [role(db, 20, places=2)])
    other = make_user(db, Role.COORDINATOR)
    outcome: dict[str, str] = {}
    maker = get_db(app).sessionmaker
    with maker() as first, maker() as second:
        mine, theirs = batches.load_batch(first, batch.id), batches.load_batch(second, batch.id)
        assert mine is not None and theirs is not None
        version = mine.version
        batch_confirm.confirm(first, settings, staff, mine, expected_version=version, today=TODAY)

        def confirm_too() -> None:
            try:
                batch_confirm.confirm(second, settings, other, theirs, expected_version=version,
                                      today=TODAY)
                second.commit()
                outcome["second"] = "sent"
            except BatchError as error:
                second.rollback()
                outcome["second"] = error.message

        thread = threading.Thread(target=confirm_too)
        thread.start()
        thread.join(0.5)  # still waiting for the first one's lock
        first.commit()
        thread.join(20)
    assert "at the same moment" in outcome["second"]
    assert count(db, Offer) == 2


def test_a_role_with_every_place_held_is_not_ranked(db, staff, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from crm.matching import ranking

    full = role(db, places=1)
    make_offer(db, full, person(db), OfferStatus.OFFERED)
    ranked: list[int] = []
    real = ranking.top_candidates
    monkeypatch.setattr(ranking, "top_candidates", lambda s, r, k, *, today: (
        ranked.append(r.id), real(s, r, k, today=today))[1])
    other = role(db, 60)
    batch = propose(db, staff, [full, other])
    assert ranked == [other.id]
    assert {r for r, _p in proposed(batch)} == {other.id}

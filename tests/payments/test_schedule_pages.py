"""The schedule pages: a fixed number of statements however many fees; the
coordinator's note beside a person before a paid role is offered (never
leaving them out); the person's page in Easy Read."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from crm.contributors.models import Contributor
from crm.matching import criteria
from crm.matching.models import BatchStatus, MatchBatch, MatchProposal, OfferStatus
from crm.matching.offers import london_today
from crm.matching.ranking import explain, role_facts
from crm.matching.ranking_facts import person_facts
from crm.payments.choice_models import BenefitRecord
from crm.payments.ledger_models import Claim
from crm.permissions import Role
from tests.factories import (
    consent,
    log_in,
    make_contributor,
    make_signed_up_contributor,
    make_user,
)
from tests.project_factories import make_offer, make_role, role_session


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC)


def _fees(db: Session, person: Contributor, n: int, start: int) -> None:
    today = london_today()
    for i in range(start, start + n):
        role = make_role(db, fee_tier="tier_50", sessions=[
            role_session(at(today - dt.timedelta(days=3 * i + 20))),
            role_session(at(today + dt.timedelta(days=2 * i + 3)))])
        make_offer(db, role, person, OfferStatus.ACCEPTED)
        db.add(Claim(contributor_id=person.id, session_id=role.sessions[0].id, kind="fee",
                     is_earnings=True, state="paid", amount_pence=5500,
                     pay_on=today - dt.timedelta(days=3 * i + 6),
                     paid_on=today - dt.timedelta(days=3 * i + 6)))
    db.commit()


def test_the_schedule_pages_count_does_not_grow_with_fees(client: FlaskClient, db: Session,
                                                          count_queries) -> None:  # type: ignore[no-untyped-def]
    user, me = make_signed_up_contributor(db, "Kim Example")
    db.add(BenefitRecord(contributor_id=me.id, benefits=["carers_allowance"], week_day=1))
    db.commit()
    coordinator = make_user(db, Role.COORDINATOR)
    counts: dict[str, list[int]] = {"own": [], "staff": []}
    for n, start in ((2, 0), (18, 2)):
        _fees(db, me, n, start)
        log_in(client, user)
        count_queries.statements.clear()
        html = client.get("/my/payment-schedule").get_data(as_text=True)
        counts["own"].append(count_queries.count)
        assert html.count("Paid on ") == n + start and html.count("Planned.") == n + start
        log_in(client, coordinator)
        count_queries.statements.clear()
        assert client.get(f"/payments/people/{me.id}/schedule").status_code == 200
        counts["staff"].append(count_queries.count)
    assert counts["own"][0] == counts["own"][1], counts
    assert counts["staff"][0] == counts["staff"][1], counts


def test_a_from_date_near_the_ends_of_the_calendar_is_not_a_page(client: FlaskClient,
                                                                   db: Session) -> None:
    """0001 or 9999 overflowed the window's sums (a 500); such dates, and any
    before 2000 or more than ten years ahead, are 404. Dates between work."""
    user, me = make_signed_up_contributor(db, "Kim Example")
    coordinator = make_user(db, Role.COORDINATOR)
    ahead = (london_today() + dt.timedelta(days=3600)).isoformat()
    log_in(client, user)
    for day in ("9999-12-01", "0001-01-02", "1999-12-31", "2100-01-01"):
        assert client.get(f"/my/payment-schedule?from={day}").status_code == 404, day
    for day in ("2000-01-01", ahead):
        assert client.get(f"/my/payment-schedule?from={day}").status_code == 200, day
    log_in(client, coordinator)
    for day in ("0001-01-02", "9999-12-01"):
        assert client.get(f"/payments/people/{me.id}/schedule?from={day}").status_code == 404
    assert client.get(f"/payments/people/{me.id}/schedule?from={ahead}").status_code == 200


def test_the_own_schedule_in_easy_read(client: FlaskClient, db: Session) -> None:
    user, me = make_signed_up_contributor(db, "Kim Example")
    me.prefers_easy_read = True
    db.commit()
    log_in(client, user)
    html = client.get("/my/payment-schedule").get_data(as_text=True)
    assert "app-easy-read" in html and "It does not count." in html


def test_coordinators_see_a_benefits_note_before_offering_and_nobody_is_left_out(
        db: Session) -> None:
    today = london_today()
    monday = today + dt.timedelta(days=21 - today.weekday())
    carer = make_contributor(db, full_name="Carer Example", consents=[consent("contact")])
    other = make_contributor(db, full_name="Other Example", consents=[consent("contact")])
    db.add(BenefitRecord(contributor_id=carer.id, benefits=["carers_allowance"], week_day=0))
    booked = make_role(db, fee_tier="tier_150", sessions=[role_session(at(monday))])
    make_offer(db, booked, carer, OfferStatus.ACCEPTED)
    role = make_role(db, fee_tier="tier_150",
                     sessions=[role_session(at(monday + dt.timedelta(days=2)))])
    facts = role_facts(db, role, today=today)
    people = person_facts(db, [carer.id, other.id], facts, today=today)
    [note] = criteria.notes(people[carer.id], facts)[-1:]
    assert note.code == "may_affect_benefits"
    assert "Carer's Allowance earnings limit" in note.text and "Talk it through" in note.text
    assert all(n.code != "may_affect_benefits" for n in criteria.notes(people[other.id], facts))
    # a note, never a rule: the same failures with or without it
    assert criteria.hard_rule_failures(people[carer.id], facts, today) == \
        criteria.hard_rule_failures(people[other.id], facts, today)
    assert any(n.code == "may_affect_benefits"
               for n in explain(db, role, carer.id, today=today).notes)
    unpaid = make_role(db, sessions=[role_session(at(monday + dt.timedelta(days=2)))])
    unpaid_facts = role_facts(db, unpaid, today=today)
    assert not person_facts(db, [carer.id], unpaid_facts, today=today)[carer.id].benefit_notes


def test_the_offers_page_shows_the_note_before_a_yes_is_recorded(client: FlaskClient,
                                                                 db: Session) -> None:
    today = london_today()
    monday = today + dt.timedelta(days=21 - today.weekday())
    carer = make_contributor(db, full_name="Carer Example")
    db.add(BenefitRecord(contributor_id=carer.id, benefits=["esa_lower"], week_day=0))
    role = make_role(db, fee_tier="tier_25", places=2,
                     sessions=[role_session(at(monday + dt.timedelta(days=2)))])
    make_offer(db, role, carer)
    other = make_contributor(db, full_name="Other Example")
    make_offer(db, role, other, OfferStatus.WAITING, waiting_position=1)
    log_in(client, make_user(db, Role.COORDINATOR))
    html = client.get(f"/matching/roles/{role.id}/offers").get_data(as_text=True)
    assert html.count("May affect benefits") == 1
    assert "over the ESA earnings limit of £20.00 a week" in html


def test_the_batch_page_notes_roles_that_together_may_affect_benefits(
        client: FlaskClient, db: Session) -> None:
    """Two paid roles in one week: each alone is under the Carer's Allowance
    limit, both together are over it. Proposed for both, the person has a
    note beside each; proposed for one, nobody has a note. Never a rule:
    they stay proposed."""
    today = london_today()
    monday = today + dt.timedelta(days=21 - today.weekday())
    both = make_contributor(db, full_name="Both Example", consents=[consent("contact")])
    one = make_contributor(db, full_name="One Example", consents=[consent("contact")])
    for person in (both, one):
        db.add(BenefitRecord(contributor_id=person.id, benefits=["carers_allowance"],
                             week_day=0))
    first = make_role(db, fee_tier="tier_150", places=2, sessions=[role_session(at(monday))])
    second = make_role(db, fee_tier="tier_150", places=2,
                       sessions=[role_session(at(monday + dt.timedelta(days=2)))])
    batch = MatchBatch(role_ids=[first.id, second.id], max_roles_per_person=2,
                       solver_status="optimal", objective=3.0)
    batch.proposals = [MatchProposal(role_id=first.id, contributor_id=both.id, score=1.0),
                       MatchProposal(role_id=second.id, contributor_id=both.id, score=1.0),
                       MatchProposal(role_id=second.id, contributor_id=one.id, score=1.0)]
    db.add(batch)
    db.commit()
    log_in(client, make_user(db, Role.COORDINATOR))
    html = client.get(f"/matching/batches/{batch.id}").get_data(as_text=True)
    assert html.count("May affect benefits") == 2
    assert "Carer&#39;s Allowance earnings limit" in html or \
        "Carer's Allowance earnings limit" in html
    for section in html.split("<section")[1:]:
        if "Both Example" in section:
            note = section.index("May affect benefits")
            assert section.index("Both Example") < note
            assert "One Example" not in section[:note]
    # once confirmed (or discarded) the page shows what was, with no notes
    batch.status = BatchStatus.DISCARDED.value
    db.commit()
    html = client.get(f"/matching/batches/{batch.id}").get_data(as_text=True)
    assert "May affect benefits" not in html and html.count("Both Example") == 2


def test_the_batch_add_someone_page_shows_the_note_before_adding(client: FlaskClient,
                                                                 db: Session) -> None:
    today = london_today()
    monday = today + dt.timedelta(days=21 - today.weekday())
    carer = make_contributor(db, full_name="Carer Example", consents=[consent("contact")])
    db.add(BenefitRecord(contributor_id=carer.id, benefits=["carers_allowance"], week_day=0))
    booked = make_role(db, fee_tier="tier_150", sessions=[role_session(at(monday))])
    make_offer(db, booked, carer, OfferStatus.ACCEPTED)
    role = make_role(db, fee_tier="tier_150", places=2,
                     sessions=[role_session(at(monday + dt.timedelta(days=2)))])
    batch = MatchBatch(role_ids=[role.id], max_roles_per_person=1, solver_status="optimal",
                       objective=0.0)
    db.add(batch)
    db.commit()
    log_in(client, make_user(db, Role.COORDINATOR))
    html = client.get(f"/matching/batches/{batch.id}/roles/{role.id}/people").get_data(
        as_text=True)
    assert "Carer Example" in html and html.count("May affect benefits") == 1

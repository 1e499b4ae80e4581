"""The SQL ranking agrees with the pure rules, pages, and shows offers and interest."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from crm.contributors.models import DAY_PARTS, DAYS, Contributor
from crm.db import utcnow
from crm.matching import criteria, criteria_facts, ranking
from crm.matching.config import matching_config
from crm.matching.models import OfferStatus, RoleInterest
from crm.projects.models import RoleOpening, WardConnection
from tests.factories import (
    adjustment,
    consent,
    experience,
    make_contributor,
    service_known,
    skill,
    slot,
    training,
)
from tests.project_factories import (
    make_attendance,
    make_offer,
    make_project,
    make_role,
    make_ward,
    role_session,
)

TODAY = dt.date.today()
LONDON = criteria_facts.LONDON


def at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = TODAY + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON).astimezone(
        dt.UTC)


DISTRICTS = ["LS1", "LS6", "LS17", "BD3", "M14", "SE5", "ZZ9", None]
SKILLS = ["interview_panels", "chairing_meetings", "facilitation", "reviewing_documents"]
KINDS = ["acute_adult_ward", "picu", "community_team"]
COURSES = ["safeguarding", "information_governance"]
ADJUSTMENTS = ["quiet_room", "step_free_access", "hearing_loop", "regular_breaks"]


def random_people(db, rng: random.Random, n: int, wards) -> list[Contributor]:  # type: ignore[no-untyped-def]
    people = []
    for i in range(n):
        status = rng.choice(["active"] * 6 + ["paused", "left"])
        c = Contributor(
            full_name=f"Person {rng.choice('ABCDE')}{i:03d}", email=f"p{i}@example.org",
            search_text="", status=status,
            paused_until=TODAY + dt.timedelta(days=rng.choice([-3, 5])) if rng.random() < .1
            else None,
            attendance_mode=rng.choice(["either", "either", "online", "in_person"]),
            travel_max_miles=rng.choice([None, 2, 5, 30, 300]),
            postcode_area=rng.choice(DISTRICTS), notice_days=rng.choice([None, 3, 10, 30]),
            max_roles_at_once=rng.choice([None, None, 1, 2]),
            consents=[consent(given=rng.random() < .85)] if rng.random() < .95 else [],
            experiences=[experience(k) for k in rng.sample(
                ["patient_former", "carer", "family_member", "patient_current"],
                rng.randint(0, 2))],
            service_kinds=[service_known(k) for k in rng.sample(KINDS, rng.randint(0, 2))],
            skills=[skill(k) for k in rng.sample(SKILLS, rng.randint(0, 3))],
            availability=[slot(d, p) for d, p in rng.sample(
                [(d, p) for d in DAYS for p in DAY_PARTS], rng.choice([0, 10, 18, 21]))],
            adjustments=[adjustment(k) for k in rng.sample(ADJUSTMENTS, rng.randint(0, 3))],
            training=[training(k, TODAY - dt.timedelta(days=rng.choice([30, 700, 1000])))
                      for k in rng.sample(COURSES, rng.randint(0, 2))],
        )
        db.add(c)
        people.append(c)
    db.commit()
    for c in people:
        if rng.random() < .1:
            db.add(WardConnection(contributor_id=c.id, ward_id=rng.choice(wards).id,
                                  kind=rng.choice(["inpatient_now", "works_on"]), noted_on=TODAY))
    db.commit()
    return people


def random_roles(db, rng: random.Random, wards) -> list[RoleOpening]:  # type: ignore[no-untyped-def]
    roles = []
    for _ in range(8):
        sessions = []
        for _ in range(rng.randint(1, 3)):
            ward = rng.choice(wards + [None])
            sessions.append(role_session(at(rng.randint(1, 60), rng.choice([9, 11, 14, 18])),
                                         rng.choice([60, 120, 240]), is_online=ward is None
                                         and rng.random() < .5, ward_id=ward.id if ward else None))
        roles.append(make_role(
            db, make_project(db, wards=rng.sample(wards, 1)), sessions=sessions,
            mode=rng.choice(["either", "online", "in_person"]),
            required_experience=rng.sample(["patient_former", "carer"], rng.randint(0, 1)),
            required_service_kinds=rng.sample(KINDS, rng.choice([0, 0, 2])),
            required_training=rng.sample(COURSES, rng.choice([0, 0, 1])),
            desirable_skills=rng.sample(SKILLS, rng.randint(0, 3)),
            conflict_rules=rng.sample(["inpatient_on_ward", "works_on_ward"], rng.randint(0, 2)),
            places=3))
    return roles


@pytest.fixture
def bank(db):  # type: ignore[no-untyped-def]
    rng = random.Random(8)
    wards = [make_ward(db, postcode_district=d, room_provides=rng.sample(ADJUSTMENTS, 2),
                       service_kind=rng.choice(KINDS)) for d in ("LS1", "M14", "ZZ9")]
    people = random_people(db, rng, 160, wards)
    roles = random_roles(db, rng, wards)
    for role in roles:  # offers, bookings, attendance on the other roles
        accepted = 0
        for c in rng.sample(people, 12):
            status = rng.choice(list(OfferStatus))
            if status == OfferStatus.ACCEPTED:
                if accepted == role.places:
                    continue
                accepted += 1
            make_offer(db, role, c, status)
        for c in rng.sample(people, 5):
            make_attendance(db, role.sessions[0], c, rng.choice(["attended", "did_not_attend"]))
    return people, roles


def test_sql_and_pure_rules_agree_on_who_and_the_scores(db, bank) -> None:
    people, roles = bank
    weights = matching_config().weights
    ids = [p.id for p in people]
    seen_excluded = seen_included = 0
    codes: set[str] = set()
    for role in roles:
        facts = ranking.role_facts(db, role, today=TODAY)
        everyone = ranking.person_facts(db, ids, facts, today=TODAY)
        failures = {cid: criteria.hard_rule_failures(f, facts, TODAY)
                    for cid, f in everyone.items()}
        codes.update(r.code for reasons in failures.values() for r in reasons)
        expected = {cid: criteria.score(f, facts, weights).total
                    for cid, f in everyone.items() if not failures[cid]}
        got = ranking.eligible_scores(db, role, today=TODAY)
        assert {cid for cid, _ in got} == set(expected), role.id
        for cid, value in got:
            assert value == pytest.approx(expected[cid], abs=1e-9), (role.id, cid)
        scores = [s for _, s in got]
        assert scores == sorted(scores, reverse=True)
        seen_included += len(expected)
        seen_excluded += len(ids) - len(expected)
    # The random bank tries both sides of (nearly) every rule.
    assert seen_included > 30 and seen_excluded > 400
    assert codes >= {"left", "paused", "no_consent", "experience", "service_kinds", "training",
                     "availability", "notice", "mode", "travel", "conflict", "max_roles"}, codes


def test_pages_and_top_candidates_follow_the_same_order(db, bank) -> None:
    _, roles = bank
    role = max(roles, key=lambda r: len(ranking.eligible_scores(db, r, today=TODAY)))
    everyone = ranking.eligible_scores(db, role, today=TODAY)
    first = ranking.rank(db, role, today=TODAY, page=1, per_page=3)
    second = ranking.rank(db, role, today=TODAY, page=2, per_page=3)
    assert first.total == second.total == len(everyone)
    assert [c.contributor_id for c in first.items + second.items] == \
        [cid for cid, _ in everyone[:6]]
    assert ranking.top_candidates(db, role, 4, today=TODAY) == everyone[:4]
    for c in first.items:
        assert c.score == pytest.approx(c.parts.total, abs=1e-9)
    beyond = ranking.rank(db, role, today=TODAY, page=999, per_page=3)
    assert beyond.items == [] and beyond.total == len(everyone)


def test_offer_status_and_interest_are_shown_not_hidden(db) -> None:
    role = make_role(db, sessions=[role_session(at(20, 10))])
    offered = make_contributor(db, full_name="Alice Offered", consents=[consent()])
    keen = make_contributor(db, full_name="Bob Keen", consents=[consent()])
    make_offer(db, role, offered, OfferStatus.OFFERED)
    db.add(RoleInterest(role_id=role.id, contributor_id=keen.id))
    db.commit()
    page = ranking.rank(db, role, today=TODAY, page=1, per_page=10)
    shown = {c.name: c for c in page.items}
    assert shown["Alice Offered"].offer_status == "offered"
    assert shown["Bob Keen"].is_interested and shown["Bob Keen"].offer_status is None


def test_fairness_ranks_the_person_offered_less_and_never_involved_first(db) -> None:
    role = make_role(db, sessions=[role_session(at(20, 10))])
    other = make_role(db, sessions=[role_session(at(-30, 10))], places=5)
    busy = make_contributor(db, full_name="Aaron Busy", consents=[consent()])
    fresh = make_contributor(db, full_name="Zoe Fresh", consents=[consent()])
    make_offer(db, other, busy, OfferStatus.DECLINED, offered_at=utcnow() - dt.timedelta(days=3))
    make_attendance(db, other.sessions[0], busy)
    got = ranking.top_candidates(db, role, 5, today=TODAY)
    assert [cid for cid, _ in got] == [fresh.id, busy.id]
    w = matching_config().weights
    assert got[0][1] - got[1][1] == pytest.approx(
        w.fewer_recent_offers * 0.5 + w.never_involved)


def test_not_this_time_does_not_count_against_them(db) -> None:
    role = make_role(db, sessions=[role_session(at(20, 10))])
    other = make_role(db, sessions=[role_session(at(5, 10))])
    a = make_contributor(db, full_name="A", consents=[consent()])
    b = make_contributor(db, full_name="B", consents=[consent()])
    make_offer(db, other, a, OfferStatus.NOT_THIS_TIME)
    got = dict(ranking.top_candidates(db, role, 5, today=TODAY))
    assert got[a.id] == pytest.approx(got[b.id])


def test_overlapping_booking_excludes_and_why_not_says_so(db) -> None:
    role = make_role(db, sessions=[role_session(at(10, 10), 120)])
    other = make_role(db, sessions=[role_session(at(10, 11), 60)])
    later = make_role(db, sessions=[role_session(at(10, 12), 60)])  # starts as ours ends
    booked = make_contributor(db, consents=[consent()])
    fine = make_contributor(db, consents=[consent()])
    make_offer(db, other, booked, OfferStatus.ACCEPTED)
    make_offer(db, later, fine, OfferStatus.ACCEPTED)
    assert [cid for cid, _ in ranking.top_candidates(db, role, 5, today=TODAY)] == [fine.id]
    reasons = ranking.why_not(db, role, booked.id, today=TODAY)
    assert [r.code for r in reasons] == ["booked"]
    assert ranking.why_not(db, role, fine.id, today=TODAY) == []


def test_training_expiring_between_two_sessions(db) -> None:
    course = "safeguarding"
    role = make_role(db, required_training=[course],
                     sessions=[role_session(at(5, 10)), role_session(at(50, 10))])
    t = training(course, TODAY - dt.timedelta(days=1000))
    t.expires_on = TODAY + dt.timedelta(days=20)
    person = make_contributor(db, consents=[consent()], training=[t])
    assert ranking.top_candidates(db, role, 5, today=TODAY) == []
    (reason,) = ranking.why_not(db, role, person.id, today=TODAY)
    assert reason.code == "training" and "before the session on" in reason.text
    assert "after renewing it" in reason.text

"""The pure rules: each hard rule excludes with its reason; the score's parts."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from crm.matching import criteria, criteria_facts
from crm.matching.config import Weights
from crm.matching.criteria import hard_rule_failures, notes, score
from crm.matching.criteria_facts import (
    Completion,
    Interval,
    PersonFacts,
    RoleFacts,
    SessionFacts,
)

TODAY = dt.date(2027, 3, 1)  # a Monday
LONDON = criteria_facts.LONDON


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """Local time on ``day`` March 2027, as UTC."""
    return dt.datetime(2027, 3, day, hour, minute, tzinfo=LONDON).astimezone(dt.UTC)


TUESDAY_MORNING = SessionFacts(at(9, 10), 90, ward_id=1, ward_name="Oak Ward",
                               postcode_district="LS1", room_provides=frozenset({"quiet_room"}))
ROLE = RoleFacts(id=1, sessions=(TUESDAY_MORNING,), ward_ids=frozenset({1}),
                 ward_names={1: "Oak Ward"},
                 labels={"safeguarding": "Safeguarding", "carer": "Carer",
                         "picu": "Psychiatric intensive care"})
OK = PersonFacts(id=7, slots=frozenset({("tuesday", "morning")}), postcode_district="LS6")
WEIGHTS = Weights(skills=3, service_kinds=2, availability=2, adjustments_provided=1,
                  fewer_recent_offers=3, never_involved=2)


def texts(person: PersonFacts, role: RoleFacts = ROLE) -> list[str]:
    return [r.text for r in hard_rule_failures(person, role, TODAY)]


def test_someone_meeting_every_rule_has_no_reasons() -> None:
    assert hard_rule_failures(OK, ROLE, TODAY) == []


def p(**changes: object) -> PersonFacts:
    return dataclasses.replace(OK, **changes)  # type: ignore[arg-type]


def r(**changes: object) -> RoleFacts:
    return dataclasses.replace(ROLE, **changes)  # type: ignore[arg-type]


CASES = [
    ("left", p(status="left"), ROLE, "Has left the involvement bank"),
    ("anonymised", p(anonymised=True), ROLE, "Has left the involvement bank"),
    ("paused", p(status="paused"), ROLE, "Paused (their record says so; no end date)"),
    ("paused until", p(paused_until=dt.date(2027, 4, 2)), ROLE, "Paused until 2 April 2027"),
    ("removal", p(removal_requested=True), ROLE,
     "Has asked to be removed from the involvement bank"),
    ("consent", p(may_contact=False), ROLE, "Has not given consent to be contacted"),
    ("experience", OK, r(required_experience=frozenset({"carer"})),
     "Does not have the lived experience the role asks for (carer)"),
    ("service kinds", p(service_kinds=frozenset({"acute"})),
     r(required_service_kinds=frozenset({"picu"})),
     "Has not told us they know the services the role asks for (Psychiatric intensive care)"),
    ("no training", OK, r(required_training=("safeguarding",)),
     "Has not completed Safeguarding training — could take part after completing it"),
    ("availability", p(slots=frozenset({("tuesday", "evening")})), ROLE,
     "Not available on Tuesday mornings (session on Tuesday 9 March)"),
    ("notice", p(notice_days=14), ROLE,
     "Needs 14 days' notice; the first session is on 9 March 2027, in 8 days"),
    ("online only", p(attendance_mode="online"), r(mode="in_person"),
     "Takes part online only; the session on Tuesday 9 March is in person"),
    ("in person only", p(attendance_mode="in_person"), r(mode="online"),
     "Takes part in person only; the session on Tuesday 9 March is online"),
    ("travel", p(postcode_district="M14", travel_max_miles=10), r(mode="in_person"),
     "Lives about 37 miles away; will travel up to 10"),
    ("inpatient", p(ward_connections=frozenset({(1, "inpatient_now")})),
     r(conflict_rules=("inpatient_on_ward",)), "Currently an inpatient on Oak Ward"),
    ("works on", p(ward_connections=frozenset({(1, "works_on")})),
     r(conflict_rules=("works_on_ward",)), "Works on Oak Ward"),
    ("booked", p(booked=(Interval(at(9, 11), at(9, 12)),)), ROLE,
     "Already booked for another role at the same time as the session on Tuesday 9 March"),
    ("own limit", p(max_roles_at_once=2, current_roles=2), ROLE,
     "Already doing 2 roles; their own limit is 2 at once"),
]


@pytest.mark.parametrize(("case", "person", "role", "reason"), CASES, ids=[c[0] for c in CASES])
def test_each_hard_rule_excludes_with_its_reason(case: str, person: PersonFacts,
                                                 role: RoleFacts, reason: str) -> None:
    assert texts(person, role) == [reason]


NOT_EXCLUDED = [
    ("no availability given", p(slots=frozenset())),
    ("unknown district", p(postcode_district="ZZ99", travel_max_miles=1)),
    ("within reach", p(postcode_district="LS6", travel_max_miles=5)),
    ("connection to another ward", p(ward_connections=frozenset({(2, "inpatient_now")}))),
    ("booking ends as the session starts", p(booked=(Interval(at(9, 9), at(9, 10)),))),
    ("paused until before today", p(paused_until=dt.date(2027, 2, 1))),
    ("enough notice", p(notice_days=8)),
    ("under their limit", p(max_roles_at_once=2, current_roles=1)),
    ("online person, role either way", p(attendance_mode="online", travel_max_miles=1,
                                         postcode_district="M14")),
]


@pytest.mark.parametrize(("case", "person"), NOT_EXCLUDED, ids=[c[0] for c in NOT_EXCLUDED])
def test_what_never_excludes(case: str, person: PersonFacts) -> None:
    assert hard_rule_failures(person, ROLE, TODAY) == []


def test_training_must_be_valid_on_every_session_date() -> None:
    role = r(required_training=("safeguarding",),
             sessions=(TUESDAY_MORNING, dataclasses.replace(TUESDAY_MORNING,
                                                            starts_at=at(30, 10))))
    runs_out = Completion("safeguarding", dt.date(2024, 3, 20), dt.date(2027, 3, 20))
    assert texts(p(training=(runs_out,)), role) == [
        "Safeguarding training runs out on 20 March 2027, before the session on 30 March 2027"
        " — could take part after renewing it"]
    renewed = Completion("safeguarding", dt.date(2027, 3, 15), dt.date(2030, 3, 15))
    assert texts(p(training=(runs_out, renewed)), role) == []
    on_the_day = Completion("safeguarding", dt.date(2024, 3, 30), dt.date(2027, 3, 30))
    assert texts(p(training=(on_the_day,)), role) == []


def test_a_session_spanning_midday_needs_both_parts() -> None:
    role = r(sessions=(dataclasses.replace(TUESDAY_MORNING, starts_at=at(9, 11), minutes=120),))
    assert texts(OK, role) == [
        "Not available on Tuesday afternoons (session on Tuesday 9 March)"]
    both = p(slots=frozenset({("tuesday", "morning"), ("tuesday", "afternoon")}))
    assert texts(both, role) == []


def test_times_are_read_in_uk_local_time_across_the_clock_change() -> None:
    # 11:30 London on 30 March 2027 (summer time) is 10:30 UTC: still a morning.
    s = SessionFacts(dt.datetime(2027, 3, 30, 10, 30, tzinfo=dt.UTC), 20)
    assert s.slots == (("tuesday", "morning"),)
    evening = SessionFacts(dt.datetime(2027, 1, 5, 17, 0, tzinfo=dt.UTC), 60)
    assert evening.parts == ("evening",)


def test_a_hybrid_session_asks_travel_only_of_in_person_only_people() -> None:
    far = dict(postcode_district="M14", travel_max_miles=10)
    assert texts(p(attendance_mode="either", **far)) == []  # can join online
    assert texts(p(attendance_mode="in_person", **far)) == [
        "Lives about 37 miles away; will travel up to 10"]


def test_notes_never_exclude() -> None:
    person = p(slots=frozenset(), postcode_district="ZZ99", travel_max_miles=5,
               attendance_mode="in_person")
    assert hard_rule_failures(person, ROLE, TODAY) == []
    assert [n.code for n in notes(person, ROLE)] == ["availability_unknown", "distance_unknown"]
    assert criteria.benefit_notes(person, ROLE) == []


def parts(person: PersonFacts, role: RoleFacts = ROLE) -> dict[str, float]:
    return {part.name: part.value for part in score(person, role, WEIGHTS).parts}


def test_score_parts() -> None:
    role = r(desirable_skills=frozenset({"a", "b", "c", "d"}),
             target_service_kinds=frozenset({"x", "y"}))
    person = p(skills=frozenset({"a", "b", "z"}), service_kinds=frozenset({"y"}),
               adjustments=frozenset({"quiet_room", "hearing_loop"}), recent_offers=3,
               has_attended=True)
    assert parts(person, role) == {"skills": 0.5, "service_kinds": 0.5, "availability": 1.0,
                                   "adjustments_provided": 0.5, "fewer_recent_offers": 0.25,
                                   "never_involved": 0.0}
    total = score(person, role, WEIGHTS).total
    assert total == pytest.approx(3 * .5 + 2 * .5 + 2 * 1 + 1 * .5 + 3 * .25 + 0)


def test_fairness_parts_favour_fewer_offers_and_never_involved() -> None:
    assert parts(p(recent_offers=0))["fewer_recent_offers"] == 1.0
    assert parts(p(recent_offers=1))["fewer_recent_offers"] == 0.5
    assert parts(p(has_attended=False))["never_involved"] == 1.0
    assert score(p(recent_offers=0), ROLE, WEIGHTS).total > \
        score(p(recent_offers=4), ROLE, WEIGHTS).total


def test_no_availability_scores_zero_there_and_needing_no_adjustments_scores_one() -> None:
    got = parts(p(slots=frozenset()))
    assert got["availability"] == 0.0 and got["adjustments_provided"] == 1.0


def test_an_online_session_provides_no_room_adjustments() -> None:
    role = r(sessions=(dataclasses.replace(TUESDAY_MORNING, is_online=True),))
    assert parts(p(adjustments=frozenset({"quiet_room"})), role)["adjustments_provided"] == 0.0


@pytest.mark.parametrize(("label", "words"), [
    ("Safeguarding", "Has not completed Safeguarding training"),
    ("Recruitment panel training", "Has not completed Recruitment panel training —"),
])
def test_a_course_named_training_is_not_called_training_training(label: str,
                                                                 words: str) -> None:
    role = r(labels={"course_x": label}, required_training=frozenset({"course_x"}))
    reasons = criteria.hard_rule_failures(OK, role, TODAY)
    assert any(r.text.startswith(words) for r in reasons), reasons
    assert not any("training training" in r.text for r in reasons)


def test_availability_words_count_the_coming_sessions() -> None:
    """The role's facts hold only sessions still to come (ranking_facts), so
    the words say "coming": "1 of 1 sessions" read wrong for a 2-session
    role whose first session had happened."""
    def words(person: PersonFacts, role: RoleFacts = ROLE) -> str:
        return {part.name: part.detail for part in score(person, role, WEIGHTS).parts
                }["availability"]

    assert words(p()) == "Free for 1 of the 1 coming session"
    two = r(sessions=(TUESDAY_MORNING, TUESDAY_MORNING))
    assert words(p(), two) == "Free for 2 of the 2 coming sessions"
    assert words(p(slots=frozenset({("friday", "evening")})), two) == (
        "Free for 0 of the 2 coming sessions")
    assert words(p(), r(sessions=())) == "No sessions still to come"
    assert words(p(slots=frozenset())) == "Availability not recorded"

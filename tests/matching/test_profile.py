"""Matching profiles stay in step with the record, whichever way it is written.

Each write path is followed by the same check: the profiles as kept up to
date equal a fresh full recompute, and everyone has one. The bits a code
has never move when codes are added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from crm import demo
from crm.contributors import editing, imports, removal, services
from crm.contributors.models import ConsentKind, Contributor
from crm.db import utcnow
from crm.matching import attendance, profile, ranking
from crm.matching.models import MatchingCodeBit, MatchingProfile, OfferStatus
from crm.matching.profile import CodeBitsFull, refresh_missing, refresh_profiles
from crm.permissions import Role
from crm.selfservice import services as own
from tests.factories import (
    adjustment,
    consent,
    experience,
    make_contributor,
    make_signed_up_contributor,
    make_user,
    service_known,
    sign_in,
    skill,
    slot,
)
from tests.project_factories import make_offer, make_role, role_session
from tests.selfservice.test_selfservice import post

TODAY = dt.date.today()


def profiles(db: Session) -> dict[int, tuple[Any, ...]]:
    return {row[0]: tuple(row) for row in db.execute(select(MatchingProfile.__table__))}


def assert_in_step(db: Session) -> dict[int, tuple[Any, ...]]:
    """The profiles as kept equal a full recompute; everyone has one."""
    db.flush()
    kept = profiles(db)
    db.execute(delete(MatchingProfile))
    refresh_profiles(db)
    fresh = profiles(db)
    assert kept == fresh
    assert set(kept) == set(db.scalars(select(Contributor.id)))
    return fresh


def row(db: Session, contributor_id: int) -> MatchingProfile:
    db.flush()
    db.expire_all()
    found = db.get(MatchingProfile, contributor_id)
    assert found is not None
    return found


@pytest.fixture
def coordinator(db):  # type: ignore[no-untyped-def]
    return make_user(db, Role.COORDINATOR)


@pytest.fixture
def person(db) -> Contributor:
    return make_contributor(db, full_name="Alex Example", postcode_area=" ls6 ",
                            consents=[consent()], experiences=[experience("carer")],
                            service_kinds=[service_known("picu")],
                            skills=[skill("facilitation"), skill(None, "Baking")],
                            availability=[slot("monday", "morning"), slot("sunday", "evening")],
                            adjustments=[adjustment("quiet_room"),
                                         adjustment("step_free_access")])


def test_a_new_record_gets_its_profile_with_the_masks(db, person) -> None:
    p = row(db, person.id)
    bits = profile.code_bits(db)
    assert (p.full_name, p.is_listed, p.may_contact) == ("Alex Example", True, True)
    assert p.postcode_district == "LS6"
    assert p.experience_mask == profile.experience_bits(["carer"])
    assert p.slot_mask == profile.slot_bits([("monday", "morning"), ("sunday", "evening")])
    assert p.skill_mask == 1 << bits["skill"]["facilitation"]
    assert p.service_mask == 1 << bits["service_kind"]["picu"]
    assert p.adjustment_mask == sum(1 << bits["adjustment"][c]
                                    for c in ("quiet_room", "step_free_access"))
    assert (p.adjustment_count, p.has_attended) == (2, False)
    assert_in_step(db)


EDITS: list[tuple[str, Callable[[], editing.Apply], Callable[[MatchingProfile], bool]]] = [
    ("availability", lambda: editing.set_availability(["friday evening"], "online", 12, 7, None),
     lambda p: (p.slot_mask, p.attendance_mode, p.travel_max_miles, p.notice_days)
     == (profile.slot_bits([("friday", "evening")]), "online", 12, 7)),
    ("availability", lambda: editing.set_availability([], "either", None, None, None),
     lambda p: p.slot_mask == 0),
    ("experience", lambda: editing.set_experience(["patient_former"], [], None, False),
     lambda p: p.experience_mask == profile.experience_bits(["patient_former"])
     and p.service_mask == 0),
    ("skills", lambda: editing.set_skills(["interview_panels", "facilitation"], []),
     lambda p: bin(p.skill_mask).count("1") == 2),
    ("adjustments", lambda: editing.set_adjustments(["hearing_loop"]),
     lambda p: p.adjustment_count == 1),
    ("status", lambda: editing.set_status("paused", TODAY + dt.timedelta(days=30), None, None),
     lambda p: p.paused_until == TODAY + dt.timedelta(days=30) and not p.is_listed),
    ("consents", lambda: editing.withdraw_consent("contact"), lambda p: not p.may_contact),
]


@pytest.mark.parametrize(("section", "change", "check"), EDITS,
                         ids=[f"{e[0]}-{i}" for i, e in enumerate(EDITS)])
def test_editing_through_the_coordinator_service(db, coordinator, person, section, change,
                                                 check) -> None:
    services.save_section(db, coordinator, person, person.version, section, change())
    assert check(row(db, person.id))
    assert_in_step(db)


def test_self_service_question_and_consent_withdrawn(app, db, client) -> None:
    user, me = make_signed_up_contributor(db, "Sam Self")
    me.consents.append(consent())
    db.commit()
    assert row(db, me.id).may_contact
    assert sign_in(client, user).status_code == 302
    post(client, "/my/availability/days", {"slots": ["tuesday evening"]}, status=302)
    assert row(db, me.id).slot_mask == profile.slot_bits([("tuesday", "evening")])
    own.change_own_consent(db, user, db.get(Contributor, me.id), None, ConsentKind.CONTACT,
                           give=False)
    assert not row(db, me.id).may_contact
    assert_in_step(db)


def test_attendance_recorded(db, coordinator, person) -> None:
    role = make_role(db, sessions=[role_session(utcnow() - dt.timedelta(days=2))])
    make_offer(db, role, person, OfferStatus.ACCEPTED)
    assert not row(db, person.id).has_attended
    attendance.record_attendance(db, coordinator, role.sessions[0], {person.id: "attended"},
                                 {person.id: 0})
    assert row(db, person.id).has_attended
    assert_in_step(db)


def test_removal_requested_and_anonymised(db, coordinator, person) -> None:
    removal.request_removal(db, coordinator, person)
    assert not row(db, person.id).is_listed
    assert_in_step(db)
    removal.anonymise(db, coordinator, person)
    p = row(db, person.id)
    assert p.full_name == f"Removed contributor {person.id}" and p.postcode_district is None
    assert_in_step(db)


def test_deleted_child_rows_and_records(db, person) -> None:
    person.skills.clear()
    db.delete(person.consents[0])
    db.flush()
    p = row(db, person.id)
    assert (p.skill_mask, p.may_contact) == (0, False)
    db.delete(db.get(Contributor, person.id))
    db.flush()
    assert profiles(db) == {}
    assert_in_step(db)


def test_csv_import(db, coordinator) -> None:
    checked = imports.check(db, "Full name,Email,Skills,Availability\n"
                                "Pat Import,pat@example.org,interview panels,monday Evening\n")
    [created] = imports.import_rows(db, coordinator, checked.valid)
    p = row(db, created.id)
    assert p.slot_mask == profile.slot_bits([("monday", "evening")])
    assert p.skill_mask == 1 << profile.code_bits(db)["skill"]["interview_panels"]
    assert not p.may_contact  # imported: no consent recorded
    assert_in_step(db)


def test_demo_load(app, db) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert len(assert_in_step(db)) == demo.DEMO_CONTRIBUTORS


def test_bulk_rows_without_a_profile_are_built_once_asked(db, person) -> None:
    ids = db.execute(insert(Contributor).returning(Contributor.id), [
        {"full_name": f"Bulk {i}", "search_text": "", "status": "active",
         "attendance_mode": "either", "version": 1, "created_at": utcnow(),
         "updated_at": utcnow()} for i in range(3)]).scalars().all()
    assert refresh_missing(db) == 3 and refresh_missing(db) == 0
    assert set(ids) < set(profiles(db))
    assert_in_step(db)


def test_bits_never_move_when_codes_are_added(db, person) -> None:
    before = profile.code_bits(db)
    make_contributor(db, skills=[skill("a_new_catalogue_code"), skill("interview_panels")])
    after = profile.code_bits(db)
    for kind, bits in before.items():
        assert {c: after[kind][c] for c in bits} == bits
    assert after["skill"]["a_new_catalogue_code"] not in before["skill"].values()
    assert len(set(after["skill"].values())) == len(after["skill"])
    assert_in_step(db)


def test_a_64th_code_of_a_kind_is_refused_with_a_clear_error(db) -> None:
    db.execute(insert(MatchingCodeBit), [{"kind": "skill", "code": f"code_{b}", "bit": b}
                                         for b in range(profile.MAX_BIT + 1)])
    with pytest.raises(CodeBitsFull, match="More than 63 skill codes"):
        make_contributor(db, skills=[skill("one_too_many")])
    db.rollback()


def test_ranking_reads_profiles_not_the_child_tables(db) -> None:
    """A profile out of step (written by hand here) is what ranking believes:
    proof it reads the profile, and why every write path must keep it."""
    person = make_contributor(db, consents=[consent()])
    role = make_role(db, sessions=[role_session(utcnow() + dt.timedelta(days=20))])
    assert [cid for cid, _ in ranking.top_candidates(db, role, 5, today=TODAY)] == [person.id]
    db.execute(MatchingProfile.__table__.update().values(may_contact=False))
    assert ranking.top_candidates(db, role, 5, today=TODAY) == []

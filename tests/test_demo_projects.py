"""The demo projects: organisations, wards, projects, roles, sessions, offers
and attendance, loaded after the demo people (``flask demo load``)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest
import textstat
from sqlalchemy import func, select

from crm import demo
from crm.accounts.models import User
from crm.contributors.models import Affiliation, Consent, Contributor, Status
from crm.demo_projects import load_projects
from crm.matching.models import Offer, OfferStatus, RoleInterest
from crm.projects.models import (
    Attendance,
    AttendanceOutcome,
    Organisation,
    Project,
    ProjectStatus,
    RoleOpening,
    RoleSession,
    RoleStatus,
    Ward,
    WardConnection,
)
from crm.reference import reference

LONDON = ZoneInfo("Europe/London")
MODELS = (Organisation, Ward, Project, RoleOpening, RoleSession, Offer, RoleInterest,
          WardConnection, Attendance)


def count(db, model, *where) -> int:
    return db.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def user_id(db, email: str) -> int:
    return db.scalars(select(User.id).where(User.email == email)).one()


@pytest.fixture
def loaded(app, db):
    """The demo people (as `flask demo load`), then the projects on them.
    Once crm.demo calls load_projects itself the second call adds nothing."""
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    load_projects(db, dt.date.today(),
                  coordinator_id=user_id(db, "coordinator@demo.example"),
                  own_user_id=user_id(db, demo.DEMO_CONTRIBUTOR_EMAIL))
    db.commit()
    return db


def kit_id(db) -> int:
    return db.scalars(select(Contributor.id).where(
        Contributor.user_id == user_id(db, demo.DEMO_CONTRIBUTOR_EMAIL))).one()


def test_every_status_level_tier_and_outcome_is_present(loaded) -> None:
    db = loaded
    ref = reference()
    assert set(db.scalars(select(Offer.status))) == {s.value for s in OfferStatus}
    assert set(db.scalars(select(Attendance.outcome))) == {o.value for o in AttendanceOutcome}
    assert set(db.scalars(select(RoleOpening.level))) == set(ref.involvement_levels.codes)
    assert set(db.scalars(select(RoleOpening.status))) == {s.value for s in RoleStatus}
    assert set(db.scalars(select(Project.status))) == {s.value for s in ProjectStatus}
    typical = {i.extra["typical_rate_code"] for i in ref.involvement_roles.items
               if i.extra.get("typical_rate_code")}
    tiers = set(db.scalars(select(RoleOpening.fee_tier)))
    assert typical | {"tier_150"} <= tiers and None in tiers  # every tier, and unpaid
    assert set(db.scalars(select(RoleOpening.kind))) <= ref.involvement_roles.codes


def test_wards_projects_and_organisations_use_the_catalogues(loaded) -> None:
    db = loaded
    ref = reference()
    for ward in db.scalars(select(Ward)):
        assert set(ward.room_provides) <= ref.adjustments.codes
        assert ward.service_kind in ref.service_kinds.codes
    assert count(db, Project, Project.is_trust_wide) > 0
    assert count(db, Project, Project.is_trust_wide.is_(False)) > 0
    coordinator = user_id(db, "coordinator@demo.example")
    assert 0 < count(db, Project, Project.lead_id == coordinator) < count(db, Project)
    for role in db.scalars(select(RoleOpening)):
        assert set(role.required_training) <= ref.training.codes
        assert set(role.desirable_skills) <= ref.skills.codes
        assert set(role.required_service_kinds) <= ref.service_kinds.codes
        assert role.description and role.easy_read_description and role.sessions
    assert {"trust", "user_led", "recovery_college", "peer_support", "vcse"} <= set(
        db.scalars(select(Organisation.kind)))
    # Affiliations point at the partner organisations of the same name.
    linked = db.execute(select(Affiliation.organisation, Organisation.name).join(
        Organisation, Organisation.id == Affiliation.organisation_id)).all()
    assert linked and all(a == o for a, o in linked)


def test_sessions_are_london_daytime_past_and_future(loaded) -> None:
    db = loaded
    now = dt.datetime.now(dt.UTC)
    sessions = list(db.scalars(select(RoleSession)))
    assert any(s.starts_at < now for s in sessions) and any(s.starts_at > now for s in sessions)
    for sitting in sessions:
        assert sitting.starts_at.utcoffset() == dt.timedelta(0)  # stored in UTC
        start, end = (t.astimezone(LONDON) for t in (sitting.starts_at, sitting.ends_at))
        assert start.weekday() < 5 and start.date() == end.date()
        assert dt.time(9) <= start.time() and end.time() <= dt.time(17)
    assert count(db, RoleSession, RoleSession.is_online) > 0
    assert count(db, RoleSession, RoleSession.ward_id.is_not(None)) > 0
    assert count(db, RoleSession, RoleSession.venue.is_not(None)) > 0


def test_accepted_offers_hold_distinct_places_within_the_role(loaded) -> None:
    db = loaded
    places: dict[int, list[int]] = defaultdict(list)
    for role_id, place_no, status in db.execute(select(Offer.role_id, Offer.place_no,
                                                       Offer.status)):
        assert (place_no is not None) == (status == OfferStatus.ACCEPTED.value)
        if place_no is not None:
            places[role_id].append(place_no)
    for role in db.scalars(select(RoleOpening).where(RoleOpening.id.in_(places))):
        taken = places[role.id]
        assert len(taken) <= role.places
        assert sorted(taken) == list(range(1, len(taken) + 1))
        replies = db.scalars(select(Offer.place_no).where(
            Offer.role_id == role.id, Offer.place_no.is_not(None))
            .order_by(Offer.answered_at, Offer.id)).all()
        assert replies == sorted(replies)  # places fill in the order people said yes
    waiting = db.scalars(select(Offer.waiting_position).where(
        Offer.status == OfferStatus.WAITING.value)).all()
    assert waiting and None not in waiting
    assert count(db, Offer, Offer.question.is_not(None)) > 0
    assert count(db, RoleInterest) > 0


def test_nobody_is_accepted_at_two_overlapping_sessions(loaded) -> None:
    db = loaded
    booked: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    rows = db.execute(select(Offer.contributor_id, RoleSession.starts_at, RoleSession.minutes)
                      .join(RoleSession, RoleSession.role_id == Offer.role_id)
                      .where(Offer.status == OfferStatus.ACCEPTED.value,
                             RoleSession.is_cancelled.is_(False))).all()
    for cid, start, minutes in rows:
        booked[cid].append((start, start + dt.timedelta(minutes=minutes)))
    assert booked
    for times in booked.values():
        for (s1, e1), (s2, e2) in itertools.combinations(times, 2):
            assert e1 <= s2 or e2 <= s1


def test_offers_go_to_active_contactable_people_and_spread_unevenly(loaded) -> None:
    db = loaded
    offered = Counter(db.scalars(select(Offer.contributor_id)))
    statuses = set(db.scalars(select(Contributor.status).where(
        Contributor.id.in_(offered))))
    assert statuses == {Status.ACTIVE.value}
    contactable = set(db.scalars(select(Consent.contributor_id).where(
        Consent.kind == "contact", Consent.is_given.is_(True))))
    assert set(offered) <= contactable
    assert max(offered.values()) >= 4  # the usual few
    active = count(db, Contributor, Contributor.status == Status.ACTIVE.value)
    assert active - len(offered) > active // 2  # most never yet involved
    assert count(db, Contributor, Contributor.max_roles_at_once.is_not(None)) >= 3
    assert count(db, WardConnection) > 0
    # Nobody is offered a role whose conflict rules their ward connection breaks.
    for role in db.scalars(select(RoleOpening).where(
            RoleOpening.id.in_(select(Offer.role_id)))):
        wards = {w.id for w in role.project.wards}
        kinds = {"inpatient_on_ward": "inpatient_now", "works_on_ward": "works_on"}
        barred = {kinds[c] for c in role.conflict_rules}
        people = set(db.scalars(select(Offer.contributor_id).where(Offer.role_id == role.id)))
        for connection in db.scalars(select(WardConnection).where(
                WardConnection.contributor_id.in_(people))):
            assert not (connection.ward_id in wards and connection.kind in barred)


def test_the_demo_contributor_has_an_offer_a_booked_role_and_past_attendance(loaded) -> None:
    db = loaded
    kit = kit_id(db)
    now = dt.datetime.now(dt.UTC)
    assert count(db, Offer, Offer.contributor_id == kit,
                 Offer.status == OfferStatus.OFFERED.value) >= 1
    future = select(RoleSession.id).join(Offer, Offer.role_id == RoleSession.role_id).where(
        Offer.contributor_id == kit, Offer.status == OfferStatus.ACCEPTED.value,
        RoleSession.starts_at > now)
    assert db.scalars(future).first() is not None
    assert count(db, Attendance, Attendance.contributor_id == kit,
                 Attendance.outcome == AttendanceOutcome.ATTENDED.value) >= 1
    assert count(db, RoleInterest, RoleInterest.contributor_id == kit) >= 1


def test_easy_read_texts_are_plain(loaded) -> None:
    db = loaded
    """Contributors read these on their own pages, held to a low reading age
    (tests/test_readability.py): Easy Read each at grade 5 or below, the
    standard ones at grade 7 or below taken together."""
    easy = [*db.scalars(select(RoleOpening.easy_read_description)),
            *db.scalars(select(Project.easy_read_summary))]
    plain = [*db.scalars(select(RoleOpening.description)),
             *db.scalars(select(Project.description))]
    for text in easy:
        assert textstat.flesch_kincaid_grade(text) <= 5.0, text
    assert textstat.flesch_reading_ease(" ".join(easy)) >= 75.0
    assert textstat.flesch_kincaid_grade(" ".join(plain)) <= 7.0


def test_loading_twice_adds_nothing(loaded) -> None:
    db = loaded
    before = {m.__name__: count(db, m) for m in MODELS}
    load_projects(db, dt.date.today())
    db.commit()
    assert {m.__name__: count(db, m) for m in MODELS} == before


def test_the_same_day_gives_the_same_projects(settings) -> None:
    """Seeded: two fresh databases loaded for the same day hold the same data."""
    from sqlalchemy.orm import Session

    from crm.db import Base, make_engine

    def load_fresh() -> list[tuple[object, ...]]:
        engine = make_engine("sqlite://")
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            demo.load(session, settings, dt.date(2026, 11, 26))
            load_projects(session, dt.date(2026, 11, 26),
                          coordinator_id=user_id(session, "coordinator@demo.example"),
                          own_user_id=user_id(session, demo.DEMO_CONTRIBUTOR_EMAIL))
            session.flush()
            rows = session.execute(select(
                RoleOpening.title, Offer.contributor_id, Offer.status, Offer.place_no,
                Offer.offered_at).join(RoleOpening, RoleOpening.id == Offer.role_id)
                .order_by(Offer.id)).all()
            rows += session.execute(select(Attendance.session_id, Attendance.contributor_id,
                                           Attendance.outcome).order_by(Attendance.id)).all()
        engine.dispose()
        return [tuple(r) for r in rows]

    first = load_fresh()
    assert first and first == load_fresh()

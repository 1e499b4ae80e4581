"""What matching reads about a role and about people, loaded for
``crm.matching.criteria``: ``role_facts`` (the role, its sessions that count,
words for its codes) and ``person_facts`` (a fixed number of queries however
many people). Never reads equality monitoring answers (domain rules 6).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, literal, literal_column, null, select, union_all
from sqlalchemy.orm import Session, selectinload

from crm.contributors.models import (
    EXPERIENCE_LABELS,
    Adjustment,
    AvailabilitySlot,
    Consent,
    ConsentKind,
    Contributor,
    LivedExperience,
    ServiceKnown,
    Skill,
    TrainingCompletion,
)
from crm.matching import criteria
from crm.matching.config import matching_config
from crm.matching.criteria_facts import (
    LONDON,
    Completion,
    Interval,
    PersonFacts,
    RoleFacts,
    SessionFacts,
)
from crm.matching.models import Offer, OfferStatus
from crm.projects.models import (
    Attendance,
    AttendanceOutcome,
    Project,
    RoleOpening,
    RoleSession,
    RoleStatus,
    WardConnection,
)
from crm.reference import reference

C = Contributor
# Offers that count as "offered lately": not "not this time" (which must not
# count against them) and not withdrawn (our doing, not an opportunity).
NOT_COUNTED_OFFERS = (OfferStatus.NOT_THIS_TIME.value, OfferStatus.WITHDRAWN.value)
CURRENT_ROLE_STATUSES = (RoleStatus.OPEN.value, RoleStatus.FILLED.value)
ATTENDED = (AttendanceOutcome.ATTENDED.value, AttendanceOutcome.LEFT_EARLY.value)
# No session lasts longer than a day (crm.projects.roles.MAX_MINUTES).
LONGEST_SESSION = dt.timedelta(days=1)


def role_facts(session: Session, role: RoleOpening, *, today: dt.date) -> RoleFacts:
    """What ``role`` asks for, with its sessions that count (not cancelled,
    on or after ``today``) and the words for its codes."""
    ref = reference()
    sessions = [s for s in role.sessions if not s.is_cancelled]
    facts = tuple(SessionFacts(
        starts_at=s.starts_at, minutes=s.minutes, is_online=s.is_online, ward_id=s.ward_id,
        ward_name=s.ward.name if s.ward else None,
        postcode_district=s.ward.postcode_district if s.ward else None,
        room_provides=frozenset(s.ward.room_provides or ()) if s.ward else frozenset(),
    ) for s in sessions)
    facts = tuple(f for f in facts if f.day >= today)
    wards = {w.id: w for w in role.project.wards}
    wards.update({s.ward.id: s.ward for s in sessions if s.ward})
    target = frozenset(role.required_service_kinds or ()) or frozenset(
        w.service_kind for w in wards.values() if w.service_kind)
    labels: dict[str, str] = {k.value: v for k, v in EXPERIENCE_LABELS.items()}
    for catalogue in (ref.training, ref.service_kinds, ref.skills):
        labels.update({code: catalogue.label(code) for code in catalogue.codes})
    return RoleFacts(
        id=role.id, mode=role.mode,
        required_experience=frozenset(role.required_experience or ()),
        required_service_kinds=frozenset(role.required_service_kinds or ()),
        required_training=tuple(dict.fromkeys(role.required_training or ())),
        desirable_skills=frozenset(role.desirable_skills or ()),
        target_service_kinds=target, fee_tier=role.fee_tier,
        conflict_rules=tuple(role.conflict_rules or ()),
        ward_ids=frozenset(wards), ward_names={i: w.name for i, w in wards.items()},
        sessions=tuple(sorted(facts, key=lambda f: f.starts_at)), labels=labels)


def load_role(session: Session, role_id: int) -> RoleOpening | None:
    """The role with what role_facts reads (project wards, sessions, their wards)."""
    return session.scalars(select(RoleOpening).where(RoleOpening.id == role_id).options(
        selectinload(RoleOpening.project).selectinload(Project.wards),
        selectinload(RoleOpening.sessions).selectinload(RoleSession.ward),
    )).one_or_none()


def window_start(today: dt.date, window_days: int) -> dt.datetime:
    return dt.datetime.combine(today - dt.timedelta(days=window_days), dt.time(),
                               tzinfo=LONDON).astimezone(dt.UTC)


def person_facts(session: Session, ids: Sequence[int], role: RoleFacts, *, today: dt.date,
                 window_days: int | None = None) -> dict[int, PersonFacts]:
    """PersonFacts for ``ids`` as far as ``role`` is concerned, in a fixed
    number of queries however many ids."""
    if not ids:
        return {}
    ids = list(ids)
    window = window_days or matching_config().fairness_window_days
    # Plain rows, not ORM objects: a page's 25 people have some 400 child
    # rows, and building objects for them cost more than the queries.
    people = session.execute(select(
        C.id, C.full_name, C.status, C.paused_until, C.removal_requested_at, C.anonymised_at,
        C.attendance_mode, C.travel_max_miles, C.postcode_area, C.notice_days,
        C.max_roles_at_once).where(C.id.in_(ids))).all()
    lists: dict[tuple[int, str], set[Any]] = defaultdict(set)
    for cid, what, first, second in session.execute(union_all(
            _child(LivedExperience.contributor_id, "experience", LivedExperience.kind),
            _child(ServiceKnown.contributor_id, "service", ServiceKnown.code),
            _child(Skill.contributor_id, "skill", Skill.code, Skill.code.is_not(None)),
            _child(AvailabilitySlot.contributor_id, "slot", AvailabilitySlot.day,
                   second=AvailabilitySlot.part),
            _child(Adjustment.contributor_id, "adjustment", Adjustment.code),
            _child(Consent.contributor_id, "contact", Consent.kind,
                   Consent.kind == ConsentKind.CONTACT.value, Consent.is_given.is_(True)),
            _child(Attendance.contributor_id, "attended", Attendance.outcome,
                   Attendance.outcome.in_(ATTENDED)),
    ).subquery().select().where(literal_column("cid").in_(ids))):
        lists[cid, what].add(first if second is None else (first, second))
    training: dict[int, list[Completion]] = defaultdict(list)
    for cid, course, completed_on, expires_on in session.execute(
            select(TrainingCompletion.contributor_id, TrainingCompletion.course_code,
                   TrainingCompletion.completed_on, TrainingCompletion.expires_on)
            .where(TrainingCompletion.contributor_id.in_(ids))
            .order_by(TrainingCompletion.completed_on.desc(), TrainingCompletion.id)):
        training[cid].append(Completion(course, completed_on, expires_on))
    connections: dict[int, set[tuple[int, str]]] = {}
    for cid, ward_id, kind in session.execute(select(
            WardConnection.contributor_id, WardConnection.ward_id, WardConnection.kind)
            .where(WardConnection.contributor_id.in_(ids))):
        connections.setdefault(cid, set()).add((ward_id, kind))
    booked: dict[int, list[Interval]] = {}
    if role.sessions:
        since = role.sessions[0].starts_at - LONGEST_SESSION
        for cid, starts_at, minutes in session.execute(
                select(Offer.contributor_id, RoleSession.starts_at, RoleSession.minutes)
                .join(RoleSession, RoleSession.role_id == Offer.role_id)
                .join(RoleOpening, RoleOpening.id == Offer.role_id)
                .where(Offer.contributor_id.in_(ids), Offer.status == OfferStatus.ACCEPTED.value,
                       Offer.role_id != role.id, RoleSession.is_cancelled.is_(False),
                       RoleOpening.status != RoleStatus.CANCELLED.value,
                       RoleSession.starts_at >= since)):
            booked.setdefault(cid, []).append(
                Interval(starts_at, starts_at + dt.timedelta(minutes=minutes)))
    current = dict(session.execute(
        select(Offer.contributor_id, func.count())
        .join(RoleOpening, RoleOpening.id == Offer.role_id)
        .where(Offer.contributor_id.in_(ids), Offer.status == OfferStatus.ACCEPTED.value,
               Offer.role_id != role.id, RoleOpening.status.in_(CURRENT_ROLE_STATUSES))
        .group_by(Offer.contributor_id)).all())
    recent = dict(session.execute(
        select(Offer.contributor_id, func.count())
        .where(Offer.contributor_id.in_(ids), Offer.offered_at >= window_start(today, window),
               Offer.status.not_in(NOT_COUNTED_OFFERS))
        .group_by(Offer.contributor_id)).all())
    benefit_notes = criteria.benefit_notes_for(session, role, ids)
    return {p.id: PersonFacts(
        id=p.id, name=p.full_name, status=p.status, paused_until=p.paused_until,
        removal_requested=p.removal_requested_at is not None,
        anonymised=p.anonymised_at is not None, may_contact=bool(lists.get((p.id, "contact"))),
        experiences=frozenset(lists.get((p.id, "experience"), ())),
        service_kinds=frozenset(lists.get((p.id, "service"), ())),
        skills=frozenset(lists.get((p.id, "skill"), ())),
        slots=frozenset(lists.get((p.id, "slot"), ())),
        attendance_mode=p.attendance_mode, travel_max_miles=p.travel_max_miles,
        postcode_district=p.postcode_area, notice_days=p.notice_days,
        max_roles_at_once=p.max_roles_at_once,
        adjustments=frozenset(lists.get((p.id, "adjustment"), ())),
        training=tuple(training.get(p.id, ())),
        ward_connections=frozenset(connections.get(p.id, ())),
        booked=tuple(booked.get(p.id, ())), current_roles=current.get(p.id, 0),
        recent_offers=recent.get(p.id, 0), has_attended=bool(lists.get((p.id, "attended"))),
        benefit_notes=benefit_notes.get(p.id, ()),
    ) for p in people}


def _child(cid: Any, what: str, first: Any, *where: Any, second: Any = None) -> Any:
    """One child table's rows for the union person_facts reads: (cid, what,
    first, second)."""
    return select(cid.label("cid"), literal(what).label("what"), first.label("first"),
                  (second if second is not None else null()).label("second")).where(*where)

"""Demo projects: partner organisations, wards, projects, roles, sessions,
offers, interest, ward connections and attendance, so every projects and
matching page has something real to show. Everything is invented.

Written straight into the tables with the models (no services, no audit
events), like the rest of the demo data, and only into a database that holds
no organisations, wards or projects yet (loading twice adds nothing). Dates are relative to
``today`` so the demo never goes stale; session times are London daytime,
stored in UTC. Who gets which offer comes from a seeded random generator,
so the same ``today`` gives the same data.

Invariants the demo keeps (tests/test_demo_projects.py checks them): every
offer status, attendance outcome, involvement level, role status, project
status and fee tier appears; accepted offers hold places 1..places of their
role; nobody is accepted at two overlapping sessions; offers go only to
active people who agreed to be contacted, have what the role requires, are
free at its times and have no conflict with its wards; a few people are
offered a lot and most never.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from crm.contributors.models import (
    DAYS,
    Affiliation,
    AvailabilitySlot,
    CommunicationPreference,
    Consent,
    ConsentKind,
    Contributor,
    LivedExperience,
    ServiceKnown,
    Status,
    TrainingCompletion,
)
from crm.demo_project_data import (
    INPATIENT,
    LONDON,
    OF,
    ORGANISATIONS,
    PART_ENDS,
    PROJECTS,
    PROJECTS_SEED,
    QUESTIONS,
    ROLES,
    WARDS,
    WORKS,
    A,
    D,
    E,
    N,
    Q,
    RoleSpec,
    W,
)
from crm.matching.models import Offer, OfferStatus, RoleInterest
from crm.projects.models import (
    Attendance,
    AttendanceOutcome,
    Organisation,
    Project,
    RoleOpening,
    RoleSession,
    Ward,
    WardConnection,
    WardConnectionKind,
)


@dataclass
class _Person:
    id: int
    email: bool
    mode: str
    experience: set[str] = field(default_factory=set)
    services: set[str] = field(default_factory=set)
    training: dict[str, dt.date | None] = field(default_factory=dict)
    fmt: str = "standard"
    booked: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    wards: set[tuple[int, str]] = field(default_factory=set)
    slots: set[tuple[str, str]] = field(default_factory=set)  # none: any time


def _at(day: dt.date, hhmm: str) -> dt.datetime:
    hours, minutes = (int(p) for p in hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=LONDON).astimezone(dt.UTC)


def _weekday(today: dt.date, days: int, weekday: int) -> dt.date:
    """That weekday in the week of ``today + days``: on the same side of
    today when ``abs(days) >= 7``, and never a weekend."""
    day = today + dt.timedelta(days=days)
    return day - dt.timedelta(days=day.weekday() - weekday)


def load_projects(session: Session, today: dt.date, *, coordinator_id: int | None = None,
                  own_user_id: int | None = None) -> None:
    """Add the demo projects and everything on them, unless the database
    already holds organisations, wards or projects.
    ``coordinator_id`` leads most projects and records attendance;
    ``own_user_id`` is the demo contributor's account, whose record gets an
    offer waiting, a booked future role and past attendance. Caller commits."""
    if any(session.scalar(select(m.id).limit(1)) is not None
           for m in (Organisation, Ward, Project)):
        return  # someone has started real work: never mix demo rows into it
    rng = random.Random(PROJECTS_SEED)  # noqa: S311 (repeatable demo data, not secrets)
    now = _at(today, "12:00")  # "now" for the demo: the same data for the same today
    orgs = [Organisation(name=n, kind=k.value, communities=c, website=w, is_active=a)
            for n, k, c, w, a in ORGANISATIONS]
    wards = {n: Ward(name=n, site=s, postcode_district=d, service_kind=k, room_provides=r,
                     room_note=note) for n, s, d, k, r, note in WARDS}
    session.add_all([*orgs, *wards.values()])
    session.flush()
    for org in orgs:  # people's affiliations point at the partners we work with
        session.execute(update(Affiliation).where(Affiliation.organisation == org.name)
                        .values(organisation_id=org.id))
    _contactable(session, own_user_id, today)
    people, kit = _people(session, own_user_id)
    _connect_to_wards(session, rng, people, list(wards.values()), today, kit)
    usual = [p for p in people.values() if not p.wards and p.id != kit and p.mode == "either"
             and p.experience & {"patient_former", "carer"}
             and (not p.slots or len(p.slots) >= 5)]
    usual = rng.sample(usual, min(5, len(usual)))  # the same few, offered a lot

    projects: dict[str, Project] = {}
    for key, title, names, status, starts, ends, led, text, easy in PROJECTS:
        projects[key] = Project(
            title=title, wards=[wards[n] for n in names], is_trust_wide=not names,
            status=status.value, lead_id=coordinator_id if led else None,
            starts_on=today + dt.timedelta(days=starts), ends_on=today + dt.timedelta(days=ends),
            description=text, easy_read_summary=easy,
            cost_code=f"MH-COPROD-{len(projects) + 1:02d}")
    session.add_all(projects.values())
    for spec in ROLES:
        role = _role(spec, projects[spec.project], today)
        session.add(role)
        session.flush()
        _offers(session, rng, spec, role, people, usual, kit, coordinator_id, today, now)
    session.flush()
    _limits(session, rng, people, usual, kit, now)


def _contactable(session: Session, own_user_id: int | None, today: dt.date) -> None:
    """The demo contributor agreed to be contacted: their pages show offers,
    and matching refuses anyone who has not agreed."""
    if own_user_id is None:
        return
    own = session.scalar(select(Contributor.id).where(Contributor.user_id == own_user_id))
    if own is None:
        return
    consent = session.scalar(select(Consent).where(
        Consent.contributor_id == own, Consent.kind == ConsentKind.CONTACT.value))
    if consent is None:
        session.add(Consent(contributor_id=own, kind=ConsentKind.CONTACT.value, is_given=True,
                            recorded_on=today - dt.timedelta(days=200), method="online"))
    else:
        consent.is_given, consent.withdrawn_on = True, None
    session.flush()


def _people(session: Session, own_user_id: int | None) -> tuple[dict[int, _Person], int | None]:
    """Active people who agreed to be contacted, with what matching looks at."""
    contact = select(Consent.contributor_id).where(
        Consent.kind == ConsentKind.CONTACT.value, Consent.is_given.is_(True))
    rows = session.execute(select(Contributor.id, Contributor.email, Contributor.attendance_mode,
                                  Contributor.user_id)
                           .where(Contributor.status == Status.ACTIVE.value,
                                  Contributor.id.in_(contact))
                           .order_by(Contributor.id)).all()
    people = {r.id: _Person(r.id, r.email is not None, r.attendance_mode) for r in rows}
    kit = next((r.id for r in rows if own_user_id and r.user_id == own_user_id), None)
    for cid, kind in session.execute(select(LivedExperience.contributor_id, LivedExperience.kind)):
        if cid in people:
            people[cid].experience.add(kind)
    for cid, code in session.execute(select(ServiceKnown.contributor_id, ServiceKnown.code)):
        if cid in people:
            people[cid].services.add(code)
    for cid, code, expires in session.execute(select(
            TrainingCompletion.contributor_id, TrainingCompletion.course_code,
            TrainingCompletion.expires_on)):
        if cid in people:
            people[cid].training[code] = expires
    for cid, day, part in session.execute(select(
            AvailabilitySlot.contributor_id, AvailabilitySlot.day, AvailabilitySlot.part)):
        if cid in people:
            people[cid].slots.add((day, part))
    for cid, fmt, never in session.execute(select(
            CommunicationPreference.contributor_id, CommunicationPreference.information_format,
            CommunicationPreference.do_not_use)):
        if cid in people:
            people[cid].fmt = fmt
            people[cid].email = people[cid].email and "email" not in (never or [])
    return people, kit


def _connect_to_wards(session: Session, rng: random.Random, people: dict[int, _Person],
                      wards: list[Ward], today: dt.date, kit: int | None) -> None:
    """A few people are inpatients on a ward now, or work on one (conflicts)."""
    inpatients = [p for p in people.values() if "patient_current" in p.experience
                  and p.id != kit]
    peer_ids = set(session.scalars(select(Contributor.id).where(
        Contributor.is_peer_support_worker.is_(True))))
    workers = [p for p in people.values() if p.id in peer_ids and p.id != kit]
    for group, kind, n in ((inpatients, WardConnectionKind.INPATIENT_NOW, 4),
                           (workers, WardConnectionKind.WORKS_ON, 3)):
        for person in rng.sample(group, min(n, len(group))):
            ward = rng.choice(wards)
            person.wards.add((ward.id, kind.value))
            session.add(WardConnection(contributor_id=person.id, ward_id=ward.id,
                                       kind=kind.value, noted_on=today - dt.timedelta(
                                           days=rng.randint(3, 60))))


def _role(spec: RoleSpec, project: Project, today: dt.date) -> RoleOpening:
    ward = project.wards[0] if project.wards else None
    sessions = []
    for days, weekday, time, minutes, place in spec.sessions:
        cancelled, place = place.startswith("x"), place.removeprefix("x")
        day = _weekday(today, days, weekday)
        sessions.append(RoleSession(
            starts_at=_at(day, time), minutes=minutes, is_cancelled=cancelled,
            ward_id=ward.id if place == "ward" and ward else None,
            is_online=place == "online", venue=place if place not in ("ward", "online") else None,
            papers_ready_on=day - dt.timedelta(days=7)))
    return RoleOpening(
        project=project, title=spec.title, kind=spec.kind, level=spec.level,
        places=spec.places, fee_tier=spec.fee, required_experience=spec.experience,
        required_service_kinds=spec.services, required_training=spec.training,
        desirable_skills=spec.skills, mode=spec.mode, conflict_rules=spec.conflicts,
        closes_on=today + dt.timedelta(days=spec.closes), status=spec.status.value,
        description=spec.description, easy_read_description=spec.easy, sessions=sessions)


def _fits(person: _Person, spec: RoleSpec, role: RoleOpening) -> bool:
    """The hard rules the demo keeps, as matching reads them: what the role
    requires, the way they take part, free at every session's time of day,
    and no conflict with its wards. (Distance and notice are left to matching:
    some "why not" answers should have something to say.)"""
    last = max(s.starts_at for s in role.sessions).date()
    ward_ids = {w.id for w in role.project.wards}
    conflicts = {(w, k) for w in ward_ids for k, rule in (
        (WardConnectionKind.INPATIENT_NOW.value, INPATIENT),
        (WardConnectionKind.WORKS_ON.value, WORKS)) if rule in spec.conflicts}
    return ((not spec.experience or bool(person.experience & set(spec.experience)))
            and (not spec.services or bool(person.services & set(spec.services)))
            and all(c in person.training and (person.training[c] or last) >= last
                    for c in spec.training)
            and not (spec.mode == "in_person" and person.mode == "online")
            and not (spec.mode == "online" and person.mode == "in_person")
            and not (person.wards & conflicts)
            and (not person.slots or all(_slots(s) <= person.slots for s in role.sessions
                                         if not s.is_cancelled)))


def _slots(sitting: RoleSession) -> set[tuple[str, str]]:
    """The (day, part of the day) a session touches, London time, as matching reads them."""
    local = sitting.starts_at.astimezone(LONDON)
    start = local.hour * 60 + local.minute
    end, begin, out = min(start + sitting.minutes, 24 * 60), 0, set()
    for part, part_end in PART_ENDS:
        if start < part_end and end > begin:
            out.add((DAYS[local.weekday()], part))
        begin = part_end
    return out


def _free(person: _Person, role: RoleOpening) -> bool:
    return all(s.ends_at <= start or s.starts_at >= end for s in role.sessions
               if not s.is_cancelled for start, end in person.booked)


def _offers(session: Session, rng: random.Random, spec: RoleSpec, role: RoleOpening,
            people: dict[int, _Person], usual: list[_Person], kit: int | None,
            coordinator_id: int | None, today: dt.date, now: dt.datetime) -> None:
    fits = [p for p in people.values() if p.id != kit and _fits(p, spec, role)]
    regulars = [p for p in usual if p in fits]
    others = [p for p in fits if p not in usual]
    pool = rng.sample(regulars, min(2, len(regulars))) + rng.sample(others, len(others))
    plan: list[tuple[_Person, OfferStatus]] = []
    own = people.get(kit or 0)
    if spec.kit and own and _fits(own, spec, role) and (spec.kit != A or _free(own, role)):
        plan.append((own, spec.kit))
    for status in spec.plan:
        # Whoever holds or may still take a place is free at the role's times.
        person = next((p for p in pool if status not in (A, OF, W) or _free(p, role)), None)
        if person is None:
            continue
        pool.remove(person)
        plan.append((person, status))
    offered = _at(today + dt.timedelta(days=spec.offered), "10:00")
    place = waiting = 0
    asked = spec.questions
    accepted: list[_Person] = []
    for i, (person, status) in enumerate(plan):
        sent = offered + dt.timedelta(minutes=7 * i)
        answered = min(sent + dt.timedelta(hours=20 + 5 * i), now)  # places fill in reply order
        offer = Offer(role_id=role.id, contributor_id=person.id, status=status.value,
                      created_at=sent, updated_at=answered)
        if status == W:
            waiting += 1
            offer.waiting_position, offer.offered_at = waiting, None
        else:
            offer.offered_at, offer.offered_by_id = sent, coordinator_id
            offer.channel = "email" if person.email else "by_hand"
            offer.information_format = person.fmt
        if status in (A, D, N, Q):
            offer.answered_at = answered
        if status in (OF, E):
            offer.expires_on = role.closes_on
        if status == OF and asked:
            asked -= 1
            offer.question = QUESTIONS[(role.id + asked) % len(QUESTIONS)]
            offer.question_at = answered
        if status == A:
            assert _free(person, role) and place < role.places, (spec.title, person.id)
            place += 1
            offer.place_no = place
            person.booked += [(s.starts_at, s.ends_at) for s in role.sessions
                              if not s.is_cancelled]
            accepted.append(person)
        session.add(offer)
    _attendance(session, spec, role, accepted, coordinator_id, now)
    offered_ids = {p.id for p, _ in plan}
    keen = [p for p in fits if p.id not in offered_ids]
    chosen = rng.sample(keen, min(spec.interest, len(keen)))
    if spec.kit_interested and own and own.id not in offered_ids and _fits(own, spec, role):
        chosen.append(own)
    for person in chosen:
        session.add(RoleInterest(role_id=role.id, contributor_id=person.id,
                                 created_at=offered + dt.timedelta(days=1)))


def _attendance(session: Session, spec: RoleSpec, role: RoleOpening,
                accepted: list[_Person], coordinator_id: int | None, now: dt.datetime) -> None:
    """What happened at each past session for each person who said yes."""
    past = [s for s in role.sessions if s.ends_at < now]
    for j, sitting in enumerate(past):
        for i, person in enumerate(accepted):
            outcome = (AttendanceOutcome.CANCELLED_BY_US.value if sitting.is_cancelled
                       else spec.outcomes[(i + j) % len(spec.outcomes)])
            session.add(Attendance(session_id=sitting.id, contributor_id=person.id,
                                   outcome=outcome, recorded_by_id=coordinator_id,
                                   recorded_at=min(sitting.ends_at + dt.timedelta(hours=20),
                                                   now)))


def _limits(session: Session, rng: random.Random, people: dict[int, _Person],
            usual: list[_Person], kit: int | None, now: dt.datetime) -> None:
    """Some people set a limit on roles at once: two of the usual few are at
    theirs (matching says so), three others have room."""
    limits = {p.id: max(1, _roles_now(session, p.id, now)) for p in usual[:2]}
    quiet = [p for p in people.values() if not p.booked and p.id != kit and p not in usual]
    limits |= {p.id: rng.choice([1, 2]) for p in rng.sample(quiet, min(3, len(quiet)))}
    for cid, limit in limits.items():
        session.execute(update(Contributor).where(Contributor.id == cid)
                        .values(max_roles_at_once=limit))


def _roles_now(session: Session, contributor_id: int, now: dt.datetime) -> int:
    """Roles this person said yes to that still have a session to come."""
    return len(set(session.scalars(
        select(Offer.role_id).join(RoleSession, RoleSession.role_id == Offer.role_id)
        .where(Offer.contributor_id == contributor_id, Offer.status == A.value,
               RoleSession.starts_at > now))))


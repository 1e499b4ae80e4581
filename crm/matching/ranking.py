"""The ranked list of people for a role, fast enough for 120,000 contributors.

The hard rules that can leave someone out, and the score, are written here
in SQL (EXISTS on the indexed child tables; travel as a CASE over the
districts' distances worked out in Python), so one query ranks everyone and
returns one page with the total. Only that page's people are then loaded,
in a constant number of queries, and their score parts and notes are worked
out by the pure rules in ``crm.matching.criteria``. A test holds the SQL and
the pure rules to the same people and the same scores: change both together.

Never reads equality monitoring answers (domain rules 6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from crm.contributors.models import (
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
from crm.matching.config import Weights, matching_config
from crm.matching.criteria import (
    IN_PERSON,
    ONLINE,
    Interval,
    Reason,
    RoleFacts,
    ScoreParts,
)
from crm.matching.models import Offer, OfferStatus, RoleInterest
from crm.matching.postcodes import distances_from, normalise
from crm.matching.ranking_facts import (
    ATTENDED,
    CURRENT_ROLE_STATUSES,
    LONGEST_SESSION,
    NOT_COUNTED_OFFERS,
    load_role,
    person_facts,
    role_facts,
    window_start,
)
from crm.projects.models import (
    Attendance,
    RoleOpening,
    RoleSession,
    RoleStatus,
    WardConnection,
)
from crm.web.pagination import Page

C = Contributor
__all__ = ["Candidate", "Explanation", "RankingPage", "eligible_scores", "explain",
           "load_role", "person_facts", "rank", "role_facts", "top_candidates", "why_not"]
RANKING_WORK_MEM = "64MB"


@dataclass(frozen=True)
class Candidate:
    contributor_id: int
    name: str
    score: float
    parts: ScoreParts
    notes: list[Reason]
    is_interested: bool
    offer_status: str | None


RankingPage = Page[Candidate]


# ------------------------------------------------------------------ SQL

def _has(model: type, *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    """EXISTS a child row: PostgreSQL makes it a (anti-)semi-join, or a
    hashed subplan, or at worst an index probe a person (never the
    quadratic plan NOT IN can fall into when the list outgrows work_mem)."""
    return exists(select(1).where(model.contributor_id == C.id, *conditions))  # type: ignore[attr-defined]


def _probe(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """The condition as a per-person test inside the one scan of contributors
    (PostgreSQL hashes the child ids once), not a join the planner may turn
    into an index probe for each of 100,000 consent rows."""
    return func.coalesce(condition, literal(False))


def _count_by_person(model: type, *conditions: ColumnElement[bool], value: Any = None) -> Any:
    """A grouped subquery: contributor_id, n (a count, or ``value`` summed up)."""
    ids = model.contributor_id  # type: ignore[attr-defined]
    n = func.count() if value is None else value
    return select(ids.label("cid"), n.label("n")).where(*conditions).group_by(ids).subquery()


def overlapping_role_ids(session: Session, role: RoleFacts) -> list[int]:
    """Other (not cancelled) roles with a session, not cancelled, that
    overlaps one of this role's sessions: saying yes to one books the time."""
    if not role.sessions:
        return []
    rows = session.execute(
        select(RoleSession.role_id, RoleSession.starts_at, RoleSession.minutes)
        .join(RoleOpening, RoleOpening.id == RoleSession.role_id)
        .where(RoleSession.role_id != role.id, RoleSession.is_cancelled.is_(False),
               RoleOpening.status != RoleStatus.CANCELLED.value,
               RoleSession.starts_at >= role.sessions[0].starts_at - LONGEST_SESSION,
               RoleSession.starts_at < max(s.ends_at for s in role.sessions))).all()
    mine = [s.interval for s in role.sessions]
    return sorted({role_id for role_id, starts_at, minutes in rows
                   if any(Interval(starts_at, starts_at + dt.timedelta(minutes=minutes))
                          .overlaps(m) for m in mine)})


def eligible_conditions(role: RoleFacts, today: dt.date, overlapping: Sequence[int]
                        ) -> list[ColumnElement[bool]]:
    """criteria.hard_rule_failures(...) == [] as SQL conditions on Contributor."""
    out: list[ColumnElement[bool]] = [
        C.status == "active", C.anonymised_at.is_(None), C.removal_requested_at.is_(None),
        or_(C.paused_until.is_(None), C.paused_until <= today),
        _probe(_has(Consent, Consent.kind == ConsentKind.CONTACT.value,
                    Consent.is_given.is_(True))),
    ]
    if role.required_experience:
        out.append(_probe(_has(LivedExperience,
                               LivedExperience.kind.in_(sorted(role.required_experience)))))
    if role.required_service_kinds:
        out.append(_probe(_has(ServiceKnown,
                               ServiceKnown.code.in_(sorted(role.required_service_kinds)))))
    for course in role.required_training:
        for day in role.session_days:
            out.append(_probe(_has(TrainingCompletion, TrainingCompletion.course_code == course,
                            TrainingCompletion.completed_on <= day,
                            or_(TrainingCompletion.expires_on.is_(None),
                                TrainingCompletion.expires_on >= day))))
    if role.sessions:
        has_all = and_(*[
            _has(AvailabilitySlot, AvailabilitySlot.day == d, AvailabilitySlot.part == p)
            for d, p in sorted(role.needed_slots)])
        # The small per-slot checks first: only people lacking one need the
        # "has none recorded at all" check.
        out.append(or_(has_all, not_(_has(AvailabilitySlot))))
        gap = (role.sessions[0].day - today).days
        out.append(or_(C.notice_days.is_(None), C.notice_days <= gap))
    district = func.upper(func.trim(C.postcode_area))
    all_ways = {role.ways(s) for s in role.sessions}
    if frozenset({ONLINE}) in all_ways:
        out.append(C.attendance_mode != IN_PERSON)
    if frozenset({IN_PERSON}) in all_ways:
        out.append(C.attendance_mode != ONLINE)
    # One check per place and way of taking part; an unknown distance is 0
    # (never a reason to leave someone out).
    for place, ways in sorted({(normalise(s.postcode_district) or "", role.ways(s))
                               for s in role.sessions if IN_PERSON in role.ways(s)},
                              key=lambda x: (x[0], sorted(x[1]))):
        far = {d: miles for d, miles in distances_from(place).items() if miles > 0}
        if not far:
            continue
        travels = (C.attendance_mode != ONLINE) if ONLINE not in ways else (
            C.attendance_mode == IN_PERSON)
        out.append(or_(C.travel_max_miles.is_(None), not_(travels),
                       case(far, value=district, else_=0.0) <= C.travel_max_miles))
    for rule in role.conflict_rules:
        kind = criteria.CONNECTION_FOR_RULE.get(rule)
        if kind and role.ward_ids:
            out.append(not_(_has(WardConnection, WardConnection.kind == kind,
                                 WardConnection.ward_id.in_(sorted(role.ward_ids)))))
    if overlapping:
        out.append(not_(_has(Offer, Offer.status == OfferStatus.ACCEPTED.value,
                             Offer.role_id.in_(list(overlapping)))))
    return out


def current_roles_subquery(role: RoleFacts) -> Any:
    """Per person: accepted offers on other roles that are open or filled."""
    return (select(Offer.contributor_id.label("cid"), func.count().label("n"))
            .join(RoleOpening, RoleOpening.id == Offer.role_id)
            .where(Offer.status == OfferStatus.ACCEPTED.value, Offer.role_id != role.id,
                   RoleOpening.status.in_(CURRENT_ROLE_STATUSES))
            .group_by(Offer.contributor_id).subquery())


def score_expression(role: RoleFacts, weights: Weights, today: dt.date, window_days: int
                     ) -> tuple[ColumnElement[float], list[tuple[Any, Any]]]:
    """criteria.score(...).total as SQL, for people who meet every rule
    (for them availability is all sessions or, with none recorded, 0), and
    the grouped subqueries to outer-join (subquery, its count column) it reads."""
    one, zero = literal(1.0, Float), literal(0.0, Float)
    joins: list[tuple[Any, Any]] = []

    def grouped(sub: Any) -> Any:
        joins.append((sub, sub.c.cid))
        return func.coalesce(sub.c.n, 0)

    def share(model: type, column: Any, codes: frozenset[str]) -> ColumnElement[float]:
        if not codes:
            return zero
        n = grouped(_count_by_person(model, column.in_(sorted(codes)),
                                     value=func.count(func.distinct(column))))
        return n * literal(1.0 / len(codes), Float)

    # For people who meet every rule, having any slot means having every
    # needed one: the per-slot checks are far smaller than "any slot".
    availability = case((and_(*[
        _has(AvailabilitySlot, AvailabilitySlot.day == d, AvailabilitySlot.part == p)
        for d, p in sorted(role.needed_slots)]), one), else_=zero) if role.sessions else zero
    shares = criteria.adjustment_shares(role)
    adjustments: ColumnElement[float]
    if shares:
        per_code = case(shares, value=Adjustment.code, else_=0.0)
        # Per eligible person (an index probe each), not over the whole table.
        adjustments = func.coalesce(select(func.avg(cast(per_code, Float)))
                                    .where(Adjustment.contributor_id == C.id)
                                    .scalar_subquery(), one)
    else:
        adjustments = case((_has(Adjustment), zero), else_=one)
    offers = grouped(_count_by_person(
        Offer, Offer.offered_at >= window_start(today, window_days),
        Offer.status.not_in(NOT_COUNTED_OFFERS)))
    never = case((_has(Attendance, Attendance.outcome.in_(ATTENDED)), zero), else_=one)
    total = (literal(weights.skills, Float) * share(Skill, Skill.code, role.desirable_skills)
             + literal(weights.service_kinds, Float)
             * share(ServiceKnown, ServiceKnown.code, role.target_service_kinds)
             + literal(weights.availability, Float) * availability
             + literal(weights.adjustments_provided, Float) * adjustments
             + literal(weights.fewer_recent_offers, Float) * (one / (offers + 1))
             + literal(weights.never_involved, Float) * never)
    return total, joins


def _ranked(session: Session, role: RoleFacts, today: dt.date, *, limit: int | None,
            offset: int = 0, with_total: bool = False) -> list[tuple[int, float, int]]:
    cfg = matching_config()
    expr, joins = score_expression(role, cfg.weights, today, cfg.fairness_window_days)
    score = expr.label("score")
    total = (func.count().over() if with_total else literal(0)).label("total")
    current = current_roles_subquery(role)
    source: Any = C.__table__.outerjoin(current, current.c.cid == C.id)
    for sub, cid in joins:
        source = source.outerjoin(sub, cid == C.id)
    stmt = (select(C.id, score, total).select_from(source)
            .where(*eligible_conditions(role, today, overlapping_role_ids(session, role)),
                   or_(C.max_roles_at_once.is_(None),
                       func.coalesce(current.c.n, 0) < C.max_roles_at_once))
            .order_by(score.desc(), C.full_name, C.id).offset(offset))
    if limit is not None:
        stmt = stmt.limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        # For this transaction only: room to hash the child tables' ids (a
        # few MB at 120,000 people), and no JIT, whose compiling of the long
        # score and travel expressions takes seconds (the query runs in ms).
        session.execute(text(f"SET LOCAL work_mem = '{RANKING_WORK_MEM}'; SET LOCAL jit = off"))
    return [(cid, float(s), int(t)) for cid, s, t in session.execute(stmt)]


# ------------------------------------------------------------------ the API

def rank(session: Session, role: RoleOpening, *, today: dt.date, page: int = 1,
         per_page: int = 25) -> RankingPage:
    """One page of the people who meet every rule for ``role``, best first
    (score, then name, then id), with their score parts, notes, interest
    and any offer they already have for the role."""
    facts = role_facts(session, role, today=today)
    page = max(1, page)
    rows = _ranked(session, facts, today, limit=per_page, offset=(page - 1) * per_page,
                   with_total=True)
    if rows:
        total = rows[0][2]
    else:
        total = len(_ranked(session, facts, today, limit=None)) if page > 1 else 0
    ids = [cid for cid, _, _ in rows]
    people = person_facts(session, ids, facts, today=today)
    weights = matching_config().weights
    interested = set(session.scalars(select(RoleInterest.contributor_id).where(
        RoleInterest.role_id == role.id, RoleInterest.contributor_id.in_(ids)))) if ids else set()
    offers = dict(session.execute(select(Offer.contributor_id, Offer.status).where(
        Offer.role_id == role.id, Offer.contributor_id.in_(ids))).all()) if ids else {}
    items = [Candidate(
        contributor_id=cid, name=people[cid].name, score=s,
        parts=criteria.score(people[cid], facts, weights),
        notes=criteria.notes(people[cid], facts), is_interested=cid in interested,
        offer_status=offers.get(cid)) for cid, s, _ in rows]
    return Page(items=items, page=page, per_page=per_page, total=total)


def top_candidates(session: Session, role: RoleOpening, k: int, *, today: dt.date
                   ) -> list[tuple[int, float]]:
    """The ``k`` best people who meet every rule for ``role``: (id, score),
    best first. One ranking query (and the role's overlap look-up)."""
    facts = role_facts(session, role, today=today)
    return [(cid, s) for cid, s, _ in _ranked(session, facts, today, limit=k)]


def eligible_scores(session: Session, role: RoleOpening, *, today: dt.date
                    ) -> list[tuple[int, float]]:
    """Everyone who meets every rule, best first (for tests and checks)."""
    facts = role_facts(session, role, today=today)
    return [(cid, s) for cid, s, _ in _ranked(session, facts, today, limit=None)]


def why_not(session: Session, role: RoleOpening, contributor_id: int, *, today: dt.date
            ) -> list[Reason]:
    """Every rule this person does not meet for ``role``; empty: they meet
    them all. Raises LookupError for an unknown id."""
    return explain(session, role, contributor_id, today=today).reasons


@dataclass(frozen=True)
class Explanation:
    """Why (not) one person for a role: the rules not met, the score parts, notes."""

    reasons: list[Reason]
    parts: ScoreParts
    notes: list[Reason]


def explain(session: Session, role: RoleOpening, contributor_id: int, *, today: dt.date
            ) -> Explanation:
    """The "why not this person?" answer. Raises LookupError for an unknown id."""
    facts = role_facts(session, role, today=today)
    people = person_facts(session, [contributor_id], facts, today=today)
    if contributor_id not in people:
        raise LookupError(contributor_id)
    person = people[contributor_id]
    return Explanation(criteria.hard_rule_failures(person, facts, today),
                       criteria.score(person, facts, matching_config().weights),
                       criteria.notes(person, facts))

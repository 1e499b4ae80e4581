"""The ranked list of people for a role, fast enough for 120,000 contributors.

One query ranks everyone from ``matching_profile`` (one narrow row a
person, kept in step by crm.matching.profile): the hard rules and the score
are bit tests on its masks, travel is a CASE over the districts' distances
worked out in Python, and only the small, date- or role-dependent parts are
subqueries (training when the role asks for it, ward connections, bookings
that overlap, current roles, offers lately). It returns one page with the
total. Only that page's people are then loaded, in a constant number of
queries, and their score parts and notes are worked out by the pure rules
in ``crm.matching.criteria``. A test holds the SQL and the pure rules to the
same people and the same scores: change both together.

Never reads equality monitoring answers (domain rules 6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Float,
    Table,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    text,
    true,
    union,
)
from sqlalchemy.orm import Session

from crm.contributors.models import TrainingCompletion
from crm.matching import criteria, profile
from crm.matching.config import Weights, matching_config
from crm.matching.criteria import ScoreParts
from crm.matching.criteria_facts import IN_PERSON, ONLINE, Interval, Reason, RoleFacts
from crm.matching.models import MatchingProfile, Offer, OfferStatus, RoleInterest
from crm.matching.postcodes import distances_from, normalise
from crm.matching.profile import ADJUSTMENT, SERVICE_KIND, SKILL, number
from crm.matching.ranking_facts import (
    CURRENT_ROLE_STATUSES,
    LONGEST_SESSION,
    NOT_COUNTED_OFFERS,
    load_role,
    person_facts,
    role_facts,
    window_start,
)
from crm.projects.models import (
    RoleOpening,
    RoleSession,
    RoleStatus,
    WardConnection,
)
from crm.web.pagination import Page

P: Table = MatchingProfile.__table__  # type: ignore[assignment]
PERSON = P.c.contributor_id
__all__ = ["Candidate", "Explanation", "RankingPage", "eligible_scores", "explain",
           "load_role", "person_facts", "rank", "role_facts", "top_candidates", "why_not"]
RANKING_WORK_MEM = "64MB"
Bits = Mapping[str, Mapping[str, int]]


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
    """EXISTS a child row of this person (an index probe each, on the small
    tables only: training, ward connections, offers)."""
    return exists(select(1).where(model.contributor_id == PERSON, *conditions))  # type: ignore[attr-defined]


def _any_bit(mask: Any, bits: int) -> ColumnElement[bool]:
    """Any of ``bits`` set in ``mask`` (none asked for: nobody has them)."""
    return mask.op("&")(number(bits)) != 0 if bits else false()


def _code_bits(bits: Bits, kind: str, codes: frozenset[str]) -> dict[str, int]:
    """Code -> its bit value, for the codes that have one (a code never seen
    on anyone's record has none, and nobody has it)."""
    return {c: 1 << bits[kind][c] for c in sorted(codes) if c in bits[kind]}


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
               # Near one of ours (the exact test is below): a few rows, not
               # every session in the weeks the role spans.
               or_(*[and_(RoleSession.starts_at > s.starts_at - LONGEST_SESSION,
                          RoleSession.starts_at < s.ends_at) for s in role.sessions]))).all()
    mine = [s.interval for s in role.sessions]
    return sorted({role_id for role_id, starts_at, minutes in rows
                   if any(Interval(starts_at, starts_at + dt.timedelta(minutes=minutes))
                          .overlaps(m) for m in mine)})


def left_out_people(session: Session, role: RoleFacts) -> list[int]:
    """People a rule about other records leaves out, both small sets: booked
    on a role whose session overlaps one of this role's, or connected to one
    of its wards the way a conflict rule names. One query (and the overlap
    look-up), so the ranking query tests a list, not a subquery a person."""
    parts: list[Any] = []
    overlapping = overlapping_role_ids(session, role)
    if overlapping:
        parts.append(select(Offer.contributor_id.label("cid")).where(
            Offer.status == OfferStatus.ACCEPTED.value, Offer.role_id.in_(overlapping)))
    kinds = sorted({k for r in role.conflict_rules if (k := criteria.CONNECTION_FOR_RULE.get(r))})
    if kinds and role.ward_ids:
        parts.append(select(WardConnection.contributor_id.label("cid")).where(
            WardConnection.kind.in_(kinds), WardConnection.ward_id.in_(sorted(role.ward_ids))))
    if not parts:
        return []
    stmt: Any = union(*parts) if len(parts) > 1 else parts[0]
    return sorted(set(session.execute(stmt).scalars()))


@lru_cache(maxsize=256)
def _miles(place: str) -> Any:
    """The miles from ``place`` to a person's district (0 when unknown or
    the same), as a CASE on its first letter then on the district: a dozen
    comparisons a person, not the hundred a flat CASE makes (equality only:
    no collation to agree on). Kept: the same place gives the same SQL."""
    far = {d: miles for d, miles in distances_from(place).items() if miles > 0}
    if not far:
        return None
    district = P.c.postcode_district
    groups: dict[str, dict[str, float]] = {}
    for d, miles in sorted(far.items()):
        groups.setdefault(d[:1], {})[d] = miles
    return case({first: case(inner, value=district, else_=0.0)
                 for first, inner in groups.items()},
                value=func.substr(district, 1, 1), else_=0.0)


Joins = list[tuple[Any, ColumnElement[bool]]]


def eligible_conditions(role: RoleFacts, today: dt.date, left_out: Sequence[int],
                        bits: Bits) -> tuple[list[ColumnElement[bool]], Joins]:
    """criteria.hard_rule_failures(...) == [] as SQL conditions on
    matching_profile (``left_out``: left_out_people; ``bits``:
    profile.code_bits), and the tables to outer-join (table, on) they read."""
    joins: Joins = []
    out: list[ColumnElement[bool]] = [
        P.c.is_listed == true(), P.c.may_contact == true(),
        or_(P.c.paused_until.is_(None), P.c.paused_until <= today),
    ]
    if role.required_experience:
        out.append(_any_bit(P.c.experience_mask,
                            profile.experience_bits(role.required_experience)))
    if role.required_service_kinds:
        out.append(_any_bit(P.c.service_mask, sum(_code_bits(
            bits, SERVICE_KIND, role.required_service_kinds).values())))
    for course in role.required_training:
        for day in role.session_days:
            out.append(_has(TrainingCompletion, TrainingCompletion.course_code == course,
                            TrainingCompletion.completed_on <= day,
                            or_(TrainingCompletion.expires_on.is_(None),
                                TrainingCompletion.expires_on >= day)))
    if role.sessions:
        needed = profile.slot_bits(role.needed_slots)
        # No availability recorded is never a reason to leave someone out.
        out.append(or_(P.c.slot_mask == 0, P.c.slot_mask.op("&")(number(needed))
                       == number(needed)))
        gap = (role.sessions[0].day - today).days
        out.append(or_(P.c.notice_days.is_(None), P.c.notice_days <= gap))
    all_ways = {role.ways(s) for s in role.sessions}
    if frozenset({ONLINE}) in all_ways:
        out.append(P.c.attendance_mode != IN_PERSON)
    if frozenset({IN_PERSON}) in all_ways:
        out.append(P.c.attendance_mode != ONLINE)
    # One check per place and way of taking part; an unknown distance is 0
    # (never a reason to leave someone out).
    places = sorted({(normalise(s.postcode_district) or "", role.ways(s))
                     for s in role.sessions if IN_PERSON in role.ways(s)},
                    key=lambda x: (x[0], sorted(x[1])))
    for place, ways in places:
        miles = _miles(place)
        if miles is None:
            continue
        travels = (P.c.attendance_mode != ONLINE) if ONLINE not in ways else (
            P.c.attendance_mode == IN_PERSON)
        out.append(or_(P.c.travel_max_miles.is_(None), not_(travels),
                       miles <= P.c.travel_max_miles))
    if left_out:
        out.append(PERSON.not_in(list(left_out)))
    # Their own limit of roles at once: counted only for the few who set one.
    current = (select(func.count()).select_from(Offer)
               .join(RoleOpening, RoleOpening.id == Offer.role_id)
               .where(Offer.contributor_id == PERSON,
                      Offer.status == OfferStatus.ACCEPTED.value, Offer.role_id != role.id,
                      RoleOpening.status.in_(CURRENT_ROLE_STATUSES)).scalar_subquery())
    out.append(or_(P.c.max_roles_at_once.is_(None), current < P.c.max_roles_at_once))
    return out, joins


def score_expression(role: RoleFacts, weights: Weights, today: dt.date, window_days: int,
                     bits: Bits) -> tuple[ColumnElement[float], Joins]:
    """criteria.score(...).total as SQL on matching_profile, for people who
    meet every rule (for them availability is all sessions or, with none
    recorded, 0), and the grouped subquery to outer-join (table, on) it reads.

    Weights are folded into the constants (one CASE a code giving its
    points), as it is worked out for every eligible person."""
    zero = literal(0.0, Float)

    def points(value: float) -> Any:
        return literal(value, Float)

    def bit_points(mask: Any, values: Mapping[str, int], each: Mapping[str, float]) -> list[Any]:
        return [case((mask.op("&")(number(v)) != 0, points(each[c])), else_=zero)
                for c, v in values.items() if each[c]]

    def share(mask: Any, kind: str, codes: frozenset[str], weight: float) -> list[Any]:
        values = _code_bits(bits, kind, codes)
        return bit_points(mask, values, {c: weight / len(codes) for c in values})

    terms: list[Any] = [
        *share(P.c.skill_mask, SKILL, role.desirable_skills, weights.skills),
        *share(P.c.service_mask, SERVICE_KIND, role.target_service_kinds,
               weights.service_kinds)]
    if role.sessions:
        terms.append(case((P.c.slot_mask != 0, points(weights.availability)), else_=zero))
    shares = criteria.adjustment_shares(role)
    provided = bit_points(P.c.adjustment_mask, _code_bits(bits, ADJUSTMENT, frozenset(shares)),
                          {c: weights.adjustments_provided * v for c, v in shares.items()})
    terms.append(case((P.c.adjustment_count == 0, points(weights.adjustments_provided)),
                      else_=sum(provided[1:], provided[0]) / cast(P.c.adjustment_count, Float)
                      if provided else zero))
    recent = (select(Offer.contributor_id.label("cid"), func.count().label("n"))
              .where(Offer.offered_at >= window_start(today, window_days),
                     Offer.status.not_in(NOT_COUNTED_OFFERS))
              .group_by(Offer.contributor_id).subquery())
    terms.append(points(weights.fewer_recent_offers)
                 / cast(func.coalesce(recent.c.n, 0) + 1, Float))
    terms.append(case((P.c.has_attended == true(), zero), else_=points(weights.never_involved)))
    return sum(terms[1:], terms[0]), [(recent, recent.c.cid == PERSON)]


# Engines whose contributors have all been checked for a profile (once a
# process: the listener keeps them in step after that).
_checked: set[int] = set()


def _profiles_present(session: Session) -> None:
    engine = session.get_bind()
    key = id(engine.engine if isinstance(engine, Engine) else engine)
    if key not in _checked:
        profile.refresh_missing(session)
        _checked.add(key)


def _ranked(session: Session, role: RoleFacts, today: dt.date, *, limit: int | None,
            offset: int = 0, with_total: bool = False) -> list[tuple[int, float, int]]:
    _profiles_present(session)
    cfg = matching_config()
    bits = profile.code_bits(session)
    expr, joins = score_expression(role, cfg.weights, today, cfg.fairness_window_days, bits)
    conditions, more = eligible_conditions(role, today, left_out_people(session, role), bits)
    score = expr.label("score")
    total = (func.count().over() if with_total else literal(0)).label("total")
    source: Any = P
    for table, on in more + joins:
        source = source.outerjoin(table, on)
    stmt = (select(PERSON, score, total).select_from(source).where(*conditions)
            .order_by(score.desc(), P.c.full_name, PERSON).offset(offset))
    if limit is not None:
        stmt = stmt.limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        # For this transaction only: room to sort and hash in memory, and no
        # JIT, whose compiling of the long score and travel expressions
        # takes longer than the query itself.
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

"""Batches: who fills which places across several open roles at once.

``propose`` ranks each role's best eligible people (crm.matching.ranking),
reads each role's sessions, the people's existing bookings and their own
limits, asks the solver (crm.matching.solver) for the best assignment and
stores it as a ``MatchBatch`` with its ``MatchProposal`` rows. The
coordinator then removes or adds people (``change``) and confirms or
discards it (crm.matching.batch_confirm), which alone sends the offers.

Every function flushes and audits, never commits, and raises
``BatchError`` with words for the coordinator. A change made from a page
loaded before someone else's change (or confirmation) is refused: the
batch's ``version`` goes up on every change.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.contributors.models import Contributor
from crm.matching import criteria, ranking
from crm.matching.config import matching_config
from crm.matching.models import BatchStatus, MatchBatch, MatchProposal, Offer, OfferStatus
from crm.matching.solver import BatchProblem, BatchResult, BatchRole, Candidate, solve
from crm.projects.models import Project, RoleOpening, RoleSession, RoleStatus

# More roles than this in one batch is more than a coordinator can review.
MAX_BATCH_ROLES = 60
MAX_ROLES_PER_PERSON = 10
# The new-batch form lists at most this many open roles (a project's, or the
# soonest closing of all).
ROLES_LISTED = MAX_BATCH_ROLES * 2
# Offers that hold (or may soon hold) one of a role's places.
HOLDING = (OfferStatus.ACCEPTED.value, OfferStatus.OFFERED.value)
RUNNING = (RoleStatus.OPEN.value, RoleStatus.FILLED.value)


class BatchError(Exception):
    """A refused step, in words for the coordinator. ``field`` names the
    form field it belongs to, when there is one; ``conflict`` marks a change
    refused because the batch changed since the page was loaded."""

    def __init__(self, message: str, field: str | None = None, *,
                 conflict: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.conflict = conflict


def role_name(role: RoleOpening) -> str:
    return f"{role.title} (role {role.id})"


# --- reading ----------------------------------------------------------------

def load_roles(session: Session, role_ids: Iterable[int]) -> list[RoleOpening]:
    """Roles with what ranking and the pages read, in id order."""
    return list(session.scalars(
        select(RoleOpening).where(RoleOpening.id.in_(list(role_ids))).order_by(RoleOpening.id)
        .options(selectinload(RoleOpening.project).selectinload(Project.wards),
                 selectinload(RoleOpening.sessions).selectinload(RoleSession.ward))))


def open_roles(session: Session, *, project_id: int | None = None,
               limit: int = ROLES_LISTED) -> list[RoleOpening]:
    """Open roles to choose from, soonest closing first (then by id), with
    their project and sessions; only ``project_id``'s when given."""
    stmt = (select(RoleOpening).where(RoleOpening.status == RoleStatus.OPEN.value)
            .order_by(RoleOpening.closes_on.is_(None), RoleOpening.closes_on, RoleOpening.id)
            .options(selectinload(RoleOpening.project), selectinload(RoleOpening.sessions))
            .limit(limit))
    if project_id is not None:
        stmt = stmt.where(RoleOpening.project_id == project_id)
    return list(session.scalars(stmt))


def load_batch(session: Session, batch_id: int) -> MatchBatch | None:
    return session.scalars(select(MatchBatch).where(MatchBatch.id == batch_id)
                           .options(selectinload(MatchBatch.proposals))).one_or_none()


def places_held(session: Session, role_ids: Sequence[int]) -> dict[int, int]:
    """Role id -> places held by people who said yes or were offered it."""
    rows = session.execute(
        select(Offer.role_id, func.count()).where(Offer.role_id.in_(list(role_ids)),
                                                  Offer.status.in_(HOLDING))
        .group_by(Offer.role_id))
    return {role_id: n for role_id, n in rows}


def _offered(session: Session, role_ids: Sequence[int]) -> dict[int, set[int]]:
    """Role id -> people with any offer for it (never offered twice)."""
    out: dict[int, set[int]] = defaultdict(set)
    for role_id, person in session.execute(
            select(Offer.role_id, Offer.contributor_id).where(Offer.role_id.in_(list(role_ids)))):
        out[role_id].add(person)
    return out


def intervals(role: RoleOpening, today: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
    """The sessions that count (not cancelled, not before today), as ranking counts them."""
    since = ranking.window_start(today, 0)
    return tuple((s.starts_at, s.ends_at) for s in role.sessions
                 if not s.is_cancelled and s.starts_at >= since)


def _booked(session: Session, people: Sequence[int]) -> dict[int, list[tuple[dt.datetime,
                                                                             dt.datetime]]]:
    """Person -> sessions of roles they said yes to (not cancelled)."""
    out: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    if not people:
        return out
    rows = session.execute(
        select(Offer.contributor_id, RoleSession.starts_at, RoleSession.minutes)
        .join(RoleSession, RoleSession.role_id == Offer.role_id)
        .join(RoleOpening, RoleOpening.id == Offer.role_id)
        .where(Offer.contributor_id.in_(list(people)), Offer.status == OfferStatus.ACCEPTED.value,
               RoleSession.is_cancelled.is_(False),
               RoleOpening.status != RoleStatus.CANCELLED.value))
    for person, starts_at, minutes in rows:
        out[person].append((starts_at, starts_at + dt.timedelta(minutes=minutes)))
    return out


def _own_limits(session: Session, people: Sequence[int]) -> dict[int, int]:
    """Person -> roles they may still take, for people who set a limit of roles at once."""
    if not people:
        return {}
    limits = {p: n or 0 for p, n in session.execute(
        select(Contributor.id, Contributor.max_roles_at_once)
        .where(Contributor.id.in_(list(people)), Contributor.max_roles_at_once.is_not(None)))}
    if not limits:
        return {}
    doing = {p: n for p, n in session.execute(
        select(Offer.contributor_id, func.count())
        .join(RoleOpening, RoleOpening.id == Offer.role_id)
        .where(Offer.contributor_id.in_(list(limits)), Offer.status == OfferStatus.ACCEPTED.value,
               RoleOpening.status.in_(RUNNING))
        .group_by(Offer.contributor_id))}
    return {p: max(0, n - doing.get(p, 0)) for p, n in limits.items()}


# --- proposing --------------------------------------------------------------

@dataclass(frozen=True)
class Proposed:
    """A batch as stored, with the problem the solver was given, its answer
    and the time spent ranking and reading bookings (for benchmarks)."""

    batch: MatchBatch
    problem: BatchProblem
    result: BatchResult
    ranking_seconds: float


def propose(session: Session, actor: User, roles: Sequence[RoleOpening], *,
            max_roles_per_person: int, fill_every_role: bool, today: dt.date) -> MatchBatch:
    """Propose who fills the free places of ``roles`` (all open). With
    ``fill_every_role`` each role must get all its free places, else the
    batch is stored as infeasible with the reason in words.

    Raises BatchError when no role is chosen, too many are, a role is not
    open, or the limit per person is out of range."""
    return propose_with_timings(session, actor, roles, max_roles_per_person=max_roles_per_person,
                                fill_every_role=fill_every_role, today=today).batch


def propose_with_timings(session: Session, actor: User, roles: Sequence[RoleOpening], *,
                         max_roles_per_person: int, fill_every_role: bool, today: dt.date
                         ) -> Proposed:
    """``propose``, also returning the solver's result and ranking time."""
    if not roles:
        raise BatchError("Choose at least one open role", "role_ids")
    if len(roles) > MAX_BATCH_ROLES:
        raise BatchError(f"Choose {MAX_BATCH_ROLES} roles or fewer", "role_ids")
    if not 1 <= max_roles_per_person <= MAX_ROLES_PER_PERSON:
        raise BatchError(f"Roles per person must be between 1 and {MAX_ROLES_PER_PERSON}",
                         "max_roles_per_person")
    closed = [r for r in roles if r.status != RoleStatus.OPEN.value]
    if closed:
        raise BatchError("Only open roles can be in a batch: "
                         + ", ".join(role_name(r) for r in closed) + " are not open", "role_ids")
    roles = sorted({r.id: r for r in roles}.values(), key=lambda r: r.id)
    ids = [r.id for r in roles]
    k = matching_config().candidates_per_role
    held, offered = places_held(session, ids), _offered(session, ids)
    free = {r.id: max(0, r.places - held.get(r.id, 0)) for r in roles}
    started = time.perf_counter()
    candidates: list[Candidate] = []
    for role in roles:
        if not free[role.id]:
            continue  # every place taken or offered: nobody to rank
        # Ask for enough to still have k once people already offered it are left out.
        ranked = ranking.top_candidates(session, role, k + len(offered[role.id]), today=today)
        ranked = [(p, s) for p, s in ranked if p not in offered[role.id]][:k]
        candidates += [Candidate(role.id, p, max(0.0, s)) for p, s in ranked]
    people = sorted({c.contributor_id for c in candidates})
    problem = BatchProblem(
        roles=[BatchRole(r.id, free[r.id], intervals(r, today),
                         minimum=free[r.id] if fill_every_role else 0, label=r.title)
               for r in roles],
        candidates=candidates, max_roles_per_person=max_roles_per_person,
        booked=_booked(session, people), person_caps=_own_limits(session, people))
    ranking_seconds = time.perf_counter() - started
    result = solve(problem)
    batch = MatchBatch(created_by_id=actor.id, role_ids=ids,
                       max_roles_per_person=max_roles_per_person,
                       solver_status=result.status.value, objective=result.objective,
                       gap=result.gap, seconds=result.seconds, explanation=result.explanation)
    batch.proposals = [MatchProposal(role_id=a.role_id, contributor_id=a.contributor_id,
                                     score=a.score) for a in result.assignments]
    session.add(batch)
    session.flush()
    record(session, Action.BATCH_PROPOSED, entity_type=EntityType.BATCH, entity_id=batch.id,
           actor=actor,
           summary=f"batch of {len(ids)} roles: {result.status.value}, "
                   f"{len(result.assignments)} places proposed",
           changes={"role_ids": ids, "max_roles_per_person": max_roles_per_person,
                    "fill_every_role": fill_every_role, "solver_status": result.status.value,
                    "gap": result.gap, "seconds": round(result.seconds, 3)})
    return Proposed(batch, problem, result, ranking_seconds)


# --- changing ---------------------------------------------------------------

def check_open(batch: MatchBatch, expected_version: int) -> None:
    if batch.status == BatchStatus.CONFIRMED.value:
        raise BatchError("This batch has already been confirmed and its offers sent. "
                         "Nothing was changed or sent again.", conflict=True)
    if batch.status == BatchStatus.DISCARDED.value:
        raise BatchError("This batch was discarded. Nothing was changed or sent.",
                         conflict=True)
    if batch.version != expected_version:
        raise BatchError("Someone changed this batch after you opened the page. "
                         "Check the proposal below and try again.", conflict=True)


def _touch(session: Session, batch: MatchBatch) -> None:
    """Raise the batch's version: its proposals changed, not its own row."""
    flag_modified(batch, "role_ids")
    flush_batch(session)


def flush_batch(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as error:
        raise BatchError("Someone changed or confirmed this batch at the same moment. "
                         "Check the batch and try again.", conflict=True) from error


def _role_in(session: Session, batch: MatchBatch, role_id: int) -> RoleOpening:
    if role_id not in batch.role_ids:
        raise BatchError("That role is not in this batch", "role_id")
    role = ranking.load_role(session, role_id)
    if role is None:
        raise BatchError("That role no longer exists", "role_id")
    return role


def change(session: Session, actor: User, batch: MatchBatch, *, role_id: int,
           contributor_id: int, add: bool, expected_version: int, today: dt.date
           ) -> MatchProposal | None:
    """Remove a proposed person from a role (``add=False``) or add someone
    (``add=True``); see ``remove_person`` and ``add_person``."""
    if add:
        return add_person(session, actor, batch, role_id=role_id, contributor_id=contributor_id,
                          expected_version=expected_version, today=today)
    remove_person(session, actor, batch, role_id=role_id, contributor_id=contributor_id,
                  expected_version=expected_version)
    return None


def remove_person(session: Session, actor: User, batch: MatchBatch, *, role_id: int,
                  contributor_id: int, expected_version: int) -> None:
    """Take a proposed person off a role in this batch."""
    check_open(batch, expected_version)
    proposal = next((p for p in batch.proposals
                     if p.role_id == role_id and p.contributor_id == contributor_id), None)
    if proposal is None:
        raise BatchError("That person is not proposed for that role in this batch",
                         "contributor_id")
    batch.proposals.remove(proposal)
    _touch(session, batch)
    record(session, Action.UPDATE, entity_type=EntityType.BATCH, entity_id=batch.id,
           actor=actor, summary=f"removed contributor {contributor_id} from role {role_id}")


def add_person(session: Session, actor: User, batch: MatchBatch, *, role_id: int,
               contributor_id: int, expected_version: int, today: dt.date) -> MatchProposal:
    """Propose someone for a role in this batch. They must meet every hard
    rule of the role, have no offer for it yet, fit in its free places, not
    be proposed for a role at an overlapping time, and stay within the
    batch's limit of roles per person. Each refusal says which."""
    check_open(batch, expected_version)
    role = _role_in(session, batch, role_id)
    person = session.get(Contributor, contributor_id)
    if person is None:
        raise BatchError("There is no contributor with that number", "contributor_id")
    who = person.name
    mine = [p for p in batch.proposals if p.contributor_id == contributor_id]
    if any(p.role_id == role_id for p in mine):
        raise BatchError(f"{who} is already proposed for {role_name(role)}", "contributor_id")
    if session.scalar(select(Offer.id).where(Offer.role_id == role_id,
                                             Offer.contributor_id == contributor_id)):
        raise BatchError(f"{who} already has an offer for {role_name(role)}", "contributor_id")
    facts = ranking.role_facts(session, role, today=today)
    people = ranking.person_facts(session, [contributor_id], facts, today=today)
    reasons = criteria.hard_rule_failures(people[contributor_id], facts, today)
    if reasons:
        raise BatchError(f"{who} cannot be proposed for {role_name(role)}: "
                         + "; ".join(r.text for r in reasons), "contributor_id")
    free = role.places - places_held(session, [role_id]).get(role_id, 0)
    if sum(1 for p in batch.proposals if p.role_id == role_id) >= free:
        raise BatchError(f"{role_name(role)} has no free place left in this batch. Remove "
                         "someone from it first.", "contributor_id")
    if len(mine) >= batch.max_roles_per_person:
        raise BatchError(f"{who} is already proposed for {len(mine)} roles in this batch, the "
                         f"most for one person ({batch.max_roles_per_person})", "contributor_id")
    facts_of = people[contributor_id]
    if (facts_of.max_roles_at_once is not None
            and facts_of.current_roles + len(mine) >= facts_of.max_roles_at_once):
        raise BatchError(f"{who} would be over their own limit of {facts_of.max_roles_at_once} "
                         f"roles at once: they are doing {facts_of.current_roles} and are "
                         f"proposed for {len(mine)} in this batch", "contributor_id")
    others = {r.id: r for r in load_roles(session, [p.role_id for p in mine])}
    mine_now = intervals(role, today)
    for p in mine:
        other = others[p.role_id]
        if any(s1 < e2 and s2 < e1 for s1, e1 in mine_now for s2, e2 in intervals(other, today)):
            raise BatchError(f"{who} is proposed for {role_name(other)}, which meets at the same "
                             f"time as {role_name(role)}", "contributor_id")
    points = criteria.score(people[contributor_id], facts, matching_config().weights).total
    proposal = MatchProposal(role_id=role_id, contributor_id=contributor_id, score=points)
    batch.proposals.append(proposal)
    _touch(session, batch)
    record(session, Action.UPDATE, entity_type=EntityType.BATCH, entity_id=batch.id,
           actor=actor, summary=f"added contributor {contributor_id} to role {role_id}")
    return proposal

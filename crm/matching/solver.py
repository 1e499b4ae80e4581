"""Who fills which places across several roles at once: a mixed-integer
programme solved by HiGHS (``scipy.optimize.milp``), not a heuristic.

Pure: no database, no Flask. The batch service (``crm.matching.batches``)
turns roles, ranked candidates and bookings into a ``BatchProblem`` and
stores the ``BatchResult``.

The model has one binary variable per (role, person) pair the ranking
offered, so a pair is used at most once. It maximises the total score
subject to:

- at most ``places`` people per role, and at least ``minimum`` (0 unless
  the coordinator asked for every role to be filled);
- no person at two roles whose sessions overlap: one constraint per person
  and per moment when several roles meet at once (the start of a session),
  which covers every overlapping pair and is tighter than pairwise ones;
- no person in a role that overlaps one of their existing bookings (those
  pairs get no variable at all);
- at most ``max_roles_per_person`` roles per person in the batch.

Sessions are half-open intervals: one ending at 12:00 does not clash with
one starting at 12:00.

Ties: roles and candidates are put in one canonical order (by id) before the
model is built, and HiGHS is deterministic, so the same input (in any order)
always gives the same proposal.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

Interval = tuple[dt.datetime, dt.datetime]

# HiGHS calls a solution optimal when it is within this fraction of the best
# bound; small enough that "optimal" on the page means what it says.
DEFAULT_MIP_REL_GAP = 1e-6

# How long the search for a smallest set of roles that cannot all be filled
# (the fallback explanation) may take, on top of the solve itself.
EXPLAIN_SECONDS = 2.0


class SolverStatus(StrEnum):
    OPTIMAL = "optimal"  # the best possible total
    FEASIBLE = "feasible"  # stopped at the time limit; within ``gap`` of the best
    INFEASIBLE = "infeasible"  # the minimums cannot all be met; see ``explanation``


@dataclass(frozen=True)
class BatchRole:
    """A role in the batch. ``label`` is its title, for explanations."""

    id: int
    places: int
    sessions: tuple[Interval, ...] = ()
    minimum: int = 0
    label: str = ""

    @property
    def name(self) -> str:
        return f"{self.label} (role {self.id})" if self.label else f"Role {self.id}"


@dataclass(frozen=True)
class Candidate:
    """One eligible person for one role, with their ranking score (0 or more)."""

    role_id: int
    contributor_id: int
    score: float


@dataclass(frozen=True)
class BatchProblem:
    """Everything the solver needs. ``booked`` maps a person to the session
    intervals they are already booked at (accepted offers on other roles).
    ``person_caps`` holds a person's own lower limit of roles in this batch
    (their limit of roles at once, less the roles they are doing), where it
    is below ``max_roles_per_person``.
    ``time_limit_seconds`` None means the matching policy's limit."""

    roles: Sequence[BatchRole]
    candidates: Sequence[Candidate]
    max_roles_per_person: int
    booked: Mapping[int, Sequence[Interval]] = field(default_factory=dict)
    person_caps: Mapping[int, int] = field(default_factory=dict)
    time_limit_seconds: float | None = None
    mip_rel_gap: float = DEFAULT_MIP_REL_GAP


@dataclass(frozen=True)
class Assignment:
    role_id: int
    contributor_id: int
    score: float


@dataclass(frozen=True)
class BatchResult:
    """The proposal. ``gap`` is the most the total could be below the best
    possible, as a fraction (0 when optimal, None when infeasible)."""

    status: SolverStatus
    objective: float | None
    gap: float | None
    seconds: float
    assignments: tuple[Assignment, ...]
    explanation: str | None = None

    def for_role(self, role_id: int) -> list[Assignment]:
        return [a for a in self.assignments if a.role_id == role_id]


def overlaps(a: Iterable[Interval], b: Iterable[Interval]) -> bool:
    """Whether any interval of ``a`` overlaps any of ``b`` (half-open)."""
    b = list(b)
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


@dataclass
class _Model:
    """The canonical form of a problem: roles by id, usable pairs by
    (role id, person id), each pair once with its best score."""

    roles: list[BatchRole]
    pairs: list[Candidate]
    by_person: dict[int, list[int]]  # person -> indexes into pairs
    by_role: dict[int, list[int]]  # role id -> indexes into pairs
    clashed: dict[int, int]  # role id -> candidates left out for a clash with a booking
    cliques: list[frozenset[int]]  # sets of role ids that all meet at one moment
    cap: int
    caps: dict[int, int]  # person -> their limit in this batch

    def cap_of(self, person: int) -> int:
        return self.caps.get(person, self.cap)


def _canonical(problem: BatchProblem) -> _Model:
    roles = sorted(problem.roles, key=lambda r: r.id)
    by_id = {r.id: r for r in roles}
    best: dict[tuple[int, int], float] = {}
    for c in problem.candidates:
        if c.role_id not in by_id or c.score < 0:
            continue
        key = (c.role_id, c.contributor_id)
        best[key] = max(best.get(key, c.score), c.score)
    pairs: list[Candidate] = []
    clashed: dict[int, int] = defaultdict(int)
    caps = {p: max(0, min(n, problem.max_roles_per_person))
            for p, n in problem.person_caps.items()}
    for (role_id, person), score in sorted(best.items()):
        if caps.get(person) == 0:
            continue  # at their own limit already
        if overlaps(by_id[role_id].sessions, problem.booked.get(person, ())):
            clashed[role_id] += 1  # already booked at an overlapping session
            continue
        pairs.append(Candidate(role_id, person, score))
    by_person: dict[int, list[int]] = defaultdict(list)
    by_role: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(pairs):
        by_person[c.contributor_id].append(i)
        by_role[c.role_id].append(i)
    return _Model(roles, pairs, dict(by_person), dict(by_role), dict(clashed), _cliques(roles),
                  problem.max_roles_per_person, caps)


def _cliques(roles: Sequence[BatchRole]) -> list[frozenset[int]]:
    """Maximal sets of two or more roles meeting at one moment. Two roles
    overlap exactly when, at the later of the two overlapping sessions'
    starts, both are meeting; so the sets at every session start cover every
    overlapping pair."""
    points = sorted({s for r in roles for s, _e in r.sessions})
    found: set[frozenset[int]] = set()
    for t in points:
        meeting = frozenset(r.id for r in roles if any(s <= t < e for s, e in r.sessions))
        if len(meeting) > 1:
            found.add(meeting)
    # Keep only the maximal ones: a subset adds nothing.
    return sorted((c for c in found if not any(c < other for other in found)),
                  key=lambda c: sorted(c))


def solve(problem: BatchProblem) -> BatchResult:
    """Propose the best assignment. Never raises for a well-formed problem:
    when the minimums cannot be met the result says why in words."""
    started = time.perf_counter()
    model = _canonical(problem)
    limit = problem.time_limit_seconds
    if limit is None:
        from crm.matching.config import matching_config

        limit = matching_config().time_limit_seconds
    minimums = {r.id: min(r.minimum, r.places) for r in model.roles}
    outcome = _run(model, minimums, limit, problem.mip_rel_gap)
    if outcome.chosen is None and not any(minimums.values()):
        # HiGHS found nothing in time (only on huge batches with a tiny
        # limit). Nobody is always allowed, so offer the greedy proposal and
        # say how far it may be from the best.
        chosen = _greedy(model)
        total = sum(c.score for c in chosen)
        bound = outcome.bound if outcome.bound is not None else float("inf")
        gap = (bound - total) / bound if 0 < bound < float("inf") else 1.0
        outcome = _Outcome(chosen, SolverStatus.FEASIBLE, max(0.0, gap))
    seconds = time.perf_counter() - started
    if outcome.chosen is None or outcome.status is None:
        if outcome.proven:
            explanation = explain(problem, model=model, time_left=EXPLAIN_SECONDS)
        else:
            explanation = (f"The solver stopped after {limit:g} seconds without finding a way "
                           "to fill every role. It may still be possible: choose fewer roles, "
                           "or untick \u201cevery role must be filled\u201d.")
        return BatchResult(SolverStatus.INFEASIBLE, None, None, seconds, (), explanation)
    assignments = tuple(Assignment(c.role_id, c.contributor_id, c.score)
                        for c in outcome.chosen)
    # The total from the scores themselves, not the solver's floating result.
    objective = float(sum(a.score for a in assignments))
    return BatchResult(outcome.status, objective, outcome.gap, seconds, assignments)


@dataclass(frozen=True)
class _Outcome:
    """What one solve gave: the chosen pairs and status, or nothing, with
    ``proven`` saying the minimums really cannot be met (not just: nothing
    found in time). ``bound`` is the best total possible, when known."""

    chosen: list[Candidate] | None
    status: SolverStatus | None = None
    gap: float | None = None
    proven: bool = False
    bound: float | None = None


def _greedy(model: _Model) -> list[Candidate]:
    """Best scores first, each pair taken when it breaks no rule."""
    taken: dict[int, int] = defaultdict(int)
    roles_of: dict[int, set[int]] = defaultdict(set)
    clashes = {r.id: {o.id for o in model.roles
                      if o.id != r.id and overlaps(r.sessions, o.sessions)}
               for r in model.roles}
    places = {r.id: r.places for r in model.roles}
    chosen: list[Candidate] = []
    for c in sorted(model.pairs, key=lambda c: (-c.score, c.role_id, c.contributor_id)):
        mine = roles_of[c.contributor_id]
        if (taken[c.role_id] < places[c.role_id] and len(mine) < model.cap_of(c.contributor_id)
                and not mine & clashes[c.role_id]):
            chosen.append(c)
            taken[c.role_id] += 1
            mine.add(c.role_id)
    return sorted(chosen, key=lambda c: (c.role_id, c.contributor_id))


def _run(model: _Model, minimums: Mapping[int, int], limit: float, rel_gap: float
         ) -> _Outcome:
    """One solve with these minimums."""
    n = len(model.pairs)
    if n == 0:
        if any(minimums.values()):
            return _Outcome(None, proven=True)
        return _Outcome([], SolverStatus.OPTIMAL, 0.0)
    rows: list[int] = []
    cols: list[int] = []
    lower: list[float] = []
    upper: list[float] = []

    def add_row(indexes: Sequence[int], lo: float, hi: float) -> None:
        row = len(lower)
        rows.extend([row] * len(indexes))
        cols.extend(indexes)
        lower.append(lo)
        upper.append(hi)

    for role in model.roles:
        indexes = model.by_role.get(role.id, [])
        if minimums[role.id] > len(indexes):
            return _Outcome(None, proven=True)
        if indexes and len(indexes) > role.places or minimums[role.id]:
            add_row(indexes, minimums[role.id], role.places)
    for person, indexes in sorted(model.by_person.items()):
        if len(indexes) > model.cap_of(person):
            add_row(indexes, 0, model.cap_of(person))
        role_of = {model.pairs[i].role_id: i for i in indexes}
        for clique in model.cliques:
            together = [role_of[r] for r in sorted(clique) if r in role_of]
            if len(together) > 1:
                add_row(together, 0, 1)
    constraints = []
    if lower:
        matrix = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(lower), n))
        constraints.append(LinearConstraint(matrix, np.array(lower), np.array(upper)))
    scores = np.array([-c.score for c in model.pairs])  # milp minimises
    res = milp(scores, integrality=np.ones(n), bounds=Bounds(0, 1), constraints=constraints,
               options={"time_limit": limit, "mip_rel_gap": rel_gap, "disp": False})
    bound = getattr(res, "mip_dual_bound", None)
    bound = -float(bound) if bound is not None and np.isfinite(bound) else None
    if res.x is None:
        return _Outcome(None, proven=res.status == 2, bound=bound)
    chosen = [model.pairs[i] for i in range(n) if res.x[i] > 0.5]
    if res.status == 0:
        return _Outcome(chosen, SolverStatus.OPTIMAL, float(res.mip_gap or 0.0))
    gap = res.mip_gap
    return _Outcome(chosen, SolverStatus.FEASIBLE, float(gap) if gap is not None else 1.0)


# --- explanations -----------------------------------------------------------

def _people(n: int, kind: str = "") -> str:
    """ "1 person", "3 eligible people"."""
    kind = f"{kind} " if kind else ""
    return f"1 {kind}person" if n == 1 else f"{n} {kind}people"


def _names(roles: Sequence[BatchRole]) -> str:
    names = [r.name for r in roles]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def explain(problem: BatchProblem, *, model: _Model | None = None,
            time_left: float = EXPLAIN_SECONDS) -> str:
    """Why the minimums cannot all be met, in plain words: simple reasons
    first (a role with too few eligible people; roles meeting at the same
    time that need more people than can take them; more places than people
    can fill within their limit), else the smallest set of roles found that
    cannot all be filled together."""
    model = model or _canonical(problem)
    minimums = {r.id: min(r.minimum, r.places) for r in model.roles}
    by_id = {r.id: r for r in model.roles}
    reasons: list[str] = []
    for role in model.roles:
        need, have = minimums[role.id], len(model.by_role.get(role.id, []))
        if need > have:
            could = "no eligible person" if have == 0 else f"only {_people(have, 'eligible')}"
            clash = (" without clashing with a session they are already booked for"
                     if model.clashed.get(role.id) else "")
            reasons.append(f"{role.name} needs {_people(need)} but {could} could take it"
                           f"{clash}.")
    short = {r.id for r in model.roles if minimums[r.id] > len(model.by_role.get(r.id, []))}
    for clique in model.cliques:
        if clique & short:
            continue  # already explained by the role on its own
        need = sum(minimums[r] for r in clique)
        people = {model.pairs[i].contributor_id for r in clique
                  for i in model.by_role.get(r, [])}
        if need > len(people):
            together = [by_id[r] for r in sorted(clique)]
            reasons.append(
                f"{_names(together)} meet at the same time and need {_people(need)} "
                f"between them, but only {_people(len(people), 'eligible')} could take them, "
                "and nobody can be in two places at once.")
    if not reasons:
        need = sum(minimums.values())
        can = sum(min(model.cap_of(p), len(ix)) for p, ix in model.by_person.items())
        lower = any(model.cap_of(p) < model.cap for p in model.by_person)
        if need > can:
            reasons.append(
                f"The roles need {_people(need)} in all, but the "
                f"{_people(len(model.by_person), 'eligible')} can take at most {can} places "
                f"between them (at most {model.cap} {'role' if model.cap == 1 else 'roles'} "
                f"each{', or fewer where their own limit is lower' if lower else ''}).")
    if reasons:
        return " ".join(reasons)
    core = _smallest_conflict(model, minimums, time_left)
    return (f"{_names(core)} cannot all be filled at once with the people eligible, "
            "because of clashing sessions and the limit of roles per person. "
            "Choose fewer roles, allow more roles per person, or untick "
            "\u201cevery role must be filled\u201d.")


def _smallest_conflict(model: _Model, minimums: Mapping[int, int], time_left: float
                       ) -> list[BatchRole]:
    """A set of roles whose minimums cannot be met together, and none of
    which can be left out: drop each role's minimum in turn and keep it
    dropped while the rest are still impossible (a deletion filter). Gives
    up at ``time_left`` seconds, naming what is left."""
    deadline = time.perf_counter() + time_left
    needed = {r: m for r, m in minimums.items() if m}
    for role_id in sorted(needed):
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            break
        trial = {**needed, role_id: 0}
        if _run(model, {r.id: trial.get(r.id, 0) for r in model.roles}, remaining,
                DEFAULT_MIP_REL_GAP).proven:
            del needed[role_id]
    return [r for r in model.roles if r.id in needed]

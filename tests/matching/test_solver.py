"""The batch solver: its total equals an exhaustive search on small random
cases, what it proposes keeps every rule (checked here independently), the
same input always gives the same proposal, and impossible batches are
explained in words."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Sequence
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.matching import solver
from crm.matching.solver import (
    Assignment,
    BatchProblem,
    BatchRole,
    Candidate,
    SolverStatus,
    solve,
)

BASE = dt.datetime(2027, 3, 1, 9, 0)


def at(hour: float, hours: float = 1) -> tuple[dt.datetime, dt.datetime]:
    start = BASE + dt.timedelta(hours=hour)
    return start, start + dt.timedelta(hours=hours)


def clash(a: Sequence[tuple[dt.datetime, dt.datetime]],
          b: Sequence[tuple[dt.datetime, dt.datetime]]) -> bool:
    """Written apart from the solver's own check, on purpose."""
    for s1, e1 in a:
        for s2, e2 in b:
            if max(s1, s2) < min(e1, e2):
                return True
    return False


def broken_rules(problem: BatchProblem, assignments: Sequence[Assignment]) -> list[str]:
    """Every rule the assignment breaks (empty when it keeps them all)."""
    roles = {r.id: r for r in problem.roles}
    offered = {(c.role_id, c.contributor_id): c.score for c in problem.candidates}
    broken: list[str] = []
    pairs = [(a.role_id, a.contributor_id) for a in assignments]
    if len(pairs) != len(set(pairs)):
        broken.append("a pair twice")
    for role_id, person in pairs:
        if (role_id, person) not in offered:
            broken.append(f"{person} was not a candidate for {role_id}")
        if clash(roles[role_id].sessions, problem.booked.get(person, ())):
            broken.append(f"{person} already booked at the time of {role_id}")
    for role in problem.roles:
        taken = sum(1 for r, _p in pairs if r == role.id)
        if taken > role.places:
            broken.append(f"{role.id} over its places")
        if taken < role.minimum:
            broken.append(f"{role.id} under its minimum")
    by_person: dict[int, list[int]] = {}
    for role_id, person in pairs:
        by_person.setdefault(person, []).append(role_id)
    for person, role_ids in by_person.items():
        if len(role_ids) > min(problem.max_roles_per_person,
                               problem.person_caps.get(person, problem.max_roles_per_person)):
            broken.append(f"{person} over the limit")
        for r1, r2 in itertools.combinations(role_ids, 2):
            if clash(roles[r1].sessions, roles[r2].sessions):
                broken.append(f"{person} at {r1} and {r2} at once")
    return broken


def brute_force(problem: BatchProblem) -> float | None:
    """The best total over every assignment there is (None if none keeps
    the minimums): each role in turn takes every subset of its candidates."""
    options = []
    for role in problem.roles:
        people = sorted({c.contributor_id for c in problem.candidates if c.role_id == role.id})
        options.append([combo for size in range(role.minimum, role.places + 1)
                        for combo in itertools.combinations(people, size)])
    scores = {(c.role_id, c.contributor_id): c.score for c in problem.candidates}
    best: float | None = None
    for choice in itertools.product(*options):
        assignments = [Assignment(role.id, p, scores[role.id, p])
                       for role, combo in zip(problem.roles, choice, strict=True)
                       for p in combo]
        if broken_rules(problem, assignments):
            continue
        total = sum(a.score for a in assignments)
        if best is None or total > best:
            best = total
    return best


@st.composite
def problems(draw: st.DrawFn) -> BatchProblem:
    n_roles = draw(st.integers(1, 4))
    people = list(range(1, draw(st.integers(1, 5)) + 1))
    fill_every = draw(st.booleans())
    roles, candidates = [], []
    for role_id in range(1, n_roles + 1):
        places = draw(st.integers(1, 2))
        sessions = tuple(at(draw(st.integers(0, 8)) / 2, draw(st.integers(1, 4)) / 2)
                         for _ in range(draw(st.integers(1, 2))))
        minimum = places if fill_every else draw(st.integers(0, places))
        roles.append(BatchRole(role_id, places, sessions, minimum, f"Role {role_id}"))
        for person in draw(st.lists(st.sampled_from(people), unique=True)):
            # Whole-number scores: totals compare exactly.
            candidates.append(Candidate(role_id, person, float(draw(st.integers(0, 9)))))
    booked = {p: [at(draw(st.integers(0, 8)) / 2, 1)] for p in people if draw(st.booleans())}
    # Some people nearer their own limit of roles at once (0: at it already).
    caps = {p: draw(st.integers(0, 2)) for p in people if draw(st.booleans())}
    return BatchProblem(roles, candidates, draw(st.integers(1, 3)), booked, caps,
                        time_limit_seconds=10)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_total_equals_exhaustive_search_and_every_rule_is_kept(problem: BatchProblem) -> None:
    result = solve(problem)
    best = brute_force(problem)
    if best is None:
        assert result.status == SolverStatus.INFEASIBLE
        assert result.explanation and result.assignments == ()
    else:
        assert result.status == SolverStatus.OPTIMAL
        assert result.objective == pytest.approx(best, abs=1e-6)
        assert broken_rules(problem, result.assignments) == []
        assert sum(a.score for a in result.assignments) == pytest.approx(best, abs=1e-6)


def test_a_person_is_not_put_in_two_roles_at_once_or_over_the_limit() -> None:
    roles = [BatchRole(1, 1, (at(0, 2),)), BatchRole(2, 1, (at(1, 2),)),
             BatchRole(3, 1, (at(5),)), BatchRole(4, 1, (at(7),))]
    # Person 9 is everyone's best, but can be at only one of 1 and 2, and
    # (limit 2) in only two roles.
    candidates = [Candidate(r, 9, 10.0) for r in (1, 2, 3, 4)] + [
        Candidate(r, 8, 1.0) for r in (1, 2, 3, 4)]
    result = solve(BatchProblem(roles, candidates, 2, time_limit_seconds=5))
    mine = sorted(a.role_id for a in result.assignments if a.contributor_id == 9)
    assert len(mine) == 2 and mine != [1, 2]
    assert result.objective == 10 + 10 + 1 + 1


def test_back_to_back_sessions_do_not_clash() -> None:
    roles = [BatchRole(1, 1, (at(0, 1),)), BatchRole(2, 1, (at(1, 1),))]
    result = solve(BatchProblem(roles, [Candidate(1, 5, 1.0), Candidate(2, 5, 1.0)], 2,
                                booked={5: [at(2, 1)]}, time_limit_seconds=5))
    assert {a.role_id for a in result.assignments} == {1, 2}


def test_a_role_clashing_with_a_booking_is_not_proposed_to_that_person() -> None:
    roles = [BatchRole(1, 1, (at(0, 2),))]
    result = solve(BatchProblem(roles, [Candidate(1, 5, 9.0), Candidate(1, 6, 1.0)], 2,
                                booked={5: [at(1, 2)]}, time_limit_seconds=5))
    assert [a.contributor_id for a in result.assignments] == [6]


def test_a_pair_given_twice_is_used_once_with_its_better_score() -> None:
    result = solve(BatchProblem([BatchRole(1, 2)], [Candidate(1, 5, 1.0), Candidate(1, 5, 3.0)],
                                2, time_limit_seconds=5))
    assert result.assignments == (Assignment(1, 5, 3.0),)


def test_no_candidates_is_an_empty_optimal_proposal() -> None:
    result = solve(BatchProblem([BatchRole(1, 2)], [], 1, time_limit_seconds=5))
    assert (result.status, result.objective, result.assignments) == (SolverStatus.OPTIMAL, 0, ())


def many_ties() -> BatchProblem:
    roles = [BatchRole(r, 2, (at(r % 3, 2),)) for r in range(1, 7)]
    candidates = [Candidate(r, p, 1.0) for r in range(1, 7) for p in range(1, 9)]
    return BatchProblem(roles, candidates, 1, time_limit_seconds=5)


def test_ties_are_broken_the_same_way_every_time_whatever_the_input_order() -> None:
    problem = many_ties()
    first = solve(problem).assignments
    assert len(first) == 8  # eight people, one role each: every tie is a choice
    shuffled = list(problem.candidates)
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        again = BatchProblem(list(reversed(problem.roles)), list(shuffled), 1,
                             time_limit_seconds=5)
        assert solve(again).assignments == first


def test_a_time_limit_gives_feasible_with_a_gap_or_optimal() -> None:
    """A large tied problem with a tiny limit: whatever HiGHS manages, the
    status and gap agree and the proposal keeps the rules."""
    roles = [BatchRole(r, 3, (at(r % 7, 1.5),)) for r in range(1, 41)]
    rng = random.Random(3)
    candidates = [Candidate(r, p, float(rng.randint(1, 5))) for r in range(1, 41)
                  for p in rng.sample(range(1, 200), 60)]
    problem = BatchProblem(roles, candidates, 2, time_limit_seconds=0.01)
    result = solve(problem)
    assert result.status in {SolverStatus.OPTIMAL, SolverStatus.FEASIBLE}
    assert result.gap is not None and result.gap >= 0
    if result.status == SolverStatus.OPTIMAL:
        assert result.gap <= 1e-6
    assert broken_rules(problem, result.assignments) == []


# --- explanations -------------------------------------------------------------

EXPLANATIONS = [
    pytest.param(
        [BatchRole(12, 2, (at(0),), 2, "Co-chair")], [Candidate(12, 1, 1.0)], 2, {},
        "Co-chair (role 12) needs 2 people but only 1 eligible person could take it.",
        id="too-few-candidates"),
    pytest.param(
        [BatchRole(12, 1, (at(0),), 1, "Co-chair")], [], 2, {},
        "Co-chair (role 12) needs 1 person but no eligible person could take it.",
        id="no-candidates"),
    pytest.param(
        [BatchRole(12, 2, (at(0),), 2, "Co-chair")],
        [Candidate(12, 1, 1.0), Candidate(12, 2, 1.0)], 2, {2: [at(0.5)]},
        "Co-chair (role 12) needs 2 people but only 1 eligible person could take it "
        "without clashing with a session they are already booked for.",
        id="booked-elsewhere"),
    pytest.param(
        [BatchRole(1, 1, (at(0, 2),), 1, "Panel A"), BatchRole(2, 1, (at(1),), 1, "Panel B"),
         BatchRole(3, 1, (at(1.5),), 1, "Panel C")],
        [Candidate(r, p, 1.0) for r in (1, 2, 3) for p in (1, 2)], 3, {},
        "Panel A (role 1), Panel B (role 2) and Panel C (role 3) meet at the same time and "
        "need 3 people between them, but only 2 eligible people could take them, and "
        "nobody can be in two places at once.",
        id="same-time"),
    pytest.param(
        [BatchRole(r, 2, (at(2 * r),), 2, f"Group {r}") for r in (1, 2, 3)],
        [Candidate(r, p, 1.0) for r in (1, 2, 3) for p in (1, 2)], 2, {},
        "The roles need 6 people in all, but the 2 eligible people can take at most 4 "
        "places between them (at most 2 roles each).",
        id="over-the-limit"),
    pytest.param(
        [BatchRole(r, 2, (at(2 * r),), 2, f"Group {r}") for r in (1, 2)],
        [Candidate(r, p, 1.0) for r in (1, 2) for p in (1, 2, 3)], 2, {},
        "The roles need 4 people in all, but the 2 eligible people can take at most 3 "
        "places between them (at most 2 roles each, or fewer where their own limit is "
        "lower).",
        id="own-limits"),
    pytest.param(
        # Each pair of roles overlaps, but no moment has all three: no single
        # simple reason, so the smallest impossible set is named.
        [BatchRole(1, 1, (at(0, 2), at(10, 1)), 1, "Chair"),
         BatchRole(2, 1, (at(1, 2),), 1, "Panel"),
         BatchRole(3, 1, (at(2.5, 1), at(10.5, 1)), 1, "Visit"),
         BatchRole(4, 1, (at(20),), 0, "Spare")],
        [Candidate(r, p, 1.0) for r in (1, 2, 3, 4) for p in (1, 2)], 3, {},
        "Chair (role 1), Panel (role 2) and Visit (role 3) cannot all be filled at once "
        "with the people eligible, because of clashing sessions and the limit of roles "
        "per person. Choose fewer roles, allow more roles per person, or untick "
        "\u201cevery role must be filled\u201d.",
        id="no-simple-reason"),
]


@pytest.mark.parametrize(("roles", "candidates", "cap", "booked", "expected"), EXPLANATIONS)
def test_an_impossible_batch_is_explained_in_words(roles, candidates, cap, booked,
                                                   expected) -> None:  # type: ignore[no-untyped-def]
    # Person 3 is at their own limit; person 2 may take one more role.
    caps = {3: 0, 2: 1} if "own limit" in expected else {}
    result = solve(BatchProblem(roles, candidates, cap, booked, caps, time_limit_seconds=5))
    assert result.status == SolverStatus.INFEASIBLE
    assert result.objective is None and result.assignments == ()
    assert result.explanation == expected


def test_minimums_are_met_even_at_a_lower_total() -> None:
    roles = [BatchRole(1, 1, (at(0),), 1, "A"), BatchRole(2, 1, (at(0.5),), 1, "B")]
    candidates = [Candidate(1, 5, 1.0), Candidate(2, 5, 9.0), Candidate(2, 6, 1.0)]
    free = solve(BatchProblem([BatchRole(r.id, 1, r.sessions) for r in roles], candidates, 2,
                              time_limit_seconds=5))
    assert free.objective == 9.0
    filled = solve(BatchProblem(roles, candidates, 2, time_limit_seconds=5))
    assert {(a.role_id, a.contributor_id) for a in filled.assignments} == {(1, 5), (2, 6)}


def test_nothing_found_in_time_falls_back_to_best_first_with_its_gap(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """HiGHS stopping with no solution at all (a huge batch, a tiny limit):
    the proposal is best scores first, keeping the rules, with the gap to
    the bound HiGHS proved."""
    monkeypatch.setattr(solver, "milp", lambda *a, **k: SimpleNamespace(
        x=None, status=1, mip_gap=None, mip_dual_bound=-20.0))
    roles = [BatchRole(1, 1, (at(0, 2),)), BatchRole(2, 1, (at(1),)), BatchRole(3, 2, (at(5),))]
    candidates = [Candidate(1, 5, 9.0), Candidate(2, 5, 8.0), Candidate(2, 6, 2.0),
                  Candidate(3, 5, 1.0), Candidate(3, 6, 1.0), Candidate(3, 7, 1.0)]
    problem = BatchProblem(roles, candidates, 2, time_limit_seconds=5)
    result = solve(problem)
    assert result.status == SolverStatus.FEASIBLE
    assert [(a.role_id, a.contributor_id) for a in result.assignments] == [
        (1, 5), (2, 6), (3, 5), (3, 6)]
    assert broken_rules(problem, result.assignments) == []
    assert result.gap == pytest.approx((20 - 13) / 20)


def test_nothing_found_in_time_with_minimums_says_so_without_claiming_impossible(
        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(solver, "milp", lambda *a, **k: SimpleNamespace(
        x=None, status=1, mip_gap=None, mip_dual_bound=None))
    result = solve(BatchProblem([BatchRole(1, 1, (at(0),), 1, "A")], [Candidate(1, 5, 1.0)], 1,
                                time_limit_seconds=3))
    assert result.status == SolverStatus.INFEASIBLE
    assert result.explanation is not None
    assert result.explanation.startswith("The solver stopped after 3 seconds")
    assert "may still be possible" in result.explanation

"""Benchmark a batch of 40 roles over the bank of 120,000 contributors and
5,000 roles.

Not a test: timings depend on the machine. Builds (or, with --reuse, reuses)
the same bank as scripts/benchmark_matching.py, whose builder it imports: it
WIPES the database it is given, migrates it, loads the contributors and the
roles. Then it picks 40 open roles meeting in the same weeks (so their
sessions overlap, as a real project's do) and times
``crm.matching.batches.propose`` for them: the ranking of each role's best
eligible people, the bookings and limits read, and the solver, printing
total and solver-only seconds, the status and the gap. Nothing is kept
(each run is rolled back).

Usage (PostgreSQL only; the database name must contain "bench" unless --force):

    su postgres -c "createdb -O crm_ci crm_c_bench"
    .venv/bin/python scripts/benchmark_batch.py \\
        --database-url postgresql+psycopg://crm_ci:crm_ci@127.0.0.1/crm_c_bench
    # --reuse keeps the data of a previous run (no reset, no load); it builds
    # any missing matching profiles first.

    # The solver alone on a synthetic problem of the same shape, no database:
    .venv/bin/python scripts/benchmark_batch.py --solver-only

Target: solved in 5 s or less to optimality, or with a printed gap of 1% or less.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from crm import create_app  # noqa: E402
from crm.accounts.models import User  # noqa: E402
from crm.db import get_db  # noqa: E402
from crm.matching import batches  # noqa: E402
from crm.matching.config import matching_config  # noqa: E402
from crm.matching.solver import BatchProblem, BatchRole, Candidate, solve  # noqa: E402
from crm.projects.models import RoleOpening, RoleSession  # noqa: E402

TARGET_SECONDS = 5.0
TARGET_GAP = 0.01


def batch_role_ids(session, n: int, today: dt.date) -> list[int]:  # type: ignore[no-untyped-def]
    """``n`` open roles whose first session to come is soonest: they meet in
    the same few weeks, so many of their sessions overlap."""
    since = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    first = (select(RoleSession.role_id, RoleSession.starts_at)
             .join(RoleOpening, RoleOpening.id == RoleSession.role_id)
             .where(RoleOpening.status == "open", RoleSession.is_cancelled.is_(False),
                    RoleSession.starts_at >= since + dt.timedelta(days=7))
             .order_by(RoleSession.starts_at))
    seen: list[int] = []
    for role_id, _at in session.execute(first):
        if role_id not in seen:
            seen.append(role_id)
        if len(seen) == n:
            break
    return seen


def verdict(status: str, seconds: float, gap: float | None) -> str:
    fast = seconds <= TARGET_SECONDS
    close = status == "optimal" or (gap is not None and gap <= TARGET_GAP)
    return "met" if fast and close else "NOT met"


def run_bank(args: argparse.Namespace) -> int:
    import benchmark_contributors as bc
    import benchmark_matching as bm

    url = args.database_url
    today = dt.date.today()
    if not args.reuse:
        bc.reset_and_migrate(url)
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"database_url": url, "instance_path": instance,
                          "secret_key": "benchmark-only-secret", "mail_host": ""})
        bc.logging_quiet()
        if not args.reuse:
            bc.load(app, args.contributors, args.seed)
            started = time.perf_counter()
            with app.app_context(), get_db(app).session() as session:
                bm.build_bank(session, args.roles, args.seed, today)
                session.commit()
            with get_db(app).engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
            print(f"built the bank of roles in {time.perf_counter() - started:.1f} s")
        # Ranking reads matching profiles: all of them after a fresh load, else
        # only those missing (after the migration that added them).
        bm.build_profiles(app, everyone=not args.reuse)
        with get_db(app).engine.connect() as conn:
            counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608
                      for t in ("contributor", "role_opening", "role_session", "offer")}
        print("rows: " + ", ".join(f"{t} {c:,}" for t, c in counts.items()))
        print(f"policy: {matching_config().candidates_per_role} candidates per role, time limit "
              f"{matching_config().time_limit_seconds:g} s; load average "
              + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs")
        totals, solver = [], []
        last = None
        for fill in [False] * args.repeat + [True]:
            with app.app_context(), get_db(app).sessionmaker() as session:
                actor = session.scalars(select(User).where(
                    User.email == bc.COORDINATOR_EMAIL)).one()
                ids = batch_role_ids(session, args.batch_roles, today)
                roles = batches.load_roles(session, ids)
                started = time.perf_counter()
                done = batches.propose_with_timings(
                    session, actor, roles, max_roles_per_person=args.max_roles_per_person,
                    fill_every_role=fill, today=today)
                total = time.perf_counter() - started
                session.rollback()
            p, r = done.problem, done.result
            overlapping = sum(1 for a in p.roles for b in p.roles if a.id < b.id
                              and any(s1 < e2 and s2 < e1 for s1, e1 in a.sessions
                                      for s2, e2 in b.sessions))
            gap = "n/a" if r.gap is None else f"{r.gap * 100:.3f}%"
            print(f"{'every role filled' if fill else 'best total'}: {len(p.roles)} roles "
                  f"({sum(x.places for x in p.roles)} free places, {overlapping} overlapping "
                  f"pairs), {len(p.candidates)} candidate pairs over "
                  f"{len({c.contributor_id for c in p.candidates})} people; {r.status.value}, "
                  f"gap {gap}, {len(r.assignments)} proposed; solver {r.seconds:.3f} s, "
                  f"ranking and reading {done.ranking_seconds:.2f} s, total {total:.2f} s")
            if not fill:
                totals.append(total)
                solver.append(r.seconds)
                last = r
        assert last is not None
        print(f"\nmedian of {args.repeat}: solver {statistics.median(solver):.3f} s, "
              f"total propose {statistics.median(totals):.2f} s")
        print(f"target (solved in {TARGET_SECONDS:g} s, optimal or gap <= 1%): solver "
              f"{verdict(last.status.value, statistics.median(solver), last.gap)}, whole propose "
              f"{verdict(last.status.value, statistics.median(totals), last.gap)}")
    return 0


def synthetic_problem(seed: int, n_roles: int, per_role: int, people: int) -> BatchProblem:
    """Roles over four weeks, 1 to 4 sessions each at the bank's times
    (the same few starting hours, 1 to 3 hours long, so many overlap), with
    ``per_role`` candidates each from a shared pool and scores shaped like
    the ranking's (0 to 13, many ties), some people booked already."""
    rng = random.Random(seed)  # noqa: S311 (repeatable benchmark data)
    day0 = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)
    roles, candidates = [], []
    for r in range(1, n_roles + 1):
        first = day0 + dt.timedelta(days=rng.randint(0, 27), hours=rng.choice([0, 1, 4, 5]))
        sessions = tuple((first + dt.timedelta(days=14 * k),
                          first + dt.timedelta(days=14 * k, minutes=rng.choice([60, 90, 120, 180])))
                         for k in range(rng.randint(1, 4)))
        places = rng.randint(1, 6)
        roles.append(BatchRole(r, places, sessions, label=f"Role {r}"))
        for p in rng.sample(range(1, people + 1), per_role):
            score = round(rng.choice([0, 2, 3]) + rng.choice([0, 1, 2])
                          + 3 / (1 + rng.randint(0, 3)) + rng.choice([0, 0, 2])
                          + rng.random() * 3, 2)
            candidates.append(Candidate(r, p, score))
    booked = {}
    for p in rng.sample(range(1, people + 1), people // 10):
        start = day0 + dt.timedelta(days=rng.randint(0, 27), hours=rng.choice([0, 4]))
        booked[p] = [(start, start + dt.timedelta(hours=2))]
    return BatchProblem(roles, candidates, matching_config().max_roles_per_person, booked)


def run_solver_only(args: argparse.Namespace) -> int:
    print(f"SOLVER ONLY (synthetic, no database): {args.batch_roles} roles x "
          f"{matching_config().candidates_per_role} candidates from {args.people} people, "
          f"time limit {matching_config().time_limit_seconds:g} s")
    seconds = []
    for seed in range(args.seed, args.seed + args.repeat):
        problem = synthetic_problem(seed, args.batch_roles, matching_config().candidates_per_role,
                                    args.people)
        for fill in (False, True):
            if fill:
                problem = BatchProblem(
                    [BatchRole(r.id, r.places, r.sessions, r.places, r.label)
                     for r in problem.roles], problem.candidates, problem.max_roles_per_person,
                    problem.booked)
            r = solve(problem)
            gap = "n/a" if r.gap is None else f"{r.gap * 100:.3f}%"
            print(f"seed {seed} {'every role filled' if fill else 'best total'}: {r.status.value}, "
                  f"gap {gap}, {len(r.assignments)} proposed, {r.seconds:.3f} s"
                  + (f" ({r.explanation[:80]}...)" if r.explanation else ""))
            if not fill:
                seconds.append(r.seconds)
    print(f"median solver time {statistics.median(seconds):.3f} s, max {max(seconds):.3f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("CRM_BENCH_DATABASE_URL", ""))
    parser.add_argument("--contributors", type=int, default=120_000)
    parser.add_argument("--roles", type=int, default=5_000)
    parser.add_argument("--batch-roles", type=int, default=40)
    parser.add_argument("--max-roles-per-person", type=int,
                        default=matching_config().max_roles_per_person)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--people", type=int, default=1_500,
                        help="pool of people for --solver-only")
    parser.add_argument("--solver-only", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    if args.solver_only:
        return run_solver_only(args)
    url = args.database_url
    if not url.startswith("postgresql"):
        parser.error("give a PostgreSQL URL with --database-url or CRM_BENCH_DATABASE_URL")
    if "bench" not in (make_url(url).database or "") and not args.force:
        parser.error("this wipes the database: its name must contain 'bench' (or use --force)")
    return run_bank(args)


if __name__ == "__main__":
    sys.exit(main())

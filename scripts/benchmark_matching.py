"""Benchmark matching at 120,000 contributors and 5,000 roles.

Not a test: timings depend on the machine. It WIPES the database it is given
(like scripts/benchmark_contributors.py, whose helpers it reuses), migrates
it, loads synthetic contributors (crm.demo_records.bulk_contributors, COPY
on PostgreSQL) and a bank of wards, projects, roles with sessions, offers in
every state, attendance and ward connections (``build_bank``), then times
the candidates page of one role with the Flask test client (server time,
in-process), next to a bare one-query page, and sums the time the database
spent on the page's statements.

Usage (PostgreSQL only; the database name must contain "bench" unless --force):

    su postgres -c "createdb -O crm_ci crm_b_bench"
    .venv/bin/python scripts/benchmark_matching.py \\
        --database-url postgresql+psycopg://crm_ci:crm_ci@127.0.0.1/crm_b_bench
    # --reuse keeps the data of a previous run (no reset, no load); it builds
    # any missing matching profiles (crm.matching.profile) first.
    # --refresh-profiles recomputes every profile (with --reuse).

Target: a median of 150 ms or less for the candidates page.

More measurements over the same bank (the 40-role batch) are functions
like ``measure_candidates`` below, called from ``main`` after it.
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchmark_contributors as bc  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from crm.contributors.models import Contributor  # noqa: E402
from crm.db import get_db  # noqa: E402
from crm.demo_people import POSTCODE_AREAS  # noqa: E402
from crm.demo_records import _copy  # noqa: E402
from crm.matching import profile, ranking  # noqa: E402
from crm.matching.models import OfferStatus  # noqa: E402
from crm.projects.models import RoleOpening  # noqa: E402
from crm.reference import reference  # noqa: E402

TARGET_MS = 150.0
TABLES = ("contributor", "ward", "project", "role_opening", "role_session", "offer",
          "attendance", "ward_connection", "role_interest")


def _ids(session: Session, table: str, n: int) -> list[int]:
    return sorted(session.execute(
        text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "  # noqa: S608 (our names)
             "FROM generate_series(1, :n)"), {"n": n}).scalars())


def build_bank(session: Session, roles: int, seed: int, today: dt.date) -> list[int]:
    """Wards, projects, ``roles`` roles with 1 to 4 sessions (past and
    future), offers in every state, attendance at past sessions, interest
    and ward connections, over the contributors already loaded. COPY, no
    services. Returns the role ids. Caller commits."""
    rng = random.Random(seed)  # noqa: S311 (repeatable benchmark data)
    ref = reference()
    raw = session.connection().connection.driver_connection
    people = list(session.scalars(select(Contributor.id)))
    now = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    stamp = {"created_at": now, "updated_at": now, "version": 1}
    adjustments = [i.code for i in ref.adjustments.items]
    kinds = [i.code for i in ref.service_kinds.items]
    skills = [i.code for i in ref.skills.items]
    courses = [i.code for i in ref.training.items]
    ward_ids = _ids(session, "ward", 60)
    _copy(raw, "ward", [{"id": w, "name": f"Bench ward {w}", "site": "Bench hospital",
                         "postcode_district": rng.choice(POSTCODE_AREAS),
                         "service_kind": rng.choice(kinds),
                         "room_provides": rng.sample(adjustments, rng.randint(2, 8)),
                         "is_active": True, **stamp} for w in ward_ids])
    project_ids = _ids(session, "project", roles // 10)
    _copy(raw, "project", [{"id": p, "title": f"Bench project {p}", "is_trust_wide": False,
                            "status": "active", **stamp} for p in project_ids])
    _copy(raw, "project_ward", [{"project_id": p, "ward_id": rng.choice(ward_ids)}
                                for p in project_ids])
    role_ids = _ids(session, "role_opening", roles)
    role_rows, session_rows = [], []
    session_ids = iter(_ids(session, "role_session", roles * 4))
    starts: dict[int, list[tuple[int, dt.datetime]]] = {}
    for r in role_ids:
        role_rows.append({
            "id": r, "project_id": rng.choice(project_ids), "title": f"Bench role {r}",
            "kind": "project_team_member", "level": "co_production", "places": rng.randint(1, 6),
            "required_experience": rng.sample(["patient_former", "carer", "family_member"],
                                              rng.choice([0, 0, 1])),
            "required_service_kinds": rng.sample(kinds, rng.choice([0, 0, 0, 2])),
            "required_training": rng.sample(courses, rng.choice([0, 0, 0, 1])),
            "desirable_skills": rng.sample(skills, rng.randint(0, 3)),
            "mode": rng.choice(["either", "either", "in_person", "online"]),
            "conflict_rules": rng.sample(["inpatient_on_ward", "works_on_ward"],
                                         rng.randint(0, 2)),
            "status": rng.choice(["open"] * 6 + ["filled", "closed", "draft"]), **stamp})
        first = now + dt.timedelta(days=rng.randint(-200, 150), hours=rng.choice([-3, 0, 4, 8]))
        for k in range(rng.randint(1, 4)):
            sid = next(session_ids)
            at = first + dt.timedelta(days=14 * k)
            online = rng.random() < 0.25
            session_rows.append({"id": sid, "role_id": r, "starts_at": at,
                                 "minutes": rng.choice([60, 90, 120, 180]),
                                 "ward_id": None if online else rng.choice(ward_ids),
                                 "is_online": online, "is_cancelled": rng.random() < 0.03,
                                 "sequence": 0})
            starts.setdefault(r, []).append((sid, at))
    _copy(raw, "role_opening", role_rows)
    _copy(raw, "role_session", session_rows)
    places = {row["id"]: row["places"] for row in role_rows}
    offers, attendance, interest = [], [], []
    statuses = [s.value for s in OfferStatus]
    for r in role_ids:
        taken = 0
        for n, cid in enumerate(rng.sample(people, rng.randint(3, 12))):
            status = rng.choice(statuses)
            place = None
            if status == OfferStatus.ACCEPTED.value:
                if taken == places[r]:
                    status = OfferStatus.DECLINED.value
                else:
                    taken += 1
                    place = taken
            offered = (None if status == OfferStatus.WAITING.value
                       else now - dt.timedelta(days=rng.randint(0, 500)))
            offers.append({"role_id": r, "contributor_id": cid, "status": status,
                           "place_no": place, "waiting_position":
                           n if status == OfferStatus.WAITING.value else None,
                           "offered_at": offered, **stamp})
            if place is not None:
                attendance += [{"session_id": sid, "contributor_id": cid,
                                "outcome": rng.choice(["attended"] * 4 + ["did_not_attend"]),
                                "recorded_at": now, "version": 1}
                               for sid, at in starts[r] if at < now]
        interest += [{"role_id": r, "contributor_id": cid, "created_at": now}
                     for cid in rng.sample(people, rng.randint(0, 3))]
    _copy(raw, "offer", offers)
    _copy(raw, "attendance", attendance)
    seen: set[tuple[int, int]] = set()
    _copy(raw, "role_interest", [i for i in interest if (i["role_id"], i["contributor_id"])
                                 not in seen and not seen.add((i["role_id"], i["contributor_id"]))])
    _copy(raw, "ward_connection", [
        {"contributor_id": cid, "ward_id": rng.choice(ward_ids), "kind": kind, "noted_on": today}
        for cid, kind in {(c, rng.choice(["inpatient_now", "works_on"]))
                          for c in rng.sample(people, len(people) // 50)}])
    return role_ids


def build_profiles(app: Flask, everyone: bool) -> None:
    """Matching profiles for the bank: every one (``everyone``), or only
    those missing (after the migration that added them); then ANALYZE."""
    started = time.perf_counter()
    with app.app_context(), get_db(app).session() as session:
        if everyone:
            profile.refresh_profiles(session)
            what = "all"
        else:
            what = f"{profile.refresh_missing(session):,} missing"
        session.commit()
    with get_db(app).engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE matching_profile"))
    print(f"built {what} matching profiles in {time.perf_counter() - started:.1f} s")


def typical_role(app: Flask, today: dt.date) -> tuple[int, int]:
    """An open role with sessions to come and many eligible people (the
    hardest page): (role id, eligible count)."""
    with app.app_context(), get_db(app).session() as session:
        ids = session.scalars(select(RoleOpening.id).where(RoleOpening.status == "open")
                              .order_by(RoleOpening.id).limit(12)).all()
        best = (0, -1)
        for rid in ids:
            role = ranking.load_role(session, rid)
            assert role is not None
            facts = ranking.role_facts(session, role, today=today)
            if len(facts.sessions) < 2:
                continue
            n = ranking.rank(session, role, today=today, page=1, per_page=1).total
            if n > best[1]:
                best = (rid, n)
        return best


def measure_candidates(client: FlaskClient, recorder: bc.Recorder, role_id: int, warmup: int,
                       repeat: int) -> tuple[bc.Result, float]:
    """The candidates page: timings, and the median database time of its statements."""
    path = f"/matching/roles/{role_id}/candidates"
    result = bc.measure(client, recorder, "candidates page", path, warmup, repeat)
    db_ms = []
    for _ in range(max(5, repeat // 3)):
        recorder.statements.clear()
        recorder.on = True
        assert client.get(path).status_code == 200
        recorder.on = False
        db_ms.append(sum(s.ms for s in recorder.statements))
    return result, statistics.median(db_ms)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("CRM_BENCH_DATABASE_URL", ""))
    parser.add_argument("--contributors", type=int, default=120_000)
    parser.add_argument("--roles", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--refresh-profiles", action="store_true",
                        help="recompute every matching profile (else only missing ones)")
    args = parser.parse_args(argv)
    url = bc.bench_url(parser, args.database_url, args.force)
    today = dt.date.today()
    if not args.reuse:
        bc.reset_and_migrate(url)
    with tempfile.TemporaryDirectory() as instance:
        app = bc.bench_app(url, instance)
        if not args.reuse:
            bc.load(app, args.contributors, args.seed)
            started = time.perf_counter()
            with app.app_context(), get_db(app).session() as session:
                build_bank(session, args.roles, args.seed, today)
                # The bulk rows bypassed the ORM listener that keeps profiles.
                profile.refresh_profiles(session)
                session.commit()
            with get_db(app).engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
            print(f"built the bank of roles in {time.perf_counter() - started:.1f} s")
        else:
            build_profiles(app, args.refresh_profiles)
        with get_db(app).engine.connect() as conn:
            counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608
                      for t in TABLES}
        print("rows: " + ", ".join(f"{t} {c:,}" for t, c in counts.items()))
        role_id, eligible = typical_role(app, today)
        client = app.test_client()
        bc.sign_in(client)
        print(f"role {role_id}: {eligible:,} people meet every rule; {args.warmup} warm-up and "
              f"{args.repeat} timed requests (server-side wall time, in-process); load average "
              + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs\n")
        with bc.recording(app) as recorder:
            base = bc.measure(client, recorder, "baseline (1 query)", "/_bench/baseline",
                              args.warmup, args.repeat)
            page, db_ms = measure_candidates(client, recorder, role_id, args.warmup,
                                             args.repeat)
            slowest: Any = page.slowest
        for r in (base, page):
            print(f"{r.label:<22} median {r.median:7.1f} ms  p95 {r.p95:7.1f} ms  "
                  f"{r.queries:3} SQL  x{r.median / base.median:5.1f} of baseline")
        print(f"candidates page: database time of its statements, median {db_ms:.1f} ms; "
              f"slowest statement {slowest.ms:.1f} ms")
        print(f"target {TARGET_MS:.0f} ms: {'met' if page.median <= TARGET_MS else 'NOT met'}")
        with app.app_context(), get_db(app).session() as session:
            total = session.scalar(select(func.count()).select_from(Contributor))
        print(f"({total:,} contributors)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

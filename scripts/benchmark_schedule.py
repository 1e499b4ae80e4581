"""Benchmark a person's payment schedule page: 200 past payments and 20
planned sessions, against a bare one-query page in the same run.

Not a test: timings depend on the machine. It builds a fresh database (a new
SQLite file in a temporary folder, or it WIPES the PostgreSQL database given:
its name must contain "bench"), migrates it, loads one person on Carer's
Allowance with 200 paid fees over the last six months and 20 sessions booked
in the next six (roles they said yes to, no claim yet: priced from the rate
card), plus 500 other people with 20 fees each so the indexes matter, and
times in-process the server-side wall time of the coordinator's schedule page
and the person's own, after a warm-up. The target is 100 ms or less.

Usage:

    .venv/bin/python scripts/benchmark_schedule.py             # SQLite
    su postgres -c "createdb -O crm_ci crm_schedule_bench"
    .venv/bin/python scripts/benchmark_schedule.py \\
        --database-url postgresql+psycopg://crm_ci:crm_ci@127.0.0.1/crm_schedule_bench
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import benchmark_contributors as bc  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from crm import migrate  # noqa: E402
from crm.accounts.services import create_user  # noqa: E402
from crm.contributors.models import Contributor  # noqa: E402
from crm.db import get_db  # noqa: E402
from crm.matching.models import Offer  # noqa: E402
from crm.payments.choice_models import BenefitRecord  # noqa: E402
from crm.payments.ledger_models import Claim  # noqa: E402
from crm.permissions import Role  # noqa: E402
from crm.projects.models import Project, RoleOpening, RoleSession  # noqa: E402

PERSON_EMAIL = "bench.person@example.org"
PERSON_PASSWORD = "amber-harbour-violet-77"  # noqa: S105 (throwaway database)
TARGET_MS = 100.0
PAST, PLANNED, OTHERS, OTHER_FEES = 200, 20, 500, 20


def load(app: Flask) -> int:
    """The person and everyone else; returns the person's id."""
    settings = app.config["CRM_SETTINGS"]
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC).replace(hour=10, minute=0, second=0, microsecond=0)
    started = time.perf_counter()
    with app.app_context(), get_db(app).session() as session:
        create_user(session, settings, bc.COORDINATOR_EMAIL, "Bench Coordinator",
                    Role.COORDINATOR, bc.COORDINATOR_PASSWORD)
        user = create_user(session, settings, PERSON_EMAIL, "Bench Person", Role.CONTRIBUTOR,
                           PERSON_PASSWORD)
        person = Contributor(full_name="Bench Person", user_id=user.id, status="active")
        others = [Contributor(full_name=f"Other Person {i}", status="active")
                  for i in range(OTHERS)]
        project = Project(title="Benchmark project", status="active")
        session.add_all([person, *others, project])
        session.flush()
        session.add(BenefitRecord(contributor_id=person.id, benefits=["carers_allowance"],
                                  week_day=0, limit_pence=30000, limit_period="month"))
        # Past: 10 roles of 20 sessions; planned: 2 roles of 10 sessions.
        roles = []
        for r in range(12):
            role = RoleOpening(project_id=project.id, title=f"Role {r}", kind="trainer",
                               level="co_production", places=OTHERS + 1, fee_tier="tier_75",
                               status="open")
            session.add(role)
            roles.append(role)
        session.flush()
        sessions: list[RoleSession] = []
        for r, role in enumerate(roles):
            for s in range(20 if r < 10 else 10):
                when = (now - dt.timedelta(days=180 - (r * 20 + s) * 0.85) if r < 10
                        else now + dt.timedelta(days=7 + ((r - 10) * 10 + s) * 8))
                sessions.append(RoleSession(role_id=role.id, starts_at=when, minutes=240))
        session.add_all(sessions)
        session.flush()
        session.execute(insert(Offer), [
            {"role_id": role.id, "contributor_id": person.id, "status": "accepted",
             "place_no": 1, "version": 1} for role in roles])
        past = sessions[:PAST]
        rows = [{"contributor_id": person.id, "session_id": s.id, "kind": "fee",
                 "is_earnings": True, "state": "paid", "amount_pence": 8250,
                 "pay_on": s.starts_at.date() + dt.timedelta(days=14),
                 "paid_on": s.starts_at.date() + dt.timedelta(days=14),
                 "agreed_in_advance": False, "public_body_staff": False,
                 "staff_declaration": False, "version": 1} for s in past]
        for i, other in enumerate(others):
            rows += [{"contributor_id": other.id, "session_id": past[(i + j * 7) % PAST].id,
                      "kind": "fee", "is_earnings": True, "state": "paid",
                      "amount_pence": 8250, "pay_on": today - dt.timedelta(days=j * 9),
                      "paid_on": today - dt.timedelta(days=j * 9), "agreed_in_advance": False,
                      "public_body_staff": False, "staff_declaration": False, "version": 1}
                     for j in range(OTHER_FEES)]
        session.execute(insert(Claim), rows)
        session.commit()
        person_id = person.id
    print(f"loaded {len(rows):,} claims, {len(sessions)} sessions in "
          f"{time.perf_counter() - started:.1f} s")
    return person_id


def sign_in(client: FlaskClient, email: str, password: str) -> None:
    html = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token
    response = client.post("/sign-in", data={"email": email, "password": password,
                                              "csrf_token": token.group(1)})
    assert response.status_code == 302, response.status_code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("CRM_BENCH_DATABASE_URL", ""),
                        help="PostgreSQL database to wipe (default: a new SQLite file)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as instance:
        if args.database_url:
            url = bc.bench_url(parser, args.database_url, args.force)
            bc.reset_and_migrate(url)
        else:
            url = f"sqlite:///{Path(instance) / 'schedule_bench.db'}"
            migrate.upgrade(url)
        app = bc.bench_app(url, instance)
        person_id = load(app)
        staff, own = app.test_client(), app.test_client()
        sign_in(staff, bc.COORDINATOR_EMAIL, bc.COORDINATOR_PASSWORD)
        sign_in(own, PERSON_EMAIL, PERSON_PASSWORD)
        html = staff.get(f"/payments/people/{person_id}/schedule").get_data(as_text=True)
        paid, planned = html.count("Paid on "), html.count("Planned.")
        print(f"schedule shows {paid} paid and {planned} planned fees")
        assert (paid, planned) == (PAST, PLANNED), (paid, planned)
        with bc.recording(app) as recorder:
            results = [
                bc.measure(staff, recorder, "baseline (1 query)", "/_bench/baseline",
                           args.warmup, args.repeat),
                bc.measure(staff, recorder, "coordinator's schedule page",
                           f"/payments/people/{person_id}/schedule", args.warmup, args.repeat),
                bc.measure(own, recorder, "the person's own schedule", "/my/payment-schedule",
                           args.warmup, args.repeat)]
    print(f"\n{app.config['CRM_SETTINGS'].database_url.split(':')[0]}: server time, ms "
          f"(median / p95 / CPU median), statements")
    for r in results:
        print(f"  {r.label:32} {r.median:7.1f} {r.p95:7.1f} {r.cpu_median:7.1f}   {r.queries}")
    worst = max(r.median for r in results[1:])
    print(f"target {TARGET_MS:.0f} ms: {'met' if worst <= TARGET_MS else 'NOT met'} "
          f"(slowest page median {worst:.1f} ms, {worst - results[0].median:.1f} ms over the "
          "bare page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

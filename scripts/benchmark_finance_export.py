"""Benchmark the finance export: 50,000 claim lines as CSV and as XLSX.

Not a test: timings depend on the machine. It WIPES the PostgreSQL database
it is given (its name must contain "bench" unless --force), migrates it,
loads 5,000 people, 10 paid sessions and one claim line per person and
session (fees, some expenses) in three exports of 10,000, 25,000 and
50,000 lines, then:

- times the download of the 50,000-line export through a signed-in finance
  test client (server-side wall time of ``client.get(...)``, the whole
  response read), CSV and XLSX; the target is 10 s or less;
- measures, with tracemalloc, the peak Python memory of writing each export
  (10k, 25k, 50k lines) to a file: it should stay flat as the
  export grows, since rows are read in batches and written as they come.

Usage (PostgreSQL only):

    su postgres -c "createdb -O crm_ci crm_finance_bench"
    .venv/bin/python scripts/benchmark_finance_export.py \\
        --database-url postgresql+psycopg://crm_ci:crm_ci@127.0.0.1/crm_finance_bench

    # or CRM_BENCH_DATABASE_URL=...; --reuse keeps the data of a previous run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import benchmark_contributors as bc  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from crm.accounts.services import create_user  # noqa: E402
from crm.contributors.models import Contributor  # noqa: E402
from crm.db import get_db  # noqa: E402
from crm.payments import exports  # noqa: E402
from crm.payments.ledger_models import Claim, EntryKind, PaymentExport  # noqa: E402
from crm.permissions import Role  # noqa: E402
from crm.projects.models import Project, RoleOpening, RoleSession  # noqa: E402

FINANCE_EMAIL = "bench.finance@example.org"
FINANCE_PASSWORD = "copper-kettle-orchard-58"  # noqa: S105 (throwaway database)
PEOPLE = 5_000
SESSIONS = 17  # 5,000 x 17 = 85,000 lines: the three exports, and some left over
SIZES = (10_000, 25_000, 50_000)
KINDS = ("fee", "fee", "fee", "mileage", "public_transport")


def load(app: Flask) -> dict[int, int]:
    """People, sessions and the claims of three exports; returns size -> export id."""
    started = time.perf_counter()
    settings = app.config["CRM_SETTINGS"]
    with app.app_context(), get_db(app).session() as session:
        create_user(session, settings, FINANCE_EMAIL, "Bench Finance", Role.FINANCE,
                    FINANCE_PASSWORD)
        session.execute(insert(Contributor), [
            {"full_name": f"Person {i:05d} =SUM(A1)" if i % 997 == 0 else f"Person {i:05d}",
             "search_text": ""} for i in range(PEOPLE)])
        people = list(session.scalars(select(Contributor.id).order_by(Contributor.id)))
        project = Project(title="Benchmark project", cost_code="BENCH-01", status="active")
        role = RoleOpening(project=project, title="Panel member", kind="project_team_member",
                           level="co_production", fee_tier="tier_50", status="open", places=50)
        first = dt.datetime(2026, 4, 10, 10, tzinfo=dt.UTC)
        role.sessions = [RoleSession(starts_at=first + dt.timedelta(days=7 * n), minutes=120)
                         for n in range(SESSIONS)]
        session.add(role)
        session.flush()
        export_ids = {}
        for size in SIZES:
            made = PaymentExport(period_start=dt.date(2026, 4, 1),
                                 period_end=dt.date(2026, 9, 30))
            session.add(made)
            session.flush()
            export_ids[size] = made.id
        pairs = [(p, s.id) for s in role.sessions for p in people]
        position = 0
        for size in SIZES:
            rows = []
            for n in range(size):
                person, sitting = pairs[position]
                position += 1
                kind = KINDS[n % len(KINDS)]
                rows.append({"contributor_id": person, "session_id": sitting, "kind": kind,
                             "is_earnings": kind == "fee", "state": "exported",
                             "amount_pence": 5500 if kind == "fee" else 860,
                             "pay_on": dt.date(2026, 5, 1), "export_id": export_ids[size],
                             "agreed_in_advance": False, "public_body_staff": False,
                             "staff_declaration": False, "version": 1})
            for chunk in range(0, len(rows), 5_000):
                session.execute(insert(Claim), rows[chunk:chunk + 5_000])
        session.execute(text(
            "INSERT INTO payment_ledger_entry (claim_id, kind, amount_pence, created_at) "
            "SELECT id, :kind, amount_pence, now() FROM payment_claim"),
            {"kind": EntryKind.ORIGINAL.value})
    with get_db(app).engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    print(f"loaded {PEOPLE:,} people and {sum(SIZES):,} claim lines in "
          f"{time.perf_counter() - started:.1f} s")
    return export_ids


def export_ids_of(app: Flask) -> dict[int, int]:
    with app.app_context(), get_db(app).session() as session:
        rows = session.execute(text(
            "SELECT export_id, count(*) FROM payment_claim GROUP BY export_id")).all()
    return {count: export_id for export_id, count in rows if count in SIZES}


def sign_in(client: FlaskClient) -> None:
    html = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token
    response = client.post("/sign-in", data={"email": FINANCE_EMAIL,
                                              "password": FINANCE_PASSWORD,
                                              "csrf_token": token.group(1)})
    assert response.status_code == 302, response.status_code


def time_download(client: FlaskClient, export_id: int, fmt: str) -> tuple[float, float, int]:
    """(wall seconds, this process's CPU seconds, bytes) of one download."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(f"/payments/finance/exports/{export_id}/{fmt}")
    body = response.get_data()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert response.status_code == 200, response.status_code
    return elapsed, cpu, len(body)


def peak_memory(app: Flask, export_id: int, fmt: str) -> tuple[float, int]:
    """(peak MB of Python allocations, lines) writing one export to a file on
    disk (the download spools up to 8 MB in memory first: not counted here)."""
    with app.app_context(), get_db(app).session() as session:
        tracemalloc.start()
        out = tempfile.TemporaryFile()  # noqa: SIM115
        lines = exports.WRITERS[fmt](exports.export_rows(session, export_id), out)
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out.close()
    return peak / (1024 * 1024), lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("CRM_BENCH_DATABASE_URL", ""))
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the data of a previous run")
    args = parser.parse_args()
    url = bc.bench_url(parser, args.database_url, args.force)
    with tempfile.TemporaryDirectory() as instance:
        if not args.reuse:
            bc.reset_and_migrate(url)
        app = bc.bench_app(url, instance)
        ids = export_ids_of(app) if args.reuse else load(app)
        client = app.test_client()
        sign_in(client)
        time_download(client, ids[SIZES[0]], "csv")  # warm-up
        print(f"\n{'download (server time)':26} {'lines':>7} {'wall s':>7} {'CPU s':>6} "
              f"{'MB':>5}")
        for fmt in ("csv", "xlsx"):
            seconds, cpu, size = time_download(client, ids[SIZES[-1]], fmt)
            verdict = "ok" if seconds <= 10 else "SLOW (target 10 s)"
            print(f"{fmt.upper() + ' export':26} {SIZES[-1]:7,} {seconds:7.2f} {cpu:6.2f} "
                  f"{size / 1e6:5.1f}  {verdict}")
        print(f"(load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        print(f"\n{'peak Python memory while writing':34} {'lines':>7} {'peak MB':>8}")
        for fmt in ("csv", "xlsx"):
            for lines in SIZES:
                peak, written = peak_memory(app, ids[lines], fmt)
                assert written == lines
                print(f"{fmt.upper():34} {lines:7,} {peak:8.2f}")


if __name__ == "__main__":
    main()

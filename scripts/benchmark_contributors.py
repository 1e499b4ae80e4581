"""Benchmark the coordinators' contributor list at 100,000 contributors.

Not a test: timings depend on the machine. It WIPES the database it is given
(drops and recreates the ``public`` schema), migrates it, loads synthetic
contributors with their child rows (crm.demo.bulk_contributors), signs a
coordinator in through a test client and times, in-process, the server-side
wall time of ``client.get(...)`` for filtered list pages, against a bare
baseline page on the same app and database that runs one small query. It
prints a table (median and 95th percentile over the timed requests, after a
warm-up), and EXPLAIN ANALYZE for the slowest SQL statement when it takes
over 200 ms (or always, with --explain).

Usage (PostgreSQL only; the database name must contain "bench" unless --force):

    su postgres -c "createdb -O crm_dev crm_bench"
    .venv/bin/python scripts/benchmark_contributors.py \\
        --database-url postgresql+psycopg://crm_dev:crm_dev@127.0.0.1/crm_bench

    # or CRM_BENCH_DATABASE_URL=... .venv/bin/python scripts/benchmark_contributors.py
    # --reuse keeps the data of a previous run (no reset, no load).

The target is under 200 ms of server time for a filtered page.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Blueprint, Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import create_engine, event, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from crm import create_app, demo, migrate  # noqa: E402
from crm.accounts.models import User  # noqa: E402
from crm.accounts.services import create_user  # noqa: E402
from crm.contributors.models import Contributor  # noqa: E402
from crm.db import get_db, get_session  # noqa: E402
from crm.permissions import Permission, Role  # noqa: E402
from crm.web.decorators import requires  # noqa: E402

COORDINATOR_EMAIL = "bench.coordinator@example.org"
COORDINATOR_PASSWORD = "quartz-lantern-meadow-41"  # noqa: S105 (throwaway database)
SLOW_MS = 200.0

# (label, path, search text kept in the session or None). Codes are real
# ones from config/reference/*.toml.
PAGES: list[tuple[str, str, str | None]] = [
    ("list, no filters", "/contributors/", None),
    ("active+carer+picu+online", "/contributors/?status=active&experience=carer"
                                 "&service_kind=picu&attendance=online", None),
    ("active+skill+tuesday", "/contributors/?status=active&skill=interview_panels&day=tuesday",
     None),
    ("training+adjustment", "/contributors/?training=safeguarding&adjustment=quiet_room", None),
    ("rare: current patient+CAMHS ward", "/contributors/?experience=patient_current"
                                         "&service_kind=camhs_inpatient&status=paused", None),
    ("active, page 2000", "/contributors/?status=active&page=2000", None),
    ("search 'patel'", "/contributors/", "patel"),
    ("search 'okonkwo' + active", "/contributors/?status=active", "okonkwo"),
]


def baseline_blueprint() -> Blueprint:
    """A bare page for this benchmark's own app only: signed in, one query."""
    bp = Blueprint("bench", __name__)

    @bp.route("/_bench/baseline")
    @requires(Permission.CONTRIBUTORS_VIEW)
    def baseline() -> tuple[str, int, dict[str, str]]:
        ids = get_session().scalars(
            select(Contributor.id).where(Contributor.status == "active")
            .order_by(Contributor.full_name, Contributor.id).limit(25)).all()
        return "\n".join(map(str, ids)), 200, {"Content-Type": "text/plain"}

    return bp


@dataclass
class Statement:
    sql: str
    params: Any
    ms: float


@dataclass
class Recorder:
    statements: list[Statement] = field(default_factory=list)
    on: bool = False


@contextmanager
def recording(app: Flask) -> Iterator[Recorder]:
    recorder = Recorder()
    engine = get_db(app).engine

    def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        conn.info.setdefault("bench_start", []).append(time.perf_counter())

    def after(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        started = conn.info["bench_start"].pop()
        if recorder.on:
            recorder.statements.append(
                Statement(statement, parameters, (time.perf_counter() - started) * 1000))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield recorder
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def bench_url(parser: argparse.ArgumentParser, url: str, force: bool = False) -> str:
    """Refuse anything but a PostgreSQL database named for benchmarks (it is wiped)."""
    if not url.startswith("postgresql"):
        parser.error("give a PostgreSQL URL with --database-url or CRM_BENCH_DATABASE_URL")
    if "bench" not in (make_url(url).database or "") and not force:
        parser.error("this wipes the database: its name must contain 'bench' (or use --force)")
    return url


def bench_app(url: str, instance: str) -> Flask:
    """The app on the benchmark database, with the bare one-query page, quiet logs."""
    app = create_app({"database_url": url, "instance_path": instance,
                      "secret_key": "benchmark-only-secret", "mail_host": ""})
    app.register_blueprint(baseline_blueprint())
    logging_quiet()
    return app


def reset_and_migrate(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    started = time.perf_counter()
    migrate.upgrade(url)
    print(f"migrated in {time.perf_counter() - started:.1f} s")


def load(app: Flask, n: int, seed: int) -> None:
    settings = app.config["CRM_SETTINGS"]
    with app.app_context(), get_db(app).session() as session:
        coordinator = create_user(session, settings, COORDINATOR_EMAIL, "Bench Coordinator",
                                  Role.COORDINATOR, COORDINATOR_PASSWORD)
        started, cpu_started = time.perf_counter(), time.process_time()
        demo.bulk_contributors(session, n, seed, key_contact_ids=[coordinator.id])
        session.commit()
        print(f"loaded {n:,} contributors in {time.perf_counter() - started:.1f} s "
              f"({time.process_time() - cpu_started:.1f} s of this process's CPU)")
    engine = get_db(app).engine
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608
                  for t in ("contributor", "contributor_experience", "contributor_service_kind",
                            "contributor_skill", "contributor_availability",
                            "contributor_adjustment", "training_completion")}
    print("rows: " + ", ".join(f"{t} {c:,}" for t, c in counts.items()))


def sign_in(client: FlaskClient) -> None:
    html = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token, "no CSRF token on the sign-in page"
    response = client.post("/sign-in", data={"email": COORDINATOR_EMAIL,
                                              "password": COORDINATOR_PASSWORD,
                                              "csrf_token": token.group(1)})
    assert response.status_code == 302, f"sign-in failed: {response.status_code}"


def set_search(client: FlaskClient, q: str | None) -> None:
    """The name search is kept in the session (never the URL): post it."""
    html = client.get("/contributors/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token
    data = {"csrf_token": token.group(1), "q": q or ""}
    if not q:
        data["clear"] = "1"
    assert client.post("/contributors/search", data=data).status_code == 302


@dataclass
class Result:
    label: str
    path: str
    times: list[float]
    cpu: list[float]
    queries: int
    slowest: Statement | None
    rows: str

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.times, n=20, method="inclusive")[18]


def measure(client: FlaskClient, recorder: Recorder, label: str, path: str, warmup: int,
            repeat: int) -> Result:
    for _ in range(warmup):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    recorder.statements.clear()
    recorder.on = True
    response = client.get(path)
    recorder.on = False
    statements = list(recorder.statements)
    html = response.get_data(as_text=True)
    caption = re.search(r"<caption[^>]*>([^<]*)</caption>", html)
    times, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200
    return Result(label, path, times, cpu, len(statements),
                  max(statements, key=lambda s: s.ms) if statements else None,
                  " ".join(caption.group(1).split()) if caption else "")


def explain(app: Flask, statement: Statement) -> str:
    with get_db(app).engine.connect() as conn:
        rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement.sql,
                                    statement.params).all()
    return "\n".join(r[0] for r in rows)


def export_once(client: FlaskClient, path: str, memory: bool = False) -> str:
    """Time one export request; with ``memory``, trace Python allocations
    instead (much slower), to show the export is not held in memory."""
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    response = client.get(path)
    size = len(response.get_data())
    took = time.perf_counter() - started
    assert response.status_code == 200
    if not memory:
        return f"{path}: {took:.1f} s, {size / 1e6:.1f} MB"
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (f"{path}: peak Python memory {peak / 1e6:.0f} MB, including the "
            f"{size / 1e6:.1f} MB response the test client holds (timed under tracemalloc, "
            f"{took:.0f} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("CRM_BENCH_DATABASE_URL", ""))
    parser.add_argument("--contributors", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the data of a previous run: no reset, no load")
    parser.add_argument("--explain", action="store_true",
                        help="print EXPLAIN ANALYZE for the slowest statement of every page")
    parser.add_argument("--no-export", action="store_true", help="skip the export timings")
    parser.add_argument("--force", action="store_true",
                        help="allow a database whose name does not contain 'bench'")
    args = parser.parse_args(argv)

    url = args.database_url
    if not url.startswith("postgresql"):
        parser.error("give a PostgreSQL URL with --database-url or CRM_BENCH_DATABASE_URL")
    if "bench" not in (make_url(url).database or "") and not args.force:
        parser.error("this wipes the database: its name must contain 'bench' (or use --force)")

    if not args.reuse:
        reset_and_migrate(url)
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"database_url": url, "instance_path": instance,
                          "secret_key": "benchmark-only-secret", "mail_host": ""})
        app.register_blueprint(baseline_blueprint())  # before the first request
        logging_quiet()
        if not args.reuse:
            load(app, args.contributors, args.seed)
        with app.app_context(), get_db(app).session() as session:
            total = session.scalar(select(func.count()).select_from(Contributor))
            if session.scalar(select(User.id).where(User.email == COORDINATOR_EMAIL)) is None:
                parser.error("no benchmark coordinator: run without --reuse first")
        client = app.test_client()
        sign_in(client)
        print(f"{total:,} contributors; {args.warmup} warm-up and {args.repeat} timed "
              "requests per page (server-side wall time, in-process); load average "
              + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs\n")

        results: list[Result] = []
        with recording(app) as recorder:
            results.append(measure(client, recorder, "baseline (1 query, 25 ids)",
                                   "/_bench/baseline", args.warmup, args.repeat))
            for label, path, q in PAGES:
                set_search(client, q)
                results.append(measure(client, recorder, label, path, args.warmup,
                                       args.repeat))
            set_search(client, None)

        base = results[0].median
        print(f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'x base':>7} {'app CPU ms':>11} "
              f"{'SQL':>4} {'slowest SQL ms':>15}  rows")
        for r in results:
            slow = f"{r.slowest.ms:.1f}" if r.slowest else "-"
            print(f"{r.label:<34} {r.median:>10.1f} {r.p95:>8.1f} {r.median / base:>7.1f} "
                  f"{r.cpu_median:>11.1f} {r.queries:>4} {slow:>15}  {r.rows}")
        print("(median and p95: wall time of the request; app CPU ms: this process's CPU "
              "time, median, without the database server's)")
        worst = max((r for r in results[1:] if r.slowest), key=lambda r: r.slowest.ms)  # type: ignore[union-attr]
        over = [r for r in results[1:] if r.median > SLOW_MS]
        print(f"\nPages over {SLOW_MS:.0f} ms (median): "
              + (", ".join(r.label for r in over) if over else "none"))

        to_explain = results[1:] if args.explain else (
            [worst] if worst.slowest and worst.slowest.ms > SLOW_MS else [])
        for r in to_explain:
            assert r.slowest is not None
            if r.label.startswith("search"):
                set_search(client, next(q for label, _, q in PAGES if label == r.label))
            print(f"\nEXPLAIN ANALYZE, slowest statement of '{r.label}' "
                  f"({r.slowest.ms:.1f} ms):\n{r.slowest.sql}\nparameters: {r.slowest.params}")
            with app.app_context():
                print(explain(app, r.slowest))
        if not to_explain:
            print(f"No statement over {SLOW_MS:.0f} ms; slowest was {worst.slowest.ms:.1f} ms "  # type: ignore[union-attr]
                  f"on '{worst.label}' (use --explain to see plans).")

        if not args.no_export:
            print("\nExports (one request each):")
            print("  " + export_once(client, "/contributors/export.csv?status=active"))
            print("  " + export_once(client, "/contributors/export.xlsx?experience=carer"))
            print("  " + export_once(client, "/contributors/export.csv?status=active",
                                     memory=True))
    return 0


def logging_quiet() -> None:
    import logging

    logging.getLogger("alembic").setLevel(logging.WARNING)


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the representation report and the PCREF view at 120,000
contributors, 40% of whom answered the monitoring form, with 5,000 roles
and their offers and attendance.

Not a test: timings depend on the machine. It WIPES the database it is given,
builds the bank as scripts/benchmark_matching.py does (its ``build_bank``),
adds synthetic equality answers for 40% of people (COPY), then times each
report page with the Flask test client (server time, in-process) next to a
bare one-query page, and sums the time the database spent on the page's
statements. Every count is aggregated in SQL: the pages' statements return
one row per answer (and level or quarter), never a row per person; the
script prints the most rows any statement returned to show it.

Usage (PostgreSQL only; the database name must contain "bench"):

    su postgres -c "createdb -O crm_ci crm_reports_bench"
    .venv/bin/python scripts/benchmark_reports.py \\
        --database-url postgresql+psycopg://crm_ci:crm_ci@127.0.0.1/crm_reports_bench
    # --reuse keeps the data of a previous run.

Target: a median of 300 ms or less for each page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchmark_contributors as bc  # noqa: E402
import benchmark_matching as bm  # noqa: E402
from sqlalchemy import event, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from crm.contributors.models import Contributor  # noqa: E402
from crm.db import get_db  # noqa: E402
from crm.demo_records import _copy  # noqa: E402
from crm.equality.demo import WEIGHTS  # noqa: E402
from crm.equality.questions import PREFER_NOT, equality_questions  # noqa: E402

TARGET_MS = 300.0
SHARE_ANSWERED = 0.40


def add_answers(session: Session, seed: int) -> int:
    """Answers for 40% of people, each question skipped now and then."""
    rng = random.Random(seed + 1)  # noqa: S311 (repeatable benchmark data)
    raw = session.connection().connection.driver_connection
    questions = equality_questions()
    rows, next_id = [], 1
    now = dt.datetime.now(dt.UTC)
    for person in session.scalars(select(Contributor.id)):
        if rng.random() >= SHARE_ANSWERED:
            continue
        given: dict[str, str] = {}
        for q in questions.asked:
            if not questions.applies(q, given) or rng.random() < 0.1:
                continue
            weights = WEIGHTS.get(q.code, {o.code: 1.0 for o in q.options})
            answer = (PREFER_NOT if rng.random() < 0.04 else
                      rng.choices(list(weights), weights=list(weights.values()))[0])
            given[q.code] = answer
            rows.append({"id": next_id, "contributor_id": person, "question": q.code,
                         "answer": answer, "answered_at": now, "entered_from_paper": False})
            next_id += 1
    _copy(raw, "equality_answer", rows)
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("CRM_BENCH_DATABASE_URL", ""))
    parser.add_argument("--contributors", type=int, default=120_000)
    parser.add_argument("--roles", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args(argv)
    url = bc.bench_url(parser, args.database_url)
    today = dt.date.today()
    if not args.reuse:
        bc.reset_and_migrate(url)
    with tempfile.TemporaryDirectory() as instance:
        app = bc.bench_app(url, instance)
        if not args.reuse:
            bc.load(app, args.contributors, args.seed)
            started = time.perf_counter()
            with app.app_context(), get_db(app).session() as session:
                bm.build_bank(session, args.roles, args.seed, today)
                answers = add_answers(session, args.seed)
                session.commit()
            with get_db(app).engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
            print(f"built the bank and {answers:,} answers in "
                  f"{time.perf_counter() - started:.1f} s")
        with get_db(app).engine.connect() as conn:
            counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608
                      for t in ("contributor", "role_opening", "offer", "attendance",
                                "equality_answer")}
            answered = conn.execute(text(
                "SELECT count(DISTINCT contributor_id) FROM equality_answer")).scalar_one()
        print("rows: " + ", ".join(f"{t} {c:,}" for t, c in counts.items())
              + f"; {answered / counts['contributor']:.0%} of people answered")
        most_rows = [0]

        @event.listens_for(get_db(app).engine, "after_cursor_execute")
        def _rows(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
            if cursor.description is not None:
                most_rows[0] = max(most_rows[0], cursor.rowcount or 0)

        client = app.test_client()
        bc.sign_in(client)
        print(f"{args.warmup} warm-up and {args.repeat} timed requests each (server-side wall "
              "time, in-process); load average "
              + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs\n")
        pages = [("representation (ethnic group)",
                  "/reports/representation?question=ethnic_group&stage=bank"),
                 ("representation (attended)",
                  "/reports/representation?question=ethnic_group&stage=attended"),
                 ("PCREF view", "/reports/pcref?stage=accepted")]
        with bc.recording(app) as recorder:
            base = bc.measure(client, recorder, "baseline (1 query)", "/_bench/baseline",
                              args.warmup, args.repeat)
            results = []
            for label, path in pages:
                result = bc.measure(client, recorder, label, path, args.warmup, args.repeat)
                recorder.statements.clear()
                recorder.on = True
                assert client.get(path).status_code == 200
                recorder.on = False
                results.append((result, sum(s.ms for s in recorder.statements)))
        print(f"{base.label:<32} median {base.median:7.1f} ms")
        for r, db_ms in results:
            print(f"{r.label:<32} median {r.median:7.1f} ms  p95 {r.p95:7.1f} ms  "
                  f"{r.queries:3} SQL  x{r.median / base.median:5.1f} of baseline  "
                  f"database {db_ms:.1f} ms  "
                  f"target {'met' if r.median <= TARGET_MS else 'NOT met'}")
        print(f"most rows returned by any statement: {most_rows[0]} (aggregates only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

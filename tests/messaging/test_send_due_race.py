"""Several ``flask messages send-due`` at once never send a message twice.

Two app instances (two engines, as two cron runs or two servers would be)
send the same queue at the same moment, several times over. Run it on
PostgreSQL (``--db=postgresql``), where the runs really overlap and share
the work with SELECT ... FOR UPDATE SKIP LOCKED; on SQLite it runs too,
and the conditional claim alone keeps each message to one sender."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.db import get_db, utcnow
from crm.mail.models import OutboxMessage
from crm.messaging import sending
from tests.fake_notify import FakeNotify

N = 40


def _queue(db: Session) -> None:
    now = utcnow()
    db.add_all([OutboxMessage(to_address="07700 900123", subject=f"Message {i}",
                              body=f"Message {i}", created_at=now, kind="test", channel="text",
                              transport="notify", status="queued", next_attempt_at=now)
                for i in range(N)])
    db.commit()


def _at_once(apps: list) -> list[sending.Report]:  # type: ignore[type-arg]
    """Run send-due once in each app, all starting together."""
    barrier = threading.Barrier(len(apps))
    reports: list[sending.Report] = []
    errors: list[BaseException] = []

    def run(app) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=10)
            reports.append(sending.send_due(get_db(app).engine, app.config["CRM_SETTINGS"],
                                            limit=5))  # small batches: the runs interleave
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    return reports


def test_two_send_due_runs_at_once_send_each_message_once(db: Session, make_app,
                                                          fake_notify: FakeNotify) -> None:
    apps = [make_app(**fake_notify.settings_overrides()) for _ in range(2)]
    for _ in range(3):  # three rounds, each with a fresh queue
        _queue(db)
        reports = _at_once(apps)
        assert sum(r.sent for r in reports) == N  # shared between the runs, none twice
    refs = Counter(n.reference for n in fake_notify.sent)
    assert len(refs) == 3 * N and set(refs.values()) == {1}
    db.expire_all()
    rows = db.scalars(select(OutboxMessage)).all()
    assert {(m.status, m.attempts) for m in rows} == {("sent", 1)}
    assert {m.provider_id for m in rows} == {n.id for n in fake_notify.sent}

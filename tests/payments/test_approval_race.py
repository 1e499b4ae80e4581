"""Two finance users approve the same claim at the same moment, each
through their own app instance (two workers): one approval, the other is
told it is no longer waiting, and one audit event.

Run on PostgreSQL (``--db=postgresql``), where the two transactions really
overlap: the second UPDATE waits for the first's row lock, then finds the
claim no longer submitted at the version it read. On SQLite it runs too,
and the one-writer lock serialises them."""

from __future__ import annotations

import threading

from flask import Flask
from sqlalchemy import select

from crm.audit.models import AuditEvent
from crm.payments import ledger, ledger_approval
from crm.payments.ledger_models import Claim
from crm.permissions import Role
from tests.conftest import csrf_token
from tests.factories import log_in, make_user
from tests.matching.test_offer_race import at_once
from tests.payments.ledger_factories import make_claim, paid_role


def test_two_finance_users_approving_at_once_make_one_approval(app: Flask, make_app, db
                                                              ) -> None:
    _role, when, (person,) = paid_role(db)
    claim = make_claim(db, person, when, state="submitted")
    claim_id, version = claim.id, str(claim.version)
    first, second = make_user(db, Role.FINANCE), make_user(db, Role.FINANCE)
    clients = []
    for instance, user in ((app, first), (make_app(), second)):
        client = instance.test_client()
        log_in(client, user)
        clients.append((client, csrf_token(client, "/")))
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    pages: list[str] = []

    def approve(client, token) -> None:  # type: ignore[no-untyped-def]
        barrier.wait(timeout=10)
        response = client.post(f"/payments/finance/claims/{claim_id}/approve",
                               data={"csrf_token": token, "version": version})
        statuses.append(response.status_code)
        pages.append(response.get_data(as_text=True))

    threads = [threading.Thread(target=approve, args=pair) for pair in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(statuses) == [302, 400]
    assert any("not waiting for approval" in p for p in pages)
    db.expire_all()
    claim = db.get_one(Claim, claim_id)
    assert claim.state == "approved" and claim.approved_by_id in (first.id, second.id)
    assert claim.version == 2
    assert len(db.scalars(select(AuditEvent).where(AuditEvent.action == "claim_approved")
                          ).all()) == 1


def test_many_approvals_of_one_claim_at_once_in_the_service(app: Flask, db) -> None:
    _role, when, (person,) = paid_role(db)
    claim_id = make_claim(db, person, when, state="submitted").id
    approvers = [make_user(db, Role.FINANCE) for _ in range(4)]

    def job(user):  # type: ignore[no-untyped-def]
        def run(session) -> None:  # type: ignore[no-untyped-def]
            ledger_approval.approve(session, session.merge(user, load=False), claim_id)
        return run

    errors = at_once(app, [job(u) for u in approvers])
    assert len(errors) == 3
    assert all(isinstance(e, ledger.ClaimError) for e in errors)
    db.expire_all()
    assert db.get_one(Claim, claim_id).state == "approved"

"""Demo claims: fees drafted from the demo attendance on paid roles (through
the ledger's own rules, so the amounts come from the rate cards), an
expense or two, and claims moved on to every state (submitted, approved by
finance, exported, paid with a reference), the demo contributor's own
among them so "My payments" has something to show. Caller commits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.contributors.models import Contributor
from crm.payments import ledger, ledger_approval
from crm.payments.ledger_models import Claim, ClaimKind, ClaimState
from crm.projects.models import Attendance, RoleOpening, RoleSession

DEMO_CLAIMS = 24


def load_claims(session: Session, today: dt.date, *, coordinator: User, finance: User,
                own_user_id: int | None = None) -> int:
    """Draft fees for up to DEMO_CLAIMS attendances on paid roles (the demo
    contributor's first), then move them on. Returns how many claims."""
    own = session.scalar(select(Contributor.id).where(Contributor.user_id == own_user_id)
                         ) if own_user_id else None
    rows = session.execute(
        select(Attendance.contributor_id, Attendance.outcome, RoleSession)
        .join(RoleSession, RoleSession.id == Attendance.session_id)
        .join(RoleOpening, RoleOpening.id == RoleSession.role_id)
        .where(RoleOpening.fee_tier.is_not(None))
        .order_by((Attendance.contributor_id == own).desc() if own else Attendance.id,
                  RoleSession.starts_at, Attendance.id)
        .limit(DEMO_CLAIMS)).all()
    claims: list[Claim] = []
    for contributor_id, outcome, sitting in rows:
        claims.extend(ledger.draft_fees(session, coordinator, sitting, {contributor_id: outcome}))
    claims = sorted((c for c in claims if c.state == ClaimState.DRAFTED.value),
                    key=lambda c: (c.pay_on, c.id))
    if claims:
        first = claims[0]
        sitting = session.get_one(RoleSession, first.session_id)
        expense, _ = ledger.add_expense(session, coordinator, first.contributor_id, sitting,
                                        ledger.ExpenseInput(
                                            kind=ClaimKind.PUBLIC_TRANSPORT.value, pence=860,
                                            miles=None, description="Bus there and back",
                                            agreed_in_advance=False,
                                            idempotency_key="demo-expense-0001"))
        claims.insert(1, expense)
    # A quarter each: left drafted, submitted, approved, and exported then
    # mostly paid; the oldest go furthest.
    steps = len(claims)
    for number, claim in enumerate(claims):
        stage = 3 - (number * 4) // max(steps, 1)
        if stage >= 1:
            ledger_approval.submit(session, coordinator, claim, claim.version)
        if stage >= 2:
            ledger_approval.approve(session, finance, claim.id)
            session.refresh(claim)
    oldest = [c for c in claims if c.state == ClaimState.APPROVED.value][: max(steps // 4, 1)]
    exported = [c for c in oldest if c.pay_on < max(c.pay_on for c in claims)]
    if exported:
        days = [c.pay_on for c in exported]
        made = ledger_approval.export_period(session, finance, min(days), max(days))
        for claim in session.scalars(select(Claim).where(Claim.export_id == made.id)
                                     .order_by(Claim.id)).all()[:-1]:
            ledger_approval.mark_paid(session, finance, claim, min(claim.pay_on, today),
                                      f"BACS-DEMO-{claim.id:05d}", claim.version)
    session.flush()
    return len(claims)

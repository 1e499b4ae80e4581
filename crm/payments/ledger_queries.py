"""Reading the ledger: what a person earns, and when it is expected to be paid.

Only fees are earnings (``Claim.is_earnings``); expenses are never counted.
The benefits schedule reads ``earnings_between``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.payments.ledger_models import Claim, ClaimState

# What the schedule is told about a claim's state: exported is approved and
# sent to be paid, so it is reported as approved; withdrawn claims are left out.
_REPORTED_STATE = {
    ClaimState.DRAFTED.value: "drafted",
    ClaimState.SUBMITTED.value: "submitted",
    ClaimState.APPROVED.value: "approved",
    ClaimState.EXPORTED.value: "approved",
    ClaimState.PAID.value: "paid",
}


@dataclass(frozen=True)
class EarningLine:
    """One fee: the day it was paid (or is expected to be), its amount, and
    where it is (paid, approved, submitted or drafted)."""

    pay_on: dt.date
    pence: int
    state: str
    claim_id: int
    session_id: int


def earnings_between(session: Session, contributor_id: int, start: dt.date,
                     end: dt.date) -> list[EarningLine]:
    """The person's fees paid or expected to be paid from ``start`` to
    ``end`` (both included), by date; never expenses, never withdrawn claims.
    One query (indexed on contributor and pay date)."""
    day = func.coalesce(Claim.paid_on, Claim.pay_on)
    rows = session.execute(
        select(day, Claim.amount_pence, Claim.state, Claim.id, Claim.session_id)
        .where(Claim.contributor_id == contributor_id, Claim.is_earnings.is_(True),
               Claim.state.in_(list(_REPORTED_STATE)), day >= start, day <= end)
        .order_by(day, Claim.id))
    return [EarningLine(pay_on, pence, _REPORTED_STATE[state], claim_id, session_id)
            for pay_on, pence, state, claim_id, session_id in rows]

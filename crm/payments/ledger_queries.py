"""Reading the ledger: what a person earns, and when it is expected to be paid.

Only fees are earnings (``Claim.is_earnings``); expenses are never counted.
The benefits schedule reads ``earnings_between``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.contributors.models import Contributor
from crm.payments.ledger_models import Claim, ClaimState, EntryKind, LedgerEntry, PaymentExport
from crm.projects.models import Project, RoleOpening, RoleSession

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


# --- pages -----------------------------------------------------------------

def session_claims_stmt(session_id: int) -> Select[*tuple[Any, ...]]:
    """A session's claims with each person's name, by name then kind."""
    return (select(Claim, Contributor.full_name)
            .join(Contributor, Contributor.id == Claim.contributor_id)
            .where(Claim.session_id == session_id)
            .order_by(Contributor.full_name, Claim.contributor_id, Claim.kind, Claim.id))


def _with_role(stmt: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    return (stmt.join(Contributor, Contributor.id == Claim.contributor_id)
            .join(RoleSession, RoleSession.id == Claim.session_id)
            .join(RoleOpening, RoleOpening.id == RoleSession.role_id)
            .join(Project, Project.id == RoleOpening.project_id))


def claims_in_state_stmt(state: ClaimState) -> Select[*tuple[Any, ...]]:
    """Claims in one state for finance, oldest first: the claim, the
    person's name, the role, the session's start and the cost code."""
    return _with_role(select(Claim, Contributor.full_name, RoleOpening.title,
                             RoleSession.starts_at, Project.cost_code)
                      ).where(Claim.state == state.value).order_by(Claim.pay_on, Claim.id)


def exports_stmt() -> Select[*tuple[Any, ...]]:
    return select(PaymentExport).order_by(PaymentExport.id.desc())


def counts_by_state(session: Session) -> dict[str, tuple[int, int]]:
    """State -> (how many claims, total pence), in one query."""
    return {state: (count, total or 0) for state, count, total in session.execute(
        select(Claim.state, func.count(), func.sum(Claim.amount_pence)).group_by(Claim.state))}


def claim_page(session: Session, claim_id: int) -> tuple[Claim, str, RoleOpening,
                                                          RoleSession, Project] | None:
    row: Any = session.execute(_with_role(select(Claim, Contributor.full_name, RoleOpening,
                                                 RoleSession, Project))
                               .where(Claim.id == claim_id)).first()
    return None if row is None else (row[0], row[1], row[2], row[3], row[4])


def unpaid_in_exports(session: Session, export_ids: list[int]) -> dict[int, int]:
    """Export id -> how many of its claims are not yet marked paid."""
    if not export_ids:
        return {}
    return {export_id: n for export_id, n in session.execute(
        select(Claim.export_id, func.count()).where(
            Claim.export_id.in_(export_ids), Claim.state == ClaimState.EXPORTED.value)
        .group_by(Claim.export_id)) if export_id is not None}


def amount_set_by(session: Session, claim_id: int, override_words: str) -> str | None:
    """Who last set a different amount on the claim (their display name)."""
    return session.scalar(
        select(User.display_name).join(LedgerEntry, LedgerEntry.created_by_id == User.id)
        .where(LedgerEntry.claim_id == claim_id,
               LedgerEntry.kind == EntryKind.CORRECTION.value,
               LedgerEntry.reason == override_words)
        .order_by(LedgerEntry.id.desc()).limit(1))


def my_claims_stmt(contributor_id: int) -> Select[*tuple[Any, ...]]:
    """A person's own claims, newest session first, with the role's title."""
    return _with_role(select(Claim, RoleOpening.title, RoleSession.starts_at)).where(
        Claim.contributor_id == contributor_id,
        Claim.state != ClaimState.WITHDRAWN.value).order_by(
        RoleSession.starts_at.desc(), Claim.kind != "fee", Claim.id)


def sessions_with_a_fee_claim(session: Session, contributor_id: int,
                              session_ids: list[int]) -> set[int]:
    """Which of these sessions' fees are in the ledger for the person (any
    state): a fee there is changed by a coordinator, not on its own page."""
    if not session_ids:
        return set()
    return set(session.scalars(select(Claim.session_id).where(
        Claim.contributor_id == contributor_id, Claim.session_id.in_(session_ids),
        Claim.kind == "fee")))


def my_totals(session: Session, contributor_id: int) -> dict[str, int]:
    """Paid and waiting (submitted, approved, sent) totals, pence."""
    paid = waiting = 0
    for state, total in session.execute(
            select(Claim.state, func.sum(Claim.amount_pence))
            .where(Claim.contributor_id == contributor_id).group_by(Claim.state)):
        if state == ClaimState.PAID.value:
            paid += total or 0
        elif state in (ClaimState.DRAFTED.value, ClaimState.SUBMITTED.value,
                       ClaimState.APPROVED.value, ClaimState.EXPORTED.value):
            waiting += total or 0
    return {"paid": paid, "waiting": waiting}

"""The ledger's part in the duties in crm.hooks.

- Attendance recorded (crm.matching.attendance) drafts, changes or
  withdraws each person's fee for the session; a whole session the trust
  cancels at short notice (crm.projects.roles) drafts the fee its rule pays.
- A person's claims are in their own data download.
- The role form's fee tiers are the rate card's in force today, with their
  amounts (crm.projects.roles.register_fee_tiers).
- Anonymising a person removes the words on their claims (descriptions,
  a charity's name, a coordinator's reason, the ledger entries' reasons and
  the values in the claims' audit events) and their receipts (rows now,
  files once committed); amounts, dates and states stay, without words, as
  the finance record the trust must keep.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import has_app_context
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from crm import hooks
from crm.accounts.models import User
from crm.audit.actions import EntityType
from crm.audit.services import scrub_values
from crm.db import after_commit
from crm.money import format_pence
from crm.payments import ledger, receipts
from crm.payments.ledger_models import (
    CLAIM_KIND_LABELS,
    CLAIM_STATE_LABELS,
    Claim,
    ClaimKind,
    ClaimState,
    LedgerEntry,
    Receipt,
)
from crm.payments.rate_cards import tiers_in_force
from crm.projects import roles as project_roles
from crm.projects.models import RoleOpening, RoleSession


def _tiers_today() -> list[tuple[str, str]]:
    """The role form's fee tiers: the rate card in force today, with amounts."""
    return tiers_in_force(dt.datetime.now(ledger.LONDON).date())


project_roles.register_fee_tiers(_tiers_today)


@hooks.attendance_recorded.connect
def _draft_fees(session: Session, *, role_session: RoleSession, actor: User,
                outcomes: dict[int, str], **_: Any) -> None:
    ledger.draft_fees(session, actor, role_session, outcomes)


@hooks.session_changed.connect
def _pay_late_cancellation(session: Session, *, role_session: RoleSession, actor: User,
                           changed: list[str], **_: Any) -> None:
    if "cancelled" in changed:
        ledger.pay_late_cancellation(session, actor, role_session)


@hooks.personal_data_requested.connect
def _claims_for_download(session: Session, *, contributor_id: int, **_: Any) -> dict[str, Any]:
    rows = session.execute(
        select(Claim, RoleOpening.title, RoleSession.starts_at)
        .join(RoleSession, RoleSession.id == Claim.session_id)
        .join(RoleOpening, RoleOpening.id == RoleSession.role_id)
        .where(Claim.contributor_id == contributor_id)
        .order_by(RoleSession.starts_at, Claim.id)).all()
    return {"payments": [{
        "role": title, "session_at": starts_at,
        "what_for": CLAIM_KIND_LABELS[ClaimKind(c.kind)],
        "amount": format_pence(c.amount_pence),
        "where_it_is": CLAIM_STATE_LABELS[ClaimState(c.state)],
        "expected_to_be_paid_on": c.pay_on, "paid_on": c.paid_on,
        "payment_reference": c.payment_reference, "details": c.description,
        "paid_to_charity": c.charity, "receipts": [r.original_name for r in c.receipts]}
        for c, title, starts_at in rows]}


@hooks.person_anonymised.connect
def _scrub_claims(session: Session, *, contributor_id: int, **_: Any) -> None:
    claim_ids = select(Claim.id).where(Claim.contributor_id == contributor_id)
    session.execute(update(Claim).where(Claim.contributor_id == contributor_id)
                    .values(description=None, charity=None, override_reason=None)
                    .execution_options(synchronize_session=False))
    # Entries' reasons and the claims' audit values may hold words about them.
    session.execute(update(LedgerEntry).where(LedgerEntry.claim_id.in_(claim_ids))
                    .values(reason=None).execution_options(synchronize_session=False))
    for claim_id in session.scalars(claim_ids):
        scrub_values(session, EntityType.CLAIM.value, claim_id)
    stored = list(session.scalars(select(Receipt.stored_name)
                                  .where(Receipt.claim_id.in_(claim_ids))))
    session.execute(delete(Receipt).where(Receipt.claim_id.in_(claim_ids))
                    .execution_options(synchronize_session=False))
    if stored and has_app_context():
        folder = receipts.receipts_folder()

        def remove() -> None:
            for name in stored:
                (folder / name).unlink(missing_ok=True)

        after_commit(session, remove)

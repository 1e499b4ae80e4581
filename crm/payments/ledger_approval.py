"""A claim's way from drafted to paid: the public body staff declaration,
submitting, approving, exporting and marking paid. What a claim is worth
(drafting, expenses, changes of amount) is crm.payments.ledger. Every change
is audited; the functions add and flush and never commit (crm.db commits
once at the end of the request).

- A fee for someone who works for a public body is submitted only with
  their declaration that the work is unrelated to their job and done in
  their own time.
- Approval is by finance, never by the person who recorded the attendance,
  drafted the claim or submitted it; two approvals at once make one (a
  conditional UPDATE on the claim's state and version).
- An export takes every approved claim due by the end of its period, so
  none is left behind.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record, record_each
from crm.db import utcnow
from crm.money import format_pence
from crm.payments.ledger import LONDON, STALE, ClaimError, audit_claim, check_version
from crm.payments.ledger_models import Claim, ClaimKind, ClaimState, PaymentExport

S = ClaimState


def set_staff_declaration(session: Session, actor: User, claim: Claim, *, public_body: bool,
                          declared: bool, expected_version: int) -> None:
    """Record whether the person works for a public body and, if so, that
    they declared this work is unrelated to their job and done in their own
    time."""
    check_version(claim, expected_version)
    if ClaimState(claim.state) not in (S.DRAFTED, S.WITHDRAWN):
        raise ClaimError("The declaration can only change before the claim is submitted")
    old = {"public_body_staff": claim.public_body_staff,
           "staff_declaration": claim.staff_declaration}
    claim.public_body_staff = public_body
    claim.staff_declaration = declared and public_body
    session.flush()
    new = {"public_body_staff": claim.public_body_staff,
           "staff_declaration": claim.staff_declaration}
    if old != new:
        audit_claim(session, Action.UPDATE, claim, actor,
                    "Public body staff declaration recorded",
                    {k: {"old": old[k], "new": new[k]} for k in old if old[k] != new[k]})


def submit(session: Session, actor: User, claim: Claim, expected_version: int) -> None:
    """Drafted -> submitted (waiting for finance)."""
    check_version(claim, expected_version)
    if claim.state != S.DRAFTED.value:
        raise ClaimError("Only a drafted claim can be submitted")
    if claim.amount_pence <= 0:
        raise ClaimError("There is nothing to pay on this claim")
    if claim.kind == ClaimKind.FEE.value and claim.public_body_staff \
            and not claim.staff_declaration:
        raise ClaimError("This person works for a public body. Record their declaration that "
                         "this work is unrelated to their job and done in their own time "
                         "before submitting the fee", "declared")
    claim.state = S.SUBMITTED.value
    claim.submitted_by_id = actor.id
    claim.submitted_at = utcnow()
    session.flush()
    audit_claim(session, Action.CLAIM_SUBMITTED, claim, actor,
                f"{claim.kind_label} of {format_pence(claim.amount_pence)} submitted for approval")


def submit_all(session: Session, actor: User, claims: list[Claim]) -> int:
    """Submit every drafted claim in ``claims`` that can be; returns how many."""
    done = 0
    for claim in claims:
        if claim.state == S.DRAFTED.value and claim.amount_pence > 0 and not (
                claim.kind == ClaimKind.FEE.value and claim.public_body_staff
                and not claim.staff_declaration):
            submit(session, actor, claim, claim.version)
            done += 1
    return done


OWN_ENTRY = ("You recorded the attendance or this claim, set its amount or submitted it, so "
             "you cannot approve it. Another member of the finance team must approve it.")
NOT_WAITING = "This claim is not waiting for approval (someone may have approved it already)."


def may_approve(actor: User, claim: Claim) -> str | None:
    """Why ``actor`` may not approve ``claim``, or None. Whoever recorded
    the attendance or the claim, set or changed its amount (every amount is
    a ledger entry with its author, so a later recorder does not hide an
    earlier one) or submitted it may not approve it."""
    if actor.id in {claim.attendance_by_id, claim.recorded_by_id, claim.submitted_by_id}:
        return OWN_ENTRY
    if any(entry.created_by_id == actor.id for entry in claim.entries):
        return OWN_ENTRY
    if claim.state != S.SUBMITTED.value:
        return NOT_WAITING
    return None


def approve(session: Session, actor: User, claim_id: int,
            expected_version: int | None = None) -> Claim:
    """Submitted -> approved, by finance. Two approvals at once make one:
    the UPDATE only matches a claim still submitted at the version read,
    and the loser is told (ClaimError). From a page, ``expected_version``
    is the version finance saw: a claim changed since (a new amount) is
    refused, so nobody approves an amount they were not shown."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise ClaimError("There is no such claim")
    reason = may_approve(actor, claim)
    if reason:
        raise ClaimError(reason)
    if expected_version is not None and claim.version != expected_version:
        raise ClaimError(STALE)
    now = utcnow()
    done = session.execute(
        update(Claim).where(Claim.id == claim.id, Claim.state == S.SUBMITTED.value,
                            Claim.version == claim.version)
        .values(state=S.APPROVED.value, approved_by_id=actor.id, approved_at=now,
                version=Claim.version + 1, updated_at=now)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        session.expire(claim)
        raise ClaimError(NOT_WAITING)
    session.expire(claim)
    audit_claim(session, Action.CLAIM_APPROVED, claim, actor,
                f"{claim.kind_label} of {format_pence(claim.amount_pence)} approved")
    return claim


def export_period(session: Session, actor: User, start: dt.date, end: dt.date
                  ) -> PaymentExport:
    """Every approved claim expected to be paid by ``end`` goes into one new
    export (approved -> exported): those of the period from ``start``, and
    any approved after their own period had been exported, so none is left
    behind. Raises ClaimError when there is none."""
    if end < start:
        raise ClaimError("The end of the period must be on or after its start", "end")
    ids = list(session.scalars(
        select(Claim.id).where(Claim.state == S.APPROVED.value, Claim.pay_on <= end)
        .with_for_update()))
    if not ids:
        raise ClaimError("There are no approved claims to pay in this period", "start")
    export = PaymentExport(period_start=start, period_end=end, created_by_id=actor.id)
    session.add(export)
    session.flush()
    count, total = 0, 0
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        session.execute(
            update(Claim).where(Claim.id.in_(chunk), Claim.state == S.APPROVED.value)
            .values(state=S.EXPORTED.value, export_id=export.id, version=Claim.version + 1,
                    updated_at=utcnow())
            .execution_options(synchronize_session=False))
    for pence in session.scalars(select(Claim.amount_pence).where(
            Claim.export_id == export.id)):
        count += 1
        total += pence
    export.claim_count, export.total_pence = count, total
    session.flush()
    session.expire_all()
    record(session, Action.CLAIMS_EXPORTED, entity_type=EntityType.PAYMENT_EXPORT,
           entity_id=export.id, actor=actor,
           summary=f"Export of {count} claims, {format_pence(total)}, for "
                   f"{start.isoformat()} to {end.isoformat()}")
    return export


def mark_paid(session: Session, actor: User, claim: Claim, paid_on: dt.date, reference: str,
              expected_version: int) -> None:
    """Exported -> paid, with the day it was paid and the payment reference."""
    check_version(claim, expected_version)
    if claim.state != S.EXPORTED.value:
        raise ClaimError("Only a claim sent to be paid can be marked as paid")
    ref = _paid_checks(paid_on, reference)
    claim.state = S.PAID.value
    claim.paid_on = paid_on
    claim.payment_reference = ref
    claim.paid_by_id = actor.id
    session.flush()
    audit_claim(session, Action.CLAIM_PAID, claim, actor,
                f"{claim.kind_label} of {format_pence(claim.amount_pence)} marked paid on "
                f"{paid_on.isoformat()}")


def _paid_checks(paid_on: dt.date, reference: str) -> str:
    if not reference.strip():
        raise ClaimError("Enter the payment reference", "reference")
    if paid_on > utcnow().astimezone(LONDON).date():
        raise ClaimError("The day it was paid cannot be in the future", "paid_on")
    return reference.strip()[:100]


def mark_export_paid(session: Session, actor: User, export_id: int, paid_on: dt.date,
                     reference: str) -> int:
    """Every claim of one export still waiting (exported) -> paid, on one
    day with one reference: a payment run. Each claim's own history says so.
    Returns how many; ClaimError when none is left to mark."""
    ref = _paid_checks(paid_on, reference)
    ids = list(session.scalars(select(Claim.id).where(
        Claim.export_id == export_id, Claim.state == S.EXPORTED.value).with_for_update()))
    if not ids:
        raise ClaimError("Every claim of this export is already marked as paid")
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        session.execute(
            update(Claim).where(Claim.id.in_(chunk), Claim.state == S.EXPORTED.value)
            .values(state=S.PAID.value, paid_on=paid_on, payment_reference=ref,
                    paid_by_id=actor.id, version=Claim.version + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False))
    session.expire_all()
    record_each(session, Action.CLAIM_PAID, EntityType.CLAIM, ids,
                f"marked paid on {paid_on.isoformat()} with export {export_id}")
    record(session, Action.CLAIM_PAID, entity_type=EntityType.PAYMENT_EXPORT,
           entity_id=export_id, actor=actor,
           summary=f"{len(ids)} claims marked paid on {paid_on.isoformat()}")
    return len(ids)


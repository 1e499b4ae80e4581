"""The ledger's rules for what a claim is worth: drafting fees from
attendance, expenses, and a coordinator's change of amount. Moving a claim
on (submitting, approving, exporting, marking paid) is
crm.payments.ledger_approval. Every change is audited; the functions add
and flush and never commit (crm.db commits once at the end of the request).

- A fee is drafted when attendance is recorded: the role's fee tier priced
  by the rate card in force on the session's date (crm.payments.rate_cards),
  times the share the attendance outcome pays (config/payments/finance.toml,
  which also says what a cancellation by the trust at short notice pays),
  then the person's own choice for that fee (take less, decline, a charity,
  expenses only, another period) when they made one.
- An amount is never edited: a change is a reversing entry and a new entry.
  Once approved, a claim's amount never changes (a new rate card included).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import record
from crm.db import utcnow
from crm.matching.models import Offer, OfferStatus
from crm.money import MAX_PENCE, format_pence
from crm.payments import choice_queries, rate_cards
from crm.payments.choice_queries import FeeChoice
from crm.payments.finance_config import LATE_CANCELLED, finance_config
from crm.payments.ledger_models import (
    EXPENSE_KINDS,
    SETTLED_STATES,
    Claim,
    ClaimKind,
    ClaimState,
    EntryKind,
    LedgerEntry,
)
from crm.projects.models import RoleOpening, RoleSession

LONDON = ZoneInfo("Europe/London")
S = ClaimState

STALE = ("Someone else changed this claim after you opened this page, so nothing has been "
         "saved. Check the claim below, then try again.")


class ClaimError(Exception):
    """A rule was broken; ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class StaleClaim(ClaimError):
    def __init__(self) -> None:
        super().__init__(STALE)


def check_version(claim: Claim, expected_version: int) -> None:
    """StaleClaim unless ``claim`` is still at the version the page showed."""
    if claim.version != expected_version:
        raise StaleClaim()


def session_date(role_session: RoleSession) -> dt.date:
    """The session's date in the UK (the date a rate card is chosen by)."""
    return role_session.starts_at.astimezone(LONDON).date()


def default_pay_on(role_session: RoleSession) -> dt.date:
    return session_date(role_session) + dt.timedelta(days=finance_config().days_after_session)


# --- the person's choice about a fee (part of payment choices) -------------

def _choice_for(session: Session, contributor_id: int, role_session_id: int) -> FeeChoice | None:
    """The person's choice for this session's fee (their payment choices)."""
    return choice_queries.fee_choice_for(session, contributor_id, role_session_id)


def apply_choice(due: int, choice: FeeChoice | None) -> tuple[int, bool, str | None]:
    """(amount, counts as the person's earnings, charity) for a fee of
    ``due`` pence under ``choice``. Declining or expenses only pays no fee;
    taking less never pays more than is due; a charity's fee is not theirs."""
    if choice is None or choice.kind in ("accept", "other_period"):
        return due, True, None
    if choice.kind in ("decline", "expenses_only"):
        return 0, True, None
    if choice.kind == "take_less":
        return min(due, max(choice.amount_pence or 0, 0)), True, None
    if choice.kind == "charity":
        return due, False, choice.charity
    return due, True, None


# --- entries ---------------------------------------------------------------

def _entry(claim: Claim, kind: EntryKind, pence: int, actor: User | None,
           reason: str | None = None, reverses: LedgerEntry | None = None) -> LedgerEntry:
    entry = LedgerEntry(kind=kind.value, amount_pence=pence, reason=reason,
                        created_by_id=actor.id if actor else None, reverses_id=None)
    if reverses is not None:
        entry.reverses_id = reverses.id
    claim.entries.append(entry)
    return entry


def _change_amount(session: Session, claim: Claim, new_pence: int, actor: User | None,
                   reason: str | None) -> None:
    """Reverse what the claim holds now and add the new amount: entries are
    never edited, and the claim's amount stays the sum of its entries."""
    if new_pence == claim.amount_pence:
        return
    last = next((e for e in reversed(claim.entries) if e.kind != EntryKind.REVERSAL.value),
                None)
    if claim.amount_pence:
        session.flush()  # the reversed entry needs its id
        _entry(claim, EntryKind.REVERSAL, -claim.amount_pence, actor, reason, reverses=last)
    if new_pence:
        _entry(claim, EntryKind.CORRECTION, new_pence, actor, reason)
    claim.amount_pence = new_pence


def audit_claim(session: Session, action: Action, claim: Claim, actor: User | None,
                summary: str, changes: dict[str, Any] | None = None) -> None:
    """Record a change to ``claim`` in the audit log."""
    record(session, action, entity_type=EntityType.CLAIM, entity_id=claim.id, actor=actor,
           summary=summary, changes=changes)


# --- fees from attendance --------------------------------------------------

def fee_due(role: RoleOpening, role_session: RoleSession,
            outcome: str) -> tuple[rate_cards.Fee | None, int, int]:
    """(the card's fee, its amount for this session, the amount due for the
    outcome). An unpaid role is (None, 0, 0)."""
    if role.fee_tier is None:
        return None, 0, 0
    fee = rate_cards.fee_for(role.fee_tier, session_date(role_session))
    card_pence = fee.amount_for(role_session.minutes)
    return fee, card_pence, finance_config().fee_share(outcome, card_pence)


def draft_fees(session: Session, actor: User, role_session: RoleSession,
               outcomes: Mapping[int, str]) -> list[Claim]:
    """Draft, change or withdraw each person's fee for the session after
    their attendance changed. Settled fees (approved, exported, paid) are
    left as they are. Returns the claims drafted or changed."""
    role = role_session.role
    if role.fee_tier is None or not outcomes:
        return []
    existing = {c.contributor_id: c for c in session.scalars(
        select(Claim).where(Claim.session_id == role_session.id,
                            Claim.kind == ClaimKind.FEE.value,
                            Claim.contributor_id.in_(list(outcomes))))}
    touched: list[Claim] = []
    for contributor_id, outcome in sorted(outcomes.items()):
        fee, card_pence, due = fee_due(role, role_session, outcome)
        assert fee is not None
        choice = _choice_for(session, contributor_id, role_session.id)
        amount, earnings, charity = apply_choice(due, choice)
        claim = existing.get(contributor_id)
        if claim is not None and ClaimState(claim.state) in SETTLED_STATES:
            continue
        state = S.DRAFTED if amount > 0 else S.WITHDRAWN
        if claim is None:
            claim = Claim(
                contributor_id=contributor_id, session_id=role_session.id,
                kind=ClaimKind.FEE.value, is_earnings=earnings, state=state.value,
                amount_pence=amount, card_pence=card_pence, tier_code=fee.tier_code,
                card_id=fee.card_id, card_label=fee.card_label,
                fee_choice=choice.kind if choice else None, charity=charity,
                pay_on=(choice.pay_on if choice and choice.pay_on
                        else default_pay_on(role_session)),
                attendance_by_id=actor.id, recorded_by_id=actor.id)
            if amount:
                _entry(claim, EntryKind.ORIGINAL, amount, actor,
                       f"{fee.card_label}, {outcome.replace('_', ' ')}")
            session.add(claim)
            session.flush()
            audit_claim(session, Action.CLAIM_DRAFTED, claim, actor,
                        f"Fee of {format_pence(amount)} drafted from attendance "
                        f"({fee.card_id}, {fee.tier_code})")
        else:
            if claim.override_reason and amount > 0:
                amount = claim.amount_pence  # the coordinator's amount stands
            old = claim.amount_pence
            _change_amount(session, claim, amount, actor, f"attendance now {outcome}")
            claim.state = state.value
            claim.card_pence, claim.card_id = card_pence, fee.card_id
            claim.card_label, claim.tier_code = fee.card_label, fee.tier_code
            claim.attendance_by_id = actor.id
            session.flush()
            if old != amount:
                audit_claim(session, Action.CLAIM_AMOUNT_CHANGED, claim, actor,
                            "Fee changed after attendance changed",
                            {"amount_pence": {"old": old, "new": amount}})
        touched.append(claim)
    return touched


def pay_late_cancellation(session: Session, actor: User, role_session: RoleSession,
                          now: dt.datetime | None = None) -> list[Claim]:
    """The trust cancelled the whole session: at short notice (finance.toml),
    draft the fee its rule pays for everyone who had said yes to the role.
    A session that had already started is not a late cancellation: its
    attendance (if recorded) decides the fees, and nothing is drafted here."""
    config = finance_config()
    notice = role_session.starts_at - (now or utcnow())
    if (role_session.role.fee_tier is None or notice <= dt.timedelta(0)
            or notice > dt.timedelta(hours=config.short_notice_hours)):
        return []
    people = session.scalars(select(Offer.contributor_id).where(
        Offer.role_id == role_session.role_id, Offer.status == OfferStatus.ACCEPTED.value))
    return draft_fees(session, actor, role_session, dict.fromkeys(people, LATE_CANCELLED))


OVERRIDE_ENTRY_REASON = "a different amount set by a coordinator (the reason is on the claim)"


def set_fee_amount(session: Session, actor: User, claim: Claim, pence: int, reason: str,
                   expected_version: int) -> None:
    """A coordinator sets a different fee for this one person and session,
    with a reason (audited). Not once the claim is approved."""
    check_version(claim, expected_version)
    if claim.kind != ClaimKind.FEE.value:
        raise ClaimError("Only a fee can be changed this way", "amount")
    if ClaimState(claim.state) in SETTLED_STATES:
        raise ClaimError("This fee is already approved, so its amount cannot change", "amount")
    if not reason.strip():
        raise ClaimError("Enter the reason for the different amount", "reason")
    if not 0 <= pence <= MAX_PENCE:
        raise ClaimError("Enter an amount of £0 or more", "amount")
    most = (claim.card_pence or 0) * finance_config().fee_most_times_card
    if pence > most:
        raise ClaimError(f"A different fee can be at most {format_pence(most)} "
                         f"({finance_config().fee_most_times_card} times the rate card's "
                         f"{format_pence(claim.card_pence or 0)})", "amount")
    old = claim.amount_pence
    # The reason's words are kept on the claim only (they can be about the
    # person's health): not in the ledger's entries, not in the audit log,
    # and removed when the record is anonymised.
    _change_amount(session, claim, pence, actor, OVERRIDE_ENTRY_REASON)
    claim.override_reason = reason.strip()
    claim.state = (S.DRAFTED if pence else S.WITHDRAWN).value
    session.flush()
    audit_claim(session, Action.CLAIM_AMOUNT_CHANGED, claim, actor,
                f"Fee set to {format_pence(pence)} for this person and session, with a reason",
                {"amount_pence": {"old": old, "new": pence}})


# --- expenses ----------------------------------------------------------------

@dataclass(frozen=True)
class ExpenseInput:
    kind: str
    pence: int | None
    miles: int | None
    description: str
    agreed_in_advance: bool
    idempotency_key: str


def expense_amount(kind: str, pence: int | None, miles: int | None) -> tuple[int, int | None]:
    """(amount, pence per mile) of an expense: mileage at the configured
    rate, anything else as claimed; never more than the configured largest."""
    rate: int | None = None
    if kind == ClaimKind.MILEAGE.value:
        if not miles or miles <= 0:
            raise ClaimError("Enter how many miles, as a whole number more than 0", "miles")
        rate = finance_config().pence_per_mile
        pence = miles * rate
    elif not pence:
        raise ClaimError("Enter the amount spent", "amount")
    most = finance_config().expense_most_pence
    if pence > most:
        raise ClaimError(f"An expense can be at most {format_pence(most)} here. Agree a "
                         "larger one with finance first.",
                         "miles" if kind == ClaimKind.MILEAGE.value else "amount")
    return pence, rate


def add_expense(session: Session, actor: User, contributor_id: int, role_session: RoleSession,
                data: ExpenseInput) -> tuple[Claim, bool]:
    """Add an expense claim. Returns (claim, created): a form sent twice
    (the same idempotency key) gives back the first claim and adds nothing."""
    if data.kind not in {k.value for k in EXPENSE_KINDS}:
        raise ClaimError("Select the kind of expense", "kind")
    found = session.scalar(select(Claim).where(Claim.idempotency_key == data.idempotency_key))
    if found is not None:
        if (found.contributor_id, found.session_id, found.kind) != (
                contributor_id, role_session.id, data.kind):
            raise ClaimError("This form was already used for another expense. Open the page "
                             "again to add a new one.", "kind")
        return found, False
    if data.kind == ClaimKind.TAXI.value and not data.agreed_in_advance:
        raise ClaimError("A taxi is paid back only when it was agreed in advance", "agreed")
    pence, rate = expense_amount(data.kind, data.pence, data.miles)
    if session.scalar(select(Claim.id).where(
            Claim.contributor_id == contributor_id, Claim.session_id == role_session.id,
            Claim.kind == data.kind)) is not None:
        raise ClaimError("This person already has a claim of this kind for this session",
                         "kind")
    claim = Claim(contributor_id=contributor_id, session_id=role_session.id, kind=data.kind,
                  is_earnings=False, state=S.DRAFTED.value, amount_pence=pence,
                  miles=data.miles if rate else None, pence_per_mile=rate,
                  description=data.description.strip() or None,
                  agreed_in_advance=data.agreed_in_advance,
                  idempotency_key=data.idempotency_key, pay_on=default_pay_on(role_session),
                  recorded_by_id=actor.id)
    _entry(claim, EntryKind.ORIGINAL, pence, actor, "expense claimed")
    try:
        with session.begin_nested():
            session.add(claim)
            session.flush()
    except IntegrityError:
        # The same form, sent twice at once: the other request made it.
        found = session.scalar(select(Claim).where(
            Claim.idempotency_key == data.idempotency_key))
        if found is not None:
            return found, False
        raise ClaimError("This person already has a claim of this kind for this session",
                         "kind") from None
    audit_claim(session, Action.CLAIM_DRAFTED, claim, actor,
                f"Expense of {format_pence(pence)} claimed ({claim.kind_label})")
    return claim, True

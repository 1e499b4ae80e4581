"""Saving a person's payment choices, the benefits they told us about and their
choice about one session's fee. Rules here; flush and audit, never commit.

Audit events say who saw or changed what, in words, never the benefits
themselves. Nothing here moves, splits or reduces a payment: the ledger reads
the choice when it drafts a fee.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm.accounts.models import User
from crm.audit.actions import Action, EntityType
from crm.audit.services import REDACTED, record
from crm.contributors.models import Contributor
from crm.db import utcnow
from crm.payments.benefits import (
    BENEFIT_LABELS,
    DISREGARD_LEVELS,
    LIMIT_PERIODS,
    NONE,
    RATHER_NOT_SAY,
)
from crm.payments.choice_config import routes_config
from crm.payments.choice_models import (
    NEEDS_CONVERSATION,
    BenefitRecord,
    FeeChoiceKind,
    FeeMode,
    PaymentChoice,
    SessionFeeChoice,
    WhenPaid,
)
from crm.projects.models import RoleSession

CHARITY_MAX = 200
NOTE_MAX = 2000
STALE = ("Someone else changed these choices while you were looking. "
         "We have not saved yours. Check them and save again.")


class ChoiceError(Exception):
    """A rule was broken; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ChoiceConflict(Exception):
    """Someone saved the row after this editor loaded it."""


def _check_version(saved: int, expected: int | None) -> None:
    if expected is not None and expected != saved:
        raise ChoiceConflict()


def _charity(name: str | None, field_name: str) -> str:
    text = (name or "").strip()
    if not text:
        raise ChoiceError("Write the name of the charity", field_name)
    if len(text) > CHARITY_MAX:
        raise ChoiceError(f"The charity's name must be {CHARITY_MAX} characters or fewer",
                          field_name)
    return text


def _audit(session: Session, actor: User | None, contributor: Contributor, what: str,
           changes: dict[str, Any] | None = None) -> None:
    record(session, Action.UPDATE, entity_type=EntityType.CONTRIBUTOR, entity_id=contributor.id,
           actor=actor, summary=what, changes=changes)


# --------------------------------------------------------------- payment choices

@dataclass
class ChoicesInput:
    route: str | None
    fee_mode: str
    charity_name: str | None = None
    when_paid: str = WhenPaid.AFTER_EACH.value
    chosen_days: Sequence[int] = field(default_factory=list)


def save_choices(session: Session, actor: User, contributor: Contributor, data: ChoicesInput,
                 expected_version: int | None = None) -> PaymentChoice:
    """Create or change the person's payment choices. Vouchers or expenses only
    need a conversation a coordinator has recorded first."""
    choice = session.scalar(select(PaymentChoice).where(
        PaymentChoice.contributor_id == contributor.id))
    if choice is not None:
        _check_version(choice.version, expected_version)
    if data.route is not None and data.route not in routes_config().codes:
        raise ChoiceError("Choose how you would like to be paid", "route")
    if data.fee_mode not in {m.value for m in FeeMode}:
        raise ChoiceError("Choose what should happen to your fees", "fee_mode")
    if data.when_paid not in {w.value for w in WhenPaid}:
        raise ChoiceError("Choose when you would like to be paid", "when_paid")
    charity = (_charity(data.charity_name, "charity_name")
               if data.fee_mode == FeeMode.CHARITY.value else None)
    days = sorted(set(data.chosen_days))
    if data.when_paid == WhenPaid.CHOSEN_DATES.value:
        if not days:
            raise ChoiceError("Write the days of the month you would like to be paid on",
                              "chosen_days")
        if any(not 1 <= d <= 31 for d in days) or len(days) > 4:
            raise ChoiceError("Write up to 4 days of the month, each from 1 to 31",
                              "chosen_days")
    else:
        days = []
    if data.fee_mode in NEEDS_CONVERSATION and (choice is None or choice.conversation_on is None):
        raise ChoiceError("Vouchers or expenses only need a talk with your coordinator first. "
                          "Ask them, and they will note it here.", "fee_mode")
    old = _choice_values(choice)
    if choice is None:
        choice = PaymentChoice(contributor_id=contributor.id)
        session.add(choice)
    choice.route = data.route
    choice.fee_mode = data.fee_mode
    choice.charity_name = charity
    choice.when_paid = data.when_paid
    choice.chosen_days = days
    session.flush()
    new = _choice_values(choice)
    _audit(session, actor, contributor, "changed the payment choices of",
           {k: ({"old": REDACTED, "new": REDACTED} if k in QUIET_CHOICES else [old.get(k), v])
            for k, v in new.items() if old.get(k) != v})
    return choice


# What the audit log names as changed without its values: declining fees,
# vouchers or expenses only, or a charity can hint at the person's benefits,
# and administrators read the audit log.
QUIET_CHOICES = frozenset({"fee_mode", "charity_name"})


def _choice_values(choice: PaymentChoice | None) -> dict[str, Any]:
    if choice is None:
        return {}
    return {"route": choice.route, "fee_mode": choice.fee_mode,
            "charity_name": choice.charity_name, "when_paid": choice.when_paid,
            "chosen_days": list(choice.chosen_days or [])}


def record_conversation(session: Session, actor: User, contributor: Contributor,
                        on: dt.date, note: str | None, today: dt.date) -> PaymentChoice:
    """A coordinator notes the individual conversation about vouchers or
    expenses only (the guidance: the organisation discussed it with them)."""
    if on > today:
        raise ChoiceError("The date of the conversation cannot be in the future",
                          "conversation_on")
    text = (note or "").strip()
    if not text:
        raise ChoiceError("Write what you talked about, in a sentence or two",
                          "conversation_note")
    if len(text) > NOTE_MAX:
        raise ChoiceError(f"The note must be {NOTE_MAX} characters or fewer",
                          "conversation_note")
    choice = session.scalar(select(PaymentChoice).where(
        PaymentChoice.contributor_id == contributor.id))
    if choice is None:
        choice = PaymentChoice(contributor_id=contributor.id, chosen_days=[])
        session.add(choice)
    choice.conversation_on = on
    choice.conversation_by_id = actor.id
    choice.conversation_note = text
    session.flush()
    _audit(session, actor, contributor,
           "recorded a conversation about vouchers or expenses only with",
           {"conversation_on": [None, on.isoformat()]})
    return choice


# --------------------------------------------------------------- benefits

@dataclass
class BenefitsInput:
    consent: bool
    benefits: Sequence[str] = field(default_factory=list)
    week_day: int | None = None
    assessment_day: int | None = None
    disregard_level: str = "single"
    limit_pence: int | None = None
    limit_period: str | None = None


UC_CODES = frozenset({"uc_work_allowance_housing", "uc_work_allowance", "uc_no_work_allowance"})
ESA_CODES = frozenset({"esa_higher", "esa_lower"})
WEEKLY_CODES = frozenset({"esa_higher", "esa_lower", "carers_allowance",
                          "legacy_income_related", "pension_credit"})


def save_benefits(session: Session, actor: User, contributor: Contributor, data: BenefitsInput,
                  expected_version: int | None = None) -> BenefitRecord | None:
    """Record what the person told us, only with their consent. Without
    consent anything held is deleted (returns None)."""
    held = session.scalar(select(BenefitRecord).where(
        BenefitRecord.contributor_id == contributor.id))
    if held is not None:
        _check_version(held.version, expected_version)
    if not data.consent:
        if held is not None:
            session.delete(held)
            session.flush()
            _audit(session, actor, contributor, "deleted, as consent was withdrawn, the "
                   "benefits information of")
        return None
    codes = list(dict.fromkeys(data.benefits))
    if not codes:
        raise ChoiceError("Choose the benefits you get, or none, or I'd rather not say",
                          "benefits")
    if any(c not in BENEFIT_LABELS for c in codes):
        raise ChoiceError("Choose from the list", "benefits")
    alone = {NONE, RATHER_NOT_SAY} & set(codes)
    if alone and len(codes) > 1:
        raise ChoiceError("None and I'd rather not say cannot go with other answers",
                          "benefits")
    if len(UC_CODES & set(codes)) > 1:
        raise ChoiceError("Choose one kind of Universal Credit", "benefits")
    if len(ESA_CODES & set(codes)) > 1:
        raise ChoiceError("Choose one ESA limit", "benefits")
    if data.week_day is not None and not 0 <= data.week_day <= 6:
        raise ChoiceError("Choose the day your benefit week starts", "week_day")
    if data.assessment_day is not None and not 1 <= data.assessment_day <= 31:
        raise ChoiceError("The day your assessment period starts must be from 1 to 31",
                          "assessment_day")
    if data.disregard_level not in DISREGARD_LEVELS:
        raise ChoiceError("Choose which amount applies to you", "disregard_level")
    if (data.limit_pence is None) != (data.limit_period is None):
        raise ChoiceError("Give both an amount and how often, or neither", "limit_pence")
    if data.limit_period is not None and data.limit_period not in LIMIT_PERIODS:
        raise ChoiceError("Choose a week or a month for your limit", "limit_period")
    if held is None:
        held = BenefitRecord(contributor_id=contributor.id)
        session.add(held)
        what = "recorded, with consent, the benefits information of"
    else:
        what = "changed the benefits information of"
    held.consent_by_id = actor.id
    held.benefits = codes
    held.week_day = data.week_day
    held.assessment_day = data.assessment_day
    held.disregard_level = data.disregard_level
    held.limit_pence = data.limit_pence
    held.limit_period = data.limit_period
    session.flush()
    _audit(session, actor, contributor, what)  # never the benefits themselves
    return held


# --------------------------------------------------------------- one session's fee

@dataclass
class FeeChoiceInput:
    kind: str
    amount_pence: int | None = None
    charity_name: str | None = None
    pay_on: dt.date | None = None


def check_fee_choice(data: FeeChoiceInput, *, full_pence: int, first_day: dt.date,
                     last_day: dt.date) -> FeeChoiceInput:
    """The choice as it will be saved, or ChoiceError. Taking less must be less
    than the fee; another date must be on or after the (last) session's day."""
    if data.kind not in {k.value for k in FeeChoiceKind}:
        raise ChoiceError("Choose what you would like to happen to the fee", "fee_choice")
    amount = charity = pay_on = None
    if data.kind == FeeChoiceKind.TAKE_LESS.value:
        if data.amount_pence is None:
            raise ChoiceError("Write how much you would like to be paid", "fee_amount")
        if not 0 < data.amount_pence < full_pence:
            raise ChoiceError("The amount must be more than £0 and less than the full fee",
                              "fee_amount")
        amount = data.amount_pence
    elif data.kind == FeeChoiceKind.CHARITY.value:
        charity = _charity(data.charity_name, "fee_charity")
    elif data.kind == FeeChoiceKind.OTHER_PERIOD.value:
        if data.pay_on is None:
            raise ChoiceError("Write the date you would like to be paid on", "fee_pay_on")
        if data.pay_on < last_day:
            raise ChoiceError("The date must be on or after the day of the session",
                              "fee_pay_on")
        if data.pay_on > first_day + dt.timedelta(days=366):
            raise ChoiceError("The date must be within a year of the session", "fee_pay_on")
        pay_on = data.pay_on
    return FeeChoiceInput(kind=data.kind, amount_pence=amount, charity_name=charity,
                          pay_on=pay_on)


def fee_choice_stamp(row: SessionFeeChoice | None) -> str:
    """What an editor saw: the choice's last change ("" when none), sent
    back with the form so a change made meanwhile is not overwritten."""
    return "" if row is None else f"{row.id}:{row.chosen_at.isoformat()}"


def set_fee_choice(session: Session, actor: User, contributor: Contributor,
                   role_session: RoleSession, data: FeeChoiceInput, *, full_pence: int,
                   session_day: dt.date, expected_stamp: str | None = None
                   ) -> SessionFeeChoice:
    """Save the person's choice about this session's fee (replacing an
    earlier one), checked by ``check_fee_choice``. With ``expected_stamp``
    (``fee_choice_stamp`` of what the editor saw), ChoiceConflict when it
    changed since."""
    checked = check_fee_choice(data, full_pence=full_pence, first_day=session_day,
                               last_day=session_day)
    amount, charity, pay_on = checked.amount_pence, checked.charity_name, checked.pay_on
    found = session.scalar(select(SessionFeeChoice).where(
        SessionFeeChoice.contributor_id == contributor.id,
        SessionFeeChoice.role_session_id == role_session.id).with_for_update())
    if expected_stamp is not None and fee_choice_stamp(found) != expected_stamp:
        raise ChoiceConflict()
    values = {"choice": data.kind, "amount_pence": amount, "charity_name": charity,
              "pay_on": pay_on, "chosen_by_id": actor.id, "chosen_at": utcnow()}
    if found is None:
        found = SessionFeeChoice(contributor_id=contributor.id, role_session_id=role_session.id,
                                 **values)
        try:
            with session.begin_nested():  # someone else's first choice for it, meanwhile
                session.add(found)
        except IntegrityError:
            raise ChoiceConflict() from None
    else:
        for name, value in values.items():
            setattr(found, name, value)
        session.flush()
    record(session, Action.UPDATE, entity_type=EntityType.SESSION, entity_id=role_session.id,
           actor=actor, summary=f"recorded a fee choice ({data.kind.replace('_', ' ')}) for "
           f"contributor {contributor.id} at")
    return found


__all__ = ["BenefitsInput", "ChoiceConflict", "ChoiceError", "ChoicesInput", "FeeChoiceInput",
           "STALE", "check_fee_choice", "fee_choice_stamp", "record_conversation",
           "save_benefits", "save_choices", "set_fee_choice"]

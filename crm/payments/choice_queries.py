"""Reading a person's payment choices and benefits, and their choice about one
session's fee (the ledger reads ``fee_choice_for`` when it drafts a fee).

Benefits are read here only for the person and coordinators: views check the
permission; finance gets warnings from crm.payments.schedule_queries, never
the benefits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.payments.benefits import Profile
from crm.payments.choice_config import expected_pay_on
from crm.payments.choice_models import (
    BenefitRecord,
    FeeChoiceKind,
    FeeMode,
    PaymentChoice,
    SessionFeeChoice,
    WhenPaid,
)
from crm.projects.models import RoleSession

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class FeeChoice:
    """What the person chose for one fee. ``kind`` is accept, take_less,
    decline, charity, expenses_only or other_period; ``pay_on`` the day they
    chose (another period) or that their standing choice (monthly, chosen
    dates) gives; ``in_vouchers`` when they agreed to vouchers."""

    kind: str
    amount_pence: int | None = None
    charity: str | None = None
    pay_on: dt.date | None = None
    in_vouchers: bool = False
    from_session: bool = True


def choices_of(session: Session, contributor_id: int) -> PaymentChoice | None:
    return session.scalar(select(PaymentChoice).where(
        PaymentChoice.contributor_id == contributor_id))


def benefits_of(session: Session, contributor_id: int) -> BenefitRecord | None:
    return session.scalar(select(BenefitRecord).where(
        BenefitRecord.contributor_id == contributor_id))


def profile_of(held: BenefitRecord | None) -> Profile | None:
    if held is None:
        return None
    return Profile(benefits=frozenset(held.benefits or ()), week_day=held.week_day,
                   assessment_day=held.assessment_day,
                   disregard_level=held.disregard_level or "single",
                   limit_pence=held.limit_pence, limit_period=held.limit_period)


def profiles_of(session: Session, ids: Sequence[int]) -> dict[int, Profile]:
    """Profiles of those of ``ids`` who told us about benefits (one query)."""
    if not ids:
        return {}
    rows = session.scalars(select(BenefitRecord).where(
        BenefitRecord.contributor_id.in_(list(ids))))
    return {r.contributor_id: p for r in rows if (p := profile_of(r)) is not None}


def session_day(starts_at: dt.datetime) -> dt.date:
    return starts_at.astimezone(LONDON).date()


def _from_row(row: SessionFeeChoice) -> FeeChoice:
    return FeeChoice(kind=row.choice, amount_pence=row.amount_pence, charity=row.charity_name,
                     pay_on=row.pay_on)


def _standing(choice: PaymentChoice | None, day: dt.date) -> FeeChoice | None:
    if choice is None:
        return None
    pay_on = (expected_pay_on(day, choice.when_paid, choice.chosen_days or [])
              if choice.when_paid != WhenPaid.AFTER_EACH.value else None)
    mode = choice.fee_mode
    if mode == FeeMode.DECLINE.value:
        return FeeChoice(FeeChoiceKind.DECLINE.value, from_session=False)
    if mode == FeeMode.CHARITY.value:
        return FeeChoice(FeeChoiceKind.CHARITY.value, charity=choice.charity_name, pay_on=pay_on,
                         from_session=False)
    if mode == FeeMode.EXPENSES_ONLY.value:
        return FeeChoice(FeeChoiceKind.EXPENSES_ONLY.value, from_session=False)
    if mode == FeeMode.VOUCHERS.value or pay_on is not None:
        return FeeChoice(FeeChoiceKind.ACCEPT.value, pay_on=pay_on,
                         in_vouchers=mode == FeeMode.VOUCHERS.value, from_session=False)
    return None


def fee_choice_for(session: Session, contributor_id: int, role_session_id: int
                   ) -> FeeChoice | None:
    """The person's choice for this session's fee: the one they made for it,
    or else what their standing choices say (decline all, a charity, expenses
    only, vouchers, paid monthly or on chosen days); None if they chose
    nothing (the fee is paid as the card says). Two queries at most."""
    row = session.scalar(select(SessionFeeChoice).where(
        SessionFeeChoice.contributor_id == contributor_id,
        SessionFeeChoice.role_session_id == role_session_id))
    starts_at = session.scalar(select(RoleSession.starts_at).where(
        RoleSession.id == role_session_id))
    if starts_at is None:
        return None
    standing = _standing(choices_of(session, contributor_id), session_day(starts_at))
    if row is None:
        return standing
    own = _from_row(row)
    if own.pay_on is None and standing is not None and standing.pay_on is not None \
            and own.kind not in (FeeChoiceKind.DECLINE.value, FeeChoiceKind.EXPENSES_ONLY.value):
        # their choice for this fee, paid when they chose to be paid in general
        return FeeChoice(own.kind, own.amount_pence, own.charity, standing.pay_on)
    return own


def fee_choices_of(session: Session, contributor_id: int, role_session_ids: Sequence[int]
                   ) -> dict[int, FeeChoice]:
    """The person's own choices for these sessions (one query)."""
    if not role_session_ids:
        return {}
    rows = session.scalars(select(SessionFeeChoice).where(
        SessionFeeChoice.contributor_id == contributor_id,
        SessionFeeChoice.role_session_id.in_(list(role_session_ids))))
    return {r.role_session_id: _from_row(r) for r in rows}


def planned_pay_on(choice: PaymentChoice | None, fee_choice: FeeChoice | None,
                   day: dt.date) -> dt.date:
    """When a fee not claimed yet is expected to be paid: the day the person
    chose for it, or else by their standing choice."""
    if fee_choice is not None and fee_choice.pay_on is not None:
        return fee_choice.pay_on
    if choice is None:
        return expected_pay_on(day, None, [])
    return expected_pay_on(day, choice.when_paid, choice.chosen_days or [])


def planned_pence(choice: PaymentChoice | None, fee_choice: FeeChoice | None,
                  full_pence: int) -> tuple[int, bool]:
    """(the fee the person would be paid, whether it counts as their earnings)
    under their choices: declined or expenses only pays nothing; taking less
    pays that; a charity's fee is not theirs."""
    kind = fee_choice.kind if fee_choice is not None else None
    if kind is None and choice is not None:
        standing = _standing(choice, dt.date.min)
        kind = standing.kind if standing else None
    if kind in (FeeChoiceKind.DECLINE.value, FeeChoiceKind.EXPENSES_ONLY.value):
        return 0, True
    if kind == FeeChoiceKind.TAKE_LESS.value and fee_choice is not None:
        return min(full_pence, fee_choice.amount_pence or 0), True
    if kind == FeeChoiceKind.CHARITY.value:
        return full_pence, False
    return full_pence, True


__all__ = ["FeeChoice", "benefits_of", "choices_of", "fee_choice_for", "fee_choices_of",
           "planned_pay_on", "planned_pence", "profile_of", "profiles_of", "session_day"]

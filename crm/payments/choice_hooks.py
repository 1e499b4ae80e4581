"""Payment choices' part in the duties in crm.hooks: the person's payment
choices, the benefits they told us about and their fee choices are in their
own data download, and are deleted when their record is anonymised. Also
registers the "may affect benefits" notes matching shows before an offer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from crm import hooks
from crm.matching import criteria
from crm.payments.benefit_periods import WEEKDAYS
from crm.payments.benefits import BENEFIT_LABELS
from crm.payments.choice_models import BenefitRecord, PaymentChoice, SessionFeeChoice
from crm.payments.schedule_queries import benefit_notes_for_offers

criteria.register_benefit_notes(benefit_notes_for_offers)


@hooks.personal_data_requested.connect
def _choices_for_download(session: Session, *, contributor_id: int, **_: Any) -> dict[str, Any]:
    choice = session.scalar(select(PaymentChoice).where(
        PaymentChoice.contributor_id == contributor_id))
    held = session.scalar(select(BenefitRecord).where(
        BenefitRecord.contributor_id == contributor_id))
    fees = session.scalars(select(SessionFeeChoice).where(
        SessionFeeChoice.contributor_id == contributor_id).order_by(SessionFeeChoice.id)).all()
    return {
        "payment_choices": None if choice is None else {
            "route": choice.route, "fees": choice.fee_mode, "charity": choice.charity_name,
            "when_paid": choice.when_paid, "days_of_the_month": list(choice.chosen_days or []),
            "conversation_about_vouchers_or_expenses_on": choice.conversation_on,
            "conversation_note": choice.conversation_note},
        "benefits_you_told_us_about": None if held is None else {
            "consent_given_at": held.consent_at,
            "benefits": [BENEFIT_LABELS.get(b, b) for b in held.benefits or []],
            "benefit_week_starts_on": (WEEKDAYS[held.week_day] if held.week_day is not None
                                       else None),
            "assessment_period_starts_on_day": held.assessment_day,
            "your_limit_pence": held.limit_pence, "your_limit_period": held.limit_period},
        "fee_choices": [{"session_id": f.role_session_id, "choice": f.choice,
                         "amount_pence": f.amount_pence, "charity": f.charity_name,
                         "pay_on": f.pay_on} for f in fees],
    }


@hooks.person_anonymised.connect
def _delete_choices(session: Session, *, contributor_id: int, **_: Any) -> None:
    for model in (PaymentChoice, BenefitRecord, SessionFeeChoice):
        session.execute(delete(model).where(model.contributor_id == contributor_id))

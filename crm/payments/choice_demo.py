"""Demo payment choices and benefits: the demo contributor (Kit) on Carer's
Allowance with a Monday benefit week, paid by claim form after each
activity; a few others with Universal Credit, ESA, PIP, "rather not say", a
charity, monthly pay and declined fees. All synthetic. Caller commits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.contributors.models import Contributor
from crm.matching.models import Offer, OfferStatus
from crm.payments.choice_models import BenefitRecord, PaymentChoice
from crm.projects.models import RoleOpening

# (benefits, week day, UC day, own limit pence, period, route, fee mode, charity, when)
OTHERS = [
    (["uc_work_allowance_housing"], None, 13, None, None, "payroll", "fees", None, "monthly"),
    (["esa_higher"], 2, None, None, None, "claim_form", "fees", None, "after_each"),
    (["pip_dla"], None, None, 20000, "month", "invoice", "charity", "Mind", "after_each"),
    (["rather_not_say"], None, None, None, None, "claim_form", "decline", None, "after_each"),
]


def load_choices(session: Session, today: dt.date, *, coordinator_id: int,
                 own_user_id: int | None = None) -> int:
    """Benefits and choices for Kit and four people with paid roles said yes
    to. Returns how many people."""
    kit = session.scalar(select(Contributor.id).where(Contributor.user_id == own_user_id)
                         ) if own_user_id else None
    people = list(session.scalars(
        select(Offer.contributor_id).join(RoleOpening, RoleOpening.id == Offer.role_id)
        .where(Offer.status == OfferStatus.ACCEPTED.value, RoleOpening.fee_tier.is_not(None),
               Offer.contributor_id != (kit or 0))
        .group_by(Offer.contributor_id).order_by(Offer.contributor_id).limit(len(OTHERS))))
    consent_at = dt.datetime.combine(today - dt.timedelta(days=30), dt.time(11), dt.UTC)
    done = 0
    if kit is not None:
        session.add(BenefitRecord(contributor_id=kit, benefits=["carers_allowance"], week_day=0,
                                  consent_at=consent_at, consent_by_id=coordinator_id))
        session.add(PaymentChoice(contributor_id=kit, route="claim_form", chosen_days=[]))
        done += 1
    for cid, (codes, week, ap, limit, period, route, mode, charity, when) in zip(
            people, OTHERS, strict=False):
        session.add(BenefitRecord(contributor_id=cid, benefits=codes, week_day=week,
                                  assessment_day=ap, limit_pence=limit, limit_period=period,
                                  consent_at=consent_at, consent_by_id=coordinator_id))
        session.add(PaymentChoice(contributor_id=cid, route=route, fee_mode=mode,
                                  charity_name=charity, when_paid=when, chosen_days=[]))
        done += 1
    session.flush()
    return done


__all__ = ["load_choices"]

"""Each person's payment choices, the benefits they told us about (only with
their consent), and their choice about one session's fee.

Benefits are special: only the person and coordinators see them, never
finance or report viewers. Withdrawing consent deletes the row; nothing is
kept. None of it ever moves, splits or reduces a payment by itself: the ledger
reads a choice when it drafts a fee, and people decide.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base, TimestampMixin, UTCDateTime, intpk, utcnow
from crm.money import PenceType, not_negative


class FeeMode(StrEnum):
    """What happens to this person's fees in general."""

    FEES = "fees"  # paid as usual
    DECLINE = "decline"  # decline all fees
    CHARITY = "charity"  # paid to a named charity instead
    VOUCHERS = "vouchers"  # discouraged: needs a recorded conversation
    EXPENSES_ONLY = "expenses_only"  # discouraged: needs a recorded conversation


NEEDS_CONVERSATION = frozenset({FeeMode.VOUCHERS.value, FeeMode.EXPENSES_ONLY.value})


class WhenPaid(StrEnum):
    AFTER_EACH = "after_each"
    MONTHLY = "monthly"
    CHOSEN_DATES = "chosen_dates"


class FeeChoiceKind(StrEnum):
    """A person's choice about one session's fee."""

    ACCEPT = "accept"
    TAKE_LESS = "take_less"
    DECLINE = "decline"
    CHARITY = "charity"
    EXPENSES_ONLY = "expenses_only"
    OTHER_PERIOD = "other_period"


class PaymentChoice(TimestampMixin, Base):
    """How and when a person is paid. One a person."""

    __tablename__ = "payment_choice"

    id: Mapped[intpk]
    contributor_id: Mapped[int] = mapped_column(
        ForeignKey("contributor.id", ondelete="CASCADE"), unique=True)
    route: Mapped[str | None] = mapped_column(String(32))
    fee_mode: Mapped[str] = mapped_column(String(16), default=FeeMode.FEES.value)
    charity_name: Mapped[str | None] = mapped_column(String(200))
    when_paid: Mapped[str] = mapped_column(String(16), default=WhenPaid.AFTER_EACH.value)
    chosen_days: Mapped[list[int]] = mapped_column(JSON, default=list)
    # The individual conversation vouchers or expenses only need (a coordinator records it).
    conversation_on: Mapped[dt.date | None] = mapped_column(Date)
    conversation_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    conversation_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class BenefitRecord(TimestampMixin, Base):
    """The benefits a person told us about, with their explicit consent.

    ``benefits`` holds codes of crm.payments.benefits.BENEFIT_LABELS;
    ``week_day`` 0 (Monday) to 6 is their benefit week's first day;
    ``assessment_day`` 1 to 31 their UC assessment period's first day;
    ``limit_pence`` and ``limit_period`` (week or month) a limit they chose."""

    __tablename__ = "benefit_record"
    __table_args__ = (
        CheckConstraint("week_day IS NULL OR (week_day >= 0 AND week_day <= 6)",
                        name="week_day_range"),
        CheckConstraint("assessment_day IS NULL OR (assessment_day >= 1 AND "
                        "assessment_day <= 31)", name="assessment_day_range"),
        not_negative("limit_pence"),
    )

    id: Mapped[intpk]
    contributor_id: Mapped[int] = mapped_column(
        ForeignKey("contributor.id", ondelete="CASCADE"), unique=True)
    consent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    consent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    benefits: Mapped[list[str]] = mapped_column(JSON, default=list)
    week_day: Mapped[int | None] = mapped_column(Integer)
    assessment_day: Mapped[int | None] = mapped_column(Integer)
    disregard_level: Mapped[str] = mapped_column(String(16), default="single")
    limit_pence: Mapped[int | None] = mapped_column(PenceType())
    limit_period: Mapped[str | None] = mapped_column(String(8))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class SessionFeeChoice(Base):
    """A person's choice about the fee for one session. ``pay_on`` is the day
    they chose to be paid on (or after) for "another period"."""

    __tablename__ = "session_fee_choice"
    __table_args__ = (
        Index("ix_session_fee_choice_contributor_session", "contributor_id", "role_session_id",
              unique=True),
        Index("ix_session_fee_choice_role_session_id", "role_session_id"),
        not_negative("amount_pence"),
    )

    id: Mapped[intpk]
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="CASCADE"))
    role_session_id: Mapped[int] = mapped_column(
        ForeignKey("role_session.id", ondelete="CASCADE"))
    choice: Mapped[str] = mapped_column(String(16))
    amount_pence: Mapped[int | None] = mapped_column(PenceType())
    charity_name: Mapped[str | None] = mapped_column(String(200))
    pay_on: Mapped[dt.date | None] = mapped_column(Date)
    chosen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    chosen_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)


__all__ = ["BenefitRecord", "FeeChoiceKind", "FeeMode", "NEEDS_CONVERSATION", "PaymentChoice",
           "SessionFeeChoice", "WhenPaid"]

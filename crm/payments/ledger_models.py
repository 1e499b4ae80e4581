"""Claims, their ledger entries, receipts and finance exports.

A ``Claim`` is one amount owed to one person for one session: the fee, or
one kind of expense. The database allows one claim per person, session and
kind, and one claim per idempotency key, so a form sent twice makes one
claim. Amounts are whole pence. The amount is never edited: every change
is a ``LedgerEntry`` (the first amount, then a reversing entry and the new
amount), and ``Claim.amount_pence`` is kept equal to the sum of its entries.

A claim moves drafted -> submitted -> approved -> exported -> paid (or is
withdrawn before approval when it is no longer due). ``is_earnings`` is
what the benefits schedule reads: expenses are never earnings (the database
refuses it), and a fee paid straight to a charity is not the person's.
``version`` guards against two people saving at once.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, TimestampMixin, UTCDateTime, intpk, utcnow
from crm.money import PenceType, not_negative


class ClaimKind(StrEnum):
    FEE = "fee"
    MILEAGE = "mileage"
    PUBLIC_TRANSPORT = "public_transport"
    TAXI = "taxi"
    CARE_COVER = "care_cover"
    SUPPORTER = "supporter"
    PHONE_DATA = "phone_data"
    PRINTING = "printing"


CLAIM_KIND_LABELS = {
    ClaimKind.FEE: "Fee",
    ClaimKind.MILEAGE: "Mileage",
    ClaimKind.PUBLIC_TRANSPORT: "Public transport",
    ClaimKind.TAXI: "Taxi (agreed in advance)",
    ClaimKind.CARE_COVER: "Cover for caring or childcare",
    ClaimKind.SUPPORTER: "Personal assistant or supporter",
    ClaimKind.PHONE_DATA: "Phone or data for an online session",
    ClaimKind.PRINTING: "Printing",
}

EXPENSE_KINDS = tuple(k for k in ClaimKind if k != ClaimKind.FEE)


class ClaimState(StrEnum):
    DRAFTED = "drafted"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    EXPORTED = "exported"
    PAID = "paid"
    WITHDRAWN = "withdrawn"


CLAIM_STATE_LABELS = {
    ClaimState.DRAFTED: "Drafted",
    ClaimState.SUBMITTED: "Waiting for approval",
    ClaimState.APPROVED: "Approved",
    ClaimState.EXPORTED: "Sent to be paid",
    ClaimState.PAID: "Paid",
    ClaimState.WITHDRAWN: "Withdrawn",
}

# States where the amount is settled: a new rate card never changes it.
SETTLED_STATES = frozenset({ClaimState.APPROVED, ClaimState.EXPORTED, ClaimState.PAID})


class PaymentExport(Base):
    """One finance export: the approved claims of a period, sent to be paid."""

    __tablename__ = "payment_export"

    id: Mapped[intpk]
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claim_count: Mapped[int] = mapped_column(Integer, default=0)
    total_pence: Mapped[int] = mapped_column(PenceType(), default=0)


class Claim(TimestampMixin, Base):
    __tablename__ = "payment_claim"
    __table_args__ = (
        UniqueConstraint("contributor_id", "session_id", "kind"),
        Index("ix_payment_claim_state_pay_on", "state", "pay_on"),
        Index("ix_payment_claim_contributor_id_pay_on", "contributor_id", "pay_on"),
        Index("ix_payment_claim_session_id", "session_id"),
        Index("ix_payment_claim_export_id", "export_id"),
        not_negative("amount_pence"),
        CheckConstraint("kind = 'fee' OR NOT is_earnings", name="expenses_never_earnings"),
    )

    id: Mapped[intpk]
    contributor_id: Mapped[int] = mapped_column(
        ForeignKey("contributor.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("role_session.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    is_earnings: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default=ClaimState.DRAFTED.value)
    amount_pence: Mapped[int] = mapped_column(PenceType(), default=0)
    # The fee as the rate card set it (before a choice or a coordinator's change).
    card_pence: Mapped[int | None] = mapped_column(PenceType())
    tier_code: Mapped[str | None] = mapped_column(String(32))
    card_id: Mapped[str | None] = mapped_column(String(64))
    card_label: Mapped[str | None] = mapped_column(String(200))
    # The person's choice about this fee (take less, decline, a charity...).
    fee_choice: Mapped[str | None] = mapped_column(String(32))
    charity: Mapped[str | None] = mapped_column(String(200))
    override_reason: Mapped[str | None] = mapped_column(Text)
    # Expenses: what it was for, miles driven, a taxi agreed in advance.
    description: Mapped[str | None] = mapped_column(Text)
    miles: Mapped[int | None] = mapped_column(Integer)
    pence_per_mile: Mapped[int | None] = mapped_column(Integer)
    agreed_in_advance: Mapped[bool] = mapped_column(Boolean, default=False)
    # Staff of a public body: a fee only for work unrelated to their job,
    # in their own time.
    public_body_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    staff_declaration: Mapped[bool] = mapped_column(Boolean, default=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    pay_on: Mapped[dt.date] = mapped_column(Date)
    attendance_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    export_id: Mapped[int | None] = mapped_column(
        ForeignKey("payment_export.id", ondelete="SET NULL"))
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    payment_reference: Mapped[str | None] = mapped_column(String(100))
    paid_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    entries: Mapped[list[LedgerEntry]] = relationship(
        back_populates="claim", order_by="LedgerEntry.id", cascade="all, delete-orphan")
    receipts: Mapped[list[Receipt]] = relationship(
        back_populates="claim", order_by="Receipt.id", cascade="all, delete-orphan")

    @property
    def kind_label(self) -> str:
        return CLAIM_KIND_LABELS[ClaimKind(self.kind)]

    @property
    def state_label(self) -> str:
        return CLAIM_STATE_LABELS[ClaimState(self.state)]


class EntryKind(StrEnum):
    ORIGINAL = "original"
    REVERSAL = "reversal"
    CORRECTION = "correction"


class LedgerEntry(Base):
    """One movement on a claim. Never changed or deleted: a correction is a
    reversing entry (minus the amount it reverses) and a new entry."""

    __tablename__ = "payment_ledger_entry"

    id: Mapped[intpk]
    claim_id: Mapped[int] = mapped_column(ForeignKey("payment_claim.id", ondelete="CASCADE"),
                                          index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount_pence: Mapped[int] = mapped_column(PenceType())
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("payment_ledger_entry.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="entries")


class Receipt(Base):
    """A photo or PDF of a receipt, stored under the instance folder (never
    the web root) by a random name; only its checked type and size here."""

    __tablename__ = "payment_receipt"

    id: Mapped[intpk]
    claim_id: Mapped[int] = mapped_column(ForeignKey("payment_claim.id", ondelete="CASCADE"),
                                          index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="receipts")

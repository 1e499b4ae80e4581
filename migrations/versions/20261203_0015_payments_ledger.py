"""claims, expenses, receipts and the ledger finance approves, exports and marks paid (issue 10)

One claim per person, session and kind (the fee, or one kind of expense),
one per idempotency key; amounts in whole pence, never negative on a claim;
ledger entries (signed) are never edited; only fees are earnings.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payment_export",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claim_count", sa.Integer(), nullable=False),
        sa.Column("total_pence", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_payment_export_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_export")),
    )
    op.create_index(
        op.f("ix_payment_export_created_by_id"), "payment_export", ["created_by_id"], unique=False
    )
    op.create_table(
        "payment_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("is_earnings", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("card_pence", sa.Integer(), nullable=True),
        sa.Column("tier_code", sa.String(length=32), nullable=True),
        sa.Column("card_id", sa.String(length=64), nullable=True),
        sa.Column("card_label", sa.String(length=200), nullable=True),
        sa.Column("fee_choice", sa.String(length=32), nullable=True),
        sa.Column("charity", sa.String(length=200), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("miles", sa.Integer(), nullable=True),
        sa.Column("pence_per_mile", sa.Integer(), nullable=True),
        sa.Column("agreed_in_advance", sa.Boolean(), nullable=False),
        sa.Column("public_body_staff", sa.Boolean(), nullable=False),
        sa.Column("staff_declaration", sa.Boolean(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=True),
        sa.Column("pay_on", sa.Date(), nullable=False),
        sa.Column("attendance_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("export_id", sa.Integer(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("payment_reference", sa.String(length=100), nullable=True),
        sa.Column("paid_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind = 'fee' OR NOT is_earnings", name=op.f("ck_payment_claim_expenses_never_earnings")
        ),
        sa.CheckConstraint(
            "amount_pence >= 0", name=op.f("ck_payment_claim_amount_pence_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["user_account.id"],
            name=op.f("fk_payment_claim_approved_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["attendance_by_id"],
            ["user_account.id"],
            name=op.f("fk_payment_claim_attendance_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_payment_claim_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["export_id"],
            ["payment_export.id"],
            name=op.f("fk_payment_claim_export_id_payment_export"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["paid_by_id"],
            ["user_account.id"],
            name=op.f("fk_payment_claim_paid_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_payment_claim_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["role_session.id"],
            name=op.f("fk_payment_claim_session_id_role_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["user_account.id"],
            name=op.f("fk_payment_claim_submitted_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_claim")),
        sa.UniqueConstraint(
            "contributor_id",
            "session_id",
            "kind",
            name=op.f("uq_payment_claim_contributor_id_session_id_kind"),
        ),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_payment_claim_idempotency_key")),
    )
    op.create_index(
        "ix_payment_claim_contributor_id_pay_on",
        "payment_claim",
        ["contributor_id", "pay_on"],
        unique=False,
    )
    op.create_index("ix_payment_claim_export_id", "payment_claim", ["export_id"], unique=False)
    op.create_index("ix_payment_claim_session_id", "payment_claim", ["session_id"], unique=False)
    op.create_index(
        "ix_payment_claim_state_pay_on", "payment_claim", ["state", "pay_on"], unique=False
    )
    op.create_table(
        "payment_ledger_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["payment_claim.id"],
            name=op.f("fk_payment_ledger_entry_claim_id_payment_claim"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_payment_ledger_entry_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["payment_ledger_entry.id"],
            name=op.f("fk_payment_ledger_entry_reverses_id_payment_ledger_entry"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_ledger_entry")),
    )
    op.create_index(
        op.f("ix_payment_ledger_entry_claim_id"), "payment_ledger_entry", ["claim_id"], unique=False
    )
    op.create_table(
        "payment_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=120), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["payment_claim.id"],
            name=op.f("fk_payment_receipt_claim_id_payment_claim"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name=op.f("fk_payment_receipt_uploaded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_receipt")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_payment_receipt_stored_name")),
    )
    op.create_index(
        op.f("ix_payment_receipt_claim_id"), "payment_receipt", ["claim_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_payment_receipt_claim_id"), table_name="payment_receipt")
    op.drop_table("payment_receipt")
    op.drop_index(op.f("ix_payment_ledger_entry_claim_id"), table_name="payment_ledger_entry")
    op.drop_table("payment_ledger_entry")
    op.drop_index("ix_payment_claim_state_pay_on", table_name="payment_claim")
    op.drop_index("ix_payment_claim_session_id", table_name="payment_claim")
    op.drop_index("ix_payment_claim_export_id", table_name="payment_claim")
    op.drop_index("ix_payment_claim_contributor_id_pay_on", table_name="payment_claim")
    op.drop_table("payment_claim")
    op.drop_index(op.f("ix_payment_export_created_by_id"), table_name="payment_export")
    op.drop_table("payment_export")

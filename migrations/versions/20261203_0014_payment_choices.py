"""each person's payment choices and the benefits they told us about, with consent (issue 10)

payment_choice: route, decline all, a charity, vouchers or expenses only (with
the recorded conversation), when to be paid. benefit_record: the benefits a
person told us about, their benefit week day, UC assessment day and own limit,
only with consent. session_fee_choice: their choice about one session's fee.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "benefit_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("consent_at", TZ, nullable=False),
        sa.Column("consent_by_id", sa.Integer(), nullable=True),
        sa.Column("benefits", sa.JSON(), nullable=False),
        sa.Column("week_day", sa.Integer(), nullable=True),
        sa.Column("assessment_day", sa.Integer(), nullable=True),
        sa.Column("disregard_level", sa.String(length=16), nullable=False),
        sa.Column("limit_pence", sa.Integer(), nullable=True),
        sa.Column("limit_period", sa.String(length=8), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.CheckConstraint(
            "assessment_day IS NULL OR (assessment_day >= 1 AND assessment_day <= 31)",
            name=op.f("ck_benefit_record_assessment_day_range")),
        sa.CheckConstraint("limit_pence >= 0",
                           name=op.f("ck_benefit_record_limit_pence_not_negative")),
        sa.CheckConstraint("week_day IS NULL OR (week_day >= 0 AND week_day <= 6)",
                           name=op.f("ck_benefit_record_week_day_range")),
        sa.ForeignKeyConstraint(["consent_by_id"], ["user_account.id"],
                                name=op.f("fk_benefit_record_consent_by_id_user_account"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["contributor_id"], ["contributor.id"],
                                name=op.f("fk_benefit_record_contributor_id_contributor"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benefit_record")),
        sa.UniqueConstraint("contributor_id", name=op.f("uq_benefit_record_contributor_id")),
    )
    op.create_index(op.f("ix_benefit_record_consent_by_id"), "benefit_record",
                    ["consent_by_id"], unique=False)
    op.create_table(
        "payment_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("route", sa.String(length=32), nullable=True),
        sa.Column("fee_mode", sa.String(length=16), nullable=False),
        sa.Column("charity_name", sa.String(length=200), nullable=True),
        sa.Column("when_paid", sa.String(length=16), nullable=False),
        sa.Column("chosen_days", sa.JSON(), nullable=False),
        sa.Column("conversation_on", sa.Date(), nullable=True),
        sa.Column("conversation_by_id", sa.Integer(), nullable=True),
        sa.Column("conversation_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["contributor_id"], ["contributor.id"],
                                name=op.f("fk_payment_choice_contributor_id_contributor"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["conversation_by_id"], ["user_account.id"],
                                name=op.f("fk_payment_choice_conversation_by_id_user_account"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_choice")),
        sa.UniqueConstraint("contributor_id", name=op.f("uq_payment_choice_contributor_id")),
    )
    op.create_index(op.f("ix_payment_choice_conversation_by_id"), "payment_choice",
                    ["conversation_by_id"], unique=False)
    op.create_table(
        "session_fee_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("role_session_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=16), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=True),
        sa.Column("charity_name", sa.String(length=200), nullable=True),
        sa.Column("pay_on", sa.Date(), nullable=True),
        sa.Column("chosen_at", TZ, nullable=False),
        sa.Column("chosen_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("amount_pence >= 0",
                           name=op.f("ck_session_fee_choice_amount_pence_not_negative")),
        sa.ForeignKeyConstraint(["chosen_by_id"], ["user_account.id"],
                                name=op.f("fk_session_fee_choice_chosen_by_id_user_account"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["contributor_id"], ["contributor.id"],
                                name=op.f("fk_session_fee_choice_contributor_id_contributor"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["role_session_id"], ["role_session.id"],
                                name=op.f("fk_session_fee_choice_role_session_id_role_session"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_fee_choice")),
    )
    op.create_index(op.f("ix_session_fee_choice_chosen_by_id"), "session_fee_choice",
                    ["chosen_by_id"], unique=False)
    op.create_index("ix_session_fee_choice_contributor_session", "session_fee_choice",
                    ["contributor_id", "role_session_id"], unique=True)
    op.create_index("ix_session_fee_choice_role_session_id", "session_fee_choice",
                    ["role_session_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_session_fee_choice_role_session_id", table_name="session_fee_choice")
    op.drop_index("ix_session_fee_choice_contributor_session", table_name="session_fee_choice")
    op.drop_index(op.f("ix_session_fee_choice_chosen_by_id"), table_name="session_fee_choice")
    op.drop_table("session_fee_choice")
    op.drop_index(op.f("ix_payment_choice_conversation_by_id"), table_name="payment_choice")
    op.drop_table("payment_choice")
    op.drop_index(op.f("ix_benefit_record_consent_by_id"), table_name="benefit_record")
    op.drop_table("benefit_record")

"""equality monitoring answers, in a table of their own (special category
data, read only by the person and by aggregate reports)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "equality_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=32), nullable=False),
        sa.Column("answer", sa.String(length=64), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_from_paper", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_equality_answer_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equality_answer")),
        sa.UniqueConstraint(
            "contributor_id", "question", name=op.f("uq_equality_answer_contributor_id_question")
        ),
    )
    with op.batch_alter_table("equality_answer", schema=None) as batch_op:
        batch_op.create_index(
            "ix_equality_answer_question_answer", ["question", "answer"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("equality_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_equality_answer_question_answer")

    op.drop_table("equality_answer")

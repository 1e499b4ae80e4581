"""comparison populations a trust uploads for the representation reports
(aggregate shares only)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "uploaded_population",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name=op.f("fk_uploaded_population_uploaded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uploaded_population")),
        sa.UniqueConstraint("title", name=op.f("uq_uploaded_population_title")),
    )
    op.create_table(
        "population_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("population_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=32), nullable=False),
        sa.Column("answer", sa.String(length=64), nullable=False),
        sa.Column("percent", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["population_id"],
            ["uploaded_population.id"],
            name=op.f("fk_population_share_population_id_uploaded_population"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_population_share")),
        sa.UniqueConstraint(
            "population_id",
            "question",
            "answer",
            name=op.f("uq_population_share_population_id_question_answer"),
        ),
    )


def downgrade() -> None:
    op.drop_table("population_share")
    op.drop_table("uploaded_population")

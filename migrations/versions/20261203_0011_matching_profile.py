"""matching profiles: one narrow row a contributor that ranking scans, and
the bit each skill, service kind and adjustment code has in its masks

Profiles are filled by crm.matching.profile (refresh_profiles), not here:
the first ranking after this upgrade builds those missing.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "matching_code_bit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("bit", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matching_code_bit")),
        sa.UniqueConstraint("kind", "bit", name=op.f("uq_matching_code_bit_kind_bit")),
        sa.UniqueConstraint("kind", "code", name=op.f("uq_matching_code_bit_kind_code")),
    )
    op.create_table(
        "matching_profile",
        sa.Column("contributor_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("is_listed", sa.Boolean(), nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("may_contact", sa.Boolean(), nullable=False),
        sa.Column("experience_mask", sa.BigInteger(), nullable=False),
        sa.Column("slot_mask", sa.BigInteger(), nullable=False),
        sa.Column("service_mask", sa.BigInteger(), nullable=False),
        sa.Column("skill_mask", sa.BigInteger(), nullable=False),
        sa.Column("adjustment_mask", sa.BigInteger(), nullable=False),
        sa.Column("adjustment_count", sa.Integer(), nullable=False),
        sa.Column("attendance_mode", sa.String(length=16), nullable=False),
        sa.Column("travel_max_miles", sa.Integer(), nullable=True),
        sa.Column("postcode_district", sa.String(length=20), nullable=True),
        sa.Column("notice_days", sa.Integer(), nullable=True),
        sa.Column("max_roles_at_once", sa.Integer(), nullable=True),
        sa.Column("has_attended", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_matching_profile_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contributor_id", name=op.f("pk_matching_profile")),
    )
    with op.batch_alter_table("matching_profile", schema=None) as batch_op:
        batch_op.create_index(
            "ix_matching_profile_is_listed_may_contact", ["is_listed", "may_contact"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("matching_profile", schema=None) as batch_op:
        batch_op.drop_index("ix_matching_profile_is_listed_may_contact")

    op.drop_table("matching_profile")
    op.drop_table("matching_code_bit")

"""contributors: records, experience, skills, availability, consents, adjustments,
communication, training, support

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contributor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("preferred_name", sa.String(length=100), nullable=True),
        sa.Column("pronouns", sa.String(length=50), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("postal_address", sa.Text(), nullable=True),
        sa.Column("postcode_area", sa.String(length=20), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("search_text", sa.String(length=600), nullable=False),
        sa.Column("prefers_living_experience", sa.Boolean(), nullable=False),
        sa.Column("what_i_bring", sa.Text(), nullable=True),
        sa.Column("attendance_mode", sa.String(length=16), nullable=False),
        sa.Column("travel_max_miles", sa.Integer(), nullable=True),
        sa.Column("notice_days", sa.Integer(), nullable=True),
        sa.Column("availability_note", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("key_contact_id", sa.Integer(), nullable=True),
        sa.Column("is_peer_support_worker", sa.Boolean(), nullable=False),
        sa.Column("peer_employer", sa.String(length=200), nullable=True),
        sa.Column("adjustments_other", sa.Text(), nullable=True),
        sa.Column("prefers_easy_read", sa.Boolean(), nullable=False),
        sa.Column("removal_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_contact_id"],
            ["user_account.id"],
            name=op.f("fk_contributor_key_contact_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_contributor_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contributor")),
        sa.UniqueConstraint("user_id", name=op.f("uq_contributor_user_id")),
    )
    with op.batch_alter_table("contributor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contributor_attendance_mode"), ["attendance_mode"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contributor_email"), ["email"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_contributor_key_contact_id"), ["key_contact_id"], unique=False
        )
        batch_op.create_index("ix_contributor_search_text", ["search_text"], unique=False)
        batch_op.create_index(
            "ix_contributor_status_full_name", ["status", "full_name"], unique=False
        )

    op.create_table(
        "communication_preference",
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("channel_order", sa.JSON(), nullable=False),
        sa.Column("do_not_use", sa.JSON(), nullable=False),
        sa.Column("best_times", sa.String(length=300), nullable=True),
        sa.Column("information_format", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=80), nullable=True),
        sa.Column("via_supporter", sa.Boolean(), nullable=False),
        sa.Column("supporter_name", sa.String(length=200), nullable=True),
        sa.Column("supporter_contact", sa.String(length=300), nullable=True),
        sa.Column("papers_days_before", sa.Integer(), nullable=True),
        sa.Column("camera_optional", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_communication_preference_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contributor_id", name=op.f("pk_communication_preference")),
    )
    op.create_table(
        "contributor_adjustment",
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_contributor_adjustment_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contributor_adjustment")),
        sa.UniqueConstraint(
            "contributor_id", "code", name=op.f("uq_contributor_adjustment_contributor_id_code")
        ),
    )
    with op.batch_alter_table("contributor_adjustment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contributor_adjustment_code_contributor_id",
            ["code", "contributor_id"],
            unique=False,
        )

    op.create_table(
        "contributor_affiliation",
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("is_user_led", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_contributor_affiliation_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contributor_affiliation")),
    )
    with op.batch_alter_table("contributor_affiliation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contributor_affiliation_contributor_id", ["contributor_id"], unique=False
        )

    op.create_table(
        "contributor_availability",
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("part", sa.String(length=10), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_contributor_availability_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contributor_availability")),
        sa.UniqueConstraint(
            "contributor_id",
            "day",
            "part",
            name=op.f("uq_contributor_availability_contributor_id_day_part"),
        ),
    )
    with op.batch_alter_table("contributor_availability", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contributor_availability_day_part_contributor_id",
            ["day", "part", "contributor_id"],
            unique=False,
        )

    op.create_table(
        "contributor_consent",
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("is_given", sa.Boolean(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_contributor_consent_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contributor_consent")),
        sa.UniqueConstraint(
            "contributor_id", "kind", name=op.f("uq_contributor_consent_contributor_id_kind")
        ),
    )
    op.create_table(
        "contributor_experience",
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_contributor_experience_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contributor_experience")),
        sa.UniqueConstraint(
            "contributor_id", "kind", name=op.f("uq_contributor_experience_contributor_id_kind")
        ),
    )
    with op.batch_alter_table("contributor_experience", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contributor_experience_kind_contributor_id",
            ["kind", "contributor_id"],
            unique=False,
        )

    op.create_table(
        "contributor_service_kind",
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_contributor_service_kind_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contributor_service_kind")),
        sa.UniqueConstraint(
            "contributor_id", "code", name=op.f("uq_contributor_service_kind_contributor_id_code")
        ),
    )
    with op.batch_alter_table("contributor_service_kind", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contributor_service_kind_code_contributor_id",
            ["code", "contributor_id"],
            unique=False,
        )

    op.create_table(
        "contributor_skill",
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column("label", sa.String(length=100), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_contributor_skill_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contributor_skill")),
    )
    with op.batch_alter_table("contributor_skill", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contributor_skill_code_contributor_id", ["code", "contributor_id"], unique=False
        )
        batch_op.create_index(
            "ix_contributor_skill_contributor_id", ["contributor_id"], unique=False
        )

    op.create_table(
        "contributor_support",
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_contributor_support_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contributor_support")),
        sa.UniqueConstraint(
            "contributor_id", "kind", name=op.f("uq_contributor_support_contributor_id_kind")
        ),
    )
    op.create_table(
        "training_completion",
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("course_code", sa.String(length=64), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_training_completion_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_completion")),
    )
    with op.batch_alter_table("training_completion", schema=None) as batch_op:
        batch_op.create_index(
            "ix_training_completion_contributor_id", ["contributor_id"], unique=False
        )
        batch_op.create_index(
            "ix_training_completion_course_code_contributor_id",
            ["course_code", "contributor_id"],
            unique=False,
        )
        batch_op.create_index("ix_training_completion_expires_on", ["expires_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("training_completion", schema=None) as batch_op:
        batch_op.drop_index("ix_training_completion_expires_on")
        batch_op.drop_index("ix_training_completion_course_code_contributor_id")
        batch_op.drop_index("ix_training_completion_contributor_id")

    op.drop_table("training_completion")
    op.drop_table("contributor_support")
    with op.batch_alter_table("contributor_skill", schema=None) as batch_op:
        batch_op.drop_index("ix_contributor_skill_contributor_id")
        batch_op.drop_index("ix_contributor_skill_code_contributor_id")

    op.drop_table("contributor_skill")
    with op.batch_alter_table("contributor_service_kind", schema=None) as batch_op:
        batch_op.drop_index("ix_contributor_service_kind_code_contributor_id")

    op.drop_table("contributor_service_kind")
    with op.batch_alter_table("contributor_experience", schema=None) as batch_op:
        batch_op.drop_index("ix_contributor_experience_kind_contributor_id")

    op.drop_table("contributor_experience")
    op.drop_table("contributor_consent")
    with op.batch_alter_table("contributor_availability", schema=None) as batch_op:
        batch_op.drop_index("ix_contributor_availability_day_part_contributor_id")

    op.drop_table("contributor_availability")
    with op.batch_alter_table("contributor_affiliation", schema=None) as batch_op:
        batch_op.drop_index("ix_contributor_affiliation_contributor_id")

    op.drop_table("contributor_affiliation")
    with op.batch_alter_table("contributor_adjustment", schema=None) as batch_op:
        batch_op.drop_index("ix_contributor_adjustment_code_contributor_id")

    op.drop_table("contributor_adjustment")
    op.drop_table("communication_preference")
    with op.batch_alter_table("contributor", schema=None) as batch_op:
        batch_op.drop_index("ix_contributor_status_full_name")
        batch_op.drop_index("ix_contributor_search_text")
        batch_op.drop_index(batch_op.f("ix_contributor_key_contact_id"))
        batch_op.drop_index(batch_op.f("ix_contributor_email"))
        batch_op.drop_index(batch_op.f("ix_contributor_attendance_mode"))

    op.drop_table("contributor")

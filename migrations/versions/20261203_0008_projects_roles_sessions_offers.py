"""ward projects, their roles and sessions, attendance, and offers of roles
to people (with interest shown and batches of proposed places), so
coordinators can match people to roles; contributors gain their own limit of
roles at once, and affiliations can point to a partner organisation

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("communities", sa.Text(), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("name", name=op.f("uq_organisation_name")),
    )
    op.create_table(
        "ward",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("postcode_district", sa.String(length=8), nullable=True),
        sa.Column("service_kind", sa.String(length=64), nullable=True),
        sa.Column("room_provides", sa.JSON(), nullable=False),
        sa.Column("room_note", sa.Text(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ward")),
        sa.UniqueConstraint("name", name=op.f("uq_ward_name")),
    )
    op.create_table(
        "match_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("role_ids", sa.JSON(), nullable=False),
        sa.Column("max_roles_per_person", sa.Integer(), nullable=False),
        sa.Column("solver_status", sa.String(length=16), nullable=False),
        sa.Column("objective", sa.Float(), nullable=True),
        sa.Column("gap", sa.Float(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_match_batch_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_batch")),
    )
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("is_trust_wide", sa.Boolean(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("easy_read_summary", sa.Text(), nullable=True),
        sa.Column("cost_code", sa.String(length=40), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["user_account.id"],
            name=op.f("fk_project_lead_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
    )
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_lead_id"), ["lead_id"], unique=False)
        batch_op.create_index("ix_project_status_starts_on", ["status", "starts_on"], unique=False)

    op.create_table(
        "project_ward",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("ward_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_ward_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ward_id"], ["ward.id"], name=op.f("fk_project_ward_ward_id_ward"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("project_id", "ward_id", name=op.f("pk_project_ward")),
    )
    with op.batch_alter_table("project_ward", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_ward_ward_id"), ["ward_id"], unique=False)

    op.create_table(
        "role_opening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=64), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("fee_tier", sa.String(length=32), nullable=True),
        sa.Column("required_experience", sa.JSON(), nullable=False),
        sa.Column("required_service_kinds", sa.JSON(), nullable=False),
        sa.Column("required_training", sa.JSON(), nullable=False),
        sa.Column("desirable_skills", sa.JSON(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("conflict_rules", sa.JSON(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("easy_read_description", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("places >= 1", name=op.f("ck_role_opening_places_positive")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_role_opening_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_opening")),
    )
    with op.batch_alter_table("role_opening", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_role_opening_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            "ix_role_opening_status_closes_on", ["status", "closes_on"], unique=False
        )

    op.create_table(
        "match_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["match_batch.id"],
            name=op.f("fk_match_proposal_batch_id_match_batch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_match_proposal_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["role_opening.id"],
            name=op.f("fk_match_proposal_role_id_role_opening"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_proposal")),
        sa.UniqueConstraint(
            "batch_id",
            "role_id",
            "contributor_id",
            name=op.f("uq_match_proposal_batch_id_role_id_contributor_id"),
        ),
    )
    with op.batch_alter_table("match_proposal", schema=None) as batch_op:
        batch_op.create_index("ix_match_proposal_role_id", ["role_id"], unique=False)

    op.create_table(
        "offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("place_no", sa.Integer(), nullable=True),
        sa.Column("waiting_position", sa.Integer(), nullable=True),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("offered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("information_format", sa.String(length=16), nullable=True),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("question_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["match_batch.id"],
            name=op.f("fk_offer_batch_id_match_batch"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_offer_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["offered_by_id"],
            ["user_account.id"],
            name=op.f("fk_offer_offered_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["role_opening.id"],
            name=op.f("fk_offer_role_id_role_opening"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer")),
        sa.UniqueConstraint(
            "role_id", "contributor_id", name=op.f("uq_offer_role_id_contributor_id")
        ),
        sa.UniqueConstraint("role_id", "place_no", name=op.f("uq_offer_role_id_place_no")),
    )
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offer_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            "ix_offer_contributor_id_offered_at", ["contributor_id", "offered_at"], unique=False
        )
        batch_op.create_index(
            "ix_offer_contributor_id_status", ["contributor_id", "status"], unique=False
        )
        batch_op.create_index("ix_offer_role_id_status", ["role_id", "status"], unique=False)

    op.create_table(
        "role_interest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_role_interest_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["role_opening.id"],
            name=op.f("fk_role_interest_role_id_role_opening"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_interest")),
        sa.UniqueConstraint(
            "role_id", "contributor_id", name=op.f("uq_role_interest_role_id_contributor_id")
        ),
    )
    with op.batch_alter_table("role_interest", schema=None) as batch_op:
        batch_op.create_index("ix_role_interest_contributor_id", ["contributor_id"], unique=False)

    op.create_table(
        "role_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("ward_id", sa.Integer(), nullable=True),
        sa.Column("venue", sa.String(length=300), nullable=True),
        sa.Column("is_online", sa.Boolean(), nullable=False),
        sa.Column("papers_ready_on", sa.Date(), nullable=True),
        sa.Column("is_cancelled", sa.Boolean(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.CheckConstraint("minutes > 0", name=op.f("ck_role_session_minutes_positive")),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["role_opening.id"],
            name=op.f("fk_role_session_role_id_role_opening"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ward_id"], ["ward.id"], name=op.f("fk_role_session_ward_id_ward"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_session")),
    )
    with op.batch_alter_table("role_session", schema=None) as batch_op:
        batch_op.create_index(
            "ix_role_session_role_id_starts_at", ["role_id", "starts_at"], unique=False
        )
        batch_op.create_index("ix_role_session_starts_at", ["starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_role_session_ward_id"), ["ward_id"], unique=False)

    op.create_table(
        "ward_connection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("ward_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_ward_connection_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ward_id"],
            ["ward.id"],
            name=op.f("fk_ward_connection_ward_id_ward"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ward_connection")),
        sa.UniqueConstraint(
            "contributor_id",
            "ward_id",
            "kind",
            name=op.f("uq_ward_connection_contributor_id_ward_id_kind"),
        ),
    )
    with op.batch_alter_table("ward_connection", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ward_connection_ward_id_kind_contributor_id",
            ["ward_id", "kind", "contributor_id"],
            unique=False,
        )

    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_attendance_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_attendance_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["role_session.id"],
            name=op.f("fk_attendance_session_id_role_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint(
            "session_id", "contributor_id", name=op.f("uq_attendance_session_id_contributor_id")
        ),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attendance_contributor_id_outcome", ["contributor_id", "outcome"], unique=False
        )

    with op.batch_alter_table("contributor", schema=None) as batch_op:
        batch_op.add_column(sa.Column("max_roles_at_once", sa.Integer(), nullable=True))

    with op.batch_alter_table("contributor_affiliation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_contributor_affiliation_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_contributor_affiliation_organisation_id_organisation"),
            "organisation",
            ["organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("contributor_affiliation", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_contributor_affiliation_organisation_id_organisation"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_contributor_affiliation_organisation_id"))
        batch_op.drop_column("organisation_id")

    with op.batch_alter_table("contributor", schema=None) as batch_op:
        batch_op.drop_column("max_roles_at_once")

    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index("ix_attendance_contributor_id_outcome")

    op.drop_table("attendance")
    with op.batch_alter_table("ward_connection", schema=None) as batch_op:
        batch_op.drop_index("ix_ward_connection_ward_id_kind_contributor_id")

    op.drop_table("ward_connection")
    with op.batch_alter_table("role_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_session_ward_id"))
        batch_op.drop_index("ix_role_session_starts_at")
        batch_op.drop_index("ix_role_session_role_id_starts_at")

    op.drop_table("role_session")
    with op.batch_alter_table("role_interest", schema=None) as batch_op:
        batch_op.drop_index("ix_role_interest_contributor_id")

    op.drop_table("role_interest")
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.drop_index("ix_offer_role_id_status")
        batch_op.drop_index("ix_offer_contributor_id_status")
        batch_op.drop_index("ix_offer_contributor_id_offered_at")
        batch_op.drop_index(batch_op.f("ix_offer_batch_id"))

    op.drop_table("offer")
    with op.batch_alter_table("match_proposal", schema=None) as batch_op:
        batch_op.drop_index("ix_match_proposal_role_id")

    op.drop_table("match_proposal")
    with op.batch_alter_table("role_opening", schema=None) as batch_op:
        batch_op.drop_index("ix_role_opening_status_closes_on")
        batch_op.drop_index(batch_op.f("ix_role_opening_project_id"))

    op.drop_table("role_opening")
    with op.batch_alter_table("project_ward", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_ward_ward_id"))

    op.drop_table("project_ward")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_index("ix_project_status_starts_on")
        batch_op.drop_index(batch_op.f("ix_project_lead_id"))

    op.drop_table("project")
    op.drop_table("match_batch")
    op.drop_table("ward")
    op.drop_table("organisation")

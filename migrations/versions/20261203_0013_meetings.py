"""what makes each session work: access checklists, calendar feeds, pre-meets, check-ins, further
thoughts, "you said, we did" (issue 9)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "you_said_we_did",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("you_said", sa.Text(), nullable=False),
        sa.Column("we_did", sa.Text(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("easy_read_you_said", sa.Text(), nullable=True),
        sa.Column("easy_read_we_did", sa.Text(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_you_said_we_did_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_you_said_we_did_updated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_you_said_we_did")),
    )
    op.create_index(
        "ix_you_said_we_did_project_id_raised_on",
        "you_said_we_did",
        ["project_id", "raised_on"],
        unique=False,
    )
    op.create_table(
        "calendar_feed",
        sa.Column("contributor_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reset_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_calendar_feed_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contributor_id", name=op.f("pk_calendar_feed")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feed_token_hash")),
    )
    op.create_table(
        "meeting_checklist_tick",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=120), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=True),
        sa.Column("is_arranged", sa.Boolean(), nullable=False),
        sa.Column("arranged_by_id", sa.Integer(), nullable=True),
        sa.Column("arranged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["arranged_by_id"],
            ["user_account.id"],
            name=op.f("fk_meeting_checklist_tick_arranged_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_meeting_checklist_tick_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["role_session.id"],
            name=op.f("fk_meeting_checklist_tick_session_id_role_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_checklist_tick")),
        sa.UniqueConstraint(
            "session_id", "item_key", name=op.f("uq_meeting_checklist_tick_session_id_item_key")
        ),
    )
    op.create_index(
        "ix_meeting_checklist_tick_contributor_id",
        "meeting_checklist_tick",
        ["contributor_id"],
        unique=False,
    )
    op.create_table(
        "meeting_support",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note_agreed", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "note IS NULL OR note_agreed", name=op.f("ck_meeting_support_note_only_if_agreed")
        ),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_meeting_support_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_meeting_support_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["role_session.id"],
            name=op.f("fk_meeting_support_session_id_role_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_support")),
        sa.UniqueConstraint(
            "session_id",
            "contributor_id",
            "kind",
            name=op.f("uq_meeting_support_session_id_contributor_id_kind"),
        ),
    )
    op.create_index(
        "ix_meeting_support_contributor_id", "meeting_support", ["contributor_id"], unique=False
    )
    op.create_table(
        "meeting_thought",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["contributor.id"],
            name=op.f("fk_meeting_thought_contributor_id_contributor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["role_session.id"],
            name=op.f("fk_meeting_thought_session_id_role_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_thought")),
    )
    op.create_index(
        "ix_meeting_thought_contributor_id", "meeting_thought", ["contributor_id"], unique=False
    )
    op.create_index(
        "ix_meeting_thought_session_id_created_at",
        "meeting_thought",
        ["session_id", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_meeting_thought_session_id_created_at", table_name="meeting_thought")
    op.drop_index("ix_meeting_thought_contributor_id", table_name="meeting_thought")
    op.drop_table("meeting_thought")
    op.drop_index("ix_meeting_support_contributor_id", table_name="meeting_support")
    op.drop_table("meeting_support")
    op.drop_index("ix_meeting_checklist_tick_contributor_id", table_name="meeting_checklist_tick")
    op.drop_table("meeting_checklist_tick")
    op.drop_table("calendar_feed")
    op.drop_index("ix_you_said_we_did_project_id_raised_on", table_name="you_said_we_did")
    op.drop_table("you_said_we_did")

"""the outgoing message queue: one row a message to one person, its channel, format and delivery
status (issue 9)

The outbox (until now sign-in emails only) becomes the one queue of every
outgoing message: who it is for, channel and format, an attachment, status,
attempts and back-off, Notify's id and delivery status, the print list.
Rows already there were emails: sent ones are "sent", the rest "held".
Reminders a person has turned off get a table of their own.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_NEW = ("contributor_id", "kind", "channel", "transport", "information_format", "to_name",
        "postal_address", "via_supporter", "attachment_filename", "attachment_content_type",
        "attachment", "status", "attempts", "next_attempt_at", "claimed_at", "last_error",
        "provider_id", "delivery_status", "delivery_checked_at", "printed_at", "printed_by_id",
        "dedupe_key")


def upgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("contributor_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("kind", sa.String(length=32), nullable=False,
                                   server_default="sign_in"))
        batch.add_column(sa.Column("channel", sa.String(length=16), nullable=False,
                                   server_default="email"))
        batch.add_column(sa.Column("transport", sa.String(length=16), nullable=False,
                                   server_default="smtp"))
        batch.add_column(sa.Column("information_format", sa.String(length=16), nullable=False,
                                   server_default="standard"))
        batch.add_column(sa.Column("to_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("postal_address", sa.Text(), nullable=True))
        batch.add_column(sa.Column("via_supporter", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("attachment_filename", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("attachment_content_type", sa.String(length=100),
                                   nullable=True))
        batch.add_column(sa.Column("attachment", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("status", sa.String(length=16), nullable=False,
                                   server_default="held"))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("last_error", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("provider_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("delivery_status", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("delivery_checked_at", sa.DateTime(timezone=True),
                                   nullable=True))
        batch.add_column(sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("printed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("dedupe_key", sa.String(length=160), nullable=True))
        batch.create_foreign_key(op.f("fk_outbox_message_contributor_id_contributor"),
                                 "contributor", ["contributor_id"], ["id"], ondelete="SET NULL")
        batch.create_foreign_key(op.f("fk_outbox_message_printed_by_id_user_account"),
                                 "user_account", ["printed_by_id"], ["id"], ondelete="SET NULL")
        batch.create_index(op.f("ix_outbox_message_contributor_id"), ["contributor_id"])
        batch.create_index(op.f("ix_outbox_message_provider_id"), ["provider_id"])
        batch.create_index("ix_outbox_message_status_next_attempt_at",
                           ["status", "next_attempt_at"])
        batch.create_unique_constraint(op.f("uq_outbox_message_dedupe_key"), ["dedupe_key"])
    op.execute("UPDATE outbox_message SET status = 'sent' WHERE sent_at IS NOT NULL")

    op.create_table(
        "reminder_turned_off",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("turned_off_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contributor_id"], ["contributor.id"],
                                name=op.f("fk_reminder_turned_off_contributor_id_contributor"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_turned_off")),
        sa.UniqueConstraint("contributor_id", "kind",
                            name=op.f("uq_reminder_turned_off_contributor_id_kind")),
    )


def downgrade() -> None:
    op.drop_table("reminder_turned_off")
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_constraint(op.f("uq_outbox_message_dedupe_key"), type_="unique")
        batch.drop_index("ix_outbox_message_status_next_attempt_at")
        batch.drop_index(op.f("ix_outbox_message_provider_id"))
        batch.drop_index(op.f("ix_outbox_message_contributor_id"))
        batch.drop_constraint(op.f("fk_outbox_message_printed_by_id_user_account"),
                              type_="foreignkey")
        batch.drop_constraint(op.f("fk_outbox_message_contributor_id_contributor"),
                              type_="foreignkey")
        for name in reversed(_NEW):
            batch.drop_column(name)

"""invitation links: a seed the sender can show the link from, and the outbox
message that carried each link

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("link_seed", sa.String(length=64), nullable=True))
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invitation_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_message_invitation_id"),
                              ["invitation_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_message_invitation_id_invitation"), "invitation",
            ["invitation_id"], ["id"], ondelete="SET NULL")
    # Outbox copies made before this change held live links: remove them.
    op.execute(sa.text(
        "UPDATE outbox_message SET body = :note WHERE body LIKE '%/invitation/%'"
    ).bindparams(note="(This message held a sign-in link, so its text has been removed.)"))


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_outbox_message_invitation_id_invitation"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_outbox_message_invitation_id"))
        batch_op.drop_column("invitation_id")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_column("link_seed")

"""a calendar feed may show plain words only (issue 9 follow-up)

A person's calendar feed can say only "Involvement meeting", the time and
"online" or "in person", instead of the role, project and place (which can
tell anyone who sees their calendar about their health).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("calendar_feed") as batch:
        batch.add_column(sa.Column("plain_words", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("calendar_feed") as batch:
        batch.drop_column("plain_words")

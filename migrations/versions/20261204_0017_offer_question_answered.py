"""a question about an offer waits until a coordinator marks it answered

A contributor's question was shown only while the offer was open, so once
they answered the offer it was on no page. ``question_answered_at`` says
when a coordinator marked it answered; until then it is on the coordinator's
pages whatever happened to the offer.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("offer") as batch:
        batch.add_column(sa.Column("question_answered_at", sa.DateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("offer") as batch:
        batch.drop_column("question_answered_at")

"""contributor email: one current record per address, in lower case

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CURRENT = "anonymised_at IS NULL"


def upgrade() -> None:
    op.execute(sa.text("UPDATE contributor SET email = lower(email) WHERE email <> lower(email)"))
    with op.batch_alter_table("contributor", schema=None) as batch_op:
        batch_op.create_index("uq_contributor_email_current", ["email"], unique=True,
                              sqlite_where=sa.text(CURRENT), postgresql_where=sa.text(CURRENT))
        batch_op.create_check_constraint(op.f("ck_contributor_email_lower_case"),
                                        "email = lower(email)")


def downgrade() -> None:
    with op.batch_alter_table("contributor", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_contributor_email_lower_case"), type_="check")
        batch_op.drop_index("uq_contributor_email_current")

"""each contributor remembers the CSV import that created them, so the import
can link to the people it added

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contributor", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_batch_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_contributor_import_batch_id"),
                              ["import_batch_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_contributor_import_batch_id_import_batch"),
                                    "import_batch", ["import_batch_id"], ["id"],
                                    ondelete="SET NULL")


def downgrade() -> None:
    with op.batch_alter_table("contributor", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_contributor_import_batch_id_import_batch"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_contributor_import_batch_id"))
        batch_op.drop_column("import_batch_id")

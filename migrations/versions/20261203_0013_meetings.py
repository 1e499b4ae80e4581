"""what makes each session work: access checklists, calendar feeds, pre-meets, check-ins, further
thoughts, "you said, we did" (issue 9)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

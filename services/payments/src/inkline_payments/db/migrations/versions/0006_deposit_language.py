"""Deposits remember the client's language: Checkout and the page after paying speak it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER TABLE deposits ADD COLUMN language text")


def downgrade() -> None:
    op.execute("ALTER TABLE deposits DROP COLUMN language")

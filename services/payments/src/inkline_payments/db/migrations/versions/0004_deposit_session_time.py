"""Deposits remember when the session they pay for starts, and on which clock, for the paid page.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # asyncpg runs one statement per call.
    op.execute("ALTER TABLE deposits ADD COLUMN slot_start timestamptz")
    op.execute("ALTER TABLE deposits ADD COLUMN slot_timezone text")


def downgrade() -> None:
    op.execute("ALTER TABLE deposits DROP COLUMN slot_timezone")
    op.execute("ALTER TABLE deposits DROP COLUMN slot_start")

"""Reservations remember the client's name, so the artist's calendar event says whom the session is with.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER TABLE reservations ADD COLUMN client_name text")


def downgrade() -> None:
    op.execute("ALTER TABLE reservations DROP COLUMN client_name")

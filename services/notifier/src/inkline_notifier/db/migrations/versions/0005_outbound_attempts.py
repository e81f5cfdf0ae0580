"""Each call to the Cloud API is recorded before it is made, so an unanswered one is not blindly repeated.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COUNTERS = ("attempts", "unconfirmed", "retried")


def upgrade() -> None:
    for name in _COUNTERS:
        op.add_column("outbound_messages", sa.Column(name, sa.Integer, nullable=False, server_default=sa.text("0")))
    op.add_column("outbound_messages", sa.Column("attempt_started_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("outbound_messages", "attempt_started_at")
    for name in reversed(_COUNTERS):
        op.drop_column("outbound_messages", name)

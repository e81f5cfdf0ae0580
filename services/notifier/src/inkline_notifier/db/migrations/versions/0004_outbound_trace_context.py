"""A queued message keeps the trace context of the `notify.send` that queued it, for the sender's call.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("outbound_messages", sa.Column("trace_headers", postgresql.JSONB, nullable=True))


def downgrade() -> None:
    op.drop_column("outbound_messages", "trace_headers")

"""Indexes for the studio's Inbox: one lead's queued messages, and conversations by their last message.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_outbox_correlation_seq", "outbox", ["correlation_id", "seq"])
    op.create_index(
        "ix_leads_last_message",
        "leads",
        [sa.text("coalesce(last_inbound_at, created_at) DESC"), "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_leads_last_message", table_name="leads")
    op.drop_index("ix_outbox_correlation_seq", table_name="outbox")

"""Each lane's queued messages in queue order, so a sender reads its next batch without the whole queue.

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
    op.create_index(
        "ix_outbound_queue_order_reply",
        "outbound_messages",
        ["seq"],
        postgresql_where=sa.text("status = 'queued' AND category <> 'marketing'"),
    )
    op.create_index(
        "ix_outbound_queue_order_bulk",
        "outbound_messages",
        ["seq"],
        postgresql_where=sa.text("status = 'queued' AND category = 'marketing'"),
    )


def downgrade() -> None:
    op.drop_index("ix_outbound_queue_order_bulk", table_name="outbound_messages")
    op.drop_index("ix_outbound_queue_order_reply", table_name="outbound_messages")

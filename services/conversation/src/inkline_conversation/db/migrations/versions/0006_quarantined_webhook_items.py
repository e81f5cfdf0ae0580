"""Webhook items that could not be handled, kept with their reason instead of failing the whole POST.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "quarantined_webhook_items",
        sa.Column("fingerprint", sa.String(64), primary_key=True),
        sa.Column("item", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("wamid", sa.Text),
        sa.Column("raw", postgresql.JSONB, nullable=False),
        sa.Column("first_seen_at", _TZ, nullable=False, server_default=sa.func.now()),
        sa.Column("last_seen_at", _TZ, nullable=False, server_default=sa.func.now()),
        sa.Column("times_seen", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_index("ix_quarantined_webhook_items_first_seen", "quarantined_webhook_items", ["first_seen_at"])


def downgrade() -> None:
    op.drop_table("quarantined_webhook_items")

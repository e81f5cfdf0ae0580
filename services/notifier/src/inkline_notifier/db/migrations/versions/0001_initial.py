"""Outbox, inbox, and contacts with their service-window clock.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from inkline_platform.migration_ops import create_platform_tables_v1, drop_platform_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_platform_tables_v1()
    op.create_table(
        "contacts",
        sa.Column("wa_id", sa.String(20), primary_key=True),
        sa.Column("last_inbound_at", sa.DateTime(timezone=True)),
        sa.Column("opted_out", sa.Boolean, nullable=False, server_default=sa.text("false")),
    )


def downgrade() -> None:
    op.drop_table("contacts")
    drop_platform_tables_v1()

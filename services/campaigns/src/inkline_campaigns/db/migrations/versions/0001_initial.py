"""Outbox, inbox, and the contact and lead read model.

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
        sa.Column("profile_name", sa.String(200)),
        sa.Column("opted_out", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "leads",
        sa.Column("lead_id", sa.Uuid, primary_key=True),
        sa.Column("wa_id", sa.String(20), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("source_campaign_tag", sa.String(100)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_leads_wa_id", "leads", ["wa_id"])


def downgrade() -> None:
    op.drop_index("ix_leads_wa_id", table_name="leads")
    op.drop_table("leads")
    op.drop_table("contacts")
    drop_platform_tables_v1()

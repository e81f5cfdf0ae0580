"""Outbox, inbox, contacts, leads and inbound messages.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

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
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "leads",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("wa_id", sa.String(20), sa.ForeignKey("contacts.wa_id"), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_leads_wa_id_created", "leads", ["wa_id", "created_at"])
    op.create_table(
        "inbound_messages",
        sa.Column("wamid", sa.String(200), primary_key=True),
        sa.Column("lead_id", sa.Uuid, sa.ForeignKey("leads.id"), nullable=False),
        sa.Column("wa_id", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("raw", postgresql.JSONB, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("inbound_messages")
    op.drop_index("ix_leads_wa_id_created", table_name="leads")
    op.drop_table("leads")
    op.drop_table("contacts")
    drop_platform_tables_v1()

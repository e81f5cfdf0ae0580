"""Outbound message queue with delivery status, early status callbacks, pending spreadsheet rows.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbound_messages",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True),
        sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False, unique=True),
        sa.Column("correlation_id", sa.String(200), nullable=False),
        sa.Column("to_wa_id", sa.String(20), nullable=False),
        sa.Column("purpose", sa.String(100), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("campaign_tag", sa.String(200)),
        sa.Column("content", postgresql.JSONB, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default=sa.text("'queued'")),
        sa.Column("force_template", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("sent_as", sa.String(20)),
        sa.Column("wamid", sa.String(200), unique=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("throttled", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("failure_reason", sa.String(100)),
        sa.Column("error_code", sa.Integer),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("status_at", sa.DateTime(timezone=True)),
    )
    op.create_index(
        "ix_outbound_queued",
        "outbound_messages",
        ["to_wa_id", "seq"],
        postgresql_where=sa.text("status = 'queued'"),
    )
    op.create_table(
        "unmatched_statuses",
        sa.Column("wamid", sa.String(200), primary_key=True),
        sa.Column("status", sa.String(20), primary_key=True),
        sa.Column("error_code", sa.Integer),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "sheet_rows",
        sa.Column("sheet", sa.String(50), primary_key=True),
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("values", postgresql.JSONB, nullable=False),
        sa.Column("stamps", postgresql.JSONB, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False, server_default=sa.text("1")),
        sa.Column("written_version", sa.BigInteger, nullable=False, server_default=sa.text("0")),
    )
    op.create_index(
        "ix_sheet_rows_dirty", "sheet_rows", ["sheet"], postgresql_where=sa.text("version > written_version")
    )


def downgrade() -> None:
    op.drop_table("sheet_rows")
    op.drop_table("unmatched_statuses")
    op.drop_index("ix_outbound_queued", table_name="outbound_messages")
    op.drop_table("outbound_messages")

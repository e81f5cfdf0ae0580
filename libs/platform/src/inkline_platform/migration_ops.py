"""Alembic operations for the platform tables, called from each service's first migration.

These are frozen: a later change to the tables gets a new function (`..._v2`) and a new migration in
every service, so that old migrations keep producing the schema they produced.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


def create_platform_tables_v1() -> None:
    op.create_table(
        "outbox",
        sa.Column("seq", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("message_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("stream", sa.String(100), nullable=False),
        sa.Column("correlation_id", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False, comment="the envelope as JSON, published byte for byte"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("ix_outbox_pending", "outbox", ["seq"], postgresql_where=sa.text("published_at IS NULL"))
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(200), primary_key=True),
        sa.Column("message_id", sa.Uuid, primary_key=True),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def drop_platform_tables_v1() -> None:
    op.drop_table("inbox")
    op.drop_index("ix_outbox_pending", table_name="outbox")
    op.drop_table("outbox")


def add_outbox_headers_v2() -> None:
    """Outbox rows carry the NATS headers (trace context) they are published with."""
    op.add_column(
        "outbox",
        sa.Column(
            "headers",
            postgresql.JSONB,
            comment="NATS headers to publish with the row, e.g. the W3C traceparent",
        ),
    )


def drop_outbox_headers_v2() -> None:
    op.drop_column("outbox", "headers")

"""Deposits, processed Stripe events, and the sandbox's checkout sessions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
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
        "deposits",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("lead_id", sa.Uuid, nullable=False),
        sa.Column("hold_id", sa.Uuid, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("hold_expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("session_expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checkout_session_id", sa.String(255), unique=True),
        sa.Column("checkout_url", sa.Text),
        sa.Column("payment_intent_id", sa.String(255)),
        sa.Column("refund_id", sa.String(255)),
        sa.Column("failure_reason", sa.Text),
        sa.Column("paid_at", sa.DateTime(timezone=True)),
        sa.Column("last_reconciled_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_deposits_hold_id", "deposits", ["hold_id"])
    op.create_index("ix_deposits_lead_id", "deposits", ["lead_id"])
    op.create_index("ix_deposits_payment_intent_id", "deposits", ["payment_intent_id"])
    op.create_index(
        "ix_deposits_pending_expiry",
        "deposits",
        ["session_expires_at"],
        postgresql_where=sa.text("status IN ('open', 'processing')"),
    )
    op.create_table(
        "stripe_events",
        sa.Column("event_id", sa.String(255), primary_key=True),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "sandbox_checkout_sessions",
        sa.Column("id", sa.String(255), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("payment_status", sa.String(30), nullable=False),
        sa.Column("amount_total", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("client_reference_id", sa.String(200)),
        sa.Column("session_metadata", postgresql.JSONB, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payment_intent_id", sa.String(255)),
        sa.Column("amount_refunded", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("refund_id", sa.String(255)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("sandbox_checkout_sessions")
    op.drop_table("stripe_events")
    op.drop_index("ix_deposits_pending_expiry", table_name="deposits")
    op.drop_index("ix_deposits_payment_intent_id", table_name="deposits")
    op.drop_index("ix_deposits_lead_id", table_name="deposits")
    op.drop_index("ix_deposits_hold_id", table_name="deposits")
    op.drop_table("deposits")

"""The lead's journey state, artist action tokens and reference media.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("contacts", sa.Column("consent_changed_at", _TZ))
    lead_columns: list[sa.Column[Any]] = [
        sa.Column("status_changed_at", _TZ, nullable=False, server_default=sa.func.now()),
        sa.Column("language", sa.String(10), nullable=False, server_default="en"),
        sa.Column("consultation", postgresql.JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("qualified", postgresql.JSONB),
        sa.Column("size_category", sa.String(20)),
        sa.Column("resume_status", sa.String(40)),
        sa.Column("slots_request_id", sa.Uuid),
        sa.Column("slots_request_purpose", sa.String(20)),
        sa.Column("offered_slots", postgresql.JSONB),
        sa.Column("tour_offer", postgresql.JSONB),
        sa.Column("slot_strikes", sa.Integer, nullable=False, server_default="0"),
        sa.Column("hold_id", sa.Uuid),
        sa.Column("hold_range", postgresql.JSONB),
        sa.Column("hold_expires_at", _TZ),
        sa.Column("deposit_id", sa.Uuid),
        sa.Column("deposit_url", sa.Text),
        sa.Column("deposit_paid_at", _TZ),
        sa.Column("booking_id", sa.Uuid),
        sa.Column("booking_range", postgresql.JSONB),
        sa.Column("last_inbound_at", _TZ),
        sa.Column("reminders_sent", sa.Integer, nullable=False, server_default="0"),
        sa.Column("artist_reminded_at", _TZ),
        sa.Column("holding_reply_at", _TZ),
    ]
    for column in lead_columns:
        op.add_column("leads", column)
    op.create_index("ix_leads_status_changed", "leads", ["status", "status_changed_at"])
    op.add_column("inbound_messages", sa.Column("processed_at", _TZ))
    op.create_index("ix_inbound_lead_sent", "inbound_messages", ["lead_id", "sent_at"])
    op.create_table(
        "action_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("lead_id", sa.Uuid, sa.ForeignKey("leads.id"), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("created_at", _TZ, nullable=False, server_default=sa.func.now()),
        sa.Column("expires_at", _TZ, nullable=False),
        sa.Column("used_at", _TZ),
    )
    op.create_index("ix_action_tokens_lead_id", "action_tokens", ["lead_id"])
    op.create_table(
        "reference_media",
        sa.Column("media_id", sa.String(200), primary_key=True),
        sa.Column("lead_id", sa.Uuid, sa.ForeignKey("leads.id"), nullable=False),
        sa.Column("wamid", sa.String(200), nullable=False),
        sa.Column("mime_type", sa.String(100)),
        sa.Column("sha256", sa.String(100)),
        sa.Column("status", sa.String(20), nullable=False, server_default="pending"),
        sa.Column("content", sa.LargeBinary),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", _TZ, nullable=False, server_default=sa.func.now()),
        sa.Column("stored_at", _TZ),
    )
    op.create_index("ix_reference_media_lead_id", "reference_media", ["lead_id"])


def downgrade() -> None:
    op.drop_index("ix_reference_media_lead_id", table_name="reference_media")
    op.drop_table("reference_media")
    op.drop_index("ix_action_tokens_lead_id", table_name="action_tokens")
    op.drop_table("action_tokens")
    op.drop_index("ix_inbound_lead_sent", table_name="inbound_messages")
    op.drop_column("inbound_messages", "processed_at")
    op.drop_index("ix_leads_status_changed", table_name="leads")
    for name in (
        "holding_reply_at",
        "artist_reminded_at",
        "reminders_sent",
        "last_inbound_at",
        "booking_range",
        "booking_id",
        "deposit_paid_at",
        "deposit_url",
        "deposit_id",
        "hold_expires_at",
        "hold_range",
        "hold_id",
        "slot_strikes",
        "tour_offer",
        "offered_slots",
        "slots_request_purpose",
        "slots_request_id",
        "resume_status",
        "size_category",
        "qualified",
        "consultation",
        "language",
        "status_changed_at",
    ):
        op.drop_column("leads", name)
    op.drop_column("contacts", "consent_changed_at")

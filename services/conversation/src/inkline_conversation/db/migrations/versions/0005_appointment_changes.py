"""Reschedules and cancellations in chat: the lead's change in progress, the policy bookkeeping, and
reminders that can be planned again for a moved booking.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("leads", sa.Column("appointment_change", postgresql.JSONB))
    op.add_column("leads", sa.Column("reschedules_used", sa.Integer, nullable=False, server_default="0"))
    op.add_column("leads", sa.Column("fee_waived_at", _TZ))
    op.add_column("leads", sa.Column("deposit_outcome", sa.String(20)))
    op.add_column("scheduled_messages", sa.Column("superseded_at", _TZ))
    # One live plan per booking and kind; a moved booking's old plan is superseded, not deleted, so what
    # was already sent stays on record.
    op.drop_constraint("uq_scheduled_messages_booking_kind", "scheduled_messages", type_="unique")
    op.create_index(
        "uq_scheduled_messages_live_booking_kind",
        "scheduled_messages",
        ["booking_id", "kind"],
        unique=True,
        postgresql_where=sa.text("superseded_at IS NULL"),
    )


def downgrade() -> None:
    op.execute("DELETE FROM scheduled_messages WHERE superseded_at IS NOT NULL")
    op.drop_index("uq_scheduled_messages_live_booking_kind", table_name="scheduled_messages")
    op.create_unique_constraint(
        "uq_scheduled_messages_booking_kind", "scheduled_messages", ["booking_id", "kind"]
    )
    op.drop_column("scheduled_messages", "superseded_at")
    op.drop_column("leads", "deposit_outcome")
    op.drop_column("leads", "fee_waived_at")
    op.drop_column("leads", "reschedules_used")
    op.drop_column("leads", "appointment_change")

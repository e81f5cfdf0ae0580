"""Scheduled appointment messages: reminders before a booking, aftercare after it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "scheduled_messages",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("lead_id", sa.Uuid, sa.ForeignKey("leads.id"), nullable=False),
        sa.Column("booking_id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("due_at", _TZ, nullable=False),
        sa.Column("created_at", _TZ, nullable=False, server_default=sa.func.now()),
        sa.Column("sent_at", _TZ),
        sa.Column("cancelled_at", _TZ),
        sa.UniqueConstraint("booking_id", "kind", name="uq_scheduled_messages_booking_kind"),
    )
    op.create_index("ix_scheduled_messages_lead_id", "scheduled_messages", ["lead_id"])
    op.create_index(
        "ix_scheduled_messages_pending_due",
        "scheduled_messages",
        ["due_at"],
        postgresql_where=sa.text("sent_at IS NULL AND cancelled_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_scheduled_messages_pending_due", table_name="scheduled_messages")
    op.drop_index("ix_scheduled_messages_lead_id", table_name="scheduled_messages")
    op.drop_table("scheduled_messages")

"""The artist's own messages (taps and replies for clients) and the messages they may reply to.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "artist_messages",
        sa.Column("wamid", sa.String(200), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text()),
        sa.Column("reply_to_wamid", sa.String(200)),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("raw", postgresql.JSONB(), nullable=False),
        sa.Column("lead_id", sa.Uuid(), sa.ForeignKey("leads.id")),
        sa.Column("processed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_artist_messages_sent", "artist_messages", ["sent_at"])
    op.create_index("ix_artist_messages_lead", "artist_messages", ["lead_id", "sent_at"])
    op.create_table(
        "artist_threads",
        sa.Column("wamid", sa.String(200), primary_key=True),
        sa.Column("lead_id", sa.Uuid(), sa.ForeignKey("leads.id"), nullable=False),
        sa.Column("purpose", sa.String(60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_artist_threads_lead_id", "artist_threads", ["lead_id"])
    op.add_column("leads", sa.Column("artist_nudged_at", sa.DateTime(timezone=True)))
    op.create_table(
        "artist_digests",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("artist_digests")
    op.drop_column("leads", "artist_nudged_at")
    op.drop_table("artist_threads")
    op.drop_table("artist_messages")

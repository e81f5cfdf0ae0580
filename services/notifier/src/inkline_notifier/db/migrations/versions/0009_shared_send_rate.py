"""The sending number's token bucket shared by every replica, and which replica made each message's call.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "send_rates",
        sa.Column("phone_number_id", sa.String(64), primary_key=True),
        sa.Column("tokens", sa.Double()),
        sa.Column("at", sa.Double()),
        sa.Column("version", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
    )
    op.add_column("outbound_messages", sa.Column("sent_by", sa.String(100)))


def downgrade() -> None:
    op.drop_column("outbound_messages", "sent_by")
    op.drop_table("send_rates")

"""A queued-message index per send lane (the reply lane's sender never scans a campaign's queued rows), and
the service window a send command carries.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LANES = {
    "ix_outbound_queued_reply": "status = 'queued' AND category <> 'marketing'",
    "ix_outbound_queued_bulk": "status = 'queued' AND category = 'marketing'",
}


def upgrade() -> None:
    for name, where in _LANES.items():
        op.create_index(name, "outbound_messages", ["to_wa_id", "seq"], postgresql_where=sa.text(where))
    op.add_column("outbound_messages", sa.Column("window_opened_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("outbound_messages", "window_opened_at")
    for name in reversed(list(_LANES)):
        op.drop_index(name, table_name="outbound_messages")

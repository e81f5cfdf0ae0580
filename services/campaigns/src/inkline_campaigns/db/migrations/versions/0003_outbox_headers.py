"""Outbox rows carry the NATS headers they are published with (the W3C trace context).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from inkline_platform.migration_ops import add_outbox_headers_v2, drop_outbox_headers_v2

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_outbox_headers_v2()


def downgrade() -> None:
    drop_outbox_headers_v2()

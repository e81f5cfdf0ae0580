"""How the artist knows a client besides their address: the phone number and the WhatsApp username.

A client addressed by their business-scoped user ID may have no phone; one addressed by phone may change
it. Both come from events, so `identity_at` keeps a late event from restoring an older number or name.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("contacts", sa.Column("phone", sa.String(20)))
    op.add_column("contacts", sa.Column("username", sa.String(64)))
    op.add_column("contacts", sa.Column("identity_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    for column in ("identity_at", "username", "phone"):
        op.drop_column("contacts", column)

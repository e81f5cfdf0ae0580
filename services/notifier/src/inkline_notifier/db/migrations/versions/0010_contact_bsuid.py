"""Where to reach a client known only by business-scoped user ID whose BSUID has changed: their address
stays the old one (every event names them by it), sends go to the new one.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("contacts", sa.Column("bsuid", sa.String(135)))


def downgrade() -> None:
    op.drop_column("contacts", "bsuid")

"""What the artist sent while the client's 24-hour window was closed, held on the lead until they write.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable without a default: a metadata-only change, no rewrite of the leads table.
    op.add_column("leads", sa.Column("held_for_client", postgresql.JSONB(), nullable=True))


def downgrade() -> None:
    op.drop_column("leads", "held_for_client")

"""Each queued message keeps its reader's language, so a template outside the window is in that language.

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
    op.add_column("outbound_messages", sa.Column("language", sa.String(10)))


def downgrade() -> None:
    op.drop_column("outbound_messages", "language")

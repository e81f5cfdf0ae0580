"""Outbox, inbox, and the btree_gist extension that the holds' exclusion constraint needs.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

from inkline_platform.migration_ops import create_platform_tables_v1, drop_platform_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    create_platform_tables_v1()


def downgrade() -> None:
    drop_platform_tables_v1()
    op.execute("DROP EXTENSION IF EXISTS btree_gist")

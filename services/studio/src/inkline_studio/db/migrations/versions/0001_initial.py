"""People who may sign in, their one-time sign-in links, and the platform's outbox and inbox.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from inkline_platform.migration_ops import (
    add_outbox_headers_v2,
    create_platform_tables_v1,
    drop_outbox_headers_v2,
    drop_platform_tables_v1,
)

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_platform_tables_v1()
    add_outbox_headers_v2()
    op.create_table(
        "people",
        sa.Column("person_id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("wa_id", sa.String(20), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "sign_in_links",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("person_id", sa.Uuid(), sa.ForeignKey("people.person_id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_sign_in_links_person_id", "sign_in_links", ["person_id", "created_at"])


def downgrade() -> None:
    op.drop_table("sign_in_links")
    op.drop_table("people")
    drop_outbox_headers_v2()
    drop_platform_tables_v1()

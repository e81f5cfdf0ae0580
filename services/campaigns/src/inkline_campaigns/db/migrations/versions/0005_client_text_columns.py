"""The client's own words (city, style, profile name) are stored as TEXT, whatever their length.

VARCHAR(100) made a long answer fail `lead.qualified` until it was dead-lettered, and the contact never
got its city, style, budget or timezone. The events bound these texts; the columns need not guess again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLIENT_TEXT = {"contacts": ("profile_name", "city", "style"), "leads": ("city", "style")}
OLD_LENGTHS = {"profile_name": 200, "city": 100, "style": 100}


def upgrade() -> None:
    for table, columns in CLIENT_TEXT.items():
        for column in columns:
            op.alter_column(table, column, type_=sa.Text(), existing_nullable=True)


def downgrade() -> None:
    for table, columns in CLIENT_TEXT.items():
        for column in columns:
            length = OLD_LENGTHS[column]
            op.alter_column(
                table,
                column,
                type_=sa.String(length),
                existing_nullable=True,
                postgresql_using=f"left({column}, {length})",
            )

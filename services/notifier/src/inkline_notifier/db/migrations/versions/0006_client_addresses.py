"""A client's address may be a business-scoped user ID (a username client who never shared a phone).

BSUIDs are a country code, a dot and up to 128 alphanumerics (135 characters for a parent BSUID), where a
phone number never exceeded 20 digits.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ADDRESS_LENGTH = 135
COLUMNS = (("contacts", "wa_id"), ("outbound_messages", "to_wa_id"))


def upgrade() -> None:
    for table, column in COLUMNS:
        op.alter_column(table, column, type_=sa.String(ADDRESS_LENGTH), existing_type=sa.String(20))
    # The phone of a client addressed by BSUID, once shown: sends prefer it, as Meta asks.
    op.add_column("contacts", sa.Column("phone", sa.String(20)))


def downgrade() -> None:
    op.drop_column("contacts", "phone")
    for table, column in COLUMNS:
        op.alter_column(table, column, type_=sa.String(20), existing_type=sa.String(ADDRESS_LENGTH))

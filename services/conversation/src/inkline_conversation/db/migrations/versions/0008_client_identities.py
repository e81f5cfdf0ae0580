"""A contact is a person known by a phone number, a business-scoped user ID (BSUID), or both.

`contacts.wa_id` stays the person's address (the phone for everyone known before usernames, the BSUID
for a client who never shared a phone); `phone` and `bsuid` hold each identifier once known, unique, so
a message carrying either finds the same contact and its leads.

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

ADDRESS_LENGTH = 135  # a parent BSUID: "US.ENT." and 128 alphanumerics


def upgrade() -> None:
    for table in ("contacts", "leads", "inbound_messages"):
        op.alter_column(table, "wa_id", type_=sa.String(ADDRESS_LENGTH), existing_type=sa.String(20))
    op.add_column("contacts", sa.Column("phone", sa.String(20)))
    op.add_column("contacts", sa.Column("bsuid", sa.String(ADDRESS_LENGTH)))
    op.add_column("contacts", sa.Column("username", sa.String(64)))
    op.execute("UPDATE contacts SET phone = wa_id")
    op.create_unique_constraint("uq_contacts_phone", "contacts", ["phone"])
    op.create_unique_constraint("uq_contacts_bsuid", "contacts", ["bsuid"])


def downgrade() -> None:
    op.drop_constraint("uq_contacts_bsuid", "contacts")
    op.drop_constraint("uq_contacts_phone", "contacts")
    op.drop_column("contacts", "username")
    op.drop_column("contacts", "bsuid")
    op.drop_column("contacts", "phone")
    for table in ("inbound_messages", "leads", "contacts"):
        op.alter_column(table, "wa_id", type_=sa.String(20), existing_type=sa.String(ADDRESS_LENGTH))

"""Trigram indexes for the studio's lead search: names and @usernames, phone digits, and tattoo ideas.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        "CREATE INDEX ix_contacts_search_words ON contacts USING gin "
        "((lower(coalesce(profile_name, '') || ' ' || coalesce(username, ''))) gin_trgm_ops)"
    )
    op.execute("CREATE INDEX ix_contacts_wa_id_trgm ON contacts USING gin (wa_id gin_trgm_ops)")
    op.execute("CREATE INDEX ix_contacts_phone_trgm ON contacts USING gin (phone gin_trgm_ops)")
    op.execute(
        "CREATE INDEX ix_leads_idea_trgm ON leads USING gin ((lower(qualified ->> 'idea')) gin_trgm_ops)"
    )
    op.execute("CREATE INDEX ix_leads_status_changed_id ON leads (status_changed_at DESC, id)")


def downgrade() -> None:
    for name in (
        "ix_leads_status_changed_id",
        "ix_leads_idea_trgm",
        "ix_contacts_phone_trgm",
        "ix_contacts_wa_id_trgm",
        "ix_contacts_search_words",
    ):
        op.execute(f"DROP INDEX IF EXISTS {name}")

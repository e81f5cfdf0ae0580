"""Every change to the availability rules is kept: the artist edits hours and timezone from the studio now.
And a booking's `moved_to` may point at its new row before that row is inserted, within one transaction:
the artist may move a session onto a time that overlaps its own old time (an hour later), which the
exclusion constraint allows only once the old row has left `booked`.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # asyncpg runs one statement per call.
    op.execute(
        """
        CREATE TABLE availability_rules_versions (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            artist_id text NOT NULL,
            rules jsonb NOT NULL,
            changed_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute(
        "CREATE INDEX availability_rules_versions_by_artist ON availability_rules_versions (artist_id, id)"
    )
    # Still checked at once unless a transaction asks (SET CONSTRAINTS ... DEFERRED); then at its commit.
    op.execute("ALTER TABLE reservations ALTER CONSTRAINT reservations_moved_to_fkey DEFERRABLE INITIALLY IMMEDIATE")


def downgrade() -> None:
    op.execute("ALTER TABLE reservations ALTER CONSTRAINT reservations_moved_to_fkey NOT DEFERRABLE")
    op.execute("DROP TABLE availability_rules_versions")

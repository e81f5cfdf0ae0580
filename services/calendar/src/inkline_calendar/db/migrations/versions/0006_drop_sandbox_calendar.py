"""The in-process sandbox calendar is gone: in the sandbox, the hub's Google fake keeps the events.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DROP TABLE sandbox_calendar_events")


def downgrade() -> None:
    # The table as 0002 made it, empty: its events were only ever the sandbox's. asyncpg runs one
    # statement per call.
    op.execute(
        """
        CREATE TABLE sandbox_calendar_events (
            event_id text PRIMARY KEY,
            booking_id uuid NOT NULL,
            summary text NOT NULL,
            starts_at timestamptz NOT NULL,
            ends_at timestamptz NOT NULL,
            status text NOT NULL DEFAULT 'confirmed',
            created_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute("CREATE INDEX sandbox_calendar_events_by_booking ON sandbox_calendar_events (booking_id)")

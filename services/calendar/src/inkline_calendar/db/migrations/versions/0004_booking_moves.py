"""Bookings can move: a `moved` reservation state, one live row per booking, and calendar PATCH jobs.

A reschedule turns the lead's new hold into the booking and retires the old row as `moved` in the same
transaction. Both rows keep the booking id (the old one for history and for recognising a repeated move),
so the booking id is unique only among live bookings now.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # asyncpg runs one statement per call.
    for statement in (
        "ALTER TABLE reservations DROP CONSTRAINT reservations_state_check",
        """
            ALTER TABLE reservations ADD CONSTRAINT reservations_state_check
                CHECK (state IN ('held', 'booked', 'expired', 'released', 'cancelled', 'moved'))
        """,
        "ALTER TABLE reservations DROP CONSTRAINT reservations_check",
        """
            ALTER TABLE reservations ADD CONSTRAINT reservations_booking_id_when_booked
                CHECK ((state = 'booked') = (booking_id IS NOT NULL) OR state IN ('cancelled', 'moved'))
        """,
        "ALTER TABLE reservations DROP CONSTRAINT reservations_booking_id_key",
        """
            CREATE UNIQUE INDEX reservations_one_live_row_per_booking
                ON reservations (booking_id) WHERE state = 'booked'
        """,
        "CREATE INDEX reservations_by_booking ON reservations (booking_id) WHERE booking_id IS NOT NULL",
        "ALTER TABLE reservations ADD COLUMN moved_to uuid REFERENCES reservations (id)",
        """
            ALTER TABLE reservations ADD CONSTRAINT reservations_moved_rows_say_where
                CHECK ((state = 'moved') = (moved_to IS NOT NULL))
        """,
        "ALTER TABLE calendar_jobs DROP CONSTRAINT calendar_jobs_action_check",
        """
            ALTER TABLE calendar_jobs ADD CONSTRAINT calendar_jobs_action_check
                CHECK (action IN ('insert', 'delete', 'patch'))
        """,
    ):
        op.execute(statement)


def downgrade() -> None:
    # A moved row becomes a released one without its booking id, the only shape 0003 knows for history.
    for statement in (
        "DELETE FROM calendar_jobs WHERE action = 'patch'",
        "ALTER TABLE calendar_jobs DROP CONSTRAINT calendar_jobs_action_check",
        """
            ALTER TABLE calendar_jobs ADD CONSTRAINT calendar_jobs_action_check
                CHECK (action IN ('insert', 'delete'))
        """,
        "ALTER TABLE reservations DROP CONSTRAINT reservations_moved_rows_say_where",
        "UPDATE reservations SET state = 'released', booking_id = NULL WHERE state = 'moved'",
        "ALTER TABLE reservations DROP COLUMN moved_to",
        "DROP INDEX reservations_by_booking",
        "DROP INDEX reservations_one_live_row_per_booking",
        "ALTER TABLE reservations ADD CONSTRAINT reservations_booking_id_key UNIQUE (booking_id)",
        "ALTER TABLE reservations DROP CONSTRAINT reservations_booking_id_when_booked",
        """
            ALTER TABLE reservations ADD CONSTRAINT reservations_check
                CHECK ((state = 'booked') = (booking_id IS NOT NULL) OR state = 'cancelled')
        """,
        "ALTER TABLE reservations DROP CONSTRAINT reservations_state_check",
        """
            ALTER TABLE reservations ADD CONSTRAINT reservations_state_check
                CHECK (state IN ('held', 'booked', 'expired', 'released', 'cancelled'))
        """,
    ):
        op.execute(statement)

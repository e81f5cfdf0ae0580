"""Availability rules, tour legs, blackouts, reservations (holds and bookings), the calendar write queue.

Holds and bookings share one table so that one exclusion constraint refuses any overlap between them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # asyncpg runs one statement per call.
    for statement in (
        """
            CREATE TABLE availability_rules (
                artist_id text PRIMARY KEY,
                rules jsonb NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now()
            )
        """,
        """
            CREATE TABLE tour_legs (
                id uuid PRIMARY KEY,
                artist_id text NOT NULL REFERENCES availability_rules (artist_id) ON DELETE CASCADE,
                city text NOT NULL,
                country_code char(2) NOT NULL,
                first_day date NOT NULL,
                last_day date NOT NULL,
                timezone text,
                created_at timestamptz NOT NULL DEFAULT now(),
                CHECK (last_day >= first_day),
                CONSTRAINT tour_legs_no_overlap
                    EXCLUDE USING gist (artist_id WITH =, daterange(first_day, last_day, '[]') WITH &&)
            )
        """,
        """
            CREATE TABLE blackout_dates (
                artist_id text NOT NULL REFERENCES availability_rules (artist_id) ON DELETE CASCADE,
                day date NOT NULL,
                PRIMARY KEY (artist_id, day)
            )
        """,
        """
            CREATE TABLE reservations (
                id uuid PRIMARY KEY,
                artist_id text NOT NULL,
                lead_id uuid NOT NULL,
                slot_id text NOT NULL,
                city text NOT NULL,
                size_category text NOT NULL,
                state text NOT NULL
                    CHECK (state IN ('held', 'booked', 'expired', 'released', 'cancelled')),
                during tstzrange NOT NULL
                    CHECK (NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)
                           AND NOT lower_inf(during) AND NOT upper_inf(during)),
                expires_at timestamptz NOT NULL,
                booking_id uuid UNIQUE,
                deposit_id uuid,
                rehold_of uuid REFERENCES reservations (id),
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                CHECK ((state = 'booked') = (booking_id IS NOT NULL) OR state = 'cancelled'),
                -- The invariant of the whole service: the database refuses two active reservations that overlap.
                CONSTRAINT reservations_no_overlap
                    EXCLUDE USING gist (artist_id WITH =, during WITH &&) WHERE (state IN ('held', 'booked'))
            )
        """,
        """
            CREATE UNIQUE INDEX reservations_one_hold_per_lead ON reservations (lead_id) WHERE state = 'held'
        """,
        """
            CREATE INDEX reservations_held_by_expiry ON reservations (expires_at) WHERE state = 'held'
        """,
        """
            CREATE INDEX reservations_by_lead ON reservations (lead_id)
        """,
        """
            CREATE TABLE calendar_jobs (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                booking_id uuid NOT NULL,
                lead_id uuid NOT NULL,
                action text NOT NULL CHECK (action IN ('insert', 'delete')),
                event_id text NOT NULL,
                details jsonb NOT NULL DEFAULT '{}'::jsonb,
                state text NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'done', 'failed', 'cancelled')),
                attempts integer NOT NULL DEFAULT 0,
                next_attempt_at timestamptz NOT NULL,
                last_error text,
                html_link text,
                causation_id uuid,
                created_at timestamptz NOT NULL DEFAULT now(),
                finished_at timestamptz,
                UNIQUE (booking_id, action)
            )
        """,
        """
            CREATE INDEX calendar_jobs_due ON calendar_jobs (next_attempt_at) WHERE state = 'pending'
        """,
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
        """,
        """
            CREATE INDEX sandbox_calendar_events_by_booking ON sandbox_calendar_events (booking_id)
        """,
    ):
        op.execute(statement)


def downgrade() -> None:
    for statement in (
        """
            DROP TABLE sandbox_calendar_events
        """,
        """
            DROP TABLE calendar_jobs
        """,
        """
            DROP TABLE reservations
        """,
        """
            DROP TABLE blackout_dates
        """,
        """
            DROP TABLE tour_legs
        """,
        """
            DROP TABLE availability_rules
        """,
    ):
        op.execute(statement)

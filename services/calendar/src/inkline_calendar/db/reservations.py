"""Holds and bookings in the reservations table, where the exclusion constraint has the last word."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_calendar.db.models import ARTIST, Reservation
from inkline_calendar.domain.holds import ReservationState, transition
from inkline_calendar.domain.intervals import UtcInterval

EXCLUSION_VIOLATION = "23P01"
DEADLOCK_DETECTED = "40P01"
DEADLOCK_RETRIES = 30
# The advisory-lock class (first key) that serialises reservation inserts, per artist (second key).
INSERT_LOCK_CLASS = 0x1A7E
ACTIVE = (ReservationState.HELD.value, ReservationState.BOOKED.value)


class SlotTakenError(Exception):
    """The exclusion constraint refused the reservation: something active overlaps it."""


def as_range(interval: UtcInterval) -> Range[datetime]:
    return Range(interval.start, interval.end, bounds="[)")


def as_interval(during: Range[datetime]) -> UtcInterval:
    assert during.lower is not None
    assert during.upper is not None
    return UtcInterval(during.lower, during.upper)


async def insert_reservation(session: AsyncSession, reservation: Reservation) -> None:
    """Insert inside a savepoint; raise SlotTakenError (transaction still usable) when the slot is taken."""
    # One inserter per artist at a time, until its transaction ends. Without it, concurrent inserts reach
    # each other's uncommitted index entries and wait on each other; PostgreSQL breaks each such cycle only
    # after deadlock_timeout (1 s), and under contention the victims' retries form new cycles as fast as
    # they are broken. The exclusion constraint still decides; this only lets each insert meet rows whose
    # fate is known (or a move or cancellation in flight, which never waits for an inserter).
    await lock_reservation_inserts(session, reservation.artist_id or ARTIST)
    for attempt in range(1, DEADLOCK_RETRIES + 1):
        try:
            async with session.begin_nested():
                session.add(reservation)
                await session.flush()
            return
        except DBAPIError as error:
            sqlstate = getattr(error.orig, "sqlstate", None)
            if sqlstate == EXCLUSION_VIOLATION:
                raise SlotTakenError(str(error.orig)) from error
            # Two inserts that each reach the other's index entry before checking it deadlock, and the
            # victim learns nothing about who wins. Trying again waits for the survivor's verdict.
            if sqlstate != DEADLOCK_DETECTED or attempt == DEADLOCK_RETRIES:
                raise
            # Jitter, so the contenders that deadlocked together do not collide again in lockstep.
            await asyncio.sleep(random.uniform(0, 0.005 * attempt))
    raise AssertionError("unreachable")


async def lock_reservation_inserts(session: AsyncSession, artist_id: str) -> None:
    """Become the artist's one inserter until the transaction ends (taking it again is a no-op).

    A writer that changes a live row and then inserts must take this before the change: an inserter
    holding it could otherwise wait on that changed row while the writer waits for it.
    """
    await session.execute(select(func.pg_advisory_xact_lock(INSERT_LOCK_CLASS, func.hashtext(artist_id))))


async def lock_reservation(session: AsyncSession, reservation_id: uuid.UUID) -> Reservation | None:
    return await session.scalar(select(Reservation).where(Reservation.id == reservation_id).with_for_update())


async def lock_lead_reservations(
    session: AsyncSession, lead_id: uuid.UUID, *, states: Sequence[ReservationState]
) -> list[Reservation]:
    rows = await session.scalars(
        select(Reservation)
        .where(Reservation.lead_id == lead_id, Reservation.state.in_([s.value for s in states]))
        .order_by(Reservation.id)
        .with_for_update()
    )
    return list(rows.all())


async def lock_move_rows(
    session: AsyncSession, *, booking_id: uuid.UUID, hold_id: uuid.UUID
) -> tuple[Reservation | None, Reservation | None]:
    """The booking's live (or cancelled) row and the row `hold_id`, locked together in id order.

    One statement takes both locks in a fixed order, so a move never deadlocks with another writer that
    locks rows by id (a re-pick, a cancellation, a deposit).
    """
    rows = await session.scalars(
        select(Reservation)
        .where(
            (Reservation.id == hold_id)
            | (
                (Reservation.booking_id == booking_id)
                & Reservation.state.in_([ReservationState.BOOKED.value, ReservationState.CANCELLED.value])
            )
        )
        .order_by(Reservation.id)
        .with_for_update()
    )
    found = list(rows.all())
    booking = next(
        (
            row
            for row in found
            if row.booking_id == booking_id
            and row.state in (ReservationState.BOOKED.value, ReservationState.CANCELLED.value)
        ),
        None,
    )
    hold = next((row for row in found if row.id == hold_id), None)
    return booking, hold


async def moved_onto(session: AsyncSession, reservation_id: uuid.UUID) -> Reservation | None:
    """The row whose booking moved onto `reservation_id`, if one did."""
    return await session.scalar(select(Reservation).where(Reservation.moved_to == reservation_id))


async def rehold_paid_by(
    session: AsyncSession, hold_id: uuid.UUID, deposit_id: uuid.UUID
) -> uuid.UUID | None:
    """The re-hold of `hold_id` that `deposit_id` paid for, if any."""
    return await session.scalar(
        select(Reservation.id).where(Reservation.rehold_of == hold_id, Reservation.deposit_id == deposit_id)
    )


async def overlapping_active(
    session: AsyncSession, interval: UtcInterval, *, now: datetime
) -> list[Reservation]:
    """Bookings and holds inside their TTL that overlap `interval`."""
    rows = await session.scalars(
        select(Reservation).where(
            Reservation.artist_id == ARTIST,
            Reservation.state.in_(ACTIVE),
            Reservation.during.overlaps(as_range(interval)),
            (Reservation.state == ReservationState.BOOKED.value) | (Reservation.expires_at > now),
        )
    )
    return list(rows.all())


async def busy_intervals(session: AsyncSession, window: UtcInterval, *, now: datetime) -> list[UtcInterval]:
    return [as_interval(row.during) for row in await overlapping_active(session, window, now=now)]


async def lapsed_holds(
    session: AsyncSession, *, now: datetime, within: UtcInterval | None = None, limit: int = 200
) -> list[Reservation]:
    """Holds past their TTL that still block their slot, locked; other workers skip them."""
    statement = select(Reservation).where(
        Reservation.state == ReservationState.HELD.value, Reservation.expires_at <= now
    )
    if within is not None:
        statement = statement.where(Reservation.during.overlaps(as_range(within)))
    rows = await session.scalars(
        statement.order_by(Reservation.expires_at).limit(limit).with_for_update(skip_locked=True)
    )
    return list(rows.all())


async def move(
    session: AsyncSession, reservation: Reservation, target: ReservationState, *, at: datetime
) -> None:
    """Apply a transition the domain allows (it raises InvalidTransition otherwise)."""
    reservation.state = transition(ReservationState(reservation.state), target).value
    reservation.updated_at = at
    await session.flush()


async def count_overlapping_active_pairs(session: AsyncSession) -> int:
    """What the constraint must keep at zero; used by tests and the benchmark."""
    other = Reservation.__table__.alias("other")
    mine = Reservation.__table__
    statement = (
        select(func.count())
        .select_from(mine.join(other, mine.c.id < other.c.id))
        .where(
            mine.c.artist_id == other.c.artist_id,
            mine.c.state.in_(ACTIVE),
            other.c.state.in_(ACTIVE),
            mine.c.during.op("&&")(other.c.during),
        )
    )
    return int(await session.scalar(statement) or 0)

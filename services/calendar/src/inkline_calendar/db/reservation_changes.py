"""Reservation changes the handlers and jobs share, each with the message announcing it, in the caller's
unit of work: expiring holds, confirming bookings, freeing slots; and rows into messages."""

from __future__ import annotations

import uuid
from datetime import datetime

from inkline_calendar.db import calendar_jobs
from inkline_calendar.db.models import Reservation
from inkline_calendar.db.reservations import as_interval, lapsed_holds, move
from inkline_calendar.domain.availability import Availability
from inkline_calendar.domain.event_ids import event_id_for_booking
from inkline_calendar.domain.holds import Reservation as DomainReservation
from inkline_calendar.domain.holds import ReservationState
from inkline_calendar.domain.intervals import UtcInterval
from inkline_calendar.domain.local_time import local_wall
from inkline_contracts import subjects
from inkline_contracts.base import SizeCategory, TimeRange
from inkline_contracts.events.booking import BookingConfirmed, SlotFreed
from inkline_contracts.events.hold import HoldExpired
from inkline_platform.uow import UnitOfWork


def time_range(interval: UtcInterval) -> TimeRange:
    return TimeRange(start=interval.start, end=interval.end)


def as_domain(row: Reservation) -> DomainReservation:
    return DomainReservation(
        slot=as_interval(row.during), state=ReservationState(row.state), expires_at=row.expires_at
    )


async def expire_hold(
    work: UnitOfWork, row: Reservation, *, now: datetime, causation_id: uuid.UUID | None
) -> None:
    """Expire one lapsed hold the caller has locked, and announce it (hold.expired)."""
    await move(work.session, row, ReservationState.EXPIRED, at=now)
    work.publish(
        subjects.HOLD_EXPIRED,
        HoldExpired(hold_id=row.id, lead_id=row.lead_id, range=time_range(as_interval(row.during))),
        correlation_id=str(row.lead_id),
        causation_id=causation_id,
    )


async def expire_lapsed_holds(
    work: UnitOfWork, *, now: datetime, within: UtcInterval | None, causation_id: uuid.UUID | None
) -> int:
    """Expire holds past their TTL (those overlapping `within`, or all) and announce each; returns the count."""
    rows = await lapsed_holds(work.session, now=now, within=within)
    for row in rows:
        await expire_hold(work, row, now=now, causation_id=causation_id)
    return len(rows)


def announce_slot_freed(
    work: UnitOfWork,
    row: Reservation,
    *,
    booking_id: uuid.UUID,
    availability: Availability,
    reason: str,
    causation_id: uuid.UUID | None,
) -> None:
    """calendar.slot_freed for a booked range given up: a last-minute chance for waitlisted clients."""
    slot = as_interval(row.during)
    local_day = local_wall(slot.start, availability.zone).date()
    work.publish(
        subjects.CALENDAR_SLOT_FREED,
        SlotFreed(
            booking_id=booking_id,
            lead_id=row.lead_id,
            range=time_range(slot),
            city=row.city,
            country_code=availability.country_of(city=row.city, day=local_day),
            size_category=SizeCategory(row.size_category),
            reason=reason,
        ),
        correlation_id=str(row.lead_id),
        causation_id=causation_id,
    )


async def confirm_booking(
    work: UnitOfWork,
    row: Reservation,
    *,
    hold_id: uuid.UUID,
    deposit_id: uuid.UUID,
    time_zone: str,
    now: datetime,
    causation_id: uuid.UUID,
) -> None:
    """Book a held row, announce it and queue its calendar event, all in the caller's transaction."""
    booking_id = uuid.uuid4()
    row.booking_id = booking_id
    row.deposit_id = deposit_id
    await move(work.session, row, ReservationState.BOOKED, at=now)
    slot = as_interval(row.during)
    work.publish(
        subjects.BOOKING_CONFIRMED,
        BookingConfirmed(
            booking_id=booking_id,
            lead_id=row.lead_id,
            hold_id=hold_id,
            deposit_id=deposit_id,
            range=time_range(slot),
            city=row.city,
            timezone=time_zone,
        ),
        correlation_id=str(row.lead_id),
        causation_id=causation_id,
    )
    await calendar_jobs.enqueue(
        work.session,
        action=calendar_jobs.INSERT,
        booking_id=booking_id,
        lead_id=row.lead_id,
        event_id=event_id_for_booking(booking_id),
        due_at=now,
        causation_id=causation_id,
        details=calendar_jobs.booking_event_details(
            start=slot.start,
            end=slot.end,
            time_zone=time_zone,
            city=row.city,
            size=row.size_category,
            client_name=row.client_name,
        ),
    )

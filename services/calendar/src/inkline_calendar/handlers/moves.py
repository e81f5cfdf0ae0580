"""booking.move_requested: the booking moves onto the lead's new hold in one transaction, or nothing changes.

The old row leaves the live states and the hold becomes the booking in the same commit, under the row
locks of both, so the slot pair is never both free nor both taken; the exclusion constraint still judges
every other writer. The booking keeps its id, its deposit and its calendar event (patched, same id).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import text

from inkline_calendar.db import calendar_jobs
from inkline_calendar.db.availability_store import load_availability_rules
from inkline_calendar.db.models import Reservation
from inkline_calendar.db.reservation_changes import announce_slot_freed, as_domain, expire_hold, time_range
from inkline_calendar.db.reservations import (
    as_interval,
    insert_reservation,
    lock_move_rows,
    lock_reservation_inserts,
    move,
    moved_onto,
)
from inkline_calendar.domain.event_ids import event_id_for_booking
from inkline_calendar.domain.holds import ReservationState
from inkline_calendar.domain.moves import LeadReservation, MoveRejection, move_rejection
from inkline_calendar.handlers.rules import CalendarRules
from inkline_contracts import subjects
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.booking import BookingMoved, BookingMoveRejected, MoveBooking
from inkline_platform.uow import UnitOfWork

RESCHEDULED = "rescheduled"


def _owned(row: Reservation | None) -> LeadReservation | None:
    return None if row is None else LeadReservation(lead_id=row.lead_id, reservation=as_domain(row))


class MoveBookingHandler:
    """Move the booking onto the lead's hold (booking.moved, calendar.slot_freed) or say why not."""

    def __init__(self, rules: CalendarRules) -> None:
        self._rules = rules

    async def __call__(self, work: UnitOfWork, envelope: Envelope[MoveBooking]) -> None:
        command = envelope.payload
        now = self._rules.clock()
        session = work.session
        booking, hold = await lock_move_rows(session, booking_id=command.booking_id, hold_id=command.hold_id)
        if hold is not None and hold is booking and hold.lead_id == command.lead_id:
            previous = await moved_onto(session, hold.id)
            if previous is not None:
                # This move was made already (the command was sent again): say so again, change nothing.
                availability = await load_availability_rules(session, seed_file=self._rules.seed_file)
                time_zone = availability.zone_at(as_interval(hold.during).start).key
                publish_moved(
                    work,
                    previous=previous,
                    current=hold,
                    time_zone=time_zone,
                    causation_id=envelope.message_id,
                )
                return
        rejection = move_rejection(
            lead_id=command.lead_id, booking=_owned(booking), hold=_owned(hold), now=now
        )
        if rejection is not None:
            if rejection is MoveRejection.HOLD_EXPIRED and hold is not None:
                # Past its TTL but not swept yet: expired the usual way, so the slot is free for others.
                await expire_hold(work, hold, now=now, causation_id=envelope.message_id)
            self._rejected(work, envelope, rejection)
            return
        assert booking is not None
        assert hold is not None
        await carry_out_move(
            work, booking=booking, hold=hold, rules=self._rules, now=now, causation_id=envelope.message_id
        )

    @staticmethod
    def _rejected(work: UnitOfWork, envelope: Envelope[MoveBooking], reason: MoveRejection) -> None:
        command = envelope.payload
        work.publish(
            subjects.BOOKING_MOVE_REJECTED,
            BookingMoveRejected(
                booking_id=command.booking_id,
                lead_id=command.lead_id,
                hold_id=command.hold_id,
                reason=reason.value,
            ),
            correlation_id=str(command.lead_id),
            causation_id=envelope.message_id,
        )


async def carry_out_move(
    work: UnitOfWork,
    *,
    booking: Reservation,
    hold: Reservation,
    rules: CalendarRules,
    now: datetime,
    causation_id: uuid.UUID | None,
    place_hold: bool = False,
) -> None:
    """Move the locked `booking` onto the locked `hold` (move_rejection said it may): the booking keeps its
    id, deposit and calendar event (patched), and booking.moved and calendar.slot_freed are announced.
    A reschedule in chat and the artist's move from the studio both end here.

    `place_hold`: `hold` is new and is inserted here, once the booking's own time no longer counts as taken
    (the artist may move a session by an hour). SlotTakenError then means the time is someone else's; the
    caller must not commit.
    """
    session = work.session
    assert booking.booking_id is not None
    booking_id = booking.booking_id
    if place_hold:
        # Before the booking row changes: a hold being inserted over the old time waits for this
        # transaction, so this transaction must not then wait for that insert's lock.
        await lock_reservation_inserts(session, booking.artist_id)
        # The old row points at the new one before it exists; the foreign key is checked at commit.
        await session.execute(text("SET CONSTRAINTS reservations_moved_to_fkey DEFERRED"))
    # The old row leaves `booked` first: one live row per booking id is a unique index.
    booking.moved_to = hold.id
    await move(session, booking, ReservationState.MOVED, at=now)
    if place_hold:
        await insert_reservation(session, hold)
    hold.booking_id = booking_id
    hold.deposit_id = booking.deposit_id
    await move(session, hold, ReservationState.BOOKED, at=now)

    availability = await load_availability_rules(session, seed_file=rules.seed_file)
    slot = as_interval(hold.during)
    details = calendar_jobs.booking_event_details(
        start=slot.start,
        end=slot.end,
        time_zone=availability.zone_at(slot.start).key,
        city=hold.city,
        size=hold.size_category,
        client_name=hold.client_name or booking.client_name,
    )
    # An insert that has not run yet simply creates the event at the new time; otherwise the event
    # that exists (or may exist) is patched under the same id.
    if not await calendar_jobs.reschedule_pending_insert(session, booking_id, details=details):
        await calendar_jobs.enqueue_patch(
            session,
            booking_id=booking_id,
            lead_id=hold.lead_id,
            event_id=event_id_for_booking(booking_id),
            due_at=now,
            causation_id=causation_id,
            details=details,
        )
    publish_moved(
        work, previous=booking, current=hold, time_zone=details["time_zone"], causation_id=causation_id
    )
    announce_slot_freed(
        work,
        booking,
        booking_id=booking_id,
        availability=availability,
        reason=RESCHEDULED,
        causation_id=causation_id,
    )


def publish_moved(
    work: UnitOfWork,
    *,
    previous: Reservation,
    current: Reservation,
    time_zone: str,
    causation_id: uuid.UUID | None,
) -> None:
    assert current.booking_id is not None
    work.publish(
        subjects.BOOKING_MOVED,
        BookingMoved(
            booking_id=current.booking_id,
            lead_id=current.lead_id,
            hold_id=current.id,
            previous_range=time_range(as_interval(previous.during)),
            range=time_range(as_interval(current.during)),
            city=current.city,
            timezone=time_zone,
        ),
        correlation_id=str(current.lead_id),
        causation_id=causation_id,
    )

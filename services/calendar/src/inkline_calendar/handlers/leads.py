"""lead.cancelled: release the lead's hold, cancel its booking and take the event out of the calendar."""

from __future__ import annotations

from inkline_calendar.db import calendar_jobs
from inkline_calendar.db.availability_store import load_availability_rules
from inkline_calendar.db.reservation_changes import announce_slot_freed
from inkline_calendar.db.reservations import as_interval, lock_lead_reservations, move
from inkline_calendar.domain.event_ids import event_id_for_booking
from inkline_calendar.domain.holds import ReservationState
from inkline_calendar.handlers.rules import CalendarRules
from inkline_contracts import subjects
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.booking import BookingCancelled
from inkline_contracts.events.hold import HoldReleased
from inkline_contracts.events.lead import LeadCancelled
from inkline_platform.uow import UnitOfWork


class LeadCancelledHandler:
    """Release holds (hold.released), cancel bookings (booking.cancelled, event deleted, slot freed)."""

    def __init__(self, rules: CalendarRules) -> None:
        self._rules = rules

    async def __call__(self, work: UnitOfWork, envelope: Envelope[LeadCancelled]) -> None:
        cancelled = envelope.payload
        now = self._rules.clock()
        rows = await lock_lead_reservations(
            work.session, cancelled.lead_id, states=[ReservationState.HELD, ReservationState.BOOKED]
        )
        for row in rows:
            if row.state == ReservationState.HELD.value:
                await move(work.session, row, ReservationState.RELEASED, at=now)
                work.publish(
                    subjects.HOLD_RELEASED,
                    HoldReleased(
                        hold_id=row.id, lead_id=row.lead_id, reason=f"lead cancelled: {cancelled.reason}"
                    ),
                    correlation_id=str(row.lead_id),
                    causation_id=envelope.message_id,
                )
                continue
            assert row.booking_id is not None
            await move(work.session, row, ReservationState.CANCELLED, at=now)
            work.publish(
                subjects.BOOKING_CANCELLED,
                BookingCancelled(booking_id=row.booking_id, lead_id=row.lead_id, reason=cancelled.reason),
                correlation_id=str(row.lead_id),
                causation_id=envelope.message_id,
            )
            if as_interval(row.during).start > now:
                # Only a slot still ahead is worth offering to someone else.
                announce_slot_freed(
                    work,
                    row,
                    booking_id=row.booking_id,
                    availability=await load_availability_rules(work.session, seed_file=self._rules.seed_file),
                    reason=cancelled.reason,
                    causation_id=envelope.message_id,
                )
            # A pending insert or patch is dropped; an event that may already be in Google is undone by the
            # delete, which treats "not found" as done.
            await calendar_jobs.cancel_pending_writes(work.session, row.booking_id, at=now)
            await calendar_jobs.enqueue(
                work.session,
                action=calendar_jobs.DELETE,
                booking_id=row.booking_id,
                lead_id=row.lead_id,
                event_id=event_id_for_booking(row.booking_id),
                due_at=now,
                causation_id=envelope.message_id,
            )

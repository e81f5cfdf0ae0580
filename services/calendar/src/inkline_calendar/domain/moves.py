"""Whether a booking may move onto the lead's new hold (a reschedule), and why not when it may not."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from inkline_calendar.domain.holds import Reservation, ReservationState
from inkline_calendar.domain.intervals import require_aware


class MoveRejection(StrEnum):
    """The reasons booking.move_rejected gives; stable words the conversation side can branch on."""

    BOOKING_NOT_FOUND = "booking_not_found"
    BOOKING_CANCELLED = "booking_cancelled"
    BOOKING_OF_ANOTHER_LEAD = "booking_of_another_lead"
    BOOKING_STARTED = "booking_started"
    HOLD_NOT_FOUND = "hold_not_found"
    HOLD_OF_ANOTHER_LEAD = "hold_of_another_lead"
    HOLD_NOT_HELD = "hold_not_held"
    HOLD_EXPIRED = "hold_expired"


@dataclass(frozen=True)
class LeadReservation:
    """A reservation together with the lead it belongs to."""

    lead_id: uuid.UUID
    reservation: Reservation


def move_rejection(
    *,
    lead_id: uuid.UUID,
    booking: LeadReservation | None,
    hold: LeadReservation | None,
    now: datetime,
) -> MoveRejection | None:
    """Why `booking` cannot move onto `hold` for `lead_id` at `now`, or None when it can.

    `booking` is the booking's live or cancelled row; `hold` is the row the command names.
    """
    now = require_aware(now, name="now")
    if booking is None:
        return MoveRejection.BOOKING_NOT_FOUND
    if booking.reservation.state is ReservationState.CANCELLED:
        return MoveRejection.BOOKING_CANCELLED
    if booking.reservation.state is not ReservationState.BOOKED:
        raise ValueError(f"a {booking.reservation.state} reservation is not a booking")
    if booking.lead_id != lead_id:
        return MoveRejection.BOOKING_OF_ANOTHER_LEAD
    # A session under way or over is history, not something to reschedule.
    if booking.reservation.slot.start <= now:
        return MoveRejection.BOOKING_STARTED
    if hold is None:
        return MoveRejection.HOLD_NOT_FOUND
    if hold.lead_id != lead_id:
        return MoveRejection.HOLD_OF_ANOTHER_LEAD
    if hold.reservation.state is not ReservationState.HELD:
        return MoveRejection.HOLD_NOT_HELD
    if not hold.reservation.is_active_hold(now):
        return MoveRejection.HOLD_EXPIRED
    return None

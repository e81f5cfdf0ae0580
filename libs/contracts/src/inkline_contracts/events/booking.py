"""Confirmed appointments and the calendar events that mirror them."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import Field

from inkline_contracts.base import Contract, SizeCategory, TimeRange


class BookingConfirmed(Contract):
    booking_id: uuid.UUID
    lead_id: uuid.UUID
    hold_id: uuid.UUID
    deposit_id: uuid.UUID
    range: TimeRange
    city: str
    timezone: str | None = Field(
        default=None, description="IANA zone of the place the session is in (a tour city may differ)"
    )


class BookingConflict(Contract):
    """A deposit was paid but its slot is gone: the artist must refund or reschedule."""

    lead_id: uuid.UUID
    hold_id: uuid.UUID
    deposit_id: uuid.UUID
    range: TimeRange
    reason: str


class BookingCancelled(Contract):
    booking_id: uuid.UUID
    lead_id: uuid.UUID
    reason: str


class MoveBooking(Contract):
    """Command: move a confirmed booking onto the lead's new hold in one step (a reschedule).

    The booking keeps its id, its deposit and its calendar event (patched to the new time); the old range is
    freed in the same transaction, so the two are never both free or both taken.
    """

    booking_id: uuid.UUID
    lead_id: uuid.UUID
    hold_id: uuid.UUID
    reason: str


class BookingMoved(Contract):
    booking_id: uuid.UUID
    lead_id: uuid.UUID
    hold_id: uuid.UUID
    previous_range: TimeRange
    range: TimeRange
    city: str
    timezone: str | None = Field(
        default=None, description="IANA zone of the place the session is in (a tour city may differ)"
    )


class BookingMoveRejected(Contract):
    """The move could not be made (the hold lapsed, the booking is no longer live); nothing changed."""

    booking_id: uuid.UUID
    lead_id: uuid.UUID
    hold_id: uuid.UUID
    reason: str


class CalendarEventCreated(Contract):
    booking_id: uuid.UUID
    lead_id: uuid.UUID
    event_id: str
    html_link: str | None = None


class CalendarEventFailed(Contract):
    booking_id: uuid.UUID
    lead_id: uuid.UUID
    attempts: int
    error: str


class SlotFreed(Contract):
    """A booked range became free again (a cancellation or a reschedule): a last-minute chance for others."""

    booking_id: uuid.UUID
    lead_id: uuid.UUID = Field(description="the lead that gave the slot up, never offered it back")
    range: TimeRange
    city: str
    country_code: str | None = None
    size_category: SizeCategory | None = None
    reason: str


class TourLegPublished(Contract):
    """The artist will be in a city on these dates; waitlisted clients there can be re-offered."""

    city: str
    country_code: str
    first_day: date
    last_day: date

"""Confirmed appointments and the calendar events that mirror them."""

from __future__ import annotations

import uuid
from datetime import date

from inkline_contracts.base import Contract, TimeRange


class BookingConfirmed(Contract):
    booking_id: uuid.UUID
    lead_id: uuid.UUID
    hold_id: uuid.UUID
    deposit_id: uuid.UUID
    range: TimeRange
    city: str


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


class TourLegPublished(Contract):
    """The artist will be in a city on these dates; waitlisted clients there can be re-offered."""

    city: str
    country_code: str
    first_day: date
    last_day: date

"""What the service needs from a calendar provider, whichever one it is."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from inkline_calendar.domain.intervals import UtcInterval

BOOKING_PROPERTY = "inkline_booking_id"


@dataclass(frozen=True)
class BookingEvent:
    """A confirmed booking as it should appear in the artist's calendar."""

    booking_id: uuid.UUID
    event_id: str
    start: datetime
    end: datetime
    time_zone: str
    summary: str
    description: str


@dataclass(frozen=True)
class CreatedEvent:
    event_id: str
    html_link: str | None


class CalendarUnavailableError(Exception):
    """Rate limit, server error or timeout: the same call may succeed later."""


class CalendarRejectedError(Exception):
    """The provider refused the call for a reason retrying will not change (bad request, no access)."""


class CalendarPort(Protocol):
    async def busy(self, window: UtcInterval) -> list[UtcInterval]:
        """Busy time in `window` (free/busy), whatever made it busy."""

    async def insert_event(self, event: BookingEvent) -> CreatedEvent:
        """Create the booking's event; an event that already exists under its id counts as created."""

    async def patch_event(self, event: BookingEvent) -> CreatedEvent | None:
        """Move the event `event.event_id` to the new times (same id); None when no such event exists."""

    async def find_event_by_booking(self, booking_id: uuid.UUID) -> CreatedEvent | None:
        """The live event carrying `booking_id` in its private extended properties, if any."""

    async def delete_event(self, event_id: str) -> None:
        """Delete the event; one that is already gone counts as deleted."""

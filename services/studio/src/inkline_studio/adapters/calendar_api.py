"""The calendar service's `/admin` API (bearer token): the artist's availability rules, days off, tour legs,
and the week's holds and bookings."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

import httpx
from pydantic import BaseModel, TypeAdapter

from inkline_studio.adapters.service_api import call


class Reservation(BaseModel):
    """A booking, or a hold waiting for its deposit (`expires_at` says when it lapses)."""

    kind: Literal["hold", "booking"]
    reservation_id: uuid.UUID
    booking_id: uuid.UUID | None
    lead_id: uuid.UUID
    start: datetime
    end: datetime
    city: str
    size_category: str
    client_name: str | None
    expires_at: datetime | None


_RESERVATIONS = TypeAdapter(list[Reservation])


class CalendarApi:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def availability(self) -> dict[str, Any]:
        """Working hours per weekday, blackout dates, tour legs and the artist's timezone (the YAML's shape)."""
        body: dict[str, Any] = await call(self._client, "GET", "/admin/availability")
        return body

    async def block(self, day: date) -> None:
        """Make `day` a day off: no slot is offered on it from now on."""
        await call(self._client, "PUT", f"/admin/blackout-dates/{day.isoformat()}")

    async def unblock(self, day: date) -> None:
        await call(self._client, "DELETE", f"/admin/blackout-dates/{day.isoformat()}")

    async def reservations(self, start: datetime, end: datetime) -> list[Reservation]:
        """Bookings and live holds overlapping [start, end), earliest first."""
        params = {"start": start.isoformat(), "end": end.isoformat()}
        return _RESERVATIONS.validate_python(
            await call(self._client, "GET", "/admin/reservations", params=params)
        )

    async def move(self, booking_id: uuid.UUID, start: datetime) -> Reservation:
        """Move a booking to `start` (same length); the client is told as after a reschedule in chat.
        ServiceRefusedError (409) when the time is taken."""
        body = await call(
            self._client, "POST", f"/admin/bookings/{booking_id}/move", json={"start": start.isoformat()}
        )
        return Reservation.model_validate(body)

    async def set_working_hours(
        self, *, timezone: str, working_hours: dict[str, list[str]], closed_on_public_holidays: bool
    ) -> None:
        """The next slot offer uses them; the calendar keeps the rules they replace."""
        body = {
            "timezone": timezone,
            "working_hours": working_hours,
            "closed_on_public_holidays": closed_on_public_holidays,
        }
        await call(self._client, "PUT", "/admin/working-hours", json=body)

    async def add_tour_leg(self, *, city: str, country_code: str, first_day: date, last_day: date) -> None:
        """Announced to waitlisted clients (calendar.tour_leg_published); refused (422) if it overlaps another."""
        body = {
            "city": city,
            "country_code": country_code,
            "first_day": first_day.isoformat(),
            "last_day": last_day.isoformat(),
        }
        await call(self._client, "POST", "/admin/tour-legs", json=body)

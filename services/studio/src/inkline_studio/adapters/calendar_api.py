"""The calendar service's `/admin` API (bearer token): the artist's availability rules and days off."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from inkline_studio.adapters.service_api import call


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

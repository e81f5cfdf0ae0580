"""What each booked client wants tattooed, from conversation's `/api/leads/{id}`: the calendar knows the
time and the name, conversation the idea. A week holds a handful of bookings, so one call each, at once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable

import httpx
import structlog

from inkline_studio.adapters.service_api import ServiceRefusedError, ServiceUnavailableError, call

log = structlog.get_logger(__name__)


async def ideas_of(client: httpx.AsyncClient, lead_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The idea of each lead that has one; a lead conversation cannot give is simply left out (the
    calendar still shows the time and the name)."""

    async def one(lead_id: uuid.UUID) -> tuple[uuid.UUID, str | None]:
        try:
            lead = await call(client, "GET", f"/api/leads/{lead_id}")
        except (ServiceRefusedError, ServiceUnavailableError) as error:
            log.warning("lead_idea_unavailable", lead_id=str(lead_id), error=str(error))
            return lead_id, None
        idea = (lead.get("answers") or {}).get("idea")
        return lead_id, idea if isinstance(idea, str) and idea.strip() else None

    found = await asyncio.gather(*(one(lead_id) for lead_id in set(lead_ids)))
    return {lead_id: idea for lead_id, idea in found if idea is not None}

"""Lead and activity handlers for one client run concurrently (one consumer per subject, batches handled in
parallel) and must not deadlock: a deadlock costs a retry after the redelivery back-off, and enough of them
dead-letter the event, so the read model would keep the client at an old status.

A booking produces `deposit.paid` / `booking.confirmed` and `lead.status_changed` at the same moment; the
activity handlers lock the contact, then the lead. Every handler takes the rows in that order.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from inkline_campaigns.handlers.leads import LeadCreatedHandler, LeadStatusChangedHandler
from inkline_contracts import subjects
from inkline_contracts.events.lead import LeadCreated, LeadStatusChanged
from inkline_devstack.harness import eventually

NOON = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
ON_LEAD_CREATED = LeadCreatedHandler(default_timezone="Europe/London")
ON_STATUS_CHANGED = LeadStatusChangedHandler(default_timezone="Europe/London")
SAM = "447700900123"
Deliver = Callable[..., Awaitable[Any]]


async def _someone_waits_for_a_lock(engine: AsyncEngine) -> bool:
    async with engine.connect() as connection:
        waiting = await connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    return bool(waiting)


async def _lead_row_is_free(engine: AsyncEngine, lead_id: uuid.UUID) -> bool:
    async with engine.begin() as connection:
        free = await connection.execute(
            text("SELECT 1 FROM leads WHERE lead_id = :id FOR UPDATE SKIP LOCKED"), {"id": lead_id}
        )
        return free.first() is not None


async def test_a_status_change_waiting_for_the_contact_holds_no_lock_on_the_lead(
    deliver: Deliver, database_url: str
) -> None:
    lead = uuid.uuid4()
    await deliver(ON_LEAD_CREATED, subjects.LEAD_CREATED, LeadCreated(lead_id=lead, wa_id=SAM), at=NOON)
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as booking:
            # The booking's handler has updated the contact and is about to update the lead.
            transaction = await booking.begin()
            await booking.execute(
                text("SELECT 1 FROM contacts WHERE wa_id = :wa_id FOR UPDATE"), {"wa_id": SAM}
            )
            change = LeadStatusChanged(
                lead_id=lead, wa_id=SAM, from_status="deposit_paid", to_status="booked"
            )
            status_changed = asyncio.ensure_future(
                deliver(ON_STATUS_CHANGED, subjects.LEAD_STATUS_CHANGED, change, at=NOON)
            )
            await eventually(lambda: _someone_waits_for_a_lock(engine))

            # Were the lead row held here, the booking's next update would wait for it: a deadlock.
            lead_free = await _lead_row_is_free(engine, lead)
            await transaction.commit()
            await status_changed
    finally:
        await engine.dispose()

    assert lead_free, "the status change locked the lead before the contact"

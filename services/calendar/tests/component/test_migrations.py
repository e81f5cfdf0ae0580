"""Revision 0004 (moved bookings, patch jobs) goes down to 0003 and back up with a moved booking on board."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from inkline_calendar.db import MIGRATIONS_DIR
from inkline_calendar.testing import BookingFlow, Database
from inkline_platform.migrations import downgrade, upgrade

TUESDAY_TEN = datetime(2027, 3, 23, 10, 0, tzinfo=UTC)
WEDNESDAY_TEN = datetime(2027, 3, 24, 10, 0, tzinfo=UTC)


async def test_a_moved_booking_survives_a_downgrade_to_0003_and_back(
    database: Database, flow: BookingFlow
) -> None:
    lead = uuid.uuid4()
    booking = await flow.book_then_move(lead, TUESDAY_TEN, WEDNESDAY_TEN)
    await database.engine.dispose()

    await asyncio.to_thread(downgrade, MIGRATIONS_DIR, database.url, "0003")
    after_downgrade = await database.rows(
        "SELECT state, booking_id::text FROM reservations ORDER BY lower(during)"
    )
    jobs_after_downgrade = await database.rows("SELECT action FROM calendar_jobs")
    await database.engine.dispose()
    await asyncio.to_thread(upgrade, MIGRATIONS_DIR, database.url)

    assert after_downgrade == [("released", None), ("booked", booking["booking_id"])]
    assert jobs_after_downgrade == [("insert",)]
    assert await database.rows("SELECT version_num FROM alembic_version") == [("0007",)]

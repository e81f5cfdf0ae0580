"""The sandbox calendar (INKLINE_SANDBOX=1) keeps Google's contract for inserts, patches and deletes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from inkline_calendar.adapters.calendar_port import BookingEvent
from inkline_calendar.adapters.sandbox_calendar import SandboxCalendar
from inkline_calendar.domain.event_ids import event_id_for_booking
from inkline_calendar.domain.intervals import UtcInterval
from inkline_calendar.testing import Database
from inkline_platform.db import make_session_factory

START = datetime(2027, 3, 23, 10, 0, tzinfo=UTC)
DAY = UtcInterval(START - timedelta(hours=10), START + timedelta(days=3))


def event(booking: uuid.UUID, start: datetime) -> BookingEvent:
    return BookingEvent(
        booking_id=booking,
        event_id=event_id_for_booking(booking),
        start=start,
        end=start + timedelta(hours=4),
        time_zone="Europe/London",
        summary="Tattoo session (medium), London",
        description="Booked through Inkline.",
    )


async def test_a_patch_moves_the_same_event_and_a_missing_one_answers_none(database: Database) -> None:
    calendar = SandboxCalendar(make_session_factory(database.engine))
    booking = uuid.uuid4()
    later = START + timedelta(days=1)
    inserted = await calendar.insert_event(event(booking, START))

    patched = await calendar.patch_event(event(booking, later))
    missing = await calendar.patch_event(event(uuid.uuid4(), later))

    assert patched == inserted
    assert missing is None
    assert await calendar.busy(DAY) == [UtcInterval(later, later + timedelta(hours=4))]
    assert await database.rows("SELECT count(*) FROM sandbox_calendar_events") == [(1,)]

"""The calendar for INKLINE_SANDBOX=1: events live in the service's own database, no Google account needed."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inkline_calendar.adapters.calendar_port import BookingEvent, CreatedEvent
from inkline_calendar.db.models import SandboxCalendarEvent
from inkline_calendar.domain.intervals import UtcInterval


def _link(event_id: str) -> str:
    return f"sandbox://calendar/events/{event_id}"


class SandboxCalendar:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def busy(self, window: UtcInterval) -> list[UtcInterval]:
        async with self._sessions() as session:
            rows = await session.execute(
                select(SandboxCalendarEvent.starts_at, SandboxCalendarEvent.ends_at).where(
                    SandboxCalendarEvent.status == "confirmed",
                    SandboxCalendarEvent.starts_at < window.end,
                    SandboxCalendarEvent.ends_at > window.start,
                )
            )
            return [UtcInterval(start, end) for start, end in rows.all()]

    async def insert_event(self, event: BookingEvent) -> CreatedEvent:
        async with self._sessions() as session, session.begin():
            # Same contract as Google: the client-chosen id makes a repeated insert a no-op.
            await session.execute(
                insert(SandboxCalendarEvent)
                .values(
                    event_id=event.event_id,
                    booking_id=event.booking_id,
                    summary=event.summary,
                    starts_at=event.start,
                    ends_at=event.end,
                    status="confirmed",
                )
                .on_conflict_do_nothing()
            )
        return CreatedEvent(event_id=event.event_id, html_link=_link(event.event_id))

    async def patch_event(self, event: BookingEvent) -> CreatedEvent | None:
        async with self._sessions() as session, session.begin():
            patched = await session.scalar(
                update(SandboxCalendarEvent)
                .where(SandboxCalendarEvent.event_id == event.event_id)
                .values(summary=event.summary, starts_at=event.start, ends_at=event.end)
                .returning(SandboxCalendarEvent.event_id)
            )
        return None if patched is None else CreatedEvent(event_id=patched, html_link=_link(patched))

    async def find_event_by_booking(self, booking_id: uuid.UUID) -> CreatedEvent | None:
        async with self._sessions() as session:
            event_id = await session.scalar(
                select(SandboxCalendarEvent.event_id).where(
                    SandboxCalendarEvent.booking_id == booking_id, SandboxCalendarEvent.status == "confirmed"
                )
            )
        return None if event_id is None else CreatedEvent(event_id=event_id, html_link=_link(event_id))

    async def delete_event(self, event_id: str) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(SandboxCalendarEvent)
                .where(SandboxCalendarEvent.event_id == event_id)
                .values(status="cancelled")
            )

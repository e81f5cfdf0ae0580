"""The persisted queue of Google Calendar writes: enqueued with the booking, drained by the sync job."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_calendar.db.models import CalendarJob

INSERT = "insert"
DELETE = "delete"


async def enqueue(
    session: AsyncSession,
    *,
    action: str,
    booking_id: uuid.UUID,
    lead_id: uuid.UUID,
    event_id: str,
    due_at: datetime,
    causation_id: uuid.UUID | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Queue a write in the caller's transaction; one job per booking and action, whatever redelivers."""
    await session.execute(
        insert(CalendarJob)
        .values(
            action=action,
            booking_id=booking_id,
            lead_id=lead_id,
            event_id=event_id,
            details=details or {},
            next_attempt_at=due_at,
            causation_id=causation_id,
        )
        .on_conflict_do_nothing(index_elements=[CalendarJob.booking_id, CalendarJob.action])
    )


async def cancel_pending_insert(session: AsyncSession, booking_id: uuid.UUID, *, at: datetime) -> None:
    await session.execute(
        update(CalendarJob)
        .where(
            CalendarJob.booking_id == booking_id, CalendarJob.action == INSERT, CalendarJob.state == "pending"
        )
        .values(state="cancelled", finished_at=at)
    )


async def due_job_ids(session: AsyncSession, *, now: datetime, limit: int) -> list[int]:
    rows = await session.scalars(
        select(CalendarJob.id)
        .where(CalendarJob.state == "pending", CalendarJob.next_attempt_at <= now)
        .order_by(CalendarJob.next_attempt_at, CalendarJob.id)
        .limit(limit)
    )
    return list(rows.all())


async def lock_pending_job(session: AsyncSession, job_id: int) -> CalendarJob | None:
    """The job, locked for this worker, unless another worker has it or it is no longer pending."""
    return await session.scalar(
        select(CalendarJob)
        .where(CalendarJob.id == job_id, CalendarJob.state == "pending")
        .with_for_update(skip_locked=True)
    )

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
PATCH = "patch"


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


async def cancel_pending_writes(session: AsyncSession, booking_id: uuid.UUID, *, at: datetime) -> None:
    """Drop the booking's pending insert and patch: a patch after the delete would re-create the event."""
    await session.execute(
        update(CalendarJob)
        .where(
            CalendarJob.booking_id == booking_id,
            CalendarJob.action.in_([INSERT, PATCH]),
            CalendarJob.state == "pending",
        )
        .values(state="cancelled", finished_at=at)
    )


async def reschedule_pending_insert(
    session: AsyncSession, booking_id: uuid.UUID, *, details: dict[str, Any]
) -> bool:
    """Give a booking's not-yet-run insert new details; False when there is none (it ran, or gave up).

    An insert the sync job is running right now is locked: this waits for its outcome, then sees it done
    (False, so the caller patches) or back to pending after a failure (updated here, so the retry inserts
    the new times).
    """
    updated = await session.scalar(
        update(CalendarJob)
        .where(
            CalendarJob.booking_id == booking_id, CalendarJob.action == INSERT, CalendarJob.state == "pending"
        )
        .values(details=details)
        .returning(CalendarJob.id)
    )
    return updated is not None


async def enqueue_patch(
    session: AsyncSession,
    *,
    booking_id: uuid.UUID,
    lead_id: uuid.UUID,
    event_id: str,
    due_at: datetime,
    causation_id: uuid.UUID | None,
    details: dict[str, Any],
) -> None:
    """Queue a patch to `details`; a booking has one patch job, re-armed with the latest times each move.

    A patch sets absolute times, so only the newest one matters; an older pending one is overwritten.
    """
    statement = insert(CalendarJob).values(
        action=PATCH,
        booking_id=booking_id,
        lead_id=lead_id,
        event_id=event_id,
        details=details,
        next_attempt_at=due_at,
        causation_id=causation_id,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[CalendarJob.booking_id, CalendarJob.action],
            set_={
                "details": statement.excluded.details,
                "next_attempt_at": statement.excluded.next_attempt_at,
                "causation_id": statement.excluded.causation_id,
                "state": "pending",
                "attempts": 0,
                "last_error": None,
                "finished_at": None,
            },
        )
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


def booking_event_details(
    *, start: datetime, end: datetime, time_zone: str, city: str, size: str, client_name: str | None = None
) -> dict[str, str]:
    """What an insert job needs besides ids, frozen when the booking is made."""
    details = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "time_zone": time_zone,
        "city": city,
        "size_category": size,
    }
    if client_name:
        details["client_name"] = client_name
    return details

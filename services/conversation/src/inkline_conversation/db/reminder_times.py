"""Moving the unsent reminders of bookings already made when the artist changes the reminder times."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_conversation.db.models import Lead, ScheduledMessage
from inkline_conversation.domain.appointment_plan import (
    AppointmentMessage,
    AppointmentTimings,
    plan_appointment,
)
from inkline_conversation.domain.time_zones import known_zone

_REMINDERS = (AppointmentMessage.REMINDER_EARLY.value, AppointmentMessage.REMINDER_FINAL.value)
_EVERY_TIME = datetime.min.replace(tzinfo=UTC)  # plan every reminder, even one whose new time has passed


async def retime_unsent_reminders(
    session: AsyncSession, *, timings: AppointmentTimings, artists_zone: ZoneInfo
) -> int:
    """Give every live booking's unsent reminders the times in `timings`; returns how many moved.

    A reminder whose new time has already passed becomes due now: the next pass sends it while the session is
    still ahead (jobs/appointment_messages.py checks that), rather than never. Rows another transaction
    holds (a reschedule replanning that booking, the pass sending it) are skipped, not waited for: the lead
    is locked before its scheduled rows everywhere else, and this takes no lead lock.
    """
    rows = await session.execute(
        select(ScheduledMessage, Lead.booking_range)
        .join(Lead, Lead.id == ScheduledMessage.lead_id)
        .where(
            ScheduledMessage.kind.in_(_REMINDERS),
            ScheduledMessage.sent_at.is_(None),
            ScheduledMessage.cancelled_at.is_(None),
            ScheduledMessage.booking_id == Lead.booking_id,
        )
        .with_for_update(of=ScheduledMessage, skip_locked=True)
    )
    moved = 0
    for message, booked in rows.all():
        if not booked:
            continue
        planned = plan_appointment(
            start=datetime.fromisoformat(booked["start"]),
            end=datetime.fromisoformat(booked["end"]),
            now=_EVERY_TIME,
            # The session's place's zone when the calendar named one, else the artist's (as a turn reads it).
            tz=known_zone(booked.get("timezone")) or artists_zone,
            timings=timings,
        )
        due = next(plan.due_at for plan in planned if plan.kind.value == message.kind)
        if due != message.due_at:
            message.due_at = due
            moved += 1
    return moved

"""When each message around an appointment is due: reminders before it, aftercare after it.

Times are worked out on the artist's wall clock, so "3 days before at 11:00" stays 11:00 across a
daylight-saving change, and stored as UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

# The ids of the buttons on a booked client's messages (reminders, change questions) all start so: a tap
# on one always answers something about that booking, never starts an enquiry.
APPOINTMENT_BUTTON_PREFIX = "appt:"


class AppointmentMessage(StrEnum):
    """The scheduled messages of one booking; at most one of each kind per booking."""

    REMINDER_EARLY = "reminder_early"
    REMINDER_FINAL = "reminder_final"
    AFTERCARE_EVENING = "aftercare_evening"
    AFTERCARE_CHECK_IN = "aftercare_check_in"
    HEALED_PHOTO = "healed_photo"

    @property
    def is_reminder(self) -> bool:
        return self in (AppointmentMessage.REMINDER_EARLY, AppointmentMessage.REMINDER_FINAL)


@dataclass(frozen=True)
class AppointmentTimings:
    early_reminder_hours: float = 72.0
    final_reminder_hours: float = 24.0
    aftercare_hour: int = 19
    check_in_days: int = 3
    healed_photo_days: int = 42
    # Aftercare that went unsent this long (the service was down) is dropped rather than sent stale.
    aftercare_grace: timedelta = timedelta(hours=12)


@dataclass(frozen=True)
class PlannedMessage:
    kind: AppointmentMessage
    due_at: datetime


def _on_wall_clock(local: datetime, tz: ZoneInfo) -> datetime:
    """A naive local time made aware; a time skipped by a DST change resolves forwards (zoneinfo fold=0)."""
    return local.replace(tzinfo=tz)


def plan_appointment(
    *, start: datetime, end: datetime, now: datetime, tz: ZoneInfo, timings: AppointmentTimings
) -> list[PlannedMessage]:
    """Every message this booking should get; reminders whose time has already passed are left out."""
    local_start = start.astimezone(tz).replace(tzinfo=None)
    evening = datetime.combine(end.astimezone(tz).date(), time(hour=timings.aftercare_hour))
    # A session running past the aftercare hour gets its message an hour after it ends.
    evening_due = max(_on_wall_clock(evening, tz), end + timedelta(hours=1))
    wanted = [
        (
            AppointmentMessage.REMINDER_EARLY,
            _on_wall_clock(local_start - timedelta(hours=timings.early_reminder_hours), tz),
        ),
        (
            AppointmentMessage.REMINDER_FINAL,
            _on_wall_clock(local_start - timedelta(hours=timings.final_reminder_hours), tz),
        ),
        (AppointmentMessage.AFTERCARE_EVENING, evening_due),
        (
            AppointmentMessage.AFTERCARE_CHECK_IN,
            _on_wall_clock(evening + timedelta(days=timings.check_in_days), tz),
        ),
        (
            AppointmentMessage.HEALED_PHOTO,
            _on_wall_clock(evening + timedelta(days=timings.healed_photo_days), tz),
        ),
    ]
    return [
        PlannedMessage(kind=kind, due_at=due_at.astimezone(UTC))
        for kind, due_at in wanted
        if not (kind.is_reminder and due_at <= now)
    ]


def still_worth_sending(
    kind: AppointmentMessage,
    *,
    due_at: datetime,
    appointment_start: datetime,
    now: datetime,
    timings: AppointmentTimings,
) -> bool:
    """A reminder is pointless once the session has begun; aftercare is pointless long after its time."""
    if kind.is_reminder:
        return now < appointment_start
    return now - due_at <= timings.aftercare_grace

"""The artist's policy for changing a booking: when a reschedule is free and when a cancellation refunds.

Pure rules; the journey asks them with the booking's start, the clock and what the lead already used.
An artist's waiver (their action link) makes the next change free whatever the timing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class ChangeCost(StrEnum):
    FREE = "free"
    # Too close to the session for the policy's notice.
    LATE = "late"
    # The free reschedules are used up.
    USED_UP = "used_up"


@dataclass(frozen=True)
class AppointmentPolicy:
    free_reschedule_notice: timedelta = timedelta(hours=72)
    free_reschedules: int = 1
    refund_notice: timedelta = timedelta(hours=72)

    def reschedule_cost(
        self, *, now: datetime, start: datetime, reschedules_used: int, waived: bool
    ) -> ChangeCost:
        if waived:
            return ChangeCost.FREE
        if reschedules_used >= self.free_reschedules:
            return ChangeCost.USED_UP
        if start - now < self.free_reschedule_notice:
            return ChangeCost.LATE
        return ChangeCost.FREE

    def cancellation_refunds(self, *, now: datetime, start: datetime, waived: bool) -> bool:
        return waived or start - now >= self.refund_notice


def hours(delta: timedelta) -> int:
    return round(delta.total_seconds() / 3600)

"""Finding the earliest bookable session on a single local day."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from inkline_calendar.domain.availability import Availability, SizeCategory, WorkingInterval
from inkline_calendar.domain.intervals import UtcInterval, merge_intervals
from inkline_calendar.domain.local_time import first_instant_at_or_after, grid_walls, instants_for_wall


class BusyTimeline:
    """Merged busy intervals with the artist's buffer applied, answering "is this free?" quickly."""

    def __init__(self, busy: Sequence[UtcInterval], *, buffer: timedelta) -> None:
        self._buffer = buffer
        self._busy = merge_intervals(busy)
        self._ends = [interval.end for interval in self._busy]

    def is_free(self, candidate: UtcInterval) -> bool:
        # Widening the candidate by the buffer is equivalent to widening every busy block.
        padded = candidate.widened(self._buffer)
        # Merged blocks are disjoint and sorted, so only the first one ending after the
        # padded start can reach into it; every later one starts later still.
        index = bisect_right(self._ends, padded.start)
        return index == len(self._busy) or not self._busy[index].overlaps(padded)


@dataclass(frozen=True)
class BookingWindow:
    """The instants a session may start in: after minimum notice, before the horizon."""

    earliest_start: datetime
    latest_start: datetime

    @classmethod
    def for_request(cls, availability: Availability, *, now: datetime) -> BookingWindow:
        return cls(
            earliest_start=now + timedelta(hours=availability.minimum_notice_hours),
            latest_start=now + timedelta(days=availability.horizon_days),
        )

    def allows(self, start: datetime) -> bool:
        return self.earliest_start <= start < self.latest_start


def earliest_session_on(
    day: date,
    *,
    availability: Availability,
    size_category: SizeCategory,
    window: BookingWindow,
    busy: BusyTimeline,
    accept: Callable[[UtcInterval], bool],
) -> UtcInterval | None:
    """The earliest free session on local ``day`` that ``accept`` agrees to, if any."""
    candidates = sorted(
        (
            candidate
            for interval in availability.working_intervals_on(day)
            for candidate in _candidates_in(
                day, interval, availability=availability, size_category=size_category
            )
        ),
        key=lambda candidate: candidate.start,
    )
    for candidate in candidates:
        if window.allows(candidate.start) and busy.is_free(candidate) and accept(candidate):
            return candidate
    return None


def _candidates_in(
    day: date,
    interval: WorkingInterval,
    *,
    availability: Availability,
    size_category: SizeCategory,
) -> list[UtcInterval]:
    zone = availability.zone_on(day)
    # Resolving both ends to real instants makes durations elapsed time: a 00:00-04:00
    # interval on the spring-forward night holds three hours, not four.
    work_start = first_instant_at_or_after(day, interval.start, zone)
    work_end = first_instant_at_or_after(day, interval.end, zone)
    if work_end <= work_start:
        return []
    minutes = availability.session_minutes.minutes_for(size_category)
    if size_category is SizeCategory.FULL_DAY:
        if work_end - work_start < timedelta(minutes=minutes):
            return []
        return [UtcInterval(work_start, work_end)]
    duration = timedelta(minutes=minutes)
    return [
        UtcInterval(start, start + duration)
        for wall in grid_walls(
            start=interval.start, end=interval.end, step_minutes=availability.slot_step_minutes
        )
        for start in instants_for_wall(day, wall, zone)
        if start >= work_start and start + duration <= work_end
    ]

"""Suggesting concrete session slots for a lead, or where else the artist can be booked.

Suggestions are the earliest free days in the requested city, one slot per day, each at
the earliest free grid time on that day. Earliest-first keeps the rule predictable for
the artist and the client; spreading is achieved by never offering two slots on one day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import partial
from zoneinfo import ZoneInfo

from inkline_calendar.domain.availability import Availability, SizeCategory
from inkline_calendar.domain.day_fit import BookingWindow, BusyTimeline, earliest_session_on
from inkline_calendar.domain.intervals import UtcInterval, require_aware
from inkline_calendar.domain.local_time import first_instant_at_or_after, local_wall

DEFAULT_SLOT_COUNT = 5


class DayPart(StrEnum):
    """Local-time parts of the day a client may ask for, judged by the session's start."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


# Start-time bounds, inclusive start and exclusive end; evening runs to midnight.
_DAY_PART_STARTS: dict[DayPart, tuple[time, time | None]] = {
    DayPart.MORNING: (time(0), time(12)),
    DayPart.AFTERNOON: (time(12), time(17)),
    DayPart.EVENING: (time(17), None),
}


@dataclass(frozen=True)
class Preferences:
    """A client's wishes: a slot must lie inside one of ``windows`` (if any are given) and
    start in one of ``day_parts`` (if any are given)."""

    windows: tuple[UtcInterval, ...] = ()
    day_parts: frozenset[DayPart] = field(default_factory=frozenset)

    @property
    def is_open(self) -> bool:
        return not self.windows and not self.day_parts

    def accepts(self, slot: UtcInterval, *, zone: ZoneInfo) -> bool:
        if self.windows and not any(window.contains(slot) for window in self.windows):
            return False
        if not self.day_parts:
            return True
        start = local_wall(slot.start, zone).time()
        return any(_starts_in(start, part) for part in self.day_parts)


@dataclass(frozen=True)
class Slot:
    start_utc: datetime
    end_utc: datetime
    city: str
    country_code: str


@dataclass(frozen=True)
class CityDates:
    """A run of consecutive local days the artist spends in one place, with its first free days."""

    city: str
    country_code: str
    first_day: date
    last_day: date
    free_days: tuple[date, ...]


@dataclass(frozen=True)
class SlotSuggestion:
    slots: tuple[Slot, ...]
    preference_met: bool
    # Only filled when the requested city has no slots, so the conversation can offer
    # a tour city, the home city or the waitlist instead.
    alternatives: tuple[CityDates, ...] = ()


def suggest_slots(
    *,
    availability: Availability,
    city: str,
    country_code: str | None,
    size_category: SizeCategory,
    preferences: Preferences,
    busy: Sequence[UtcInterval],
    now: datetime,
    count: int = DEFAULT_SLOT_COUNT,
) -> SlotSuggestion:
    """Up to ``count`` slots on distinct days in ``city``, honouring preferences when possible.

    ``busy`` is every UTC interval already taken (Google free/busy, active holds,
    bookings); the artist's buffer is kept around each. ``country_code=None`` accepts
    the city in any country. When no preferred slot exists the suggestion falls back
    to any time and reports ``preference_met=False``.
    """
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    now = require_aware(now, name="now")
    window = BookingWindow.for_request(availability, now=now)
    timeline = BusyTimeline(busy, buffer=timedelta(minutes=availability.buffer_minutes))
    days = [
        day
        for day in _days_in(window, availability=availability)
        if availability.is_in(day=day, city=city, country_code=country_code)
    ]

    def find(*, honour_preferences: bool) -> list[tuple[date, UtcInterval]]:
        found: list[tuple[date, UtcInterval]] = []
        for day in days:
            accept = (
                partial(preferences.accepts, zone=availability.zone_on(day))
                if honour_preferences
                else _any_time
            )
            session = earliest_session_on(
                day,
                availability=availability,
                size_category=size_category,
                window=window,
                busy=timeline,
                accept=accept,
            )
            if session is not None:
                found.append((day, session))
                if len(found) == count:
                    break
        return found

    sessions = find(honour_preferences=True)
    preference_met = bool(sessions) or preferences.is_open
    if not sessions and not preferences.is_open:
        sessions = find(honour_preferences=False)
    slots = tuple(
        Slot(session.start, session.end, *availability.location_on(day)) for day, session in sessions
    )
    if slots:
        return SlotSuggestion(slots=slots, preference_met=preference_met)
    return SlotSuggestion(
        slots=(),
        preference_met=preference_met,
        alternatives=_alternatives(
            availability=availability,
            excluded_days=frozenset(days),
            size_category=size_category,
            window=window,
            busy=timeline,
            count=count,
        ),
    )


def _alternatives(
    *,
    availability: Availability,
    excluded_days: frozenset[date],
    size_category: SizeCategory,
    window: BookingWindow,
    busy: BusyTimeline,
    count: int,
) -> tuple[CityDates, ...]:
    runs: list[tuple[tuple[str, str], list[date]]] = []
    for day in _days_in(window, availability=availability):
        if day in excluded_days:
            continue
        place = availability.location_on(day)
        if runs and runs[-1][0] == place and runs[-1][1][-1] == day - timedelta(days=1):
            runs[-1][1].append(day)
        else:
            runs.append((place, [day]))
    alternatives: list[CityDates] = []
    for (city, country_code), run_days in runs:
        free_days: list[date] = []
        for day in run_days:
            session = earliest_session_on(
                day,
                availability=availability,
                size_category=size_category,
                window=window,
                busy=busy,
                accept=_any_time,
            )
            if session is not None:
                free_days.append(day)
                if len(free_days) == count:
                    break
        if free_days:
            alternatives.append(
                CityDates(
                    city=city,
                    country_code=country_code,
                    first_day=run_days[0],
                    last_day=run_days[-1],
                    free_days=tuple(free_days),
                )
            )
    return tuple(alternatives)


def _days_in(window: BookingWindow, *, availability: Availability) -> list[date]:
    """Dates whose local day, on the clock of wherever the artist is, overlaps ``window``."""
    # Every zone is within a day of UTC, so a one-day margin finds all candidates.
    first = window.earliest_start.date() - timedelta(days=1)
    last = window.latest_start.date() + timedelta(days=1)
    days: list[date] = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        zone = availability.zone_on(day)
        day_start = first_instant_at_or_after(day, time(0), zone)
        next_day_start = first_instant_at_or_after(day + timedelta(days=1), time(0), zone)
        if day_start < window.latest_start and next_day_start > window.earliest_start:
            days.append(day)
    return days


def _starts_in(start: time, part: DayPart) -> bool:
    lower, upper = _DAY_PART_STARTS[part]
    return lower <= start and (upper is None or start < upper)


def _any_time(_slot: UtcInterval) -> bool:
    return True

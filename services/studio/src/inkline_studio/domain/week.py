"""The calendar screen's week: seven days in the artist's timezone with their hours, days off, tour legs,
bookings and holds.

Read from calendar's availability rules as they come over its API (weekday names, "HH:MM-HH:MM"
intervals, ISO dates) and its list of reservations; no rule is re-implemented here beyond laying them out.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Reservation(Protocol):
    """A booking or a live hold as the calendar lists it (adapters.calendar_api.Reservation)."""

    @property
    def kind(self) -> str: ...
    @property
    def lead_id(self) -> uuid.UUID: ...
    @property
    def booking_id(self) -> uuid.UUID | None: ...
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...
    @property
    def client_name(self) -> str | None: ...
    @property
    def expires_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class Entry:
    """A booking or a hold on one day, in the artist's timezone."""

    booked: bool
    start: datetime
    end: datetime
    who: str
    idea: str | None
    booking_id: uuid.UUID | None
    # Holds only: how long until the hold lapses, e.g. "23 min left".
    left: str | None

    @property
    def times(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"  # noqa: RUF001 - a time range

    @property
    def state(self) -> str:
        return "Booked" if self.booked else f"Held · {self.left}"


def time_left(until: datetime, *, now: datetime) -> str:
    """'23 min left', '1 h 5 min left'; a hold in its last minute says so rather than '0 min'."""
    minutes = int((until - now).total_seconds() // 60)
    if minutes < 1:
        return "under a minute left"
    if minutes < 60:
        return f"{minutes} min left"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min left" if rest else f"{hours} h left"


@dataclass(frozen=True)
class Day:
    day: date
    hours: tuple[str, ...]
    blocked: bool
    tour_city: str | None
    past: bool
    entries: tuple[Entry, ...] = ()

    @property
    def working(self) -> bool:
        return bool(self.hours) and not self.blocked

    @property
    def label(self) -> str:
        return f"{self.day:%a} {self.day.day} {self.day:%b}"


@dataclass(frozen=True)
class Week:
    monday: date
    days: tuple[Day, ...]
    timezone: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def starts(self) -> datetime:
        """Monday 00:00 in the artist's timezone: where the week's reservations begin."""
        return datetime.combine(self.monday, time(), tzinfo=self.zone)

    @property
    def ends(self) -> datetime:
        return datetime.combine(self.next, time(), tzinfo=self.zone)

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)

    @property
    def title(self) -> str:
        sunday = self.monday + timedelta(days=6)
        return f"{self.monday.day} {self.monday:%b} – {sunday.day} {sunday:%b %Y}"  # noqa: RUF001 - a date range


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_of(rules: dict[str, Any], *, showing: date | None, now: datetime) -> Week:
    """The week holding `showing` (this week in the artist's timezone when None), without reservations."""
    zone = str(rules.get("timezone") or "UTC")
    today = now.astimezone(ZoneInfo(zone)).date()
    monday = monday_of(showing or today)
    hours = rules.get("working_hours") or {}
    blocked = {date.fromisoformat(value) for value in rules.get("blackout_dates") or []}
    legs = [
        (date.fromisoformat(leg["first_day"]), date.fromisoformat(leg["last_day"]), str(leg["city"]))
        for leg in rules.get("tour_legs") or []
    ]
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        city = next((name for first, last, name in legs if first <= day <= last), None)
        days.append(
            Day(
                day=day,
                hours=tuple(hours.get(WEEKDAYS[day.weekday()]) or ()),
                blocked=day in blocked,
                tour_city=city,
                past=day < today,
            )
        )
    return Week(monday=monday, days=tuple(days), timezone=zone)


def with_reservations(
    week: Week, reservations: Sequence[Reservation], *, ideas: Mapping[uuid.UUID, str], now: datetime
) -> Week:
    """The week with each booking and live hold on the day it starts, in the artist's timezone."""
    zone = week.zone
    by_day: dict[date, list[Entry]] = {}
    for reservation in reservations:
        start = reservation.start.astimezone(zone)
        booked = reservation.kind == "booking"
        entry = Entry(
            booked=booked,
            start=start,
            end=reservation.end.astimezone(zone),
            who=reservation.client_name or "A client",
            idea=ideas.get(reservation.lead_id),
            booking_id=reservation.booking_id,
            left=None
            if booked or reservation.expires_at is None
            else time_left(reservation.expires_at, now=now),
        )
        by_day.setdefault(start.date(), []).append(entry)
    days = tuple(
        replace(d, entries=tuple(sorted(by_day.get(d.day, []), key=lambda e: e.start))) for d in week.days
    )
    return replace(week, days=days)

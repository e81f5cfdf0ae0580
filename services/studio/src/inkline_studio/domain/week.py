"""The calendar screen's week: seven days in the artist's timezone with their hours, days off and tour legs.

Read from calendar's availability rules as they come over its API (weekday names, "HH:MM-HH:MM"
intervals, ISO dates); no rule is re-implemented here beyond laying them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Day:
    day: date
    hours: tuple[str, ...]
    blocked: bool
    tour_city: str | None
    past: bool

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
    """The week holding `showing` (this week in the artist's timezone when None)."""
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

"""The Calendar screen's forms read into what the calendar service takes, with a plain-English reason when
the artist typed something it would refuse (its own messages name fields the artist never sees)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from itertools import pairwise
from zoneinfo import ZoneInfo, available_timezones

from inkline_studio.domain.week import WEEKDAYS

# "10:00-18:00", also with an en dash or spaces, as the week view prints them.
_INTERVAL = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$")  # noqa: RUF001 - the en dash


class FormError(ValueError):
    """What the artist reads; nothing was sent to the calendar."""


@cache
def timezones() -> tuple[str, ...]:
    """Every IANA zone name, for the timezone picker."""
    return tuple(sorted(available_timezones()))


def hours_field(weekday: str) -> str:
    return f"hours_{weekday}"


def working_hours_of(form: Mapping[str, str]) -> dict[str, list[str]]:
    """Each weekday's "10:00-13:00, 14:00-18:00" as the calendar's list; an empty box is a day off."""
    week: dict[str, list[str]] = {}
    for weekday in WEEKDAYS:
        name = weekday.capitalize()
        text = form.get(hours_field(weekday), "").strip()
        spans: list[tuple[time, time]] = []
        for part in filter(None, (piece.strip() for piece in text.split(","))):
            match = _INTERVAL.match(part)
            if match is None:
                raise FormError(f"{name}: write hours like 10:00-18:00, or leave it empty for a day off.")
            first_hour, first_minute, last_hour, last_minute = (int(value) for value in match.groups())
            try:
                start, end = time(first_hour, first_minute), time(last_hour, last_minute)
            except ValueError as error:
                raise FormError(f"{name}: {part} is not a time of day.") from error
            if end <= start:
                raise FormError(f"{name}: the end time must be after the start time.")
            spans.append((start, end))
        spans.sort()
        if any(later[0] < earlier[1] for earlier, later in pairwise(spans)):
            raise FormError(f"{name}: those hours overlap.")
        week[weekday] = [f"{start:%H:%M}-{end:%H:%M}" for start, end in spans]
    return week


def timezone_of(form: Mapping[str, str]) -> str:
    zone = form.get("timezone", "").strip()
    if zone not in timezones():
        raise FormError("Pick your timezone from the list.")
    return zone


@dataclass(frozen=True)
class TourLegForm:
    city: str
    country_code: str
    first_day: date
    last_day: date


def tour_leg_of(form: Mapping[str, str]) -> TourLegForm:
    city = form.get("city", "").strip()
    country = form.get("country", "").strip().upper()
    if not city:
        raise FormError("Which city is the tour in?")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise FormError("Write the country as its two-letter code, like DE or PT.")
    try:
        first, last = (
            date.fromisoformat(form.get("first_day", "")),
            date.fromisoformat(form.get("last_day", "")),
        )
    except ValueError as error:
        raise FormError("Pick the tour's first and last day.") from error
    if last < first:
        raise FormError("The tour's last day can't be before its first.")
    return TourLegForm(city=city[:100], country_code=country, first_day=first, last_day=last)


def move_start_of(form: Mapping[str, str], *, timezone: str) -> datetime:
    """The day and time picked, as the moment they mean in the artist's timezone."""
    try:
        day = date.fromisoformat(form.get("day", ""))
        clock = time.fromisoformat(form.get("time", ""))
    except ValueError as error:
        raise FormError("Pick a day and a time to move the booking to.") from error
    return datetime.combine(day, clock.replace(second=0, microsecond=0), tzinfo=ZoneInfo(timezone))

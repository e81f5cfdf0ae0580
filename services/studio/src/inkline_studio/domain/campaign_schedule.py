"""A campaign's start time as the artist writes and reads it: on their own clock, whatever the server's."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ScheduleError(ValueError):
    """A time the artist cannot be scheduled for; the message says what to change."""


def artist_zone(name: object) -> ZoneInfo:
    """The calendar's timezone name, or UTC when it has none the studio can read."""
    try:
        return ZoneInfo(str(name)) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def start_at(local: str, zone: ZoneInfo, *, now: datetime) -> datetime:
    """A `datetime-local` field's `2027-03-11T10:00`, read on the artist's clock; it must be later than now."""
    try:
        naive = datetime.fromisoformat(local.strip())
    except ValueError:
        raise ScheduleError("Choose a day and a time.") from None
    if naive.tzinfo is not None:
        raise ScheduleError("Choose a day and a time.")
    at = naive.replace(tzinfo=zone)
    if at <= now:
        raise ScheduleError("Choose a time later than now.")
    return at


def zone_label(zone: ZoneInfo) -> str:
    """`Berlin time` for Europe/Berlin; `UTC` for UTC."""
    name = zone.key.rsplit("/", 1)[-1].replace("_", " ")
    return "UTC" if name == "UTC" else f"{name} time"


def when(at: datetime, zone: ZoneInfo) -> str:
    """`Thu 11 Mar, 10:00 (Berlin time)`."""
    local = at.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} ({zone_label(zone)})"


def suggested(now: datetime, zone: ZoneInfo) -> str:
    """The schedule field's first value: this time tomorrow on the artist's clock, on the hour."""
    tomorrow = (now.astimezone(zone) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    return tomorrow.strftime("%Y-%m-%dT%H:%M")

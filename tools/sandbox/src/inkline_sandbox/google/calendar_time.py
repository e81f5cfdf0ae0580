"""RFC 3339 parsing and formatting the way Calendar v3 reads and writes timestamps."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from inkline_sandbox.google.calendar_errors import CalendarError


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CalendarError(400, "timeZoneInvalid", f"Invalid time zone definition: {name}") from exc


def parse_instant(value: Any, parameter: str) -> datetime:
    """A query bound (timeMin/timeMax): Google insists on an explicit offset."""
    if not isinstance(value, str):
        raise CalendarError(400, "required", "Required", location=("parameter", parameter))
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CalendarError(400, "invalid", f"Bad Request: invalid {parameter}") from exc
    if parsed.tzinfo is None:
        raise CalendarError(400, "invalid", f"Bad Request: {parameter} must carry a time zone offset")
    return parsed


def parse_event_time(value: Any, label: str, calendar_zone: str) -> datetime:
    """An EventDateTime: ``dateTime`` (offset, or local time plus ``timeZone``) or all-day ``date``."""
    if not isinstance(value, dict):
        raise CalendarError(400, "required", f"Missing {label} time.")
    if "dateTime" in value:
        try:
            parsed = datetime.fromisoformat(str(value["dateTime"]))
        except ValueError as exc:
            raise CalendarError(400, "invalid", f"Invalid {label} time.") from exc
        if parsed.tzinfo is None:
            if not value.get("timeZone"):
                raise CalendarError(400, "timeZoneMissing", f"Missing time zone definition for {label} time.")
            parsed = parsed.replace(tzinfo=zone(str(value["timeZone"])))
        return parsed
    if "date" in value:
        try:
            day = date.fromisoformat(str(value["date"]))
        except ValueError as exc:
            raise CalendarError(400, "invalid", f"Invalid {label} time.") from exc
        return datetime.combine(day, time(), tzinfo=zone(calendar_zone))
    raise CalendarError(400, "required", f"Missing {label} time.")


def stamp(moment: datetime) -> str:
    """``created``/``updated`` and freeBusy's echoed bounds: UTC with milliseconds, e.g. ``...00.000Z``."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def busy_bound(moment: datetime, time_zone: str) -> str:
    """freeBusy busy-period bounds: ``Z`` in UTC, else the offset of the requested zone."""
    if time_zone == "UTC":
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.astimezone(zone(time_zone)).isoformat(timespec="seconds")


def merge_periods(
    periods: list[tuple[datetime, datetime]], lower: datetime, upper: datetime
) -> list[tuple[datetime, datetime]]:
    """Clip to the query window and fold overlapping or touching periods into one busy block."""
    clipped = sorted((max(s, lower), min(e, upper)) for s, e in periods if s < upper and e > lower)
    merged: list[tuple[datetime, datetime]] = []
    for start, end in clipped:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return merged


def now() -> datetime:
    return datetime.now(UTC)

"""Reading a time zone another service named (the calendar names a tour city's zone beside a booking)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def known_zone(name: object) -> ZoneInfo | None:
    """The zone `name` names; None when it names none this machine knows (or is not a name at all)."""
    if not isinstance(name, str) or not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None

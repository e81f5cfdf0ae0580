"""Stable ids for suggested slots: the same session offered twice carries the same id."""

from __future__ import annotations

from datetime import UTC

from inkline_calendar.domain.intervals import UtcInterval


def slot_id_for(slot: UtcInterval) -> str:
    """Readable and derived only from the instants, e.g. ``20270312T1100Z-240``."""
    minutes = int(slot.duration.total_seconds() // 60)
    return f"{slot.start.astimezone(UTC):%Y%m%dT%H%MZ}-{minutes}"

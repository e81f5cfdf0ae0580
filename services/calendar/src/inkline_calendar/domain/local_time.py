"""Turning the artist's wall-clock times into UTC instants, correctly across clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60


def local_wall(instant: datetime, zone: ZoneInfo) -> datetime:
    """The naive wall-clock reading in ``zone`` at ``instant``."""
    return instant.astimezone(zone).replace(tzinfo=None)


def first_instant_at_or_after(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The first UTC instant at which the local clock on ``day`` reads ``wall`` or later.

    Ambiguous readings (clocks going back) resolve to their first occurrence. Readings
    that never happen (clocks going forward) resolve to the moment of the jump, so a
    working interval that starts or ends inside the gap loses exactly the skipped time.
    """
    naive = datetime.combine(day, wall)
    before_jump_offset = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if local_wall(before_jump_offset, zone) == naive:
        return before_jump_offset
    # Inside a gap, fold=1 applies the post-jump offset and lands before the jump,
    # fold=0 lands after it; the jump itself is found by bisecting between the two.
    low = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = before_jump_offset
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if local_wall(middle, zone) >= naive:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def instants_for_wall(day: date, wall: time, zone: ZoneInfo) -> tuple[datetime, ...]:
    """Every UTC instant at which the local clock on ``day`` reads exactly ``wall``.

    Zero instants inside a spring-forward gap, two inside a fall-back overlap.
    """
    naive = datetime.combine(day, wall)
    found: list[datetime] = []
    for fold in (0, 1):
        instant = naive.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if local_wall(instant, zone) == naive and instant not in found:
            found.append(instant)
    return tuple(sorted(found))


def grid_walls(*, start: time, end: time, step_minutes: int) -> tuple[time, ...]:
    """Wall-clock times in ``[start, end)`` that sit on a ``step_minutes`` grid from midnight.

    ``start`` and ``end`` are whole minutes (availability validation guarantees it).
    The grid is anchored to local midnight rather than to the interval start so that
    suggested times read naturally (10:30, not 10:17) whatever the working hours are.
    """
    start_minute = start.hour * 60 + start.minute
    end_minute = end.hour * 60 + end.minute
    first = -(-start_minute // step_minutes) * step_minutes
    return tuple(time(minute // 60, minute % 60) for minute in range(first, end_minute, step_minutes))

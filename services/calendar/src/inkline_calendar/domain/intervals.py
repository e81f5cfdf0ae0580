"""Half-open UTC time intervals, the currency every calendar source is converted into."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


def require_aware(value: datetime, *, name: str) -> datetime:
    """Return ``value`` in UTC, refusing naive datetimes.

    A naive datetime has no defined instant, and silently treating it as UTC is how
    bookings end up an hour off, so it is rejected rather than guessed.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(UTC)


@dataclass(frozen=True)
class UtcInterval:
    """``[start, end)`` in UTC; end is exclusive so back-to-back intervals do not overlap."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", require_aware(self.start, name="interval start"))
        object.__setattr__(self, "end", require_aware(self.end, name="interval end"))
        if self.end <= self.start:
            raise ValueError(
                f"interval end {self.end.isoformat()} must be after its start {self.start.isoformat()}"
            )

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def overlaps(self, other: UtcInterval) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: UtcInterval) -> bool:
        return self.start <= other.start and other.end <= self.end

    def widened(self, margin: timedelta) -> UtcInterval:
        return UtcInterval(self.start - margin, self.end + margin)


def merge_intervals(intervals: Iterable[UtcInterval]) -> tuple[UtcInterval, ...]:
    """Coalesce overlapping or touching intervals into a sorted, disjoint tuple.

    Busy time arrives from several sources (Google free/busy, holds, bookings) that
    often describe the same block; merging keeps later overlap checks linear.
    """
    merged: list[UtcInterval] = []
    for interval in sorted(intervals, key=lambda i: (i.start, i.end)):
        if merged and interval.start <= merged[-1].end:
            last = merged[-1]
            if interval.end > last.end:
                merged[-1] = UtcInterval(last.start, interval.end)
        else:
            merged.append(interval)
    return tuple(merged)

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from inkline_calendar.domain.intervals import UtcInterval, merge_intervals


def at(hour: int) -> datetime:
    return datetime(2026, 5, 5, hour, tzinfo=UTC)


def test_intervals_are_stored_in_utc_whatever_zone_they_arrive_in() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    interval = UtcInterval(datetime(2026, 5, 5, 12, tzinfo=berlin), datetime(2026, 5, 5, 14, tzinfo=berlin))
    assert (interval.start, interval.end) == (at(10), at(12))
    assert interval.start.tzinfo is UTC


def test_naive_or_backwards_intervals_are_refused() -> None:
    with pytest.raises(ValueError, match="interval start must be timezone-aware"):
        UtcInterval(datetime(2026, 5, 5, 10), at(11))
    with pytest.raises(ValueError, match="must be after its start"):
        UtcInterval(at(11), at(11))


def test_back_to_back_intervals_do_not_overlap() -> None:
    assert not UtcInterval(at(9), at(10)).overlaps(UtcInterval(at(10), at(11)))
    assert UtcInterval(at(9), at(10)).widened(timedelta(minutes=1)).overlaps(UtcInterval(at(10), at(11)))


def test_merging_coalesces_overlapping_and_touching_busy_blocks() -> None:
    merged = merge_intervals(
        [
            UtcInterval(at(14), at(15)),
            UtcInterval(at(9), at(11)),
            UtcInterval(at(10), at(12)),
            UtcInterval(at(12), at(13)),
        ]
    )
    assert merged == (UtcInterval(at(9), at(13)), UtcInterval(at(14), at(15)))

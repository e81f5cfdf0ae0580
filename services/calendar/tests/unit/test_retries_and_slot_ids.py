from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from inkline_calendar.domain.intervals import UtcInterval
from inkline_calendar.domain.retries import RetrySchedule
from inkline_calendar.domain.slot_ids import slot_id_for

SCHEDULE = RetrySchedule(base=timedelta(seconds=5), cap=timedelta(minutes=1), max_attempts=4)


def test_backoff_doubles_from_the_base_and_stops_at_the_cap() -> None:
    delays = [SCHEDULE.delay_after(attempt) for attempt in range(1, 7)]

    assert delays == [timedelta(seconds=s) for s in (5, 10, 20, 40, 60, 60)]


def test_backoff_stays_at_the_cap_after_a_very_long_outage() -> None:
    assert SCHEDULE.delay_after(10_000) == timedelta(minutes=1)


def test_gives_up_only_once_the_last_attempt_failed() -> None:
    assert [SCHEDULE.gives_up_after(n) for n in (1, 3, 4)] == [False, False, True]


@pytest.mark.parametrize(
    ("base", "cap", "attempts"),
    [
        (timedelta(0), timedelta(1), 1),
        (timedelta(seconds=2), timedelta(seconds=1), 1),
        (timedelta(1), timedelta(1), 0),
    ],
)
def test_nonsensical_schedules_are_refused(base: timedelta, cap: timedelta, attempts: int) -> None:
    with pytest.raises(ValueError, match=r"must|needs"):
        RetrySchedule(base=base, cap=cap, max_attempts=attempts)


def test_slot_ids_are_stable_readable_and_independent_of_the_zone_given() -> None:
    start = datetime(2027, 3, 12, 11, 0, tzinfo=UTC)
    slot = UtcInterval(start, start + timedelta(hours=4))
    same_in_new_york = UtcInterval(start.astimezone(ZoneInfo("America/New_York")), slot.end)

    assert slot_id_for(slot) == "20270312T1100Z-240"
    assert slot_id_for(same_in_new_york) == slot_id_for(slot)
    assert slot_id_for(UtcInterval(start, start + timedelta(hours=2))) != slot_id_for(slot)

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from inkline_calendar.domain.local_time import first_instant_at_or_after, grid_walls, instants_for_wall

LONDON = ZoneInfo("Europe/London")
SPRING_FORWARD = date(2026, 3, 29)
FALL_BACK = date(2026, 10, 25)


def test_an_ordinary_wall_time_maps_to_its_single_instant() -> None:
    assert first_instant_at_or_after(date(2026, 5, 5), time(10), LONDON) == datetime(
        2026, 5, 5, 9, tzinfo=UTC
    )
    assert instants_for_wall(date(2026, 1, 6), time(10), LONDON) == (datetime(2026, 1, 6, 10, tzinfo=UTC),)


def test_a_wall_time_skipped_by_the_clocks_resolves_to_the_moment_of_the_jump() -> None:
    assert first_instant_at_or_after(SPRING_FORWARD, time(1, 30), LONDON) == datetime(
        2026, 3, 29, 1, tzinfo=UTC
    )


def test_a_wall_time_skipped_by_the_clocks_never_happens() -> None:
    assert instants_for_wall(SPRING_FORWARD, time(1, 30), LONDON) == ()


def test_a_repeated_wall_time_happens_twice_and_resolves_to_the_first() -> None:
    assert instants_for_wall(FALL_BACK, time(1, 30), LONDON) == (
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    )
    assert first_instant_at_or_after(FALL_BACK, time(1, 30), LONDON) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_a_gap_in_a_zone_that_jumps_half_an_hour_is_resolved_too() -> None:
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    # Lord Howe moves from +10:30 to +11:00 at 02:00 local on 2026-10-04.
    assert instants_for_wall(date(2026, 10, 4), time(2, 15), lord_howe) == ()
    assert first_instant_at_or_after(date(2026, 10, 4), time(2, 15), lord_howe) == datetime(
        2026, 10, 3, 15, 30, tzinfo=UTC
    )


def test_grid_starts_are_anchored_to_midnight_not_to_the_working_start() -> None:
    assert grid_walls(start=time(10, 15), end=time(12), step_minutes=30) == (
        time(10, 30),
        time(11),
        time(11, 30),
    )
    assert grid_walls(start=time(9), end=time(12), step_minutes=60) == (time(9), time(10), time(11))

"""Slot suggestion rules, in May 2026 when London is on BST (10:00 local is 09:00 UTC)."""

from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from inkline_calendar.domain.availability import (
    Availability,
    SizeCategory,
    TourLeg,
    WeeklyHours,
    WorkingInterval,
)
from inkline_calendar.domain.intervals import UtcInterval
from inkline_calendar.domain.slots import CityDates, DayPart, Preferences, Slot, SlotSuggestion, suggest_slots

LONDON = ZoneInfo("Europe/London")
MONDAY_MORNING = datetime(2026, 5, 4, 8, tzinfo=UTC)
BERLIN_LEG = TourLeg("Berlin", "DE", date(2026, 5, 12), date(2026, 5, 16), timezone="Europe/Berlin")


def local(day: int, hour: int, minute: int = 0, *, month: int = 5) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def busy_local(day: int, start: tuple[int, int], end: tuple[int, int]) -> UtcInterval:
    return UtcInterval(local(day, *start), local(day, *end))


def suggest(
    artist: Availability,
    *,
    city: str = "London",
    country_code: str | None = "GB",
    size: SizeCategory = SizeCategory.SMALL,
    preferences: Preferences | None = None,
    busy: tuple[UtcInterval, ...] = (),
    now: datetime = MONDAY_MORNING,
    count: int = 5,
) -> SlotSuggestion:
    return suggest_slots(
        availability=artist,
        city=city,
        country_code=country_code,
        size_category=size,
        preferences=preferences or Preferences(),
        busy=busy,
        now=now,
        count=count,
    )


def local_starts(result: SlotSuggestion) -> list[datetime]:
    return [slot.start_utc.astimezone(LONDON).replace(tzinfo=None) for slot in result.slots]


def test_five_slots_fall_on_the_five_earliest_working_days_one_per_day(london_artist: Availability) -> None:
    result = suggest(london_artist)
    assert result.slots == tuple(
        Slot(datetime(2026, 5, day, 9, tzinfo=UTC), datetime(2026, 5, day, 11, tzinfo=UTC), "London", "GB")
        for day in (5, 6, 7, 8, 9)
    )
    assert result.preference_met
    assert result.alternatives == ()


def test_session_length_follows_the_size_category(london_artist: Availability) -> None:
    result = suggest(london_artist, size=SizeCategory.LARGE, count=1)
    assert result.slots[0].end_utc - result.slots[0].start_utc == local(5, 16) - local(5, 10)


def test_the_city_is_matched_regardless_of_case_and_country_may_be_omitted(
    london_artist: Availability,
) -> None:
    result = suggest(london_artist, city="lONDON", country_code=None, count=1)
    assert local_starts(result) == [datetime(2026, 5, 5, 10)]


def test_a_busy_block_pushes_the_slot_past_it_plus_the_buffer(london_artist: Availability) -> None:
    artist = replace(london_artist, buffer_minutes=30)
    result = suggest(artist, busy=(busy_local(5, (10, 0), (11, 45)),), count=1)
    # Free from 12:15; the next start on the half-hour grid is 12:30.
    assert local_starts(result) == [datetime(2026, 5, 5, 12, 30)]


def test_the_buffer_is_kept_before_a_busy_block_too(london_artist: Availability) -> None:
    artist = replace(london_artist, buffer_minutes=30)
    result = suggest(artist, busy=(busy_local(5, (12, 0), (13, 0)),), count=1)
    # 10:00-12:00 would end right where the busy block starts, leaving no buffer.
    assert local_starts(result) == [datetime(2026, 5, 5, 13, 30)]


def test_without_a_buffer_sessions_may_touch_busy_blocks(london_artist: Availability) -> None:
    result = suggest(london_artist, busy=(busy_local(5, (12, 0), (13, 0)),), count=1)
    assert local_starts(result) == [datetime(2026, 5, 5, 10)]


def test_overlapping_busy_blocks_from_different_sources_are_all_respected(
    london_artist: Availability,
) -> None:
    google = busy_local(5, (10, 0), (12, 0))
    hold = busy_local(5, (11, 0), (14, 0))
    booking = busy_local(5, (11, 30), (12, 30))
    result = suggest(london_artist, busy=(booking, google, hold), count=1)
    assert local_starts(result) == [datetime(2026, 5, 5, 14)]


def test_a_fully_busy_day_is_skipped(london_artist: Availability) -> None:
    result = suggest(london_artist, busy=(busy_local(5, (9, 0), (19, 0)),), count=2)
    assert local_starts(result) == [datetime(2026, 5, 6, 10), datetime(2026, 5, 7, 10)]


def test_a_busy_block_spanning_several_days_blocks_all_of_them(london_artist: Availability) -> None:
    away = UtcInterval(local(5, 0), local(8, 0))
    result = suggest(london_artist, busy=(away,), count=2)
    assert local_starts(result) == [datetime(2026, 5, 8, 10), datetime(2026, 5, 9, 10)]


def test_nothing_starts_before_the_minimum_notice_and_starts_stay_on_the_grid(
    london_artist: Availability,
) -> None:
    artist = replace(london_artist, minimum_notice_hours=26)
    result = suggest(artist, now=datetime(2026, 5, 4, 8, 10, tzinfo=UTC), count=2)
    # Notice runs out at 11:10 local on Tuesday.
    assert local_starts(result) == [datetime(2026, 5, 5, 11, 30), datetime(2026, 5, 6, 10)]


def test_a_request_during_a_working_day_can_still_be_offered_that_day(london_artist: Availability) -> None:
    result = suggest(london_artist, now=local(5, 12, 5), count=1)
    assert local_starts(result) == [datetime(2026, 5, 5, 12, 30)]


def test_nothing_is_offered_beyond_the_booking_horizon(london_artist: Availability) -> None:
    artist = replace(london_artist, horizon_days=3)
    result = suggest(artist)
    # The horizon ends Thursday 09:00 local, before Thursday's 10:00 start.
    assert local_starts(result) == [datetime(2026, 5, 5, 10), datetime(2026, 5, 6, 10)]


def test_blackout_dates_are_skipped(london_artist: Availability) -> None:
    artist = replace(london_artist, blackout_dates=frozenset({date(2026, 5, 6)}))
    result = suggest(artist)
    assert [start.date() for start in local_starts(result)] == [
        date(2026, 5, 5),
        date(2026, 5, 7),
        date(2026, 5, 8),
        date(2026, 5, 9),
        date(2026, 5, 12),
    ]


def test_an_artist_closed_on_public_holidays_is_not_offered_christmas_or_boxing_day(
    london_artist: Availability,
) -> None:
    before_christmas = datetime(2026, 12, 21, 8, tzinfo=UTC)  # a Monday; Christmas Day is the Friday
    closed = suggest(replace(london_artist, closed_on_public_holidays=True), now=before_christmas)
    open_all_year = suggest(london_artist, now=before_christmas)

    assert [start.date() for start in local_starts(closed)] == [
        date(2026, 12, 22),
        date(2026, 12, 23),
        date(2026, 12, 24),
        date(2026, 12, 29),
        date(2026, 12, 30),
    ]
    assert date(2026, 12, 25) in [start.date() for start in local_starts(open_all_year)]


def test_on_tour_the_holidays_are_the_tour_countrys(london_artist: Availability) -> None:
    # German Unity Day, Saturday 3 October 2026, is a holiday in Berlin and not in London.
    leg = TourLeg("Berlin", "DE", date(2026, 10, 1), date(2026, 10, 3), timezone="Europe/Berlin")
    artist = replace(london_artist, tour_legs=(leg,), closed_on_public_holidays=True)

    result = suggest(artist, city="Berlin", country_code="DE", now=datetime(2026, 9, 28, 8, tzinfo=UTC))

    assert [slot.start_utc.date() for slot in result.slots] == [date(2026, 10, 1), date(2026, 10, 2)]


def test_a_session_can_use_the_second_working_interval_of_a_split_day(london_artist: Availability) -> None:
    split = (WorkingInterval(time(10), time(13)), WorkingInterval(time(14), time(18)))
    artist = replace(london_artist, working_hours=WeeklyHours(saturday=split))
    result = suggest(artist, busy=(busy_local(9, (10, 0), (12, 30)),), count=1)
    assert local_starts(result) == [datetime(2026, 5, 9, 14)]


def test_a_full_day_session_takes_the_whole_working_interval(london_artist: Availability) -> None:
    result = suggest(london_artist, size=SizeCategory.FULL_DAY, count=1)
    assert (result.slots[0].start_utc, result.slots[0].end_utc) == (local(5, 10), local(5, 18))


def test_a_full_day_needs_an_interval_at_least_as_long_as_its_configured_minimum(
    london_artist: Availability,
) -> None:
    split = (WorkingInterval(time(10), time(13)), WorkingInterval(time(14), time(18)))
    artist = replace(london_artist, working_hours=replace(london_artist.working_hours, saturday=split))
    result = suggest(artist, size=SizeCategory.FULL_DAY, now=local(8, 20), count=2)
    assert local_starts(result) == [datetime(2026, 5, 12, 10), datetime(2026, 5, 13, 10)]


def test_any_busy_time_inside_the_day_rules_out_a_full_day(london_artist: Availability) -> None:
    result = suggest(
        london_artist, size=SizeCategory.FULL_DAY, busy=(busy_local(5, (15, 0), (16, 0)),), count=1
    )
    assert local_starts(result) == [datetime(2026, 5, 6, 10)]


def test_a_preferred_day_part_picks_the_first_start_in_it(london_artist: Availability) -> None:
    preferences = Preferences(day_parts=frozenset({DayPart.AFTERNOON}))
    result = suggest(london_artist, preferences=preferences, count=2)
    assert local_starts(result) == [datetime(2026, 5, 5, 12), datetime(2026, 5, 6, 12)]
    assert result.preference_met


def test_preferred_windows_keep_only_slots_that_fit_inside_them(london_artist: Availability) -> None:
    thursday_afternoon = UtcInterval(local(7, 14), local(7, 18))
    all_saturday = UtcInterval(local(9, 0), local(10, 0))
    result = suggest(london_artist, preferences=Preferences(windows=(thursday_afternoon, all_saturday)))
    assert local_starts(result) == [datetime(2026, 5, 7, 14), datetime(2026, 5, 9, 10)]
    assert result.preference_met


def test_unmeetable_preferences_fall_back_to_any_time_and_say_so(london_artist: Availability) -> None:
    evenings = Preferences(day_parts=frozenset({DayPart.EVENING}))
    result = suggest(london_artist, preferences=evenings, count=2)
    # Hours end at 18:00, so a two-hour session can never start in the evening.
    assert local_starts(result) == [datetime(2026, 5, 5, 10), datetime(2026, 5, 6, 10)]
    assert not result.preference_met


def test_on_tour_slots_are_on_tour_days_at_the_local_hours_of_the_tour_city(
    london_artist: Availability,
) -> None:
    artist = replace(london_artist, tour_legs=(BERLIN_LEG,))
    result = suggest(artist, city="berlin", country_code="de", count=6)
    # 10:00 in Berlin (CEST) is 08:00 UTC; the leg has five days, so only five slots.
    assert result.slots == tuple(
        Slot(datetime(2026, 5, day, 8, tzinfo=UTC), datetime(2026, 5, day, 10, tzinfo=UTC), "Berlin", "DE")
        for day in (12, 13, 14, 15, 16)
    )


def test_home_city_slots_skip_the_days_the_artist_is_on_tour(london_artist: Availability) -> None:
    artist = replace(london_artist, tour_legs=(BERLIN_LEG,))
    result = suggest(artist, now=local(8, 20), count=3)
    assert [start.date() for start in local_starts(result)] == [
        date(2026, 5, 9),
        date(2026, 5, 19),
        date(2026, 5, 20),
    ]


def test_a_new_york_leg_works_new_york_hours(london_artist: Availability) -> None:
    new_york = TourLeg("New York", "US", date(2026, 9, 15), date(2026, 9, 19), timezone="America/New_York")
    artist = replace(london_artist, tour_legs=(new_york,), horizon_days=180)
    result = suggest(artist, city="New York", country_code="US", count=1)
    assert result.slots == (
        Slot(
            datetime(2026, 9, 15, 14, tzinfo=UTC),
            datetime(2026, 9, 15, 16, tzinfo=UTC),
            "New York",
            "US",
        ),
    )


def test_a_city_the_artist_never_visits_gets_the_places_and_dates_that_are_free(
    london_artist: Availability,
) -> None:
    artist = replace(london_artist, tour_legs=(BERLIN_LEG,), horizon_days=14)
    result = suggest(artist, city="Paris", country_code="FR", count=3)
    assert result.slots == ()
    # The home stay after the leg (Sunday 17th, Monday 18th) has no working hours, so it is left out.
    assert result.alternatives == (
        CityDates(
            "London",
            "GB",
            date(2026, 5, 4),
            date(2026, 5, 11),
            (date(2026, 5, 5), date(2026, 5, 6), date(2026, 5, 7)),
        ),
        CityDates(
            "Berlin",
            "DE",
            date(2026, 5, 12),
            date(2026, 5, 16),
            (date(2026, 5, 12), date(2026, 5, 13), date(2026, 5, 14)),
        ),
    )


def test_a_fully_booked_tour_city_points_to_the_home_city_instead(london_artist: Availability) -> None:
    artist = replace(london_artist, tour_legs=(BERLIN_LEG,), horizon_days=14)
    booked_out = UtcInterval(datetime(2026, 5, 11, 22, tzinfo=UTC), datetime(2026, 5, 16, 22, tzinfo=UTC))
    result = suggest(artist, city="Berlin", country_code="DE", busy=(booked_out,), count=2)
    assert result.slots == ()
    assert result.preference_met
    assert result.alternatives == (
        CityDates("London", "GB", date(2026, 5, 4), date(2026, 5, 11), (date(2026, 5, 5), date(2026, 5, 6))),
    )


def test_alternatives_are_empty_when_the_artist_is_free_nowhere(london_artist: Availability) -> None:
    artist = replace(london_artist, horizon_days=7)
    everything = UtcInterval(datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC))
    result = suggest(artist, busy=(everything,))
    assert result == SlotSuggestion(slots=(), preference_met=True, alternatives=())


def test_asking_for_no_slots_is_a_caller_error(london_artist: Availability) -> None:
    with pytest.raises(ValueError, match="count must be at least 1, got 0"):
        suggest(london_artist, count=0)


def test_a_naive_now_is_refused(london_artist: Availability) -> None:
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        suggest(london_artist, now=datetime(2026, 5, 4, 8))

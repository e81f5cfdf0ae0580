from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from inkline_calendar.domain.availability import (
    Availability,
    AvailabilityError,
    SessionLengths,
    SizeCategory,
    TourLeg,
    WeeklyHours,
    WorkingInterval,
    normalise_place,
)

BERLIN = TourLeg("Berlin", "DE", date(2026, 6, 9), date(2026, 6, 13), timezone="Europe/Berlin")


def test_the_artist_is_in_the_home_city_on_days_without_a_tour_leg(london_artist: Availability) -> None:
    artist = replace(london_artist, tour_legs=(BERLIN,))
    assert artist.location_on(date(2026, 6, 8)) == ("London", "GB")
    assert artist.location_on(date(2026, 6, 14)) == ("London", "GB")


def test_a_tour_leg_covers_its_first_and_last_day_inclusive(london_artist: Availability) -> None:
    artist = replace(london_artist, tour_legs=(BERLIN,))
    assert artist.location_on(date(2026, 6, 9)) == ("Berlin", "DE")
    assert artist.location_on(date(2026, 6, 13)) == ("Berlin", "DE")


def test_working_hours_on_a_tour_leg_are_read_on_the_legs_clock(london_artist: Availability) -> None:
    home_clock_leg = TourLeg("Manchester", "GB", date(2026, 7, 1), date(2026, 7, 3))
    artist = replace(london_artist, tour_legs=(BERLIN, home_clock_leg))
    assert artist.zone_on(date(2026, 6, 10)) == ZoneInfo("Europe/Berlin")
    assert artist.zone_on(date(2026, 7, 2)) == ZoneInfo("Europe/London")
    assert artist.zone_on(date(2026, 6, 20)) == ZoneInfo("Europe/London")


def test_a_session_reads_on_the_clock_of_the_city_it_is_in(london_artist: Availability) -> None:
    artist = replace(london_artist, tour_legs=(BERLIN,))
    assert artist.zone_at(datetime(2026, 6, 10, 9, tzinfo=UTC)) == ZoneInfo("Europe/Berlin")
    assert artist.zone_at(datetime(2026, 6, 20, 9, tzinfo=UTC)) == ZoneInfo("Europe/London")


def test_the_country_of_a_city_is_known_only_where_the_artist_works_that_day(
    london_artist: Availability,
) -> None:
    artist = replace(london_artist, tour_legs=(BERLIN,))
    assert artist.country_of(city="berlin", day=date(2026, 6, 10)) == "DE"
    assert artist.country_of(city="London", day=date(2026, 6, 20)) == "GB"
    assert artist.country_of(city="Berlin", day=date(2026, 6, 20)) is None


def test_city_matching_ignores_case_accents_and_surrounding_spaces(london_artist: Availability) -> None:
    zurich = TourLeg("Zürich", "CH", date(2026, 8, 1), date(2026, 8, 2))
    artist = replace(london_artist, tour_legs=(zurich,))
    assert artist.is_in(day=date(2026, 5, 5), city=" london ", country_code="gb")
    assert artist.is_in(day=date(2026, 8, 1), city="ZURICH", country_code=None)
    assert not artist.is_in(day=date(2026, 8, 1), city="Zurich", country_code="DE")
    assert normalise_place("München") == "munchen"


def test_tour_legs_are_kept_in_date_order(london_artist: Availability) -> None:
    new_york = TourLeg("New York", "US", date(2026, 9, 15), date(2026, 9, 19))
    artist = replace(london_artist, tour_legs=(new_york, BERLIN))
    assert [leg.city for leg in artist.tour_legs] == ["Berlin", "New York"]


def test_overlapping_tour_legs_are_rejected_naming_both(london_artist: Availability) -> None:
    hamburg = TourLeg("Hamburg", "DE", date(2026, 6, 13), date(2026, 6, 15))
    with pytest.raises(AvailabilityError, match=r"tour legs overlap: Berlin .* and Hamburg"):
        replace(london_artist, tour_legs=(BERLIN, hamburg))


def test_a_tour_leg_ending_before_it_starts_is_rejected() -> None:
    with pytest.raises(AvailabilityError, match="Paris ends on 2026-05-01 before it starts on 2026-05-03"):
        TourLeg("Paris", "FR", date(2026, 5, 3), date(2026, 5, 1))


def test_working_hours_ending_before_they_start_are_rejected() -> None:
    with pytest.raises(AvailabilityError, match="end 09:00 must be after start 17:00"):
        WorkingInterval(time(17), time(9))


def test_overlapping_working_hours_on_one_day_are_rejected() -> None:
    with pytest.raises(AvailabilityError, match="friday working hours overlap: 10:00-14:00 and 13:00-18:00"):
        WeeklyHours(
            friday=(WorkingInterval(time(13), time(18)), WorkingInterval(time(10), time(14))),
        )


def test_working_hours_must_be_whole_minutes() -> None:
    with pytest.raises(AvailabilityError, match="whole minute"):
        WorkingInterval(time(10, 0, 30), time(18))


def test_a_day_may_have_several_working_intervals_kept_in_order() -> None:
    hours = WeeklyHours(saturday=(WorkingInterval(time(14), time(18)), WorkingInterval(time(10), time(13))))
    assert [interval.start for interval in hours.on(5)] == [time(10), time(14)]
    assert hours.on(0) == ()


def test_an_unknown_timezone_is_rejected(london_artist: Availability) -> None:
    with pytest.raises(AvailabilityError, match="unknown timezone 'Europe/Londn'"):
        replace(london_artist, timezone="Europe/Londn")


def test_a_tour_leg_in_an_unknown_timezone_is_rejected() -> None:
    with pytest.raises(AvailabilityError, match="unknown timezone 'Mars/Olympus' for tour leg Olympus"):
        TourLeg("Olympus", "MA", date(2026, 5, 1), date(2026, 5, 2), timezone="Mars/Olympus")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"buffer_minutes": -15}, "buffer minutes must not be negative, got -15"),
        ({"minimum_notice_hours": -1}, "minimum notice hours must not be negative, got -1"),
        ({"horizon_days": 0}, "booking horizon must be at least one day, got 0"),
        ({"slot_step_minutes": 7}, "slot step must be a positive number of minutes dividing a day, got 7"),
        ({"home_country_code": "gbr"}, "home country code must be two upper-case letters"),
        ({"home_city": "  "}, "home city must not be empty"),
    ],
)
def test_invalid_rule_values_are_rejected_with_a_clear_message(
    london_artist: Availability, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(AvailabilityError, match=message):
        replace(london_artist, **changes)


def test_session_lengths_must_be_positive() -> None:
    with pytest.raises(AvailabilityError, match="session length for medium must be positive, got 0"):
        SessionLengths(small=60, medium=0, large=300, full_day=420)


def test_session_lengths_are_looked_up_by_size_category() -> None:
    lengths = SessionLengths(small=60, medium=180, large=300, full_day=420)
    assert [lengths.minutes_for(category) for category in SizeCategory] == [60, 180, 300, 420]


def test_blackout_dates_have_no_working_hours(london_artist: Availability) -> None:
    artist = replace(london_artist, blackout_dates=frozenset({date(2026, 12, 25)}))
    assert artist.working_intervals_on(date(2026, 12, 25)) == ()
    assert artist.working_intervals_on(date(2026, 12, 24)) == (WorkingInterval(time(10), time(18)),)

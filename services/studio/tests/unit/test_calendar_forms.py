"""The Calendar screen's forms: what the artist types becomes what the calendar takes, or a plain reason."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from inkline_studio.domain.calendar_forms import (
    FormError,
    move_start_of,
    timezone_of,
    tour_leg_of,
    working_hours_of,
)


def test_hours_as_the_week_prints_them_are_read_back_and_an_empty_day_is_a_day_off() -> None:
    week = working_hours_of({"hours_monday": "14:00–18:00, 9:30 - 13:00", "hours_tuesday": " "})  # noqa: RUF001

    assert week["monday"] == ["09:30-13:00", "14:00-18:00"]
    assert week["tuesday"] == []
    assert week["sunday"] == []


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("10-18", "Friday: write hours like 10:00-18:00, or leave it empty for a day off."),
        ("18:00-10:00", "Friday: the end time must be after the start time."),
        ("10:00-14:00, 13:00-18:00", "Friday: those hours overlap."),
        ("25:00-26:00", "Friday: 25:00-26:00 is not a time of day."),
    ],
)
def test_hours_the_calendar_would_refuse_get_a_plain_reason(typed: str, reason: str) -> None:
    with pytest.raises(FormError) as refused:
        working_hours_of({"hours_friday": typed})

    assert str(refused.value) == reason


def test_only_a_real_timezone_is_taken() -> None:
    assert timezone_of({"timezone": "Europe/Lisbon"}) == "Europe/Lisbon"
    with pytest.raises(FormError):
        timezone_of({"timezone": "Mars/Olympus"})


def test_a_tour_leg_needs_a_city_a_country_code_and_days_in_order() -> None:
    leg = tour_leg_of(
        {"city": " Berlin ", "country": "de", "first_day": "2027-03-16", "last_day": "2027-03-18"}
    )

    assert (leg.city, leg.country_code, leg.first_day, leg.last_day) == (
        "Berlin",
        "DE",
        date(2027, 3, 16),
        date(2027, 3, 18),
    )
    with pytest.raises(FormError, match="two-letter code"):
        tour_leg_of(
            {"city": "Berlin", "country": "Germany", "first_day": "2027-03-16", "last_day": "2027-03-18"}
        )
    with pytest.raises(FormError, match="can't be before"):
        tour_leg_of({"city": "Berlin", "country": "DE", "first_day": "2027-03-18", "last_day": "2027-03-16"})


def test_the_day_and_time_picked_for_a_move_are_the_artists_local_time() -> None:
    start = move_start_of({"day": "2027-07-01", "time": "10:30"}, timezone="Europe/London")

    assert start.astimezone(UTC) == datetime(2027, 7, 1, 9, 30, tzinfo=UTC)
    with pytest.raises(FormError):
        move_start_of({"day": "", "time": "10:30"}, timezone="Europe/London")

"""A campaign's start time on the artist's clock, and a template's words with their blanks named."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from inkline_studio.domain.campaign_schedule import ScheduleError, artist_zone, start_at, suggested, when
from inkline_studio.domain.template_blanks import readable_body

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def test_a_typed_time_is_read_on_the_artists_clock() -> None:
    assert start_at("2027-03-11T10:00", BERLIN, now=NOW) == datetime(2027, 3, 11, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("", "Choose a day and a time."), ("tomorrow", "Choose a day and a time."),
     ("2027-03-10T12:30", "Choose a time later than now.")],
)  # fmt: skip
def test_a_time_that_cannot_be_scheduled_says_what_to_change(typed: str, problem: str) -> None:
    with pytest.raises(ScheduleError, match=problem):
        start_at(typed, BERLIN, now=NOW)


def test_the_start_reads_in_the_artists_words_and_an_unknown_zone_falls_back_to_utc() -> None:
    assert when(datetime(2027, 3, 11, 9, 0, tzinfo=UTC), BERLIN) == "Thu 11 Mar, 10:00 (Berlin time)"
    assert artist_zone("Not/AZone").key == "UTC"


def test_a_templates_blanks_read_as_what_goes_in_them() -> None:
    assert readable_body("Hi {{1}}, flash day in {{2}} {{3}}", ["first name", "city"]) == (
        "Hi [first name], flash day in [city] […]"
    )


def test_the_schedule_field_first_suggests_this_time_tomorrow_on_the_hour() -> None:
    assert suggested(datetime(2027, 3, 10, 12, 40, tzinfo=UTC), BERLIN) == "2027-03-11T13:00"

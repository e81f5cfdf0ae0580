import json
from datetime import date, time
from importlib.resources import files

import pytest
import yaml

from inkline_calendar.domain.availability import AvailabilityError, TourLeg, WorkingInterval
from inkline_calendar.domain.seed import availability_from_dict, dump_availability, load_availability

MINIMAL = """
timezone: Europe/London
home: {city: London, country_code: gb}
working_hours:
  tuesday: ["10:00-18:00"]
session_minutes: {small: 120, medium: 240, large: 360, full_day: 420}
"""


def example_seed() -> str:
    return files("inkline_calendar.domain").joinpath("data/availability.example.yaml").read_text()


def test_the_example_seed_describes_a_london_artist_working_tuesday_to_saturday() -> None:
    artist = load_availability(example_seed())
    assert (artist.timezone, artist.home_city, artist.home_country_code) == ("Europe/London", "London", "GB")
    assert [bool(artist.working_hours.on(weekday)) for weekday in range(7)] == [
        False,
        True,
        True,
        True,
        True,
        True,
        False,
    ]
    assert artist.working_hours.on(5) == (
        WorkingInterval(time(10), time(13)),
        WorkingInterval(time(14), time(18)),
    )


def test_the_example_seed_tours_berlin_and_new_york_on_their_local_clocks() -> None:
    artist = load_availability(example_seed())
    assert artist.tour_legs == (
        TourLeg("Berlin", "DE", date(2026, 6, 9), date(2026, 6, 13), timezone="Europe/Berlin"),
        TourLeg("New York", "US", date(2026, 9, 15), date(2026, 9, 19), timezone="America/New_York"),
    )
    assert date(2026, 12, 25) in artist.blackout_dates
    assert (artist.buffer_minutes, artist.minimum_notice_hours, artist.horizon_days) == (30, 48, 180)


def test_dumped_rules_survive_a_json_round_trip_unchanged() -> None:
    artist = load_availability(example_seed())
    stored = json.loads(json.dumps(dump_availability(artist)))
    assert availability_from_dict(stored) == artist


def test_dumped_rules_survive_a_yaml_round_trip_unchanged() -> None:
    artist = load_availability(example_seed())
    assert load_availability(yaml.safe_dump(dump_availability(artist))) == artist


def test_the_dump_is_plain_json_data_with_every_weekday_listed() -> None:
    dumped = dump_availability(load_availability(MINIMAL))
    assert dumped["working_hours"] == {
        "monday": [],
        "tuesday": ["10:00-18:00"],
        "wednesday": [],
        "thursday": [],
        "friday": [],
        "saturday": [],
        "sunday": [],
    }
    assert dumped["home"] == {"city": "London", "country_code": "GB"}
    assert dumped["blackout_dates"] == []
    assert dumped["tour_legs"] == []


def test_optional_rules_take_their_documented_defaults() -> None:
    artist = load_availability(MINIMAL)
    assert (artist.buffer_minutes, artist.minimum_notice_hours, artist.horizon_days) == (0, 0, 90)
    assert artist.slot_step_minutes == 30
    assert artist.tour_legs == ()
    assert artist.closed_on_public_holidays is False


def test_closed_on_public_holidays_is_read_from_the_seed_and_kept_in_the_dump() -> None:
    artist = load_availability(MINIMAL + "closed_on_public_holidays: true\n")

    assert artist.closed_on_public_holidays is True
    assert dump_availability(artist)["closed_on_public_holidays"] is True


def test_a_tour_leg_without_a_timezone_is_dumped_without_one() -> None:
    seed = (
        MINIMAL
        + "tour_legs: [{city: Leeds, country_code: GB, first_day: 2026-07-01, last_day: 2026-07-02}]\n"
    )
    artist = load_availability(seed)
    assert artist.tour_legs[0].timezone is None
    assert dump_availability(artist)["tour_legs"] == [
        {"city": "Leeds", "country_code": "GB", "first_day": "2026-07-01", "last_day": "2026-07-02"}
    ]


def test_a_weekday_with_no_value_is_a_day_off() -> None:
    artist = load_availability(
        MINIMAL.replace('tuesday: ["10:00-18:00"]', 'tuesday: ["10:00-18:00"]\n  monday:')
    )
    assert artist.working_hours.on(0) == ()


def test_unquoted_times_are_refused_because_yaml_reads_them_as_numbers() -> None:
    # YAML 1.1 reads 10:00 as the sexagesimal integer 600.
    seed = MINIMAL.replace('["10:00-18:00"]', "[10:00]")
    with pytest.raises(
        AvailabilityError, match=r"working_hours.tuesday\[0\]: write working hours as a quoted"
    ):
        load_availability(seed)


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        (MINIMAL.replace("tuesday", "wendesday"), "working_hours: unknown key"),
        (MINIMAL + "holidays: []\n", r"availability: unknown key\(s\) holidays"),
        (MINIMAL.replace("timezone: Europe/London\n", ""), "availability: missing timezone"),
        (MINIMAL.replace("large: 360, ", ""), "session_minutes: missing large"),
        (MINIMAL.replace('"10:00-18:00"', '"10:00 to 18:00"'), 'expected "HH:MM-HH:MM"'),
        (MINIMAL.replace('"10:00-18:00"', '"10:00-25:00"'), "is not a valid time range"),
        (MINIMAL.replace('"10:00-18:00"', '"18:00-10:00"'), r"tuesday\[0\]: working hours end 10:00"),
        (MINIMAL + "blackout_dates: ['2026-13-01']\n", r"blackout_dates\[0\]: expected an ISO date"),
        (MINIMAL + "blackout_dates: [2026-13-01]\n", "not valid YAML: month must be in 1..12"),
        (MINIMAL + "blackout_dates: [2026-05-01 10:00:00]\n", "expected a date without a time"),
        (MINIMAL + "buffer_minutes: half an hour\n", "buffer_minutes: expected a whole number"),
        (MINIMAL + "buffer_minutes: true\n", "buffer_minutes: expected a whole number"),
        (MINIMAL + "closed_on_public_holidays: yes please\n", "closed_on_public_holidays: expected true or"),
        (MINIMAL + "tour_legs: {city: Paris}\n", "tour_legs: expected a list"),
        ("- just\n- a list\n", "availability: expected a mapping"),
        ("timezone: [unclosed\n", "not valid YAML"),
    ],
)
def test_malformed_seeds_are_rejected_pointing_at_the_problem(seed: str, message: str) -> None:
    with pytest.raises(AvailabilityError, match=message):
        load_availability(seed)


def test_rule_violations_in_a_seed_surface_the_domain_message() -> None:
    seed = MINIMAL + (
        "tour_legs:\n"
        "  - {city: Paris, country_code: FR, first_day: 2026-05-01, last_day: 2026-05-04}\n"
        "  - {city: Lyon, country_code: FR, first_day: 2026-05-04, last_day: 2026-05-06}\n"
    )
    with pytest.raises(
        AvailabilityError, match=r"tour legs overlap: Paris 2026-05-01\.\.2026-05-04 and Lyon"
    ):
        load_availability(seed)


def test_lower_case_country_codes_in_a_seed_are_normalised() -> None:
    assert load_availability(MINIMAL).home_country_code == "GB"

"""Europe/London clock changes: 2026-03-29 01:00 UTC (forward) and 2026-10-25 01:00 UTC (back)."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from inkline_calendar.domain.availability import Availability, SizeCategory, WeeklyHours, WorkingInterval
from inkline_calendar.domain.intervals import UtcInterval
from inkline_calendar.domain.slots import Preferences, SlotSuggestion, suggest_slots

LONDON = ZoneInfo("Europe/London")


def suggest(
    artist: Availability,
    *,
    size: SizeCategory,
    now: datetime,
    busy: tuple[UtcInterval, ...] = (),
    count: int = 5,
) -> SlotSuggestion:
    return suggest_slots(
        availability=artist,
        city="London",
        country_code="GB",
        size_category=size,
        preferences=Preferences(),
        busy=busy,
        now=now,
        count=count,
    )


def test_a_ten_to_six_day_stays_ten_to_six_local_across_the_spring_clock_change(
    london_artist: Availability,
) -> None:
    monday_before = datetime(2026, 3, 23, 8, tzinfo=UTC)
    result = suggest(london_artist, size=SizeCategory.SMALL, now=monday_before, count=7)
    assert [slot.start_utc for slot in result.slots] == [
        datetime(2026, 3, 24, 10, tzinfo=UTC),
        datetime(2026, 3, 25, 10, tzinfo=UTC),
        datetime(2026, 3, 26, 10, tzinfo=UTC),
        datetime(2026, 3, 27, 10, tzinfo=UTC),
        datetime(2026, 3, 28, 10, tzinfo=UTC),
        datetime(2026, 3, 31, 9, tzinfo=UTC),
        datetime(2026, 4, 1, 9, tzinfo=UTC),
    ]
    assert {slot.start_utc.astimezone(LONDON).time() for slot in result.slots} == {time(10)}


def test_full_day_sessions_last_eight_real_hours_either_side_of_the_spring_change(
    london_artist: Availability,
) -> None:
    result = suggest(
        london_artist, size=SizeCategory.FULL_DAY, now=datetime(2026, 3, 27, 20, tzinfo=UTC), count=2
    )
    assert [(slot.start_utc, slot.end_utc) for slot in result.slots] == [
        (datetime(2026, 3, 28, 10, tzinfo=UTC), datetime(2026, 3, 28, 18, tzinfo=UTC)),
        (datetime(2026, 3, 31, 9, tzinfo=UTC), datetime(2026, 3, 31, 17, tzinfo=UTC)),
    ]


def test_a_ten_oclock_start_moves_from_nine_to_ten_utc_when_the_clocks_go_back(
    london_artist: Availability,
) -> None:
    result = suggest(
        london_artist, size=SizeCategory.MEDIUM, now=datetime(2026, 10, 23, 20, tzinfo=UTC), count=2
    )
    assert [(slot.start_utc, slot.end_utc) for slot in result.slots] == [
        (datetime(2026, 10, 24, 9, tzinfo=UTC), datetime(2026, 10, 24, 13, tzinfo=UTC)),
        (datetime(2026, 10, 27, 10, tzinfo=UTC), datetime(2026, 10, 27, 14, tzinfo=UTC)),
    ]


def night_owl(artist: Availability, interval: WorkingInterval) -> Availability:
    return replace(artist, working_hours=WeeklyHours(sunday=(interval,)))


def test_slots_skip_the_missing_hour_when_clocks_go_forward(london_artist: Availability) -> None:
    artist = night_owl(london_artist, WorkingInterval(time(0), time(4)))
    first_hour_taken = (
        UtcInterval(datetime(2026, 3, 29, 0, tzinfo=UTC), datetime(2026, 3, 29, 1, tzinfo=UTC)),
    )
    result = suggest(
        artist,
        size=SizeCategory.SMALL,
        now=datetime(2026, 3, 28, 12, tzinfo=UTC),
        busy=first_hour_taken,
        count=1,
    )
    # 01:00 and 01:30 never appear on the clock that night; the next start is 02:00 BST.
    [slot] = result.slots
    assert slot.start_utc == datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert slot.start_utc.astimezone(LONDON).time() == time(2)
    assert slot.end_utc.astimezone(LONDON).time() == time(4)


def test_a_four_hour_session_does_not_fit_the_three_real_hours_of_a_spring_forward_night(
    london_artist: Availability,
) -> None:
    artist = night_owl(london_artist, WorkingInterval(time(0), time(4)))
    result = suggest(artist, size=SizeCategory.MEDIUM, now=datetime(2026, 3, 21, 12, tzinfo=UTC), count=2)
    assert [slot.start_utc.astimezone(LONDON).date() for slot in result.slots] == [
        date(2026, 3, 22),
        date(2026, 4, 5),
    ]


def test_a_four_hour_session_fits_a_three_hour_wall_clock_night_when_the_clocks_go_back(
    london_artist: Availability,
) -> None:
    artist = night_owl(london_artist, WorkingInterval(time(0), time(3)))
    result = suggest(artist, size=SizeCategory.MEDIUM, now=datetime(2026, 10, 17, 12, tzinfo=UTC), count=1)
    [slot] = result.slots
    assert slot.start_utc == datetime(2026, 10, 24, 23, tzinfo=UTC)
    assert slot.end_utc - slot.start_utc == timedelta(hours=4)
    assert slot.end_utc.astimezone(LONDON).time() == time(3)


def test_the_repeated_hour_offers_its_first_occurrence_before_its_second(london_artist: Availability) -> None:
    artist = night_owl(london_artist, WorkingInterval(time(1), time(3)))
    first_pass_taken = (
        UtcInterval(datetime(2026, 10, 25, 0, tzinfo=UTC), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
    )
    small_hour = replace(artist, session_minutes=replace(artist.session_minutes, small=30))
    result = suggest(
        small_hour,
        size=SizeCategory.SMALL,
        now=datetime(2026, 10, 24, 12, tzinfo=UTC),
        busy=first_pass_taken,
        count=1,
    )
    # 01:30 BST is 00:30 UTC; the second 01:00 (GMT) at 01:00 UTC is later still.
    [slot] = result.slots
    assert slot.start_utc == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert slot.start_utc.astimezone(LONDON).time() == time(1, 30)

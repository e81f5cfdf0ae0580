from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from inkline_conversation.domain.parsing import ParseFailure
from inkline_conversation.domain.parsing.calendar_words import DayPart
from inkline_conversation.domain.parsing.windows import TimeWindow, parse_windows

LONDON = ZoneInfo("Europe/London")
# A Tuesday mid-April, so "March" and "January" are in the past and must roll to next year.
NOW = datetime(2025, 4, 15, 10, 30, tzinfo=LONDON)


def windows(text: str, *, now: datetime = NOW) -> list[TimeWindow]:
    result = parse_windows(text, now=now, tz=LONDON)
    assert isinstance(result, list), result
    return result


def day(year: int, month: int, day_number: int) -> datetime:
    return datetime(year, month, day_number, tzinfo=LONDON)


def test_weekday_evenings_in_a_past_month_roll_to_next_year_mon_to_fri_only() -> None:
    result = windows("weekday evenings in March")

    assert result[0] == TimeWindow(
        start=day(2026, 3, 2), end=day(2026, 3, 7), day_parts=frozenset({DayPart.EVENING})
    )
    assert result[-1] == TimeWindow(
        start=day(2026, 3, 30), end=day(2026, 4, 1), day_parts=frozenset({DayPart.EVENING})
    )
    assert len(result) == 5
    assert all(window.start.weekday() < 5 for window in result)


def test_next_two_weeks_starts_now() -> None:
    assert windows("next two weeks") == [TimeWindow(start=NOW, end=day(2025, 4, 29))]


def test_weekends_in_june_are_saturday_to_monday_runs() -> None:
    result = windows("Weekends in June pls")

    assert result[0] == TimeWindow(start=day(2025, 6, 1), end=day(2025, 6, 2))
    assert result[1] == TimeWindow(start=day(2025, 6, 7), end=day(2025, 6, 9))
    assert all(window.start.weekday() in {5, 6} for window in result)
    assert len(result) == 5


@pytest.mark.parametrize(
    "text", ["asap", "ASAP!!", "any time", "anytime tbh", "Flexible 👍", "whenever suits"]
)
def test_open_ended_answers_cover_the_whole_horizon(text: str) -> None:
    assert windows(text) == [TimeWindow(start=NOW, end=day(2025, 7, 14))]


@pytest.mark.parametrize(
    "text",
    ["so bald wie möglich", "möglichst bald", "prima possibile", "al più presto", "le plus tôt possible",
     "assim que possível", "lo más pronto posible"],
)  # fmt: skip
def test_as_soon_as_possible_in_each_language_covers_the_whole_horizon(text: str) -> None:
    assert windows(text) == [TimeWindow(start=NOW, end=day(2025, 7, 14))]


def test_after_a_date_in_a_past_month_starts_the_next_day_next_year() -> None:
    assert windows("after the 10th of Jan") == [TimeWindow(start=day(2026, 1, 11), end=day(2026, 4, 11))]


def test_mornings_alone_keep_the_horizon_and_set_the_day_part() -> None:
    assert windows("mornings") == [
        TimeWindow(start=NOW, end=day(2025, 7, 14), day_parts=frozenset({DayPart.MORNING}))
    ]


def test_fri_or_sat_gives_weekly_friday_to_saturday_runs() -> None:
    result = windows("Fri or Sat")

    assert result[0] == TimeWindow(start=day(2025, 4, 18), end=day(2025, 4, 20))
    assert all(window.end - window.start == timedelta(days=2) for window in result)
    assert {window.start.weekday() for window in result} == {4}


def test_a_from_to_date_range_includes_the_last_day() -> None:
    assert windows("from 3rd may to 20th may") == [TimeWindow(start=day(2025, 5, 3), end=day(2025, 5, 21))]


def test_may_as_a_verb_is_not_a_month() -> None:
    assert parse_windows("I may be free", now=NOW, tz=LONDON) == ParseFailure(
        reason="no_dates", hint_key="repair.windows"
    )


def test_adjacent_months_merge_into_one_window() -> None:
    assert windows("June or July") == [TimeWindow(start=day(2025, 6, 1), end=day(2025, 8, 1))]


def test_the_current_month_starts_now_not_on_the_first() -> None:
    assert windows("sometime in april")[0].start == NOW


def test_after_5pm_means_evenings() -> None:
    assert windows("any weekday after 5pm")[0].day_parts == frozenset({DayPart.EVENING})


def test_next_week_is_monday_to_monday() -> None:
    assert windows("next week") == [TimeWindow(start=day(2025, 4, 21), end=day(2025, 4, 28))]


def test_windows_are_in_the_clients_timezone() -> None:
    sydney = ZoneInfo("Australia/Sydney")
    result = parse_windows("next week", now=NOW, tz=sydney)

    assert isinstance(result, list)
    assert result[0].start == datetime(2025, 4, 21, tzinfo=sydney)


@pytest.mark.parametrize("text", ["idk", "blah blah", "whatever my mum says"])
def test_answers_without_dates_fail(text: str) -> None:
    assert parse_windows(text, now=NOW, tz=LONDON) == ParseFailure(
        reason="no_dates", hint_key="repair.windows"
    )


def _days(found: list[TimeWindow]) -> set[datetime]:
    """Every local midnight a window touches."""
    days: set[datetime] = set()
    for window in found:
        current = window.start.replace(hour=0, minute=0, second=0, microsecond=0)
        while current < window.end:
            days.add(current)
            current += timedelta(days=1)
    return days


def test_a_range_of_days_in_a_month_is_those_days_only() -> None:
    found = windows("10-20 june")
    assert (found[0].start, found[-1].end) == (day(2025, 6, 10), day(2025, 6, 21))
    found = windows("between the 3rd and 10th of june")
    assert (found[0].start, found[-1].end) == (day(2025, 6, 3), day(2025, 6, 11))


def test_except_mondays_offers_every_other_day_and_never_a_monday() -> None:
    days = _days(windows("any day except mondays"))
    assert {d.weekday() for d in days} == {1, 2, 3, 4, 5, 6}


def test_a_month_ruled_out_is_cut_out_and_the_horizon_still_reaches_as_far() -> None:
    found = windows("any time but not in june")
    days = _days(found)
    assert not any(d.month == 6 for d in days)
    assert max(days) >= day(2025, 7, 14)


def test_a_holiday_range_is_cut_out_of_an_open_answer() -> None:
    days = _days(windows("I'm away 1-15 july, otherwise any day"))
    assert not any(day(2025, 7, 1) <= d <= day(2025, 7, 15) for d in days)
    assert day(2025, 7, 16) in days


def test_in_two_weeks_starts_two_weeks_out_and_stays_open() -> None:
    found = windows("in 2 weeks")
    assert found[0].start == day(2025, 4, 29)


def test_the_summer_is_june_to_august() -> None:
    found = windows("sometime in the summer")
    assert (found[0].start, found[-1].end) == (day(2025, 6, 1), day(2025, 9, 1))


def test_a_bare_hour_after_after_is_an_evening_not_a_date() -> None:
    found = windows("mon-fri after 5")
    assert found[0].day_parts == frozenset({DayPart.EVENING})
    assert {d.weekday() for d in _days(found)} == {0, 1, 2, 3, 4}


def test_six_pm_with_a_space_is_a_clock_time_not_the_afternoon() -> None:
    assert windows("weekdays after 6 pm")[0].day_parts == frozenset({DayPart.EVENING})


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("nächsten Monat", day(2025, 5, 1), day(2025, 6, 1)),
        ("el proximo mes", day(2025, 5, 1), day(2025, 6, 1)),
        ("juillet", day(2025, 7, 1), day(2025, 8, 1)),
        ("luglio, tranne la prima settimana", day(2025, 7, 8), day(2025, 8, 1)),
    ],
)
def test_availability_is_read_in_every_language(text: str, first: datetime, last: datetime) -> None:
    found = windows(text)
    assert (found[0].start, found[-1].end) == (first, last)


def test_from_a_month_in_another_language_is_open_from_its_first_day() -> None:
    for text in ("ab Juli", "só a partir de julho", "à partir de juillet"):
        assert windows(text)[0].start == day(2025, 7, 1), text


def test_weekday_evenings_in_spanish_and_french_are_weekday_evenings() -> None:
    for text in ("entre semana a partir de las 6 de la tarde", "en semaine après 18h"):
        found = windows(text)
        assert found[0].day_parts == frozenset({DayPart.EVENING}), text
        assert {d.weekday() for d in _days(found)} == {0, 1, 2, 3, 4}, text

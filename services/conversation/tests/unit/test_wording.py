from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from inkline_contracts.base import Money, TimeRange
from inkline_contracts.events.lead import TimeWindowPreference
from inkline_conversation.domain.copy import Copy
from inkline_conversation.domain.parsing.windows import TimeWindow, parse_windows
from inkline_conversation.journey.wording import format_budget, format_windows

LONDON = ZoneInfo("Europe/London")
THURSDAY_3_DEC = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
ENGLISH = Copy.for_language("en")


def _preferences(windows: list[TimeWindow]) -> list[TimeWindowPreference]:
    return [
        TimeWindowPreference(
            range=TimeRange(start=window.start, end=window.end),
            day_parts=sorted(part.value for part in window.day_parts),
        )
        for window in windows
    ]


def _parsed(text: str) -> list[TimeWindowPreference]:
    windows = parse_windows(text, now=THURSDAY_3_DEC, tz=LONDON)
    assert isinstance(windows, list)
    return _preferences(windows)


def test_weekdays_asap_reads_as_weekdays_not_as_runs_of_dates_that_take_in_saturdays() -> None:
    shown = format_windows(_parsed("weekdays, asap"), LONDON, ENGLISH)

    assert shown == "Weekdays, 3 Dec-2 Mar"


def test_a_windows_last_day_is_the_day_before_its_exclusive_end() -> None:
    windows = [
        TimeWindowPreference(
            range=TimeRange(
                start=datetime(2026, 12, 3, 10, tzinfo=UTC), end=datetime(2026, 12, 5, tzinfo=UTC)
            )
        ),
        TimeWindowPreference(
            range=TimeRange(start=datetime(2026, 12, 7, tzinfo=UTC), end=datetime(2026, 12, 12, tzinfo=UTC))
        ),
    ]

    assert format_windows(windows, LONDON, ENGLISH) == "3-4 Dec, 7-11 Dec"


def test_day_parts_follow_the_dates() -> None:
    assert format_windows(_parsed("weekday evenings"), LONDON, ENGLISH) == "Weekdays, 3 Dec-2 Mar (evening)"


def test_one_named_day_reads_as_that_day() -> None:
    assert format_windows(_parsed("the 10th of December"), LONDON, ENGLISH) == "10 Dec"


def test_an_artist_reading_spanish_sees_the_clients_dates_and_budget_written_in_spanish() -> None:
    spanish = Copy.for_language("es")
    low, high = Money(amount_minor=40000, currency="GBP"), Money(amount_minor=50000, currency="GBP")

    assert (
        format_windows(_parsed("weekday evenings"), LONDON, spanish)
        == "Entre semana, 3 dic\u2009\u2013\u20092 mar (noche)"
    )
    assert format_budget(low, high, spanish.formats) == "400\u00a0GBP-500\u00a0GBP"


def test_a_pattern_of_some_weekdays_names_them_in_the_readers_language() -> None:
    windows = _parsed("mondays and tuesdays in december")

    assert format_windows(windows, LONDON, ENGLISH).startswith("Mon/Tue, ")
    assert format_windows(windows, LONDON, Copy.for_language("de")).startswith("Mo./Di., ")

"""The scorer itself: each encoding of the corpus is judged the way its README defines it."""

from __future__ import annotations

from datetime import datetime, timedelta

from inkline_conversation.domain.field_answers import Skipped
from inkline_conversation.domain.parsing.budget import BudgetRange
from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.location import Location
from inkline_conversation.domain.parsing.placement import Placement
from inkline_conversation.domain.parsing.size import Size
from inkline_conversation.domain.parsing.windows import TimeWindow
from inkline_understanding.cases import context, load_cases
from inkline_understanding.readings import Verdict, judge_value
from inkline_understanding.windows_match import windows_match

FAILED = ParseFailure(reason="no_amount", hint_key="repair.budget")


def _days(first: str, last: str, *, weekdays: set[int] | None = None) -> tuple[TimeWindow, ...]:
    tz = context().tz
    day = datetime.fromisoformat(first).replace(tzinfo=tz)
    end = datetime.fromisoformat(last).replace(tzinfo=tz)
    windows = []
    while day <= end:
        if weekdays is None or day.weekday() in weekdays:
            windows.append(TimeWindow(start=day, end=day + timedelta(days=1)))
        day += timedelta(days=1)
    return tuple(windows)


def test_a_budget_in_the_wrong_currency_is_wrong_and_a_failed_parse_is_asked_again() -> None:
    assert judge_value("budget", BudgetRange(400000, 400000, "SEK"), "SEK 4000-4000") is Verdict.RIGHT
    assert judge_value("budget", BudgetRange(400000, 400000, "GBP"), "SEK 4000-4000") is Verdict.WRONG
    assert judge_value("budget", FAILED, "SEK 4000-4000") is Verdict.ASKED_AGAIN
    assert judge_value("budget", FAILED, "REPAIR") is Verdict.RIGHT


def test_any_of_several_expected_readings_is_right() -> None:
    expected = ["SEK 1000-1000", "DKK 1000-1000", "REPAIR"]
    assert judge_value("budget", BudgetRange(100000, 100000, "DKK"), expected) is Verdict.RIGHT
    assert judge_value("budget", FAILED, expected) is Verdict.RIGHT
    assert judge_value("budget", BudgetRange(100000, 100000, "GBP"), expected) is Verdict.WRONG


def test_a_placement_kept_only_as_free_text_is_not_read_right() -> None:
    assert (
        judge_value("placement", Placement("forearm", "left", "left forearm"), "forearm/left")
        is Verdict.RIGHT
    )
    assert judge_value("placement", Placement("forearm", None, "forearm"), "forearm/left") is Verdict.WRONG
    assert judge_value("placement", Placement(None, None, "antebrazo"), "forearm") is Verdict.WRONG


def test_sizes_compare_the_long_side_and_the_short_side_within_the_expected_bounds() -> None:
    assert judge_value("size", Size(15.0, 10.0), {"len": [15, 15], "wid": [10, 10]}) is Verdict.RIGHT
    assert judge_value("size", Size(10.0, 15.0), {"len": [15, 15], "wid": [10, 10]}) is Verdict.RIGHT
    assert judge_value("size", Size(10.16), {"len": [10, 10.3]}) is Verdict.RIGHT
    assert judge_value("size", Size(15.0), {"len": [15, 15], "wid": [10, 10]}) is Verdict.WRONG
    assert judge_value("size", Size(45.0, 20.0), "AREA") is Verdict.RIGHT
    assert judge_value("size", Size(10.0), "AREA") is Verdict.WRONG


def test_cities_match_any_spelling_and_need_the_right_country() -> None:
    assert judge_value("location", Location("Munich", "DE"), "Munich/München|DE") is Verdict.RIGHT
    assert judge_value("location", Location("Malaga", "ES"), "Málaga/Malaga|ES") is Verdict.RIGHT
    assert judge_value("location", Location("Birmingham", "GB"), "Birmingham|US") is Verdict.WRONG


def test_a_skipped_optional_answer_is_right_only_where_skipping_was_meant() -> None:
    assert judge_value("style", Skipped(), "SKIP") is Verdict.RIGHT
    assert judge_value("instagram", Skipped(), "@maria.tattoo") is Verdict.WRONG


def test_windows_need_the_first_and_last_day_within_tolerance() -> None:
    june = {"start": "2025-06-10", "end": "2025-06-20"}
    assert windows_match(_days("2025-06-10", "2025-06-20"), june)
    assert not windows_match(_days("2025-05-12", "2025-06-20"), june)  # "10-20 june" read from today
    assert windows_match(
        _days("2025-06-01", "2025-06-10"), {"start": "2025-06-02", "end": "2025-06-10", "tol": 1}
    )


def test_except_mondays_is_not_mondays_only() -> None:
    expected = {"start": "2025-05-12", "end": "open", "weekdays": [1, 2, 3, 4, 5, 6]}
    assert windows_match(_days("2025-05-13", "2025-08-10", weekdays={1, 2, 3, 4, 5, 6}), expected)
    assert not windows_match(_days("2025-05-12", "2025-08-10", weekdays={0}), expected)
    assert not windows_match(_days("2025-05-12", "2025-08-10"), expected)


def test_an_open_end_reaches_the_horizon_and_an_excluded_span_stays_empty() -> None:
    expected = {"start": "2025-05-12", "end": "open", "exclude": ["2025-07-01", "2025-07-15"]}
    with_holiday = _days("2025-05-12", "2025-06-30") + _days("2025-07-16", "2025-08-10")
    assert windows_match(with_holiday, expected)
    assert not windows_match(_days("2025-05-12", "2025-08-10"), expected)
    assert not windows_match(_days("2025-05-12", "2025-06-30"), {"start": "2025-05-12", "end": "open"})


def test_every_case_of_both_files_is_loaded_with_a_language() -> None:
    cases = load_cases()
    assert {case.source for case in cases} == {"cases.json", "multilingual.json", "own.json"}
    assert len(cases) >= 300
    assert {case.language for case in cases} == {"en", "es", "pt", "de", "fr", "it"}

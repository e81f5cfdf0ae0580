"""Whether the windows read from an answer are the dates a person reads from it.

The corpus writes a window as `{"start", "end" (a date or "open"), "weekdays", "parts", "tol", "exclude"}`.
The parsed windows are compared day by day: the first and last day offered (within `tol` days of the
first and last matching day), only the weekdays asked for (all of them when the answer spans a week),
the same parts of the day, and nothing inside an excluded span.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from inkline_conversation.domain.parsing.windows import TimeWindow
from inkline_understanding.cases import context

ALL_WEEKDAYS = frozenset(range(7))
# "open" means up to the horizon; the last offered day may fall a few days short of it (a weekend rule).
_OPEN_END_SLACK_DAYS = 7


def covered_days(windows: Iterable[TimeWindow]) -> set[date]:
    """Every calendar day (in the artist's zone) that some window touches."""
    tz = context().tz
    days: set[date] = set()
    for window in windows:
        day = window.start.astimezone(tz).date()
        last = (window.end.astimezone(tz) - timedelta(microseconds=1)).date()
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return days


def windows_match(windows: tuple[TimeWindow, ...], expected: Any) -> bool:
    """Judge parsed windows against one expected reading."""
    if not isinstance(expected, dict):
        return False
    days = covered_days(windows)
    if not days:
        return False
    tolerance = timedelta(days=expected.get("tol", 0))
    weekdays = frozenset(expected.get("weekdays", ALL_WEEKDAYS))
    start = date.fromisoformat(expected["start"])
    first_expected = _first_on_or_after(start, weekdays)
    if abs(min(days) - first_expected) > tolerance:
        return False
    if not _end_matches(max(days), expected["end"], weekdays=weekdays, tolerance=tolerance):
        return False
    if not _weekdays_match(days, weekdays):
        return False
    parts = {part.value for window in windows for part in window.day_parts}
    if parts != set(expected.get("parts", [])):
        return False
    excluded = expected.get("exclude")
    if excluded:
        low, high = (date.fromisoformat(bound) for bound in excluded)
        if any(low <= day <= high for day in days):
            return False
    return True


def _end_matches(last: date, end: str, *, weekdays: frozenset[int], tolerance: timedelta) -> bool:
    if end == "open":
        ctx = context()
        horizon = ctx.now.date() + timedelta(days=ctx.horizon_days)
        return last >= horizon - timedelta(days=_OPEN_END_SLACK_DAYS) - tolerance
    last_expected = _last_on_or_before(date.fromisoformat(end), weekdays)
    return abs(last - last_expected) <= tolerance


def _weekdays_match(days: set[date], weekdays: frozenset[int]) -> bool:
    seen = {day.weekday() for day in days}
    if not seen <= weekdays:
        return False
    # Over a week or more every weekday asked for must be offered ("except mondays" is not "mondays").
    spans_a_week = (max(days) - min(days)).days >= 7
    return not spans_a_week or seen == weekdays


def _first_on_or_after(day: date, weekdays: frozenset[int]) -> date:
    while day.weekday() not in weekdays:
        day += timedelta(days=1)
    return day


def _last_on_or_before(day: date, weekdays: frozenset[int]) -> date:
    while day.weekday() not in weekdays:
        day -= timedelta(days=1)
    return day

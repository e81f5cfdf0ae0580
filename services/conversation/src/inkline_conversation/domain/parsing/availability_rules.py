"""The parts of an availability answer beyond plain dates: ranges of days, seasons, "in two weeks",
"from July on", and what the client rules out ("except Mondays", "not in August", "away 1-15 July").

Every function reads the English the windows parser works on (see date_words.py) and returns spans of
days [first, end) plus the text with what it consumed blanked out, so the plain rules do not read the
same words again ("August" in "not in August" is not a wish for August).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from inkline_conversation.domain.parsing.calendar_words import (
    MONTH_RE,
    WEEKDAY_RE,
    find_weekdays,
    month_index,
)

Span = tuple[date, date]
_NUMBERS = {"a": 1, "one": 1, "two": 2, "couple of": 2, "three": 3, "four": 4, "five": 5, "six": 6, "few": 3}
_DAY = r"(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?"
_MONTH = MONTH_RE.pattern.removeprefix("(?<![a-z])").removesuffix(r"\.?(?![a-z])")
# "10-20 june", "between the 3rd and 10th of june", "de 1 a 15 de july", "from 3 to 9 august"
_DAY_RANGE = re.compile(
    rf"(?<![\d/]){_DAY}\s*(?:-|to|till|until|and|a|al|au|bis)\s*{_DAY}\s*(?:of|de|di|du)?\s*{_MONTH}\.?(?![a-z])"
)
_IN_PERIODS = re.compile(
    r"(?<![a-z])in\s+(\d{1,2}|a|one|two|three|four|five|six|a few|few|a couple of|couple of)\s+(week|month)s?"
    r"(?:'?\s*time)?(?![a-z])"
)
_SEASONS = {"spring": (3, 6), "summer": (6, 9), "autumn": (9, 12), "fall": (9, 12), "winter": (12, 3)}
_SEASON = re.compile(r"(?<![a-z])(spring|summer|autumn|fall|winter)(?![a-z])")
_FROM_MONTH = re.compile(
    rf"(?<![a-z])(from|starting|not before|after)\s+(?:(?:early|the start of)\s+)?{_MONTH}(?![a-z])"
)
_EXCEPT = r"(?:except|but not|apart from|not on|not|no)"
_EXCEPT_WEEKDAYS = re.compile(
    rf"(?<![a-z]){_EXCEPT}\s+(?:on\s+)?((?:{WEEKDAY_RE.pattern}[\s,/&]*(?:and|or)?\s*)+)"
)
_EXCEPT_MONTH = re.compile(
    rf"(?<![a-z])(?:{_EXCEPT}\s+(?:in\s+)?{_MONTH}(?![a-z])|(?:en\s+|in\s+)?{_MONTH}\s+(?:no|not)(?![a-z]))"
)
_EXCEPT_FIRST_WEEK = re.compile(rf"{_MONTH}[\s,]*except\s+the\s+first\s+week")
_AWAY_RANGE = re.compile(rf"(?<![a-z])away\b[^.;]*?(?={_DAY_RANGE.pattern})")


@dataclass
class Reading:
    """What the special rules found, and the text left for the plain rules."""

    text: str
    spans: list[Span] = field(default_factory=list)
    excluded: list[Span] = field(default_factory=list)
    excluded_weekdays: set[int] = field(default_factory=set)
    open_from: list[date] = field(default_factory=list)


def read_special(text: str, *, today: date) -> Reading:
    """Apply every rule in order; each blanks what it consumed."""
    reading = Reading(text=text)
    _first_week_excluded(reading, today=today)
    _away_ranges(reading, today=today)
    _excluded_months(reading, today=today)
    _excluded_weekdays(reading)
    _day_ranges(reading, today=today)
    _from_months(reading, today=today)
    _in_periods(reading, today=today)
    _seasons(reading, today=today)
    return reading


def month_start(month: int, *, today: date) -> date:
    """The first day of the next such month (this month's first day while it lasts)."""
    return date(today.year + (1 if month < today.month else 0), month, 1)


def _month_end(first: date) -> date:
    return date(first.year + (1 if first.month == 12 else 0), first.month % 12 + 1, 1)


def _blank(reading: Reading, match: re.Match[str]) -> None:
    start, end = match.span()
    reading.text = reading.text[:start] + " " * (end - start) + reading.text[end:]


def _range_days(match: re.Match[str], today: date) -> Span | None:
    month = month_index(match.group(3))
    if month is None:
        return None
    first_day, last_day = int(match.group(1)), int(match.group(2))
    year = today.year + (1 if month < today.month else 0)
    try:
        first, last = date(year, month, first_day), date(year, month, last_day)
    except ValueError:
        return None
    return (min(first, last), max(first, last) + timedelta(days=1))


def _day_ranges(reading: Reading, *, today: date) -> None:
    for match in list(_DAY_RANGE.finditer(reading.text)):
        span = _range_days(match, today)
        if span is not None:
            reading.spans.append(span)
            _blank(reading, match)


def _away_ranges(reading: Reading, *, today: date) -> None:
    for match in list(_AWAY_RANGE.finditer(reading.text)):
        dates = _DAY_RANGE.search(reading.text, match.end())
        if dates is None:
            continue
        span = _range_days(dates, today)
        if span is not None:
            reading.excluded.append(span)
            _blank(reading, dates)
            _blank(reading, match)


def _excluded_months(reading: Reading, *, today: date) -> None:
    for match in list(_EXCEPT_MONTH.finditer(reading.text)):
        name = next(group for group in match.groups() if group)
        month = month_index(name)
        if month is not None:
            first = month_start(month, today=today)
            reading.excluded.append((first, _month_end(first)))
            _blank(reading, match)


def _first_week_excluded(reading: Reading, *, today: date) -> None:
    for match in list(_EXCEPT_FIRST_WEEK.finditer(reading.text)):
        month = month_index(match.group(1))
        if month is not None:
            first = month_start(month, today=today)
            reading.spans.append((first, _month_end(first)))
            reading.excluded.append((first, first + timedelta(days=7)))
            _blank(reading, match)


def _excluded_weekdays(reading: Reading) -> None:
    for match in list(_EXCEPT_WEEKDAYS.finditer(reading.text)):
        reading.excluded_weekdays |= find_weekdays(match.group(1))
        _blank(reading, match)


def _from_months(reading: Reading, *, today: date) -> None:
    for match in list(_FROM_MONTH.finditer(reading.text)):
        month = month_index(match.group(2))
        if month is None:
            continue
        first = month_start(month, today=today)
        reading.open_from.append(_month_end(first) if match.group(1) == "after" else first)
        _blank(reading, match)


def _in_periods(reading: Reading, *, today: date) -> None:
    for match in list(_IN_PERIODS.finditer(reading.text)):
        raw = match.group(1)
        count = int(raw) if raw.isdigit() else _NUMBERS[raw.removeprefix("a ").strip() or "a"]
        days = count * (7 if match.group(2) == "week" else 30)
        reading.open_from.append(today + timedelta(days=days))
        _blank(reading, match)


def _seasons(reading: Reading, *, today: date) -> None:
    for match in list(_SEASON.finditer(reading.text)):
        first_month, end_month = _SEASONS[match.group(1)]
        first = month_start(first_month, today=today)
        end = date(first.year + (1 if end_month <= first_month else 0), end_month, 1)
        if end <= today:
            continue
        reading.spans.append((max(first, today), end))
        _blank(reading, match)

"""Shared vocabulary for dates and times in client messages: weekdays, months, day parts, clock times."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum


class DayPart(StrEnum):
    """A coarse part of the day, which the artist's calendar maps onto real hours."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


# Hours used to decide which part of the day an offered slot starts in.
DAY_PART_HOURS: dict[DayPart, tuple[int, int]] = {
    DayPart.MORNING: (5, 12),
    DayPart.AFTERNOON: (12, 17),
    DayPart.EVENING: (17, 24),
}

_WEEKDAY_NAMES: tuple[tuple[str, ...], ...] = (
    ("monday", "mon"),
    ("tuesday", "tues", "tue"),
    ("wednesday", "weds", "wed"),
    ("thursday", "thurs", "thur", "thu"),
    ("friday", "fri"),
    ("saturday", "sat"),
    ("sunday", "sun"),
)
_MONTH_NAMES: tuple[tuple[str, ...], ...] = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sept", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
_WEEKDAY_INDEX = {name: index for index, names in enumerate(_WEEKDAY_NAMES) for name in names}
_MONTH_INDEX = {name: index + 1 for index, names in enumerate(_MONTH_NAMES) for name in names}

WEEKDAY_RE = re.compile(
    r"(?<![a-z])(" + "|".join(sorted(_WEEKDAY_INDEX, key=len, reverse=True)) + r")s?(?![a-z])"
)
MONTH_RE = re.compile(
    r"(?<![a-z])(" + "|".join(sorted(_MONTH_INDEX, key=len, reverse=True)) + r")\.?(?![a-z])"
)
# "may" is usually the verb; it only counts as a month next to a date-ish word or number.
_MAY_AS_MONTH = re.compile(
    r"(?:(?<![a-z])(?:in|of|early|mid|late|end|start|during|throughout|until|till|before|after|from|or|and|to|"
    r"sometime|anytime|\d+(?:st|nd|rd|th)?)\s+may(?![a-z]))|(?:^may(?![a-z]))|(?:may\s+\d)"
)
_DAY_PART_WORDS: dict[str, frozenset[DayPart]] = {
    "morning": frozenset({DayPart.MORNING}),
    "mornings": frozenset({DayPart.MORNING}),
    "am": frozenset({DayPart.MORNING}),
    "afternoon": frozenset({DayPart.AFTERNOON}),
    "afternoons": frozenset({DayPart.AFTERNOON}),
    "arvo": frozenset({DayPart.AFTERNOON}),
    "arvos": frozenset({DayPart.AFTERNOON}),
    "pm": frozenset({DayPart.AFTERNOON}),
    "evening": frozenset({DayPart.EVENING}),
    "evenings": frozenset({DayPart.EVENING}),
    "eve": frozenset({DayPart.EVENING}),
    "night": frozenset({DayPart.EVENING}),
    "nights": frozenset({DayPart.EVENING}),
    "after work": frozenset({DayPart.EVENING}),
    "daytime": frozenset({DayPart.MORNING, DayPart.AFTERNOON}),
    "during the day": frozenset({DayPart.MORNING, DayPart.AFTERNOON}),
}
# "6 pm" is a clock time, not "the afternoon": am/pm after a number belong to the number.
_DAY_PART_RE = re.compile(
    r"(?<![a-z0-9])(?<!\d\s)(" + "|".join(sorted(_DAY_PART_WORDS, key=len, reverse=True)) + r")(?![a-z])"
)
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_DAY_THEN_MONTH = re.compile(rf"(?<![\d/]){_ORDINAL}\s*(?:of\s+)?([a-z]+)")
_MONTH_THEN_DAY = re.compile(rf"([a-z]+)\.?\s+(?:the\s+)?{_ORDINAL}(?![\d:/])(?!\s*(?:am|pm|cm|mm|in))")
_NUMERIC_DATE = re.compile(r"(?<![\d/])(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2,4}))?(?![\d/])")
_BARE_ORDINAL = re.compile(
    r"(?:the\s+)(\d{1,2})(?:st|nd|rd|th)?(?![\d:])|(?<![\d])(\d{1,2})(?:st|nd|rd|th)(?![a-z])"
)
_CLOCK = re.compile(
    r"(?<![\d/.:])(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)(?![a-z])|(?<![\d/.:])(\d{1,2})[:h](\d{2})(?![\d])"
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A calendar date named in the text, with where it was found."""

    day: date
    start: int
    end: int


def month_index(word: str) -> int | None:
    """1-12 for a month name or abbreviation, else None."""
    return _MONTH_INDEX.get(word.rstrip("."))


def find_weekdays(text: str) -> set[int]:
    """Weekday numbers (Monday = 0) named in normalised text."""
    return {_WEEKDAY_INDEX[match.group(1)] for match in WEEKDAY_RE.finditer(text)}


def find_months(text: str) -> list[tuple[int, int]]:
    """(month, position) for each month named in normalised text, in order of appearance."""
    months: list[tuple[int, int]] = []
    for match in MONTH_RE.finditer(text):
        if match.group(1) == "may" and not _may_is_month(text, match.start()):
            continue
        months.append((_MONTH_INDEX[match.group(1)], match.start()))
    return months


def _may_is_month(text: str, position: int) -> bool:
    return any(found.start() <= position < found.end() for found in _MAY_AS_MONTH.finditer(text))


def find_day_parts(text: str) -> frozenset[DayPart]:
    """Day parts named in normalised text ("evenings", "after work", "arvo")."""
    parts: set[DayPart] = set()
    for match in _DAY_PART_RE.finditer(text):
        parts |= _DAY_PART_WORDS[match.group(1)]
    return frozenset(parts)


def find_clock_times(text: str) -> list[time]:
    """Clock times such as "2pm", "2:30 pm", "14:00" in normalised text."""
    found: list[time] = []
    for match in _CLOCK.finditer(text):
        if match.group(1) is not None:
            hour, minute, meridiem = int(match.group(1)), int(match.group(2) or 0), match.group(3)
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
        else:
            hour, minute = int(match.group(4)), int(match.group(5))
        if hour < 24 and minute < 60:
            found.append(time(hour, minute))
    return found


def _resolve(*, year: int, month: int, day: int, today: date, roll_forward: bool) -> date | None:
    try:
        candidate = date(year, month, day)
    except ValueError:
        return None
    if roll_forward and candidate < today:
        try:
            return date(year + 1, month, day)
        except ValueError:
            return None
    return candidate


def find_dates(text: str, *, today: date, day_first: bool = True) -> list[DateMention]:
    """Explicit dates ("10th of Jan", "Jan 10", "14/3", "the 14th"); past dates roll to the next year."""
    mentions: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(day: date | None, start: int, end: int) -> None:
        if day is None or any(start < other_end and other_start < end for other_start, other_end in taken):
            return
        taken.append((start, end))
        mentions.append(DateMention(day=day, start=start, end=end))

    for match in _DAY_THEN_MONTH.finditer(text):
        month = month_index(match.group(2))
        if month is not None:
            day = _resolve(
                year=today.year, month=month, day=int(match.group(1)), today=today, roll_forward=True
            )
            add(day, match.start(), match.end())
    for match in _MONTH_THEN_DAY.finditer(text):
        month = month_index(match.group(1))
        if month is not None:
            day = _resolve(
                year=today.year, month=month, day=int(match.group(2)), today=today, roll_forward=True
            )
            add(day, match.start(), match.end())
    for match in _NUMERIC_DATE.finditer(text):
        first, second = int(match.group(1)), int(match.group(2))
        day_number, month = (first, second) if day_first else (second, first)
        if match.group(3):
            year = int(match.group(3))
            year = year + 2000 if year < 100 else year
            add(
                _resolve(year=year, month=month, day=day_number, today=today, roll_forward=False),
                *match.span(),
            )
        else:
            add(
                _resolve(year=today.year, month=month, day=day_number, today=today, roll_forward=True),
                *match.span(),
            )
    for match in _BARE_ORDINAL.finditer(text):
        day_number = int(match.group(1) or match.group(2))
        day = _resolve(year=today.year, month=today.month, day=day_number, today=today, roll_forward=False)
        if day is not None and day < today:
            next_month = today.month % 12 + 1
            next_year = today.year + (1 if today.month == 12 else 0)
            day = _resolve(year=next_year, month=next_month, day=day_number, today=today, roll_forward=False)
        add(day, match.start(), match.end())
    mentions.sort(key=lambda mention: mention.start)
    return mentions

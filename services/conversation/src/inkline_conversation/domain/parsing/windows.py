"""When the client can come in ("weekday evenings in March", "asap", "after the 10th of Jan")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from inkline_conversation.domain.parsing.availability_rules import read_special
from inkline_conversation.domain.parsing.calendar_words import (
    DAY_PART_HOURS,
    DayPart,
    find_clock_times,
    find_dates,
    find_day_parts,
    find_months,
    find_weekdays,
)
from inkline_conversation.domain.parsing.date_words import in_english
from inkline_conversation.domain.parsing.failure import ParseFailure

HINT = "repair.windows"
DEFAULT_HORIZON_DAYS = 90
_OPEN_FROM_DAYS = timedelta(days=30)
_WEEKDAYS = frozenset(range(5))
_WEEKEND = frozenset({5, 6})
_OPEN_ENDED = re.compile(
    r"(?<![a-z])(asap|a\.s\.a\.p|as soon as(?: possible)?|soonest|any ?time|any day|whenever|flexible|flexi|"
    r"whatever suits|whatever works|any date|i'm free|free most|open)(?![a-z])"
)
_NUMBER_WORDS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "couple": 2,
    "couple of": 2,
    "three": 3,
    "few": 3,
    "a few": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "eight": 8,
    "ten": 10,
    "twelve": 12,
}
_NEXT_N = re.compile(
    r"(?:next|within|in the next|over the next|coming)\s+(\d{1,2}|couple of|couple|a few|few|one|two|three|four|five|"
    r"six|eight|ten|twelve)\s+(day|week|month)s?"
)
_RELATIVE = re.compile(
    r"(?<![a-z])(next|this|coming)\s+(week|month|weekend)(?![a-z])|(?<![a-z])(today|tomorrow)(?![a-z])"
)
_AFTER = re.compile(r"(?<![a-z])(after|from|starting|not before|any time after|anytime after)(?![a-z])")
_BEFORE = re.compile(
    r"(?<![a-z])(before|until|till|til|by|up to|to|through|thru|no later than)(?![a-z])|-\s*$"
)
_PART_OF_MONTH = re.compile(r"(?<![a-z])(early|beginning of|start of|mid|middle of|late|end of)\s*-?\s*$")
_US_STYLE_ZONES = ("America/", "US/")


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A span [start, end) in the client's timezone; empty day_parts means any time of day."""

    start: datetime
    end: datetime
    day_parts: frozenset[DayPart] = frozenset()


def _parts_after_clock(text: str) -> frozenset[DayPart]:
    match = re.search(r"(?<![a-z])(?:after|from)\s+(\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2})", text)
    if match is None:
        # "mon-fri after 5": a bare hour after "after" is an afternoon or evening hour, unless it is a date.
        bare = re.search(r"(?<![a-z])after\s+(\d{1,2})(?![\d:/.])(?!\s*(?:st|nd|rd|th|[a-z]{3,}))", text)
        if bare is None or not 1 <= int(bare.group(1)) <= 11:
            return frozenset()
        hour = int(bare.group(1)) + 12
    else:
        times = find_clock_times(match.group(1))
        if not times:
            return frozenset()
        hour = times[0].hour
    if hour >= DAY_PART_HOURS[DayPart.EVENING][0]:
        return frozenset({DayPart.EVENING})
    if hour >= DAY_PART_HOURS[DayPart.AFTERNOON][0]:
        return frozenset({DayPart.AFTERNOON, DayPart.EVENING})
    return frozenset()


def _midnight(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def _month_span(month: int, *, today: date, prefix: str) -> tuple[date, date]:
    year = today.year + (1 if month < today.month else 0)
    first = date(year, month, 1)
    following = date(year + (1 if month == 12 else 0), month % 12 + 1, 1)
    if prefix in {"early", "beginning of", "start of"}:
        return first, first + timedelta(days=10)
    if prefix in {"mid", "middle of"}:
        return first + timedelta(days=9), first + timedelta(days=20)
    if prefix in {"late", "end of"}:
        return first + timedelta(days=19), following
    return first, following


def _month_spans(text: str, *, today: date) -> list[tuple[date, date]]:
    months = find_months(text)
    if not months:
        return []
    between = text[months[0][1] : months[-1][1]] if len(months) == 2 else ""
    if len(months) == 2 and re.search(r"(?<![a-z])(to|till|until|through|thru|-)(?![a-z])", between):
        # "March to May" is one continuous span, not two separate months.
        start, _ = _month_span(months[0][0], today=today, prefix="")
        _, end = _month_span(months[1][0], today=today, prefix="")
        if end <= start:
            end = end.replace(year=end.year + 1)
        return [(start, end)]
    spans = []
    for month, position in months:
        prefix_match = _PART_OF_MONTH.search(text[:position])
        spans.append(_month_span(month, today=today, prefix=prefix_match.group(1) if prefix_match else ""))
    return spans


def _relative_spans(text: str, *, today: date) -> list[tuple[date, date]]:
    spans: list[tuple[date, date]] = []
    for match in _NEXT_N.finditer(text):
        raw = match.group(1)
        count = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        unit_days = {"day": 1, "week": 7, "month": 30}[match.group(2)]
        spans.append((today, today + timedelta(days=count * unit_days)))
    if spans:
        return spans
    monday = today - timedelta(days=today.weekday())
    for match in _RELATIVE.finditer(text):
        word, unit, single = match.group(1), match.group(2), match.group(3)
        if single == "today":
            spans.append((today, today + timedelta(days=1)))
        elif single == "tomorrow":
            spans.append((today + timedelta(days=1), today + timedelta(days=2)))
        elif unit == "week":
            start = monday + timedelta(days=7) if word in {"next", "coming"} else today
            spans.append((start, monday + timedelta(days=14 if word in {"next", "coming"} else 7)))
        elif unit == "weekend":
            saturday = monday + timedelta(days=5)
            if word == "next" and today.weekday() < 5:
                saturday += timedelta(days=7)
            spans.append((max(saturday, today), saturday + timedelta(days=2)))
        else:
            first_next = date(today.year + (1 if today.month == 12 else 0), today.month % 12 + 1, 1)
            if word == "this":
                spans.append((today, first_next))
            else:
                after = date(
                    first_next.year + (1 if first_next.month == 12 else 0), first_next.month % 12 + 1, 1
                )
                spans.append((first_next, after))
    return spans


def _bounded_spans(text: str, *, today: date, horizon: timedelta, day_first: bool) -> list[tuple[date, date]]:
    spans: list[tuple[date, date]] = []
    lower: date | None = None
    upper: date | None = None
    plain: list[date] = []
    for mention in find_dates(text, today=today, day_first=day_first):
        before = text[: mention.start]
        after_word = _AFTER.search(before[-25:])
        before_word = _BEFORE.search(before[-25:])
        if after_word and (before_word is None or after_word.start() > before_word.start()):
            # "after the 10th" excludes the 10th itself; "from the 10th" includes it.
            lower = mention.day + timedelta(days=1 if after_word.group(1) == "after" else 0)
        elif before_word:
            # Only "before" excludes the named day; "until the 20th" and "to the 20th" include it.
            upper = mention.day + timedelta(days=0 if before_word.group(1) == "before" else 1)
        else:
            plain.append(mention.day)
    if lower is not None or upper is not None:
        start = lower or today
        spans.append((start, upper or start + horizon))
    spans.extend((day, day + timedelta(days=1)) for day in plain)
    return spans


def _split_by_weekdays(
    start: datetime, end: datetime, weekdays: frozenset[int], tz: tzinfo
) -> list[tuple[datetime, datetime]]:
    runs: list[tuple[datetime, datetime]] = []
    day = start.date()
    run_start: datetime | None = None
    while _midnight(day, tz) < end:
        day_start = max(_midnight(day, tz), start)
        if day.weekday() in weekdays:
            if run_start is None:
                run_start = day_start
        elif run_start is not None:
            runs.append((run_start, _midnight(day, tz)))
            run_start = None
        day += timedelta(days=1)
    if run_start is not None:
        runs.append((run_start, end))
    return runs


def parse_windows(
    text: str, *, now: datetime, tz: tzinfo, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> list[TimeWindow] | ParseFailure:
    """Turn availability into concrete windows from `now` on; open-ended answers span `horizon_days`."""
    local_now = now.astimezone(tz)
    today = local_now.date()
    horizon = timedelta(days=horizon_days)
    special = read_special(in_english(text), today=today)
    cleaned = special.text
    day_first = not str(tz).startswith(_US_STYLE_ZONES)
    day_parts = find_day_parts(cleaned) | _parts_after_clock(cleaned)
    weekdays = set(find_weekdays(cleaned))
    if re.search(
        r"(?<![a-z])(week ?days?|during the week|midweek|mon(?:day)?\s*-\s*fri(?:day)?)(?![a-z])", cleaned
    ):
        weekdays |= _WEEKDAYS
    if re.search(
        r"(?<![a-z])(week ?ends?|sat(?:urday)?s?\s*(?:or|and|/|&)\s*sun(?:day)?s?)(?![a-z])", cleaned
    ):
        weekdays |= _WEEKEND
    # Months inside a full date ("the 10th of Jan") belong to that date, not to a whole-month span.
    without_dates = cleaned
    for mention in find_dates(cleaned, today=today, day_first=day_first):
        without_dates = (
            without_dates[: mention.start]
            + " " * (mention.end - mention.start)
            + without_dates[mention.end :]
        )
    spans = (
        _relative_spans(cleaned, today=today)
        + _month_spans(without_dates, today=today)
        + _bounded_spans(cleaned, today=today, horizon=horizon, day_first=day_first)
    )
    if "weekend" in cleaned and any(match.group(2) == "weekend" for match in _RELATIVE.finditer(cleaned)):
        weekdays -= _WEEKEND
    if special.excluded_weekdays:
        weekdays = (weekdays or set(range(7))) - special.excluded_weekdays
    # "From September" beyond the horizon still offers a month of it.
    spans += special.spans
    spans += [(first, max(today + horizon, first + _OPEN_FROM_DAYS)) for first in special.open_from]
    if not spans:
        ruled_out = special.excluded or special.excluded_weekdays
        if not (day_parts or weekdays or ruled_out or _OPEN_ENDED.search(cleaned)):
            return ParseFailure(reason="no_dates", hint_key=HINT)
        # Days the client ruled out ("not in August") do not shorten how far ahead they can be offered.
        ruled_out_days = sum((end - first for first, end in special.excluded), timedelta())
        spans = [(today, today + horizon + ruled_out_days)]
    windows: list[TimeWindow] = []
    for first_day, end_day in sorted(set(spans)):
        start = max(_midnight(first_day, tz), local_now)
        end = _midnight(end_day, tz)
        if end <= start:
            continue
        pieces = _split_by_weekdays(start, end, frozenset(weekdays), tz) if weekdays else [(start, end)]
        windows.extend(TimeWindow(start=a, end=b, day_parts=day_parts) for a, b in pieces if b > a)
    windows = _without(windows, special.excluded, tz)
    if not windows:
        return ParseFailure(reason="in_the_past", hint_key=HINT)
    return _merged(windows)


def _without(windows: list[TimeWindow], excluded: list[tuple[date, date]], tz: tzinfo) -> list[TimeWindow]:
    """The windows with every excluded span of days cut out of them."""
    for first, end in excluded:
        cut_start, cut_end = _midnight(first, tz), _midnight(end, tz)
        kept: list[TimeWindow] = []
        for window in windows:
            if window.end <= cut_start or window.start >= cut_end:
                kept.append(window)
                continue
            if window.start < cut_start:
                kept.append(TimeWindow(start=window.start, end=cut_start, day_parts=window.day_parts))
            if window.end > cut_end:
                kept.append(TimeWindow(start=cut_end, end=window.end, day_parts=window.day_parts))
        windows = kept
    return windows


def _merged(windows: list[TimeWindow]) -> list[TimeWindow]:
    merged: list[TimeWindow] = []
    for window in sorted(windows, key=lambda item: item.start):
        if merged and window.start <= merged[-1].end:
            last = merged.pop()
            window = TimeWindow(start=last.start, end=max(last.end, window.end), day_parts=last.day_parts)
        merged.append(window)
    return merged

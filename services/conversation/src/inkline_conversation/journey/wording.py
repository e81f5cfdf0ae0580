"""How dates, slots and money read in a chat message, in the artist's timezone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo

from inkline_contracts.base import Money as ContractMoney
from inkline_contracts.events.lead import TimeWindowPreference
from inkline_conversation.domain.money import Money, format_money


def format_day_range(first: date, last: date) -> str:
    """ "3-5 Apr", "30 Mar-2 Apr" or "14 Mar"."""
    if first == last:
        return f"{first.day} {first:%b}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}-{last.day} {last:%b}"
    return f"{first.day} {first:%b}-{last.day} {last:%b}"


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS = frozenset(range(5))
_WEEKEND = frozenset({5, 6})
_RANGES_SHOWN = 4


def _days_of(window: TimeWindowPreference, tz: tzinfo) -> tuple[date, date]:
    """First and last local day a window touches; its end is exclusive (midnight starts no day)."""
    start = window.range.start.astimezone(tz)
    last = (window.range.end - timedelta(microseconds=1)).astimezone(tz)
    return start.date(), last.date()


def _weekday_phrase(weekdays: frozenset[int]) -> str:
    if weekdays == _WEEKDAYS:
        return "Weekdays"
    if weekdays == _WEEKEND:
        return "Weekends"
    return "/".join(_DAY_NAMES[day] for day in sorted(weekdays))


def format_windows(windows: Sequence[TimeWindowPreference], tz: tzinfo) -> str:
    """The client's availability as they put it: "Weekdays, 3 Dec-2 Mar" for a weekly pattern rather
    than a run of dates (which would claim every date in it, holidays too), else "3-4 Dec, 7-11 Dec"."""
    if not windows:
        return ""
    spans = sorted(_days_of(window, tz) for window in windows)
    parts = sorted({part for window in windows for part in window.day_parts})
    suffix = f" ({'/'.join(parts)})" if parts else ""
    covered = {first + timedelta(days=n) for first, last in spans for n in range((last - first).days + 1)}
    first_day, last_day = spans[0][0], spans[-1][1]
    weekdays = frozenset(day.weekday() for day in covered)
    every_such_day = all(
        day in covered
        for n in range((last_day - first_day).days + 1)
        if (day := first_day + timedelta(days=n)).weekday() in weekdays
    )
    if len(spans) > 2 and len(weekdays) < 7 and every_such_day:
        return f"{_weekday_phrase(weekdays)}, {format_day_range(first_day, last_day)}{suffix}"
    shown = ", ".join(format_day_range(first, last) for first, last in spans[:_RANGES_SHOWN])
    more = ", …" if len(spans) > _RANGES_SHOWN else ""
    return f"{shown}{more}{suffix}"


def format_slot(start: datetime, end: datetime, tz: tzinfo) -> str:
    """ "Fri 14 Mar, 14:00-18:00" in the artist's local time."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    day = f"{local_start:%a} {local_start.day} {local_start:%b}"
    if local_end.date() != local_start.date():
        return f"{day}, {local_start:%H:%M}"
    return f"{day}, {local_start:%H:%M}-{local_end:%H:%M}"


def slot_title(start: datetime, tz: tzinfo) -> str:
    """A list row title; WhatsApp allows 24 characters."""
    local = start.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M}"


def money(value: ContractMoney) -> Money:
    return Money(minor=value.amount_minor, currency=value.currency)


def format_budget(low: ContractMoney, high: ContractMoney) -> str:
    if low.amount_minor == high.amount_minor:
        return format_money(money(high))
    return f"{format_money(money(low))}-{format_money(money(high))}"


def format_money_contract(value: ContractMoney) -> str:
    return format_money(money(value))

"""How dates, slots and money read in a chat message, in the artist's timezone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo

from babel.dates import get_day_names

from inkline_contracts.base import Money as ContractMoney
from inkline_contracts.events.lead import TimeWindowPreference
from inkline_conversation.domain.copy import Copy, LocalFormats, SlotTime, UnknownCopyKeyError
from inkline_conversation.domain.money import Money

_WEEKDAYS = frozenset(range(5))
_WEEKEND = frozenset({5, 6})
_RANGES_SHOWN = 4


def _days_of(window: TimeWindowPreference, tz: tzinfo) -> tuple[date, date]:
    """First and last local day a window touches; its end is exclusive (midnight starts no day)."""
    start = window.range.start.astimezone(tz)
    last = (window.range.end - timedelta(microseconds=1)).astimezone(tz)
    return start.date(), last.date()


def _weekday_phrase(weekdays: frozenset[int], copy: Copy) -> str:
    if weekdays == _WEEKDAYS:
        return copy.render("artist_dates.weekdays")
    if weekdays == _WEEKEND:
        return copy.render("artist_dates.weekends")
    names = get_day_names("abbreviated", locale=copy.formats.locale)
    return "/".join(str(names[day]) for day in sorted(weekdays))


def _day_part(part: str, copy: Copy) -> str:
    try:
        return copy.render(f"artist_dates.{part}")
    except UnknownCopyKeyError:
        return part


def format_windows(windows: Sequence[TimeWindowPreference], tz: tzinfo, copy: Copy) -> str:
    """The client's availability as they put it, in `copy`'s language: "Weekdays, 3 Dec-2 Mar" for a
    weekly pattern rather than a run of dates (which would claim every date in it, holidays too), else
    "3-4 Dec, 7-11 Dec"."""
    if not windows:
        return ""
    formats = copy.formats
    spans = sorted(_days_of(window, tz) for window in windows)
    parts = sorted({part for window in windows for part in window.day_parts})
    suffix = f" ({'/'.join(_day_part(part, copy) for part in parts)})" if parts else ""
    covered = {first + timedelta(days=n) for first, last in spans for n in range((last - first).days + 1)}
    first_day, last_day = spans[0][0], spans[-1][1]
    weekdays = frozenset(day.weekday() for day in covered)
    every_such_day = all(
        day in covered
        for n in range((last_day - first_day).days + 1)
        if (day := first_day + timedelta(days=n)).weekday() in weekdays
    )
    if len(spans) > 2 and len(weekdays) < 7 and every_such_day:
        return f"{_weekday_phrase(weekdays, copy)}, {formats.day_range(first_day, last_day)}{suffix}"
    shown = ", ".join(formats.day_range(first, last) for first, last in spans[:_RANGES_SHOWN])
    more = ", …" if len(spans) > _RANGES_SHOWN else ""
    return f"{shown}{more}{suffix}"


def local_slot(start: datetime, end: datetime, tz: tzinfo) -> SlotTime:
    """An appointment on the artist's clock. A text writes it the way its reader does: "Fri 14 Mar,
    14:00-18:00" to an English client, "vie, 14 mar, 14:00-18:00" to a Spanish one, and in the
    artist's own language in the artist's messages."""
    return SlotTime(start=start.astimezone(tz), end=end.astimezone(tz))


def format_slot(start: datetime, end: datetime, tz: tzinfo, *, formats: LocalFormats) -> str:
    """The slot as text, for a line built outside a copy text (an offer list, the checkout's line item)."""
    return formats.slot(local_slot(start, end, tz))


def slot_title(start: datetime, tz: tzinfo, *, formats: LocalFormats) -> str:
    """A list row title ("Sat 14 Mar 14:00", "sáb, 14 mar 14:00"); WhatsApp allows 24 characters, which
    the message builder enforces."""
    return formats.day_and_time(start.astimezone(tz))


def money(value: ContractMoney) -> Money:
    return Money(minor=value.amount_minor, currency=value.currency)


def format_budget(low: ContractMoney, high: ContractMoney, formats: LocalFormats) -> str:
    if low.amount_minor == high.amount_minor:
        return formats.money(money(high))
    return f"{formats.money(money(low))}-{formats.money(money(high))}"

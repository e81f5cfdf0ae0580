"""The calendar screen's week, laid out from calendar's availability rules in the artist's timezone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from inkline_studio.domain.week import week_of

RULES: dict[str, Any] = {
    "timezone": "Pacific/Auckland",
    "working_hours": {"tuesday": ["10:00-18:00"], "saturday": ["10:00-13:00", "14:00-18:00"]},
    "blackout_dates": ["2027-03-13"],
    "tour_legs": [
        {"city": "Berlin", "country_code": "DE", "first_day": "2027-03-11", "last_day": "2027-03-12"}
    ],
}


def test_the_week_shows_hours_days_off_blocked_days_and_tour_legs() -> None:
    week = week_of(RULES, showing=date(2027, 3, 10), now=datetime(2027, 3, 1, tzinfo=UTC))

    assert week.monday == date(2027, 3, 8)
    assert [(d.day.day, d.hours, d.blocked, d.tour_city) for d in week.days] == [
        (8, (), False, None),
        (9, ("10:00-18:00",), False, None),
        (10, (), False, None),
        (11, (), False, "Berlin"),
        (12, (), False, "Berlin"),
        (13, ("10:00-13:00", "14:00-18:00"), True, None),
        (14, (), False, None),
    ]
    assert [d.working for d in week.days] == [False, True, False, False, False, False, False]
    assert week.days[0].label == "Mon 8 Mar"
    assert week.title == "8 Mar – 14 Mar 2027"  # noqa: RUF001 - the page's own dash


def test_this_week_and_the_past_are_the_artists_not_utcs() -> None:
    # 20:00 UTC on Sunday 14 March is already Monday 15 March in Auckland.
    week = week_of(RULES, showing=None, now=datetime(2027, 3, 14, 20, 0, tzinfo=UTC))

    assert week.monday == date(2027, 3, 15)
    assert [d.past for d in week.days] == [False] * 7
    assert (week.previous, week.next) == (date(2027, 3, 8), date(2027, 3, 22))

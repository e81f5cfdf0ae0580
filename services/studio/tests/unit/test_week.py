"""The calendar screen's week, laid out from calendar's availability rules in the artist's timezone."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from inkline_studio.domain.week import time_left, week_of, with_reservations

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


@dataclass(frozen=True)
class Listed:
    kind: str
    lead_id: uuid.UUID
    booking_id: uuid.UUID | None
    start: datetime
    end: datetime
    client_name: str | None
    expires_at: datetime | None


def test_a_booking_late_in_the_utc_day_sits_on_the_artists_next_day_and_a_hold_counts_down() -> None:
    now = datetime(2027, 3, 9, 20, 0, tzinfo=UTC)
    week = week_of(RULES, showing=date(2027, 3, 10), now=now)
    lead = uuid.uuid4()
    booking = Listed(
        "booking",
        lead,
        uuid.uuid4(),
        datetime(2027, 3, 9, 21, 0, tzinfo=UTC),
        datetime(2027, 3, 10, 1, 0, tzinfo=UTC),
        None,
        None,
    )
    hold = Listed(
        "hold",
        uuid.uuid4(),
        None,
        datetime(2027, 3, 9, 23, 0, tzinfo=UTC),
        datetime(2027, 3, 10, 1, 0, tzinfo=UTC),
        "@inked.sam",
        now + timedelta(minutes=23, seconds=40),
    )

    laid_out = with_reservations(week, [hold, booking], ideas={lead: "fine-line swallow"}, now=now)

    # Auckland is 13 hours ahead in March: 21:00Z on the 9th is 10:00 on Wednesday the 10th.
    [wednesday] = [d for d in laid_out.days if d.day == date(2027, 3, 10)]
    assert [(e.times, e.who, e.idea, e.state) for e in wednesday.entries] == [
        ("10:00–14:00", "A client", "fine-line swallow", "Booked"),  # noqa: RUF001 - the page's en dash
        ("12:00–14:00", "@inked.sam", None, "Held · 23 min left"),  # noqa: RUF001 - the page's en dash
    ]
    assert all(not d.entries for d in laid_out.days if d.day != date(2027, 3, 10))


def test_the_time_a_hold_has_left_reads_in_minutes_then_hours() -> None:
    now = datetime(2027, 3, 9, tzinfo=UTC)

    assert time_left(now + timedelta(seconds=30), now=now) == "under a minute left"
    assert time_left(now + timedelta(minutes=59, seconds=59), now=now) == "59 min left"
    assert time_left(now + timedelta(hours=1, minutes=5), now=now) == "1 h 5 min left"
    assert time_left(now + timedelta(hours=2), now=now) == "2 h left"

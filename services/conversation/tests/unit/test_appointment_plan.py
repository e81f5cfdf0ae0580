from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from inkline_conversation.domain.appointment_plan import (
    AppointmentMessage,
    AppointmentTimings,
    plan_appointment,
    still_worth_sending,
)

LONDON = ZoneInfo("Europe/London")
TIMINGS = AppointmentTimings()
M = AppointmentMessage


def _plan(start: datetime, end: datetime, now: datetime, tz: ZoneInfo = LONDON) -> dict[M, datetime]:
    return {
        message.kind: message.due_at
        for message in plan_appointment(start=start, end=end, now=now, tz=tz, timings=TIMINGS)
    }


def test_a_booking_weeks_ahead_gets_both_reminders_and_all_aftercare() -> None:
    start = datetime(2026, 6, 12, 10, 0, tzinfo=UTC)  # 11:00 in London (BST)
    plan = _plan(start, start + timedelta(hours=4), now=datetime(2026, 5, 1, tzinfo=UTC))

    assert plan == {
        M.REMINDER_EARLY: datetime(2026, 6, 9, 10, 0, tzinfo=UTC),
        M.REMINDER_FINAL: datetime(2026, 6, 11, 10, 0, tzinfo=UTC),
        M.AFTERCARE_EVENING: datetime(2026, 6, 12, 18, 0, tzinfo=UTC),  # 19:00 BST
        M.AFTERCARE_CHECK_IN: datetime(2026, 6, 15, 18, 0, tzinfo=UTC),
        M.HEALED_PHOTO: datetime(2026, 7, 24, 18, 0, tzinfo=UTC),
    }
    assert all(due.tzinfo is UTC for due in plan.values()), "stored in UTC"


def test_reminders_keep_the_local_time_of_day_across_a_clock_change() -> None:
    # Monday 30 March 2026, 11:00 BST; the clocks went forward on Sunday 29 March.
    start = datetime(2026, 3, 30, 10, 0, tzinfo=UTC)
    plan = _plan(start, start + timedelta(hours=3), now=datetime(2026, 3, 1, tzinfo=UTC))

    early = plan[M.REMINDER_EARLY].astimezone(LONDON)
    assert (early.day, early.hour) == (27, 11), "Friday at 11:00 GMT, the appointment's local time"
    assert plan[M.REMINDER_EARLY] == datetime(2026, 3, 27, 11, 0, tzinfo=UTC)


def test_aftercare_evening_is_in_the_artists_timezone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    start = datetime(2026, 6, 12, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo
    plan = _plan(start, start + timedelta(hours=4), now=datetime(2026, 5, 1, tzinfo=UTC), tz=tokyo)

    assert plan[M.AFTERCARE_EVENING].astimezone(tokyo).hour == 19
    assert plan[M.AFTERCARE_EVENING] == datetime(2026, 6, 12, 10, 0, tzinfo=UTC)


def test_a_session_ending_after_the_aftercare_hour_gets_its_message_an_hour_after_it_ends() -> None:
    start = datetime(2026, 6, 12, 15, 0, tzinfo=UTC)  # 16:00-21:00 BST
    end = start + timedelta(hours=5)
    plan = _plan(start, end, now=datetime(2026, 5, 1, tzinfo=UTC))

    assert plan[M.AFTERCARE_EVENING] == end + timedelta(hours=1)


def test_a_booking_made_two_days_ahead_skips_the_72_hour_reminder() -> None:
    start = datetime(2026, 6, 12, 10, 0, tzinfo=UTC)
    plan = _plan(start, start + timedelta(hours=4), now=start - timedelta(hours=48))

    assert M.REMINDER_EARLY not in plan
    assert M.REMINDER_FINAL in plan


def test_a_booking_for_tomorrow_morning_gets_no_reminder_but_still_aftercare() -> None:
    start = datetime(2026, 6, 12, 10, 0, tzinfo=UTC)
    plan = _plan(start, start + timedelta(hours=4), now=start - timedelta(hours=20))

    assert set(plan) == {M.AFTERCARE_EVENING, M.AFTERCARE_CHECK_IN, M.HEALED_PHOTO}


def test_a_reminder_is_not_worth_sending_once_the_session_has_started() -> None:
    start = datetime(2026, 6, 12, 10, 0, tzinfo=UTC)
    due = start - timedelta(hours=24)

    assert still_worth_sending(
        M.REMINDER_FINAL,
        due_at=due,
        appointment_start=start,
        now=start - timedelta(minutes=1),
        timings=TIMINGS,
    )
    assert not still_worth_sending(
        M.REMINDER_FINAL, due_at=due, appointment_start=start, now=start, timings=TIMINGS
    )


def test_aftercare_long_overdue_is_dropped_rather_than_sent_stale() -> None:
    start = datetime(2026, 6, 12, 10, 0, tzinfo=UTC)
    due = datetime(2026, 6, 12, 18, 0, tzinfo=UTC)

    assert still_worth_sending(
        M.AFTERCARE_EVENING,
        due_at=due,
        appointment_start=start,
        now=due + timedelta(hours=2),
        timings=TIMINGS,
    )
    assert not still_worth_sending(
        M.AFTERCARE_EVENING, due_at=due, appointment_start=start, now=due + timedelta(days=1), timings=TIMINGS
    )

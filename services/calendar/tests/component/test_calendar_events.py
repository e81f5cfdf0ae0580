"""The calendar write queue driving the real Google adapter against the local Calendar fake."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from inkline_calendar.adapters.calendar_port import BookingEvent
from inkline_calendar.adapters.google_calendar import GoogleCalendar
from inkline_calendar.db import calendar_jobs
from inkline_calendar.db.calendar_jobs import booking_event_details
from inkline_calendar.domain.event_ids import event_id_for_booking
from inkline_calendar.domain.intervals import UtcInterval
from inkline_calendar.domain.retries import RetrySchedule
from inkline_calendar.jobs.calendar_sync import CalendarSync
from inkline_calendar.testing import Database
from inkline_contracts import subjects
from inkline_platform.testing import FakeClock
from inkline_sandbox.google import CalendarFault, CalendarOperation, GoogleSandbox

ARTIST_CALENDAR = "artist@example.com"
START = datetime(2027, 3, 23, 10, 0, tzinfo=UTC)
SCHEDULE = RetrySchedule(base=timedelta(seconds=30), cap=timedelta(minutes=10), max_attempts=3)


async def queue_insert(database: Database, clock: FakeClock) -> uuid.UUID:
    booking = uuid.uuid4()
    async with database.uow() as work:
        await calendar_jobs.enqueue(
            work.session,
            action=calendar_jobs.INSERT,
            booking_id=booking,
            lead_id=uuid.uuid4(),
            event_id=event_id_for_booking(booking),
            due_at=clock(),
            causation_id=uuid.uuid4(),
            details=booking_event_details(
                start=START,
                end=START + timedelta(hours=4),
                time_zone="Europe/London",
                city="London",
                size="medium",
            ),
        )
        await work.commit()
    return booking


def sync(database: Database, adapter: GoogleCalendar, clock: FakeClock) -> CalendarSync:
    return CalendarSync(
        uow=database.uow, calendar=adapter, clock=clock, schedule=SCHEDULE, service="calendar"
    )


async def test_an_insert_whose_answer_times_out_ends_with_one_event_and_one_event_created(
    database: Database, adapter: GoogleCalendar, clock: FakeClock, google: GoogleSandbox
) -> None:
    google.calendar.inject(CalendarOperation.INSERT, CalendarFault.CREATE_THEN_TIMEOUT)
    booking = await queue_insert(database, clock)
    worker = sync(database, adapter, clock)

    first = await worker.run_due()
    clock.advance(timedelta(seconds=30))
    second = await worker.run_due()

    events = google.calendar.events(ARTIST_CALENDAR)
    created = await database.published(subjects.CALENDAR_EVENT_CREATED)
    assert (first, second) == (1, 1)
    assert [e["id"] for e in events] == [event_id_for_booking(booking)]
    assert events[0]["extendedProperties"]["private"] == {"inkline_booking_id": str(booking)}
    assert events[0]["start"]["timeZone"] == "Europe/London"
    assert [m["payload"]["booking_id"] for m in created] == [str(booking)]
    assert created[0]["payload"]["html_link"] == events[0]["htmlLink"]
    inserts = [c.status for c in google.calendar.calls if c.operation is CalendarOperation.INSERT]
    assert inserts == [200, 409]


@pytest.mark.parametrize(
    "fault", [CalendarFault.RATE_LIMIT_429, CalendarFault.RATE_LIMIT_403, CalendarFault.UNAVAILABLE_503]
)
async def test_rate_limits_and_server_errors_are_retried_after_a_growing_delay(
    database: Database, adapter: GoogleCalendar, clock: FakeClock, google: GoogleSandbox, fault: CalendarFault
) -> None:
    google.calendar.inject(CalendarOperation.INSERT, fault, times=2)
    await queue_insert(database, clock)
    worker = sync(database, adapter, clock)

    attempts = [await worker.run_due()]
    for wait in (timedelta(seconds=30), timedelta(seconds=59), timedelta(seconds=1)):
        clock.advance(wait)
        attempts.append(await worker.run_due())

    # Retries at +30 s and +60 s: nothing is due 59 s after the second failure.
    assert attempts == [1, 1, 0, 1]
    assert len(google.calendar.events(ARTIST_CALENDAR)) == 1
    assert len(await database.published(subjects.CALENDAR_EVENT_CREATED)) == 1
    assert await database.rows("SELECT state, attempts FROM calendar_jobs") == [("done", 3)]


async def test_after_the_last_attempt_the_artist_is_told_the_event_failed(
    database: Database, adapter: GoogleCalendar, clock: FakeClock, google: GoogleSandbox
) -> None:
    google.calendar.inject(CalendarOperation.INSERT, CalendarFault.BACKEND_ERROR_500, times=5)
    booking = await queue_insert(database, clock)
    worker = sync(database, adapter, clock)

    for _ in range(5):
        await worker.run_due()
        clock.advance(timedelta(minutes=10))

    failed = await database.published(subjects.CALENDAR_EVENT_FAILED)
    assert [(m["payload"]["booking_id"], m["payload"]["attempts"]) for m in failed] == [(str(booking), 3)]
    assert await database.published(subjects.CALENDAR_EVENT_CREATED) == []
    assert await database.rows("SELECT state FROM calendar_jobs") == [("failed",)]


async def test_deleting_removes_the_event_and_a_missing_one_counts_as_deleted(
    database: Database, adapter: GoogleCalendar, clock: FakeClock, google: GoogleSandbox
) -> None:
    booking = await queue_insert(database, clock)
    worker = sync(database, adapter, clock)
    await worker.run_due()
    found = await adapter.find_event_by_booking(booking)

    await adapter.delete_event(event_id_for_booking(booking))
    await adapter.delete_event(event_id_for_booking(booking))

    assert found is not None
    assert found.event_id == event_id_for_booking(booking)
    assert google.calendar.events(ARTIST_CALENDAR) == []
    assert await adapter.find_event_by_booking(booking) is None


async def test_free_busy_comes_back_as_utc_intervals(adapter: GoogleCalendar, google: GoogleSandbox) -> None:
    google.calendar.add_busy_block(ARTIST_CALENDAR, START, START + timedelta(hours=2))

    busy = await adapter.busy(UtcInterval(START - timedelta(days=1), START + timedelta(days=1)))

    assert busy == [UtcInterval(START, START + timedelta(hours=2))]


async def queue_patch(database: Database, clock: FakeClock, booking: uuid.UUID, start: datetime) -> None:
    async with database.uow() as work:
        await calendar_jobs.enqueue_patch(
            work.session,
            booking_id=booking,
            lead_id=uuid.uuid4(),
            event_id=event_id_for_booking(booking),
            due_at=clock(),
            causation_id=uuid.uuid4(),
            details=booking_event_details(
                start=start,
                end=start + timedelta(hours=4),
                time_zone="Europe/London",
                city="London",
                size="medium",
            ),
        )
        await work.commit()


async def test_a_patch_moves_the_event_under_its_own_id_and_keeps_its_booking_property(
    database: Database, adapter: GoogleCalendar, clock: FakeClock, google: GoogleSandbox
) -> None:
    booking = await queue_insert(database, clock)
    worker = sync(database, adapter, clock)
    await worker.run_due()
    later = START + timedelta(days=2)

    await queue_patch(database, clock, booking, later)
    await worker.run_due()

    (event,) = google.calendar.events(ARTIST_CALENDAR)
    assert event["id"] == event_id_for_booking(booking)
    assert event["start"] == {"dateTime": later.isoformat(), "timeZone": "Europe/London"}
    assert event["end"] == {"dateTime": (later + timedelta(hours=4)).isoformat(), "timeZone": "Europe/London"}
    assert event["extendedProperties"]["private"] == {"inkline_booking_id": str(booking)}
    assert event["summary"] == "Tattoo session (medium), London"
    assert [(c.operation, c.event_id, c.status) for c in google.calendar.calls][-1] == (
        CalendarOperation.PATCH,
        event_id_for_booking(booking),
        200,
    )
    assert len(await database.published(subjects.CALENDAR_EVENT_CREATED)) == 1


async def test_patching_an_event_google_does_not_have_answers_none(
    adapter: GoogleCalendar, google: GoogleSandbox
) -> None:
    booking = uuid.uuid4()
    event = BookingEvent(
        booking_id=booking,
        event_id=event_id_for_booking(booking),
        start=START,
        end=START + timedelta(hours=4),
        time_zone="Europe/London",
        summary="Tattoo session",
        description="",
    )

    assert await adapter.patch_event(event) is None
    assert [(c.operation, c.status) for c in google.calendar.calls] == [(CalendarOperation.PATCH, 404)]


async def test_a_patch_of_a_missing_event_inserts_it_under_the_same_id_instead(
    database: Database, adapter: GoogleCalendar, clock: FakeClock, google: GoogleSandbox
) -> None:
    booking = uuid.uuid4()
    await queue_patch(database, clock, booking, START)

    await sync(database, adapter, clock).run_due()

    assert [e["id"] for e in google.calendar.events(ARTIST_CALENDAR)] == [event_id_for_booking(booking)]
    assert [(c.operation, c.status) for c in google.calendar.calls] == [
        (CalendarOperation.PATCH, 404),
        (CalendarOperation.INSERT, 200),
    ]
    created = await database.published(subjects.CALENDAR_EVENT_CREATED)
    assert [m["payload"]["event_id"] for m in created] == [event_id_for_booking(booking)]
    assert await database.rows("SELECT action, state FROM calendar_jobs") == [("patch", "done")]


async def test_a_patch_that_keeps_failing_is_retried_then_the_artist_is_alerted(
    database: Database, adapter: GoogleCalendar, clock: FakeClock, google: GoogleSandbox
) -> None:
    booking = await queue_insert(database, clock)
    worker = sync(database, adapter, clock)
    await worker.run_due()
    google.calendar.inject(CalendarOperation.PATCH, CalendarFault.UNAVAILABLE_503, times=3)
    await queue_patch(database, clock, booking, START + timedelta(days=2))

    for _ in range(3):
        await worker.run_due()
        clock.advance(timedelta(minutes=10))

    alerts = await database.published(subjects.SYSTEM_ALERT)
    assert [(m["payload"]["kind"], m["payload"]["details"]["event_id"]) for m in alerts] == [
        ("calendar_event_not_moved", event_id_for_booking(booking))
    ]
    assert await database.rows("SELECT state, attempts FROM calendar_jobs WHERE action = 'patch'") == [
        ("failed", 3)
    ]
    assert google.calendar.events(ARTIST_CALENDAR)[0]["start"]["dateTime"] == START.isoformat()


async def test_a_patch_moves_the_same_event_and_a_missing_one_answers_none(
    adapter: GoogleCalendar, google: GoogleSandbox
) -> None:
    day = UtcInterval(START - timedelta(hours=10), START + timedelta(days=3))
    booking = uuid.uuid4()
    later = START + timedelta(days=1)

    def event(booking: uuid.UUID, start: datetime) -> BookingEvent:
        return BookingEvent(
            booking_id=booking,
            event_id=event_id_for_booking(booking),
            start=start,
            end=start + timedelta(hours=4),
            time_zone="Europe/London",
            summary="Tattoo session (medium), London",
            description="Booked through Inkline.",
        )

    inserted = await adapter.insert_event(event(booking, START))
    patched = await adapter.patch_event(event(booking, later))
    missing = await adapter.patch_event(event(uuid.uuid4(), later))

    assert patched == inserted
    assert missing is None
    assert await adapter.busy(day) == [UtcInterval(later, later + timedelta(hours=4))]
    assert len(google.calendar.events(ARTIST_CALENDAR)) == 1

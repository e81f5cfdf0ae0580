"""booking.move_requested against a real PostgreSQL and the Google fake: a reschedule in one step."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from inkline_calendar.adapters.google_calendar import GoogleCalendar
from inkline_calendar.domain.event_ids import event_id_for_booking
from inkline_calendar.domain.retries import RetrySchedule
from inkline_calendar.jobs.calendar_sync import CalendarSync
from inkline_calendar.testing import BookingFlow, Database
from inkline_contracts import subjects
from inkline_platform.testing import FakeClock
from inkline_sandbox.google import CalendarOperation, GoogleSandbox

ARTIST_CALENDAR = "artist@example.com"
MONDAY = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)  # the clock fixture's now
TUESDAY_TEN = datetime(2027, 3, 23, 10, 0, tzinfo=UTC)
WEDNESDAY_TEN = datetime(2027, 3, 24, 10, 0, tzinfo=UTC)
THURSDAY_TWELVE = datetime(2027, 3, 25, 12, 0, tzinfo=UTC)
SCHEDULE = RetrySchedule(base=timedelta(seconds=30), cap=timedelta(minutes=10), max_attempts=3)


def sync(database: Database, adapter: GoogleCalendar, clock: FakeClock) -> CalendarSync:
    return CalendarSync(
        uow=database.uow, calendar=adapter, clock=clock, schedule=SCHEDULE, service="calendar"
    )


def span(start: datetime, hours: int = 4) -> dict[str, str]:
    """A TimeRange as it appears in a published payload."""
    end = start + timedelta(hours=hours)
    return {"start": start.isoformat().replace("+00:00", "Z"), "end": end.isoformat().replace("+00:00", "Z")}


async def booked_and_held(flow: BookingFlow, lead: uuid.UUID) -> tuple[dict[str, Any], dict[str, Any]]:
    """A booking on Tuesday 10:00 and the same lead's new hold on Wednesday 10:00."""
    booking = await flow.book(lead, TUESDAY_TEN)
    hold = await flow.hold(lead, WEDNESDAY_TEN)
    assert hold is not None
    return booking, hold


async def live_rows(database: Database) -> list[Any]:
    return await database.rows(
        "SELECT lead_id, state, booking_id::text, deposit_id::text, lower(during) FROM reservations "
        "WHERE state IN ('held', 'booked') ORDER BY lower(during)"
    )


async def test_a_move_books_the_new_hold_under_the_same_booking_and_announces_it(
    database: Database, flow: BookingFlow
) -> None:
    lead = uuid.uuid4()
    booking, hold = await booked_and_held(flow, lead)

    move = await flow.move(lead, booking["booking_id"], hold["hold_id"])

    moved = await flow.answers_to(subjects.BOOKING_MOVED, move)
    assert moved == [
        {
            "booking_id": booking["booking_id"],
            "lead_id": str(lead),
            "hold_id": hold["hold_id"],
            "previous_range": span(TUESDAY_TEN),
            "range": span(WEDNESDAY_TEN),
            "city": "London",
            "timezone": "Europe/London",
        }
    ]
    assert await live_rows(database) == [
        (lead, "booked", booking["booking_id"], booking["deposit_id"], WEDNESDAY_TEN)
    ]
    assert await database.rows(
        "SELECT state, booking_id::text, moved_to::text FROM reservations WHERE state = 'moved'"
    ) == [("moved", booking["booking_id"], hold["hold_id"])]
    assert await flow.answers_to(subjects.BOOKING_MOVE_REJECTED, move) == []
    assert [m["correlation_id"] for m in await database.published(subjects.BOOKING_MOVED)] == [str(lead)]


async def test_a_move_frees_the_old_range_for_someone_else_and_says_so(
    database: Database, flow: BookingFlow
) -> None:
    lead, rival = uuid.uuid4(), uuid.uuid4()
    booking, hold = await booked_and_held(flow, lead)
    before = await flow.hold(rival, TUESDAY_TEN)

    move = await flow.move(lead, booking["booking_id"], hold["hold_id"])
    after = await flow.hold(rival, TUESDAY_TEN)

    assert before is None
    assert after is not None
    assert await flow.answers_to(subjects.CALENDAR_SLOT_FREED, move) == [
        {
            "booking_id": booking["booking_id"],
            "lead_id": str(lead),
            "range": span(TUESDAY_TEN),
            "city": "London",
            "country_code": "GB",
            "size_category": "medium",
            "reason": "rescheduled",
        }
    ]


async def test_a_move_before_the_event_was_inserted_inserts_it_at_the_new_time_and_patches_nothing(
    database: Database, flow: BookingFlow, adapter: GoogleCalendar, clock: FakeClock, google: GoogleSandbox
) -> None:
    lead = uuid.uuid4()
    booking, hold = await booked_and_held(flow, lead)

    await flow.move(lead, booking["booking_id"], hold["hold_id"])
    await sync(database, adapter, clock).run_due()

    events = google.calendar.events(ARTIST_CALENDAR)
    assert [(e["id"], e["start"]["dateTime"]) for e in events] == [
        (event_id_for_booking(uuid.UUID(booking["booking_id"])), WEDNESDAY_TEN.isoformat())
    ]
    assert [c.operation for c in google.calendar.calls] == [CalendarOperation.INSERT]
    assert await database.rows("SELECT action, state FROM calendar_jobs") == [("insert", "done")]


async def test_a_move_after_the_event_was_inserted_patches_that_same_event(
    database: Database, flow: BookingFlow, adapter: GoogleCalendar, clock: FakeClock, google: GoogleSandbox
) -> None:
    lead = uuid.uuid4()
    booking, hold = await booked_and_held(flow, lead)
    worker = sync(database, adapter, clock)
    await worker.run_due()
    inserted = google.calendar.events(ARTIST_CALENDAR)

    move = await flow.move(lead, booking["booking_id"], hold["hold_id"])
    await worker.run_due()

    events = google.calendar.events(ARTIST_CALENDAR, include_cancelled=True)
    event_id = event_id_for_booking(uuid.UUID(booking["booking_id"]))
    assert [e["id"] for e in inserted] == [event_id]
    assert [e["id"] for e in events] == [event_id]
    assert events[0]["start"] == {"dateTime": WEDNESDAY_TEN.isoformat(), "timeZone": "Europe/London"}
    assert events[0]["end"]["dateTime"] == (WEDNESDAY_TEN + timedelta(hours=4)).isoformat()
    assert events[0]["extendedProperties"]["private"] == {"inkline_booking_id": booking["booking_id"]}
    assert events[0]["sequence"] == 1
    assert [(c.operation, c.status) for c in google.calendar.calls] == [
        (CalendarOperation.INSERT, 200),
        (CalendarOperation.PATCH, 200),
    ]
    assert await database.rows("SELECT action, state, causation_id FROM calendar_jobs ORDER BY id") == [
        (
            "insert",
            "done",
            uuid.UUID((await database.published(subjects.BOOKING_CONFIRMED))[0]["causation_id"]),
        ),
        ("patch", "done", move.message_id),
    ]


async def test_moving_twice_patches_the_one_event_to_the_latest_time(
    database: Database, flow: BookingFlow, adapter: GoogleCalendar, clock: FakeClock, google: GoogleSandbox
) -> None:
    lead = uuid.uuid4()
    booking, hold = await booked_and_held(flow, lead)
    worker = sync(database, adapter, clock)
    await worker.run_due()
    await flow.move(lead, booking["booking_id"], hold["hold_id"])
    await worker.run_due()
    second_hold = await flow.hold(lead, THURSDAY_TWELVE)
    assert second_hold is not None

    second = await flow.move(lead, booking["booking_id"], second_hold["hold_id"])
    await worker.run_due()

    moved = await flow.answers_to(subjects.BOOKING_MOVED, second)
    assert [(m["previous_range"], m["range"]) for m in moved] == [
        (span(WEDNESDAY_TEN), span(THURSDAY_TWELVE))
    ]
    events = google.calendar.events(ARTIST_CALENDAR)
    assert [(e["id"], e["start"]["dateTime"], e["sequence"]) for e in events] == [
        (event_id_for_booking(uuid.UUID(booking["booking_id"])), THURSDAY_TWELVE.isoformat(), 2)
    ]
    assert await live_rows(database) == [
        (lead, "booked", booking["booking_id"], booking["deposit_id"], THURSDAY_TWELVE)
    ]
    assert sorted(await database.rows("SELECT action, state, attempts FROM calendar_jobs")) == [
        ("insert", "done", 1),
        ("patch", "done", 1),
    ]


async def test_the_same_move_delivered_twice_is_handled_once(database: Database, flow: BookingFlow) -> None:
    lead = uuid.uuid4()
    booking, hold = await booked_and_held(flow, lead)
    message_id = uuid.uuid4()

    await flow.move(lead, booking["booking_id"], hold["hold_id"], message_id=message_id)
    await flow.move(lead, booking["booking_id"], hold["hold_id"], message_id=message_id)

    assert len(await database.published(subjects.BOOKING_MOVED)) == 1
    assert len(await database.published(subjects.CALENDAR_SLOT_FREED)) == 1


async def test_a_repeated_move_command_re_announces_the_move_and_changes_nothing(
    database: Database, flow: BookingFlow
) -> None:
    lead = uuid.uuid4()
    booking, hold = await booked_and_held(flow, lead)
    first = await flow.move(lead, booking["booking_id"], hold["hold_id"])
    rows = await database.rows("SELECT id, state, updated_at FROM reservations ORDER BY id")
    jobs = await database.rows("SELECT action, state, details FROM calendar_jobs ORDER BY id")

    again = await flow.move(lead, booking["booking_id"], hold["hold_id"])

    assert await flow.answers_to(subjects.BOOKING_MOVED, again) == await flow.answers_to(
        subjects.BOOKING_MOVED, first
    )
    assert await flow.answers_to(subjects.CALENDAR_SLOT_FREED, again) == []
    assert await flow.answers_to(subjects.BOOKING_MOVE_REJECTED, again) == []
    assert await database.rows("SELECT id, state, updated_at FROM reservations ORDER BY id") == rows
    assert await database.rows("SELECT action, state, details FROM calendar_jobs ORDER BY id") == jobs


async def test_a_move_onto_an_expired_hold_is_rejected_and_the_booking_stays_where_it_was(
    database: Database, flow: BookingFlow, clock: FakeClock
) -> None:
    lead = uuid.uuid4()
    booking, hold = await booked_and_held(flow, lead)
    jobs = await database.rows("SELECT action, state, details FROM calendar_jobs")
    clock.advance(timedelta(minutes=46))

    move = await flow.move(lead, booking["booking_id"], hold["hold_id"])

    rejected = await flow.answers_to(subjects.BOOKING_MOVE_REJECTED, move)
    assert rejected == [
        {
            "booking_id": booking["booking_id"],
            "lead_id": str(lead),
            "hold_id": hold["hold_id"],
            "reason": "hold_expired",
        }
    ]
    assert [m["hold_id"] for m in await flow.answers_to(subjects.HOLD_EXPIRED, move)] == [hold["hold_id"]]
    assert await live_rows(database) == [
        (lead, "booked", booking["booking_id"], booking["deposit_id"], TUESDAY_TEN)
    ]
    assert await database.rows("SELECT action, state, details FROM calendar_jobs") == jobs
    assert await database.published(subjects.BOOKING_MOVED) == []
    assert await database.published(subjects.CALENDAR_SLOT_FREED) == []


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("unknown booking", "booking_not_found"),
        ("cancelled booking", "booking_cancelled"),
        ("unknown hold", "hold_not_found"),
        ("hold of another lead", "hold_of_another_lead"),
        ("booking of another lead", "booking_of_another_lead"),
        ("the booking's own row", "hold_not_held"),
        ("session already started", "booking_started"),
    ],
)
async def test_a_move_that_cannot_be_made_is_rejected_with_its_reason_and_changes_nothing(
    database: Database, flow: BookingFlow, clock: FakeClock, case: str, reason: str
) -> None:
    lead, other = uuid.uuid4(), uuid.uuid4()
    booking = await flow.book(lead, TUESDAY_TEN)
    booking_id, hold_id, asking = booking["booking_id"], None, lead
    if case == "unknown booking":
        booking_id = str(uuid.uuid4())
    elif case == "cancelled booking":
        await flow.cancel(lead)
    elif case == "unknown hold":
        hold_id = str(uuid.uuid4())
    elif case == "hold of another lead":
        others = await flow.hold(other, WEDNESDAY_TEN)
        assert others is not None
        hold_id = others["hold_id"]
    elif case == "booking of another lead":
        asking = other
    elif case == "the booking's own row":
        hold_id = booking["hold_id"]
    elif case == "session already started":
        clock.advance(TUESDAY_TEN - MONDAY + timedelta(minutes=1))
    if hold_id is None:
        held = await flow.hold(
            asking, WEDNESDAY_TEN if case != "session already started" else THURSDAY_TWELVE
        )
        assert held is not None
        hold_id = held["hold_id"]
    rows = await database.rows("SELECT id, state, booking_id, updated_at FROM reservations ORDER BY id")

    move = await flow.move(asking, booking_id, hold_id)

    assert [m["reason"] for m in await flow.answers_to(subjects.BOOKING_MOVE_REJECTED, move)] == [reason]
    assert (
        await database.rows("SELECT id, state, booking_id, updated_at FROM reservations ORDER BY id") == rows
    )
    assert await database.published(subjects.BOOKING_MOVED) == []
    assert await database.rows("SELECT count(*) FROM calendar_jobs WHERE action = 'patch'") == [(0,)]


async def test_holds_racing_the_move_for_the_old_range_never_overlap_it_and_the_booking_never_lapses(
    database: Database, flow: BookingFlow
) -> None:
    lead = uuid.uuid4()
    booking, hold = await booked_and_held(flow, lead)
    done = asyncio.Event()
    snapshots: list[tuple[int, int]] = []

    async def watch() -> None:
        # One statement is one snapshot: the booking's live rows and the overlapping active pairs together.
        while not done.is_set():
            (row,) = await database.rows(
                "SELECT (SELECT count(*) FROM reservations WHERE state = 'booked' AND booking_id = :b), "
                "(SELECT count(*) FROM reservations a JOIN reservations b ON a.id < b.id "
                " WHERE a.state IN ('held', 'booked') AND b.state IN ('held', 'booked') AND a.during && b.during)",
                b=uuid.UUID(booking["booking_id"]),
            )
            snapshots.append((int(row[0]), int(row[1])))
            await asyncio.sleep(0)

    async def contend(index: int) -> dict[str, Any] | None:
        # Every range starts within the first hour of the old session, so each overlaps it and all others.
        return await flow.hold(uuid.uuid4(), TUESDAY_TEN + timedelta(minutes=index % 60), hours=2)

    watcher = asyncio.create_task(watch())
    results = await asyncio.gather(
        flow.move(lead, booking["booking_id"], hold["hold_id"]), *(contend(i) for i in range(100))
    )
    winners = [placed for placed in results[1:] if placed is not None]
    # Whoever lost only to the booking can try again now that it has moved.
    while not winners:
        retry = await contend(0)
        if retry is not None:
            winners.append(retry)
    done.set()
    await watcher

    assert len(await database.published(subjects.BOOKING_MOVED)) == 1
    assert [row for row in await live_rows(database) if row[1] == "booked"] == [
        (lead, "booked", booking["booking_id"], booking["deposit_id"], WEDNESDAY_TEN)
    ]
    assert snapshots
    assert all(snapshot == (1, 0) for snapshot in snapshots)
    assert await database.rows(
        "SELECT count(*) FROM reservations a JOIN reservations b ON a.id < b.id "
        "WHERE a.state IN ('held', 'booked') AND b.state IN ('held', 'booked') AND a.during && b.during"
    ) == [(0,)]
    rejected = await database.published(subjects.HOLD_REJECTED)
    assert {m["payload"]["reason"] for m in rejected} == {"taken"}


async def test_the_calendar_event_names_the_client_and_the_hold_says_the_sessions_zone(
    database: Database, flow: BookingFlow, adapter: GoogleCalendar, clock: FakeClock, google: GoogleSandbox
) -> None:
    lead = uuid.uuid4()
    first = await flow.hold(lead, TUESDAY_TEN, client_name="Sam Rivera")
    assert first is not None
    await flow.pay(lead, first["hold_id"])
    worker = sync(database, adapter, clock)
    await worker.run_due()
    inserted = google.calendar.events(ARTIST_CALENDAR)
    # A reschedule's hold carries the name too; the patched event keeps it.
    booking = (await database.published(subjects.BOOKING_CONFIRMED))[-1]["payload"]
    second = await flow.hold(lead, WEDNESDAY_TEN, client_name="Sam Rivera")
    assert second is not None
    await flow.move(lead, booking["booking_id"], second["hold_id"])
    await worker.run_due()

    assert first["timezone"] == "Europe/London"
    assert [e["summary"] for e in inserted] == ["Tattoo session with Sam Rivera (medium), London"]
    (moved,) = google.calendar.events(ARTIST_CALENDAR)
    assert moved["summary"] == "Tattoo session with Sam Rivera (medium), London"

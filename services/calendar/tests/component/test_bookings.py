"""deposit.paid and lead.cancelled: holds become bookings, late payments re-hold or conflict."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from inkline_calendar.handlers.deposits import DepositPaidHandler
from inkline_calendar.handlers.holds import PlaceHoldHandler
from inkline_calendar.handlers.leads import LeadCancelledHandler
from inkline_calendar.handlers.rules import CalendarRules
from inkline_calendar.jobs.hold_sweeper import HoldSweeper
from inkline_calendar.testing import BookingFlow, Database
from inkline_contracts import subjects
from inkline_contracts.base import Money, SizeCategory, TimeRange
from inkline_contracts.events.deposit import DepositPaid
from inkline_contracts.events.hold import PlaceHold
from inkline_contracts.events.lead import LeadCancelled
from inkline_platform.testing import FakeClock, deliver

TUESDAY_TEN = datetime(2027, 3, 23, 10, 0, tzinfo=UTC)
WEDNESDAY_TEN = datetime(2027, 3, 24, 10, 0, tzinfo=UTC)


async def hold_for(database: Database, rules: CalendarRules, lead: uuid.UUID) -> dict[str, Any]:
    command = PlaceHold(
        lead_id=lead,
        slot_id="20270323T1000Z-240",
        range=TimeRange(start=TUESDAY_TEN, end=TUESDAY_TEN + timedelta(hours=4)),
        city="London",
        size_category=SizeCategory.MEDIUM,
    )
    await deliver(
        database.uow, PlaceHoldHandler(rules), subjects.HOLD_REQUESTED, command, correlation_id=str(lead)
    )
    placed: dict[str, Any] = (await database.published(subjects.HOLD_PLACED))[-1]["payload"]
    return placed


async def pay(
    database: Database, rules: CalendarRules, lead: uuid.UUID, hold_id: str, deposit: uuid.UUID | None = None
) -> uuid.UUID:
    deposit = deposit or uuid.uuid4()
    paid = DepositPaid(
        deposit_id=deposit,
        lead_id=lead,
        hold_id=uuid.UUID(hold_id),
        amount=Money(amount_minor=10000, currency="GBP"),
        paid_at=rules.clock(),
        checkout_session_id="cs_test_1",
    )
    await deliver(
        database.uow, DepositPaidHandler(rules), subjects.DEPOSIT_PAID, paid, correlation_id=str(lead)
    )
    return deposit


def clock_of(rules: CalendarRules) -> FakeClock:
    assert isinstance(rules.clock, FakeClock)
    return rules.clock


async def test_paying_within_the_ttl_books_the_hold_and_queues_its_calendar_event(
    database: Database, rules: CalendarRules
) -> None:
    lead = uuid.uuid4()
    hold = await hold_for(database, rules, lead)

    deposit = await pay(database, rules, lead, hold["hold_id"])

    confirmed = await database.published(subjects.BOOKING_CONFIRMED)
    assert len(confirmed) == 1
    booking = confirmed[0]["payload"]
    assert (booking["hold_id"], booking["deposit_id"], booking["city"]) == (
        hold["hold_id"],
        str(deposit),
        "London",
    )
    assert confirmed[0]["correlation_id"] == str(lead)
    assert await database.rows("SELECT state, booking_id::text FROM reservations") == [
        ("booked", booking["booking_id"])
    ]
    assert await database.rows("SELECT action, state, booking_id::text FROM calendar_jobs") == [
        ("insert", "pending", booking["booking_id"])
    ]


async def test_the_same_deposit_reported_twice_books_once(database: Database, rules: CalendarRules) -> None:
    lead = uuid.uuid4()
    hold = await hold_for(database, rules, lead)
    deposit = await pay(database, rules, lead, hold["hold_id"])

    await pay(database, rules, lead, hold["hold_id"], deposit)

    assert len(await database.published(subjects.BOOKING_CONFIRMED)) == 1
    assert await database.published(subjects.BOOKING_CONFLICT) == []
    assert await database.rows("SELECT count(*) FROM calendar_jobs") == [(1,)]


async def test_paid_after_expiry_with_the_slot_still_free_is_re_held_and_booked(
    database: Database, rules: CalendarRules
) -> None:
    lead = uuid.uuid4()
    hold = await hold_for(database, rules, lead)
    clock_of(rules).advance(timedelta(hours=1))
    await HoldSweeper(uow=database.uow, clock=rules.clock).sweep()

    await pay(database, rules, lead, hold["hold_id"])

    confirmed = await database.published(subjects.BOOKING_CONFIRMED)
    assert [m["payload"]["hold_id"] for m in confirmed] == [hold["hold_id"]]
    assert await database.published(subjects.BOOKING_CONFLICT) == []
    states = await database.rows("SELECT state, rehold_of::text FROM reservations ORDER BY state")
    assert states == [("booked", hold["hold_id"]), ("expired", None)]


async def test_paid_after_expiry_with_the_slot_taken_is_a_booking_conflict(
    database: Database, rules: CalendarRules
) -> None:
    lead, rival = uuid.uuid4(), uuid.uuid4()
    hold = await hold_for(database, rules, lead)
    clock_of(rules).advance(timedelta(hours=1))
    rival_hold = await hold_for(database, rules, rival)

    deposit = await pay(database, rules, lead, hold["hold_id"])

    conflicts = await database.published(subjects.BOOKING_CONFLICT)
    assert [(m["payload"]["hold_id"], m["payload"]["deposit_id"]) for m in conflicts] == [
        (hold["hold_id"], str(deposit))
    ]
    assert conflicts[0]["correlation_id"] == str(lead)
    assert await database.published(subjects.BOOKING_CONFIRMED) == []
    assert await database.rows(
        "SELECT id::text, state FROM reservations WHERE state IN ('held', 'booked')"
    ) == [(rival_hold["hold_id"], "held")]


async def test_cancelling_a_lead_releases_its_hold(database: Database, rules: CalendarRules) -> None:
    lead = uuid.uuid4()
    hold = await hold_for(database, rules, lead)

    await deliver(
        database.uow,
        LeadCancelledHandler(rules),
        subjects.LEAD_CANCELLED,
        LeadCancelled(lead_id=lead, reason="changed mind"),
        correlation_id=str(lead),
    )

    released = await database.published(subjects.HOLD_RELEASED)
    assert [m["payload"]["hold_id"] for m in released] == [hold["hold_id"]]
    assert await database.rows("SELECT state FROM reservations") == [("released",)]


async def test_cancelling_a_booked_lead_cancels_the_booking_and_queues_the_event_delete(
    database: Database, rules: CalendarRules
) -> None:
    lead = uuid.uuid4()
    hold = await hold_for(database, rules, lead)
    await pay(database, rules, lead, hold["hold_id"])

    await deliver(
        database.uow,
        LeadCancelledHandler(rules),
        subjects.LEAD_CANCELLED,
        LeadCancelled(lead_id=lead, reason="moved abroad"),
        correlation_id=str(lead),
    )

    booking_id = (await database.published(subjects.BOOKING_CONFIRMED))[0]["payload"]["booking_id"]
    cancelled = await database.published(subjects.BOOKING_CANCELLED)
    assert [(m["payload"]["booking_id"], m["payload"]["reason"]) for m in cancelled] == [
        (booking_id, "moved abroad")
    ]
    assert sorted(await database.rows("SELECT action, state FROM calendar_jobs")) == [
        ("delete", "pending"),
        ("insert", "cancelled"),
    ]


async def test_cancelling_a_future_booking_announces_its_slot_as_free(
    database: Database, flow: BookingFlow
) -> None:
    lead = uuid.uuid4()
    booking = await flow.book(lead, TUESDAY_TEN)

    cancel = await flow.cancel(lead, reason="client cancelled in chat")

    assert await flow.answers_to(subjects.CALENDAR_SLOT_FREED, cancel) == [
        {
            "booking_id": booking["booking_id"],
            "lead_id": str(lead),
            "range": {"start": "2027-03-23T10:00:00Z", "end": "2027-03-23T14:00:00Z"},
            "city": "London",
            "country_code": "GB",
            "size_category": "medium",
            "reason": "client cancelled in chat",
        }
    ]
    assert await flow.hold(uuid.uuid4(), TUESDAY_TEN) is not None


async def test_cancelling_a_booking_whose_session_has_begun_frees_no_slot(
    database: Database, flow: BookingFlow
) -> None:
    lead = uuid.uuid4()
    await flow.book(lead, TUESDAY_TEN)
    clock_of(flow.rules).now = TUESDAY_TEN

    cancel = await flow.cancel(lead)

    assert len(await flow.answers_to(subjects.BOOKING_CANCELLED, cancel)) == 1
    assert await database.published(subjects.CALENDAR_SLOT_FREED) == []


async def test_cancelling_a_moved_booking_cancels_it_at_its_new_time_and_drops_its_pending_patch(
    database: Database, flow: BookingFlow
) -> None:
    lead = uuid.uuid4()
    booking = await flow.book_then_move(lead, TUESDAY_TEN, WEDNESDAY_TEN)

    cancel = await flow.cancel(lead, reason="changed mind")

    freed = await flow.answers_to(subjects.CALENDAR_SLOT_FREED, cancel)
    assert [m["range"]["start"] for m in freed] == ["2027-03-24T10:00:00Z"]
    assert [m["booking_id"] for m in await flow.answers_to(subjects.BOOKING_CANCELLED, cancel)] == [
        booking["booking_id"]
    ]
    assert sorted(await database.rows("SELECT action, state FROM calendar_jobs")) == [
        ("delete", "pending"),
        ("insert", "done"),
        ("patch", "cancelled"),
    ]
    assert await database.rows("SELECT state FROM reservations ORDER BY lower(during)") == [
        ("moved",),
        ("cancelled",),
    ]


async def test_the_same_deposit_reported_again_after_a_move_changes_nothing(
    database: Database, flow: BookingFlow
) -> None:
    lead = uuid.uuid4()
    booking = await flow.book(lead, TUESDAY_TEN)
    hold = await flow.hold(lead, WEDNESDAY_TEN)
    assert hold is not None
    await flow.move(lead, booking["booking_id"], hold["hold_id"])

    await flow.pay(lead, booking["hold_id"], uuid.UUID(booking["deposit_id"]))

    assert await database.published(subjects.BOOKING_CONFLICT) == []
    assert len(await database.published(subjects.BOOKING_CONFIRMED)) == 1
    assert await database.rows("SELECT state FROM reservations WHERE state IN ('held', 'booked')") == [
        ("booked",)
    ]

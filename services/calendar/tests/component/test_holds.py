"""hold.requested against a real PostgreSQL: the exclusion constraint decides, the handler reports."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from inkline_calendar.handlers.holds import PlaceHoldHandler
from inkline_calendar.handlers.rules import CalendarRules
from inkline_calendar.jobs.hold_sweeper import HoldSweeper
from inkline_calendar.testing import Database
from inkline_contracts import subjects
from inkline_contracts.base import SizeCategory, TimeRange
from inkline_contracts.events.hold import PlaceHold
from inkline_platform.testing import FakeClock, deliver

MONDAY = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)  # the clock fixture's now
TUESDAY_TEN = MONDAY + timedelta(days=1, hours=2)


def pick(lead: uuid.UUID, *, start_offset: timedelta = timedelta(0), hours: int = 2) -> PlaceHold:
    start = TUESDAY_TEN + start_offset
    return PlaceHold(
        lead_id=lead,
        slot_id=f"slot-{start:%H%M}",
        range=TimeRange(start=start, end=start + timedelta(hours=hours)),
        city="London",
        size_category=SizeCategory.SMALL,
    )


async def test_five_hundred_concurrent_picks_of_overlapping_ranges_place_exactly_one_hold(
    database: Database, rules: CalendarRules
) -> None:
    handler = PlaceHoldHandler(rules)
    leads = [uuid.uuid4() for _ in range(500)]
    # Every range starts within the first hour of a two-hour session, so each overlaps all the others.
    await asyncio.gather(
        *(
            deliver(
                database.uow,
                handler,
                subjects.HOLD_REQUESTED,
                pick(lead, start_offset=timedelta(minutes=index % 60)),
                correlation_id=str(lead),
            )
            for index, lead in enumerate(leads)
        )
    )

    placed = await database.published(subjects.HOLD_PLACED)
    rejected = await database.published(subjects.HOLD_REJECTED)
    overlaps = await database.rows(
        "SELECT count(*) FROM reservations a JOIN reservations b ON a.id < b.id "
        "WHERE a.state IN ('held', 'booked') AND b.state IN ('held', 'booked') AND a.during && b.during"
    )
    assert len(placed) == 1
    assert len(rejected) == 499
    assert {message["payload"]["reason"] for message in rejected} == {"taken"}
    assert overlaps == [(0,)]
    assert {m["correlation_id"] for m in placed + rejected} == {str(lead) for lead in leads}


async def test_a_placed_hold_expires_after_its_ttl(database: Database, rules: CalendarRules) -> None:
    lead = uuid.uuid4()
    await deliver(
        database.uow, PlaceHoldHandler(rules), subjects.HOLD_REQUESTED, pick(lead), correlation_id=str(lead)
    )
    placed = (await database.published(subjects.HOLD_PLACED))[0]["payload"]
    assert isinstance(rules.clock, FakeClock)
    sweeper = HoldSweeper(uow=database.uow, clock=rules.clock)

    rules.clock.advance(timedelta(minutes=44))
    early = await sweeper.sweep()
    rules.clock.advance(timedelta(minutes=1))
    due = await sweeper.sweep()
    again = await sweeper.sweep()

    expired = await database.published(subjects.HOLD_EXPIRED)
    assert placed["expires_at"] == (MONDAY + timedelta(minutes=45)).isoformat().replace("+00:00", "Z")
    assert (early, due, again) == (0, 1, 0)
    assert [m["payload"]["hold_id"] for m in expired] == [placed["hold_id"]]
    assert expired[0]["correlation_id"] == str(lead)
    assert await database.rows("SELECT state FROM reservations") == [("expired",)]


async def test_an_expired_hold_no_longer_blocks_its_slot(database: Database, rules: CalendarRules) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    handler = PlaceHoldHandler(rules)
    await deliver(database.uow, handler, subjects.HOLD_REQUESTED, pick(first), correlation_id=str(first))
    assert isinstance(rules.clock, FakeClock)
    rules.clock.advance(timedelta(hours=1))

    # The sweeper has not run: the request itself expires the lapsed hold before taking the slot.
    await deliver(database.uow, handler, subjects.HOLD_REQUESTED, pick(second), correlation_id=str(second))

    placed = await database.published(subjects.HOLD_PLACED)
    expired = await database.published(subjects.HOLD_EXPIRED)
    assert [m["payload"]["lead_id"] for m in placed] == [str(first), str(second)]
    assert [m["payload"]["lead_id"] for m in expired] == [str(first)]


async def test_re_picking_releases_the_previous_hold(database: Database, rules: CalendarRules) -> None:
    lead = uuid.uuid4()
    handler = PlaceHoldHandler(rules)
    await deliver(database.uow, handler, subjects.HOLD_REQUESTED, pick(lead), correlation_id=str(lead))
    # An overlapping re-pick only works because the old hold is let go in the same transaction.
    await deliver(
        database.uow,
        handler,
        subjects.HOLD_REQUESTED,
        pick(lead, start_offset=timedelta(minutes=30)),
        correlation_id=str(lead),
    )

    placed = await database.published(subjects.HOLD_PLACED)
    released = await database.published(subjects.HOLD_RELEASED)
    assert len(placed) == 2
    assert [m["payload"]["hold_id"] for m in released] == [placed[0]["payload"]["hold_id"]]
    assert sorted(await database.rows("SELECT state FROM reservations")) == [("held",), ("released",)]


async def test_a_re_pick_that_loses_keeps_the_hold_the_lead_had(
    database: Database, rules: CalendarRules
) -> None:
    lead, rival = uuid.uuid4(), uuid.uuid4()
    handler = PlaceHoldHandler(rules)
    await deliver(database.uow, handler, subjects.HOLD_REQUESTED, pick(lead), correlation_id=str(lead))
    later = timedelta(hours=4)
    await deliver(
        database.uow,
        handler,
        subjects.HOLD_REQUESTED,
        pick(rival, start_offset=later),
        correlation_id=str(rival),
    )

    await deliver(
        database.uow,
        handler,
        subjects.HOLD_REQUESTED,
        pick(lead, start_offset=later),
        correlation_id=str(lead),
    )

    rejected = await database.published(subjects.HOLD_REJECTED)
    assert [(m["payload"]["lead_id"], m["payload"]["reason"]) for m in rejected] == [(str(lead), "taken")]
    assert await database.published(subjects.HOLD_RELEASED) == []
    assert sorted(await database.rows("SELECT lead_id::text, state FROM reservations")) == sorted(
        [(str(lead), "held"), (str(rival), "held")]
    )


async def test_the_same_pick_twice_keeps_one_hold(database: Database, rules: CalendarRules) -> None:
    lead = uuid.uuid4()
    handler = PlaceHoldHandler(rules)
    for _ in range(2):
        await deliver(database.uow, handler, subjects.HOLD_REQUESTED, pick(lead), correlation_id=str(lead))

    placed = await database.published(subjects.HOLD_PLACED)
    assert len({m["payload"]["hold_id"] for m in placed}) == 1
    assert await database.rows("SELECT count(*) FROM reservations") == [(1,)]


async def test_a_slot_in_the_past_is_rejected_as_unavailable(
    database: Database, rules: CalendarRules
) -> None:
    lead = uuid.uuid4()
    await deliver(
        database.uow,
        PlaceHoldHandler(rules),
        subjects.HOLD_REQUESTED,
        pick(lead, start_offset=-timedelta(days=2)),
        correlation_id=str(lead),
    )

    rejected = await database.published(subjects.HOLD_REJECTED)
    assert [m["payload"]["reason"] for m in rejected] == ["unavailable"]
    assert await database.rows("SELECT count(*) FROM reservations") == [(0,)]

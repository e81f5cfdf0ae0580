"""The admin API's week of holds and bookings, the artist's move of a booking, and edited working hours,
against a real database (the routers in-process, bookings made through the real handlers)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from inkline_calendar.adapters.google_calendar import GoogleCalendar
from inkline_calendar.api.admin import admin_router
from inkline_calendar.api.bookings_admin import bookings_admin_router
from inkline_calendar.handlers.rules import CalendarRules
from inkline_calendar.handlers.slots import SuggestSlotsHandler
from inkline_calendar.testing import BookingFlow, Database
from inkline_contracts import subjects
from inkline_contracts.base import SizeCategory
from inkline_contracts.events.slots import RequestSlots
from inkline_platform.testing import FakeClock, deliver

from .conftest import MONDAY, SEED

TOKEN = "test-calendar-admin-token-32-chr"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TUESDAY_TEN = MONDAY.replace(day=23, hour=10)  # 10:00 in London (GMT until the 28th)
WEDNESDAY_TEN = MONDAY.replace(day=24, hour=10)
THURSDAY_TEN = MONDAY.replace(day=25, hour=10)


@pytest.fixture
async def admin(database: Database, rules: CalendarRules) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    app.include_router(admin_router(token=SecretStr(TOKEN), uow=database.uow, seed_file=Path(SEED)))
    app.include_router(bookings_admin_router(token=SecretStr(TOKEN), uow=database.uow, rules=rules))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://calendar"
    ) as client:
        yield client


def week_params(monday: datetime = MONDAY) -> dict[str, str]:
    return {"start": monday.isoformat(), "end": (monday + timedelta(days=7)).isoformat()}


async def test_the_week_lists_bookings_and_live_holds_with_when_each_hold_lapses(
    admin: httpx.AsyncClient, flow: BookingFlow, clock: FakeClock
) -> None:
    booked, held, lapsing = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await flow.book(booked, TUESDAY_TEN)
    await flow.hold(lapsing, THURSDAY_TEN)
    clock.advance(timedelta(minutes=30))
    hold = await flow.hold(held, WEDNESDAY_TEN, client_name="@inked.sam")
    assert hold is not None
    clock.advance(timedelta(minutes=20))  # the first hold's 45 minutes are up; the second has 25 left

    anonymous = await admin.get("/admin/reservations", params=week_params())
    week = await admin.get("/admin/reservations", params=week_params(), headers=AUTH)
    too_long = await admin.get(
        "/admin/reservations",
        params={"start": MONDAY.isoformat(), "end": (MONDAY + timedelta(days=40)).isoformat()},
        headers=AUTH,
    )

    assert anonymous.status_code == 401
    assert too_long.status_code == 422
    listed = week.json()
    assert [(r["kind"], r["lead_id"], r["start"]) for r in listed] == [
        ("booking", str(booked), "2027-03-23T10:00:00Z"),
        ("hold", str(held), "2027-03-24T10:00:00Z"),
    ]
    assert listed[0]["booking_id"] is not None
    assert listed[0]["expires_at"] is None
    assert listed[1]["client_name"] == "@inked.sam"
    assert datetime.fromisoformat(listed[1]["expires_at"]) == clock.now + timedelta(minutes=25)


async def test_moving_a_booking_an_hour_later_moves_it_as_a_reschedule_does(
    admin: httpx.AsyncClient, flow: BookingFlow, database: Database
) -> None:
    lead = uuid.uuid4()
    booking = await flow.book(lead, TUESDAY_TEN)
    later = TUESDAY_TEN + timedelta(hours=1)  # overlaps the booking's own time, which is not "taken"

    moved = await admin.post(
        f"/admin/bookings/{booking['booking_id']}/move", json={"start": later.isoformat()}, headers=AUTH
    )

    assert moved.status_code == 200, moved.text
    assert moved.json()["start"] == "2027-03-23T11:00:00Z"
    assert moved.json()["end"] == "2027-03-23T15:00:00Z"
    assert moved.json()["booking_id"] == booking["booking_id"]
    rows = await database.rows("SELECT state, booking_id::text FROM reservations ORDER BY lower(during)")
    assert rows == [("moved", booking["booking_id"]), ("booked", booking["booking_id"])]
    [announced] = await database.published(subjects.BOOKING_MOVED)
    assert announced["correlation_id"] == str(lead)
    assert announced["payload"]["previous_range"]["start"] == "2027-03-23T10:00:00Z"
    assert announced["payload"]["range"]["start"] == "2027-03-23T11:00:00Z"
    assert announced["payload"]["timezone"] == "Europe/London"
    [freed] = await database.published(subjects.CALENDAR_SLOT_FREED)
    assert freed["payload"]["reason"] == "rescheduled"
    # The event not written yet is written at the new time (a written one would be patched).
    [(details,)] = await database.rows("SELECT details FROM calendar_jobs WHERE state = 'pending'")
    assert details["start"].startswith("2027-03-23T11:00")


async def test_moving_onto_someone_elses_time_is_refused_and_changes_nothing(
    admin: httpx.AsyncClient, flow: BookingFlow, database: Database
) -> None:
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    booking = await flow.book(mine, TUESDAY_TEN)
    await flow.hold(theirs, WEDNESDAY_TEN)

    taken = await admin.post(
        f"/admin/bookings/{booking['booking_id']}/move",
        json={"start": (WEDNESDAY_TEN + timedelta(hours=2)).isoformat()},
        headers=AUTH,
    )
    past = await admin.post(
        f"/admin/bookings/{booking['booking_id']}/move",
        json={"start": (MONDAY - timedelta(days=1)).isoformat()},
        headers=AUTH,
    )
    unknown = await admin.post(
        f"/admin/bookings/{uuid.uuid4()}/move", json={"start": THURSDAY_TEN.isoformat()}, headers=AUTH
    )

    assert (taken.status_code, taken.json()["detail"]) == (409, "That time is taken.")
    assert past.status_code == 422
    assert unknown.status_code == 404
    rows = await database.rows("SELECT lead_id, state FROM reservations ORDER BY lower(during)")
    assert rows == [(mine, "booked"), (theirs, "held")]
    assert await database.published(subjects.BOOKING_MOVED) == []


async def test_new_working_hours_are_used_by_the_next_slot_search_and_the_old_ones_are_kept(
    admin: httpx.AsyncClient, database: Database, rules: CalendarRules, adapter: GoogleCalendar
) -> None:
    lead = uuid.uuid4()
    hours = {"monday": ["13:00-17:00"], "tuesday": [], "wednesday": ["09:00-12:00"]}

    changed = await admin.put(
        "/admin/working-hours", json={"timezone": "Europe/Lisbon", "working_hours": hours}, headers=AUTH
    )
    wrong = await admin.put(
        "/admin/working-hours",
        json={"timezone": "Europe/Lisbon", "working_hours": {"monday": ["17:00-09:00"]}},
        headers=AUTH,
    )
    ask = RequestSlots(
        request_id=uuid.uuid4(),
        lead_id=lead,
        city="London",
        country_code="GB",
        size_category=SizeCategory.SMALL,
    )
    await deliver(
        database.uow,
        SuggestSlotsHandler(rules, calendar=adapter),
        subjects.SLOTS_REQUESTED,
        ask,
        correlation_id=str(lead),
    )

    assert changed.status_code == 200, changed.text
    assert changed.json()["timezone"] == "Europe/Lisbon"
    assert changed.json()["working_hours"]["thursday"] == []
    assert [leg["city"] for leg in changed.json()["tour_legs"]] == ["Berlin"], "the rest of the rules stay"
    assert wrong.status_code == 422
    [offer] = await database.published(subjects.SLOTS_SUGGESTED)
    starts = [slot["range"]["start"] for slot in offer["payload"]["slots"]]
    # Lisbon keeps GMT until the 28th: Monday 13:00 is past the clock (08:00Z) and Wednesday 09:00 comes next.
    assert starts[:2] == ["2027-03-22T13:00:00Z", "2027-03-24T09:00:00Z"]
    versions = await database.rows("SELECT rules->>'timezone' FROM availability_rules_versions ORDER BY id")
    assert versions == [("Europe/Lisbon",)]


async def test_closed_on_public_holidays_is_saved_with_the_hours_and_kept_when_a_caller_leaves_it_out(
    admin: httpx.AsyncClient,
) -> None:
    hours = {"tuesday": ["10:00-18:00"]}
    closed = await admin.put(
        "/admin/working-hours",
        json={"timezone": "Europe/London", "working_hours": hours, "closed_on_public_holidays": True},
        headers=AUTH,
    )
    unnamed = await admin.put(
        "/admin/working-hours", json={"timezone": "Europe/London", "working_hours": hours}, headers=AUTH
    )
    stored = await admin.get("/admin/availability", headers=AUTH)

    assert closed.status_code == 200, closed.text
    assert closed.json()["closed_on_public_holidays"] is True
    assert unnamed.json()["closed_on_public_holidays"] is True
    assert stored.json()["closed_on_public_holidays"] is True

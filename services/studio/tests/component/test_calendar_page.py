"""The Calendar screen against the running calendar service: blocking a day keeps the next slot offer off it;
the week shows bookings (name, idea) and holds (time left); hours, timezone and tour legs change from it, and
a booking moves from it as a reschedule in chat does."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_calendar.app import create_app as create_calendar_app
from inkline_calendar.db import MIGRATIONS_DIR as CALENDAR_MIGRATIONS
from inkline_calendar.domain.holds import HoldPolicy
from inkline_calendar.handlers.rules import CalendarRules
from inkline_calendar.settings import CalendarSettings
from inkline_calendar.testing import BookingFlow, Database
from inkline_contracts import subjects
from inkline_contracts.base import SizeCategory
from inkline_contracts.events.slots import RequestSlots
from inkline_devstack.harness import JetStreamProbe, running_service
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_platform.db import make_engine
from inkline_studio.app import create_app
from inkline_studio.domain.week import WEEKDAYS
from inkline_studio.settings import StudioSettings
from inkline_studio.testing import Clock, csrf_of, publish_event, signed_in_cookie

# Monday 8 March 2027, 09:00 in London; the example rules work Tuesday to Saturday with 48 hours' notice.
MONDAY = datetime(2027, 3, 8, 9, 0, tzinfo=UTC)
WEDNESDAY_TEN = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)  # 10:00 in London (GMT until the 28th)


def settings_token(settings: StudioSettings) -> str:
    """The calendar token the studio sends, given to the calendar as its own."""
    return settings.calendar_admin_token.get_secret_value()


async def first_offered_days(nats_url: str) -> set[date]:
    """Ask the calendar for slots as conversation does; the days of the slots it offers."""
    request = RequestSlots(
        request_id=uuid.uuid4(),
        lead_id=uuid.uuid4(),
        city="London",
        country_code="GB",
        size_category=SizeCategory.SMALL,
    )
    async with JetStreamProbe(nats_url, subjects.SLOTS_SUGGESTED.name) as offers:
        await publish_event(nats_url, subjects.SLOTS_REQUESTED, request, correlation_id=str(request.lead_id))
        [offer] = await offers.wait_for(
            lambda found: any(m["payload"]["request_id"] == str(request.request_id) for m in found)
        )
    return {date.fromisoformat(slot["range"]["start"][:10]) for slot in offer["payload"]["slots"]}


async def test_blocking_a_day_shows_it_blocked_and_the_next_offer_skips_it(
    migrated_database: DatabaseFactory,
    nats_url: str,
    studio_settings: StudioSettings,
    calendar_providers: dict[str, Any],
) -> None:
    calendar = create_calendar_app(
        CalendarSettings(
            database_url=await migrated_database(CALENDAR_MIGRATIONS),
            nats_url=nats_url,
            **calendar_providers,
            calendar_admin_token=SecretStr(settings_token(studio_settings)),
            log_json=False,
        ),
        clock=lambda: MONDAY,
    )
    settings = studio_settings
    clock = Clock(MONDAY)
    studio = create_app(settings, clock=clock, calendar_transport=httpx.ASGITransport(app=calendar))
    cookie = signed_in_cookie(settings.studio_session_secret, clock=clock)
    async with running_service(calendar), running_service(studio) as client:
        client.cookies.update(cookie)
        before = await first_offered_days(nats_url)
        first = min(before)
        week = await client.get("/calendar")
        blocked = await client.post(f"/calendar/days/{first.isoformat()}/block", data={"csrf": csrf_of(week)})
        after_page = await client.get(blocked.headers["location"])
        after = await first_offered_days(nats_url)

    assert first == date(2027, 3, 10), "48 hours' notice from Monday 09:00 makes Wednesday the first day"
    assert week.status_code == 200
    assert 'id="day-2027-03-10" data-state="working"' in week.text
    assert blocked.status_code == 303
    assert blocked.headers["location"] == "/calendar?week=2027-03-08"
    assert 'id="day-2027-03-10" data-state="blocked"' in after_page.text
    assert first not in after
    assert after, "the calendar still offers other days"


async def test_a_form_without_its_csrf_token_blocks_nothing(
    migrated_database: DatabaseFactory,
    nats_url: str,
    studio_settings: StudioSettings,
    calendar_providers: dict[str, Any],
) -> None:
    calendar = create_calendar_app(
        CalendarSettings(
            database_url=await migrated_database(CALENDAR_MIGRATIONS),
            nats_url=nats_url,
            **calendar_providers,
            calendar_admin_token=SecretStr(settings_token(studio_settings)),
            log_json=False,
        ),
        clock=lambda: MONDAY,
    )
    settings = studio_settings
    clock = Clock(MONDAY)
    studio = create_app(settings, clock=clock, calendar_transport=httpx.ASGITransport(app=calendar))
    cookie = signed_in_cookie(settings.studio_session_secret, clock=clock)
    async with running_service(calendar), running_service(studio) as client:
        client.cookies.update(cookie)
        refused = await client.post("/calendar/days/2027-03-10/block")
        week = await client.get("/calendar?week=2027-03-10")

    assert refused.status_code == 403
    assert 'id="day-2027-03-10" data-state="working"' in week.text


HOLD_TTL = timedelta(minutes=45)


@dataclass
class Stack:
    """The studio in front of a calendar whose clock is Monday 09:00, and the calendar's database."""

    calendar: FastAPI
    studio: FastAPI
    cookie: dict[str, str]
    flow: BookingFlow
    engine: AsyncEngine


@contextlib.asynccontextmanager
async def calendar_stack(
    migrated_database: DatabaseFactory,
    nats_url: str,
    settings: StudioSettings,
    calendar_providers: dict[str, Any],
    *,
    studio_clock: Clock | None = None,
) -> AsyncIterator[Stack]:
    url = await migrated_database(CALENDAR_MIGRATIONS)
    calendar_settings = CalendarSettings(
        database_url=url,
        nats_url=nats_url,
        **calendar_providers,
        calendar_admin_token=SecretStr(settings_token(settings)),
        log_json=False,
    )
    calendar = create_calendar_app(calendar_settings, clock=lambda: MONDAY)
    clock = studio_clock or Clock(MONDAY)
    studio = create_app(
        settings,
        clock=clock,
        calendar_transport=httpx.ASGITransport(app=calendar),
    )
    engine = make_engine(url)
    rules = CalendarRules(
        clock=lambda: MONDAY,
        hold_policy=HoldPolicy(ttl=HOLD_TTL),
        seed_file=calendar_settings.availability_seed_file,
    )
    try:
        yield Stack(
            calendar=calendar,
            studio=studio,
            cookie=signed_in_cookie(settings.studio_session_secret, clock=clock),
            flow=BookingFlow(Database(url, engine), rules),
            engine=engine,
        )
    finally:
        await engine.dispose()


async def booked_for(flow: BookingFlow, lead: uuid.UUID, start: datetime, *, name: str) -> str:
    """A paid booking for `name` at `start`; its booking id."""
    hold = await flow.hold(lead, start, client_name=name)
    assert hold is not None
    [confirmed] = await flow.answers_to(subjects.BOOKING_CONFIRMED, await flow.pay(lead, hold["hold_id"]))
    return str(confirmed["booking_id"])


async def test_the_week_shows_bookings_and_holds_with_the_time_they_have_left(
    migrated_database: DatabaseFactory,
    nats_url: str,
    studio_settings: StudioSettings,
    calendar_providers: dict[str, Any],
) -> None:
    """(The booked client's idea, from conversation, is shown in the browser walk, which runs it.)"""
    booked, held = uuid.uuid4(), uuid.uuid4()
    clock = Clock(MONDAY)
    async with calendar_stack(
        migrated_database, nats_url, studio_settings, calendar_providers, studio_clock=clock
    ) as stack:
        await booked_for(stack.flow, booked, WEDNESDAY_TEN, name="Lena")
        await stack.flow.hold(held, WEDNESDAY_TEN.replace(day=11), client_name="@inked.sam")
        clock.advance(timedelta(minutes=22))
        async with running_service(stack.studio) as client:
            client.cookies.update(stack.cookie)
            week = await client.get("/calendar")

    assert week.status_code == 200
    day = week.text.split('id="day-2027-03-10"')[1].split('id="day-2027-03-11"')[0]
    assert "10:00–14:00" in day  # noqa: RUF001 - the page's en dash
    assert "Lena" in day
    assert 'class="idea"' not in day, "conversation does not answer here: the page shows the rest"
    assert "Booked" in day
    thursday = week.text.split('id="day-2027-03-11"')[1].split('id="day-2027-03-12"')[0]
    assert "@inked.sam" in thursday
    assert "Held · 23 min left" in thursday
    assert 'action="/calendar/bookings/' in day


async def test_moving_a_booking_from_the_screen_moves_it_and_the_calendar_announces_it(
    migrated_database: DatabaseFactory,
    nats_url: str,
    studio_settings: StudioSettings,
    calendar_providers: dict[str, Any],
) -> None:
    lead, other = uuid.uuid4(), uuid.uuid4()
    async with calendar_stack(migrated_database, nats_url, studio_settings, calendar_providers) as stack:
        booking_id = await booked_for(stack.flow, lead, WEDNESDAY_TEN, name="Lena")
        await stack.flow.hold(other, WEDNESDAY_TEN.replace(day=12), client_name="Sam")
        async with (
            running_service(stack.calendar),
            running_service(stack.studio) as client,
            JetStreamProbe(nats_url, subjects.BOOKING_MOVED.name) as moves,
        ):
            client.cookies.update(stack.cookie)
            week = await client.get("/calendar")
            taken = await client.post(
                f"/calendar/bookings/{booking_id}/move?week=2027-03-08",
                data={"csrf": csrf_of(week), "day": "2027-03-12", "time": "11:00"},
            )
            moved = await client.post(
                f"/calendar/bookings/{booking_id}/move?week=2027-03-08",
                data={"csrf": csrf_of(week), "day": "2027-03-11", "time": "12:30"},
            )
            after = await client.get(moved.headers["location"])
            [announced] = await moves.wait_for_count(1)

    assert taken.status_code == 409
    assert "That time is taken." in taken.text
    assert moved.status_code == 303
    assert moved.headers["location"] == "/calendar?week=2027-03-08"
    thursday = after.text.split('id="day-2027-03-11"')[1].split('id="day-2027-03-12"')[0]
    assert "12:30–16:30" in thursday  # noqa: RUF001 - the page's en dash
    assert "Lena" in thursday
    assert announced["correlation_id"] == str(lead), "conversation tells the client, as after a reschedule"
    assert announced["payload"]["booking_id"] == booking_id
    assert announced["payload"]["range"]["start"] == "2027-03-11T12:30:00Z"


async def test_new_working_hours_and_timezone_from_the_screen_make_the_next_offer(
    migrated_database: DatabaseFactory,
    nats_url: str,
    studio_settings: StudioSettings,
    calendar_providers: dict[str, Any],
) -> None:
    sundays_only = {f"hours_{day}": "" for day in WEEKDAYS} | {"hours_sunday": "10:00-13:00, 14:00-18:00"}
    async with (
        calendar_stack(migrated_database, nats_url, studio_settings, calendar_providers) as stack,
        running_service(stack.calendar),
        running_service(stack.studio) as client,
    ):
        client.cookies.update(stack.cookie)
        week = await client.get("/calendar")
        wrong = await client.post(
            "/calendar/hours",
            data={
                "csrf": csrf_of(week),
                "timezone": "Europe/Lisbon",
                **sundays_only,
                "hours_monday": "18-10",
            },
        )
        saved = await client.post(
            "/calendar/hours",
            data={
                "csrf": csrf_of(week),
                "timezone": "Europe/Lisbon",
                **sundays_only,
            },
        )
        after = await client.get(saved.headers["location"])
        offered = await first_offered_days(nats_url)

    assert wrong.status_code == 422
    assert "Monday: write hours like 10:00-18:00" in wrong.text
    assert saved.status_code == 303
    assert "Times are Europe/Lisbon time." in after.text
    assert 'name="closed_on_public_holidays" checked' in week.text, "the example rules close on holidays"
    assert 'name="closed_on_public_holidays" checked' not in after.text, "unticked: open on holidays"
    assert 'id="day-2027-03-14" data-state="working"' in after.text
    assert 'id="day-2027-03-10" data-state="off"' in after.text
    assert offered, "the calendar offers days under the new hours"
    assert {day.weekday() for day in offered} == {6}, "only Sundays are offered, without a restart"


async def test_adding_a_tour_leg_from_the_screen_shows_it_and_announces_it(
    migrated_database: DatabaseFactory,
    nats_url: str,
    studio_settings: StudioSettings,
    calendar_providers: dict[str, Any],
) -> None:
    leg = {"city": "Berlin", "country": "de", "first_day": "2027-03-16", "last_day": "2027-03-18"}
    async with (
        calendar_stack(migrated_database, nats_url, studio_settings, calendar_providers) as stack,
        running_service(stack.calendar),
        running_service(stack.studio) as client,
        JetStreamProbe(nats_url, subjects.CALENDAR_TOUR_LEG_PUBLISHED.name) as legs,
    ):
        client.cookies.update(stack.cookie)
        week = await client.get("/calendar")
        added = await client.post("/calendar/tour-legs", data={"csrf": csrf_of(week), **leg})
        overlapping = await client.post(
            "/calendar/tour-legs",
            data={"csrf": csrf_of(week), **leg, "city": "Hamburg", "first_day": "2027-03-18"},
        )
        after = await client.get(added.headers["location"])
        [published] = await legs.wait_for_count(1)

    assert added.status_code == 303
    assert added.headers["location"] == "/calendar?week=2027-03-15"
    assert after.text.count("On tour in Berlin") == 3
    assert overlapping.status_code == 409
    assert "Those dates overlap another tour." in overlapping.text
    assert published["payload"]["city"] == "Berlin"
    assert published["payload"]["country_code"] == "DE"

"""The Calendar screen against the running calendar service: blocking a day keeps the next slot offer off it."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
from pydantic import SecretStr

from inkline_calendar.app import create_app as create_calendar_app
from inkline_calendar.db import MIGRATIONS_DIR as CALENDAR_MIGRATIONS
from inkline_calendar.settings import CalendarSettings
from inkline_contracts import subjects
from inkline_contracts.base import SizeCategory
from inkline_contracts.events.slots import RequestSlots
from inkline_devstack.harness import JetStreamProbe, running_service
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_studio.app import create_app
from inkline_studio.settings import StudioSettings
from inkline_studio.testing import Clock, csrf_of, publish_event, signed_in_cookie

# Monday 8 March 2027, 09:00 in London; the example rules work Tuesday to Saturday with 48 hours' notice.
MONDAY = datetime(2027, 3, 8, 9, 0, tzinfo=UTC)


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

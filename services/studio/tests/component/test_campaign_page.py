"""One campaign's page against the campaigns and calendar services: the message as the first client reads
it, who is left out and why (names with masked numbers), scheduling on the artist's clock, pause and resume."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import insert, update

from inkline_campaigns.db.models import Campaign, Contact, Recipient
from inkline_devstack.harness import running_service
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.uow import UnitOfWorkFactory
from inkline_studio.app import create_app
from inkline_studio.settings import StudioSettings
from inkline_studio.testing import NOON, Clock, csrf_of, signed_in_cookie

CLIENTS = [
    {"wa_id": "491510000001", "profile_name": "Ana", "opted_in": True},
    {"wa_id": "491510000002", "profile_name": "Ben", "opted_in": True, "opted_out": True},
    {"wa_id": "491510000003", "profile_name": "Cai", "opted_in": False},
]


@pytest.fixture
async def contacts(campaigns_database_url: str) -> None:
    engine = make_engine(campaigns_database_url)
    async with UnitOfWorkFactory(make_session_factory(engine))() as unit:
        base = {
            "city": "Berlin",
            "timezone": "Europe/Berlin",
            "first_seen_at": NOON - timedelta(days=9),
            "tags": [],
        }
        await unit.session.execute(insert(Contact), [base | row for row in CLIENTS])
        await unit.commit()
    await engine.dispose()


@pytest.fixture
async def studio(
    contacts: None,
    studio_settings: StudioSettings,
    campaigns_transport: httpx.ASGITransport,
    calendar_transport: httpx.ASGITransport,
    clock: Clock,
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        studio_settings,
        clock=clock,
        campaigns_transport=campaigns_transport,
        calendar_transport=calendar_transport,
    )
    async with running_service(app) as client:
        client.cookies.update(signed_in_cookie(studio_settings.studio_session_secret, clock=clock))
        yield client


async def _draft(client: httpx.AsyncClient) -> str:
    """A flash-day draft for Berlin, its date typed, each client's first name filled per client."""
    audience = await client.get("/campaigns/new")
    saved = await client.post(
        "/campaigns/new",
        data={"csrf": csrf_of(audience), "group": "everyone", "city": "Berlin", "name": "Berlin"},
    )
    message = await client.get(saved.headers["location"])
    made = await client.post(
        saved.headers["location"],
        data={"csrf": csrf_of(message), "name": "Flash", "template": "flash_day", "flash_day.1.from": "profile_name",
              "flash_day.2.from": "typed", "flash_day.2": "Berlin on Saturday"},
    )  # fmt: skip
    assert made.status_code == 303, made.text
    return str(made.headers["location"])


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


async def test_a_draft_shows_the_message_as_the_first_client_reads_it_and_who_is_left_out_and_why(
    studio: httpx.AsyncClient,
) -> None:
    page = _text((await studio.get(await _draft(studio))).text)

    assert "As Ana reads it: Hi Ana, I am doing a flash day in Berlin on Saturday." in page
    assert "1 person gets it if it starts now" in page
    assert "Said stop : 1 Ben …0002" in page
    assert "Never said yes to news : 1 Cai …0003" in page


async def test_scheduling_reads_the_time_on_the_artists_clock_and_pause_and_resume_keep_it(
    studio: httpx.AsyncClient,
    calendar_transport: httpx.ASGITransport,
    campaigns_transport: httpx.ASGITransport,
    studio_settings: StudioSettings,
) -> None:
    async with httpx.AsyncClient(
        transport=calendar_transport, base_url="http://calendar",
        headers={"Authorization": f"Bearer {studio_settings.calendar_admin_token.get_secret_value()}"},
    ) as calendar:  # fmt: skip
        # The artist works on Tokyo's clock (nine hours ahead of the server's UTC).
        rules = (await calendar.get("/admin/availability")).json()
        moved = await calendar.put("/admin/availability", json=rules | {"timezone": "Asia/Tokyo"})
        assert moved.status_code == 200, moved.text
    campaign = await _draft(studio)
    draft = await studio.get(campaign)

    past = await studio.post(
        f"{campaign}/schedule", data={"csrf": csrf_of(draft), "send_at": "2027-03-01T10:00"}
    )
    scheduled = await studio.post(
        f"{campaign}/schedule", data={"csrf": csrf_of(draft), "send_at": "2027-03-11T10:00"}
    )
    shown = await studio.get(campaign)
    paused = await studio.post(f"{campaign}/pause", data={"csrf": csrf_of(shown)})
    while_paused = await studio.get(campaign)
    await studio.post(f"{campaign}/resume", data={"csrf": csrf_of(while_paused)})
    resumed = await studio.get(campaign)
    listed = _text((await studio.get("/campaigns")).text)
    async with httpx.AsyncClient(
        transport=campaigns_transport, base_url="http://campaigns",
        headers={"Authorization": f"Bearer {studio_settings.campaigns_admin_token.get_secret_value()}"},
    ) as campaigns:  # fmt: skip
        stored = (await campaigns.get(f"/api{campaign}")).json()

    assert past.status_code == 422
    assert "Choose a time later than now." in past.text
    assert scheduled.status_code == 303
    assert "Starts Thu 11 Mar, 10:00 (Tokyo time)" in _text(shown.text)
    assert datetime.fromisoformat(stored["scheduled_at"]) == datetime(2027, 3, 11, 1, tzinfo=UTC)
    assert paused.status_code == 303
    assert 'id="campaign-status">Paused' in while_paused.text
    assert "Was going to start Thu 11 Mar, 10:00" in _text(while_paused.text)
    assert 'id="resume-campaign"' in while_paused.text
    assert "Starts Thu 11 Mar, 10:00" in _text(resumed.text)
    assert 'id="pause-campaign"' in resumed.text
    assert "Flash Scheduled Starts Thu 11 Mar, 10:00 (Tokyo time)" in listed
    assert stored["status"] == "scheduled"


async def test_results_show_deposits_and_bookings_apart_with_the_revenue(
    studio: httpx.AsyncClient, campaigns_database_url: str
) -> None:
    campaign = await _draft(studio)
    engine = make_engine(campaigns_database_url)
    async with UnitOfWorkFactory(make_session_factory(engine))() as unit:
        campaign_id = uuid.UUID(campaign.rsplit("/", 1)[1])
        await unit.session.execute(
            update(Campaign)
            .where(Campaign.campaign_id == campaign_id)
            .values(status="done", launched_at=NOON)
        )
        sent = {"campaign_id": campaign_id, "state": "handed_off", "handed_off_at": NOON, "sent_at": NOON}
        paid = {
            "converted_at": NOON,
            "deposit_paid_at": NOON,
            "revenue_minor": 5000,
            "revenue_currency": "EUR",
        }
        await unit.session.execute(
            insert(Recipient),
            [sent | {"wa_id": "491510000001"} | paid | {"booked_at": NOON},
             sent | {"wa_id": "491510000004"} | paid,
             sent | {"wa_id": "491510000005"}],
        )  # fmt: skip
        await unit.commit()
    await engine.dispose()

    page = _text((await studio.get(campaign)).text)
    listed = _text((await studio.get("/campaigns")).text)

    assert "Sent 3 Delivered 0 Read 0 Replied 0 Deposits 2 Booked 1" in page
    assert "Revenue: 100.00 EUR" in page
    assert "3 sent · 0 read · 0 replied · 2 paid a deposit · 1 booked · 100.00 EUR" in listed

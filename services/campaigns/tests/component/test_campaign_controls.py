"""The studio's campaign controls on campaigns' own API and dispatcher: schedule for later, pause, resume,
who is left out and why, the message as a client reads it, and deposits and bookings told apart."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, text

from inkline_campaigns.api.campaigns import campaigns_router
from inkline_campaigns.db.attribution import Outcome, attribute
from inkline_campaigns.db.models import Recipient, Segment
from inkline_campaigns.domain.eligibility import MarketingRules
from inkline_campaigns.jobs.dispatch import CampaignDispatcher
from inkline_contracts import subjects
from inkline_contracts.base import Money
from inkline_devstack.harness import eventually
from inkline_platform.tables import outbox
from inkline_platform.testing import FakeClock
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

NOON = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
SeedContacts = Callable[[list[dict[str, Any]]], Awaitable[None]]
LONDON = {"city": "London", "opted_in": True, "timezone": "Europe/London"}


@pytest.fixture
async def api(
    uow: UnitOfWorkFactory, rules: MarketingRules, clock: FakeClock
) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    app.include_router(campaigns_router(uow=uow, rules=rules, clock=clock))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://campaigns"
    ) as client:
        yield client


async def _draft(uow: UnitOfWorkFactory, api: httpx.AsyncClient, audience: dict[str, Any]) -> str:
    """A draft flash-day campaign ({{1}} first name with a fallback, {{2}} the contact's city, none) to
    `audience`; the segment is written directly (its API is not under test here)."""
    async with uow() as unit:
        segment = Segment(segment_id=uuid.uuid4(), name=f"segment {uuid.uuid4()}", filter=audience)
        unit.session.add(segment)
        await unit.commit()
    body = {
        "name": "Flash day",
        "tag": f"flash-{uuid.uuid4().hex[:6]}",
        "segment_id": str(segment.segment_id),
        "template_name": "flash_day",
        "parameters": [{"field": "profile_name", "fallback": "there"}, {"field": "city"}],
    }
    created = await api.post("/api/campaigns", json=body)
    assert created.status_code == 201, created.text
    return str(created.json()["campaign_id"])


def _dispatcher(
    uow: UnitOfWorkFactory, rules: MarketingRules, clock: FakeClock, per_tick: int
) -> CampaignDispatcher:
    return CampaignDispatcher(uow=uow, rules=rules, rate_per_second=per_tick, interval_seconds=1, clock=clock)


async def _sent_to(uow: UnitOfWorkFactory) -> Counter[str]:
    async with uow() as unit:
        bodies = await unit.session.scalars(
            select(outbox.c.body).where(outbox.c.subject == subjects.NOTIFY_SEND.name)
        )
        return Counter(json.loads(body)["payload"]["to"] for body in bodies)


def _number(i: int) -> str:
    return f"4477009{i:05d}"


async def test_a_campaign_scheduled_for_later_starts_at_its_time_and_not_before(
    uow: UnitOfWorkFactory, api: httpx.AsyncClient, seed_contacts: SeedContacts, rules: MarketingRules,
    clock: FakeClock,
) -> None:  # fmt: skip
    await seed_contacts([LONDON | {"wa_id": _number(i), "profile_name": f"Client {i}"} for i in range(3)])
    campaign_id = await _draft(uow, api, {"city": "london"})
    at = NOON + timedelta(hours=3)
    dispatcher = _dispatcher(uow, rules, clock, per_tick=100)

    past = await api.post(f"/api/campaigns/{campaign_id}/launch", json={"scheduled_at": NOON.isoformat()})
    launched = await api.post(f"/api/campaigns/{campaign_id}/launch", json={"scheduled_at": at.isoformat()})
    await dispatcher.tick()
    clock.now = at - timedelta(seconds=1)
    await dispatcher.tick()
    before = await _sent_to(uow)
    clock.now = at
    await dispatcher.tick()

    assert past.status_code == 422
    assert past.json()["detail"] == "scheduled_at: choose a time in the future"
    assert launched.status_code == 200
    assert (launched.json()["status"], launched.json()["scheduled_at"]) == (
        "scheduled",
        "2027-03-10T15:00:00Z",
    )
    assert before == Counter()
    assert await _sent_to(uow) == Counter({_number(i): 1 for i in range(3)})


async def test_a_paused_campaign_sends_nothing_more_and_resuming_sends_everyone_else_once(
    uow: UnitOfWorkFactory, api: httpx.AsyncClient, seed_contacts: SeedContacts, rules: MarketingRules,
    clock: FakeClock,
) -> None:  # fmt: skip
    everyone = {_number(i) for i in range(7)}
    await seed_contacts([LONDON | {"wa_id": wa_id, "profile_name": "Kai"} for wa_id in everyone])
    campaign_id = await _draft(uow, api, {"city": "london"})
    dispatcher = _dispatcher(uow, rules, clock, per_tick=3)
    await api.post(f"/api/campaigns/{campaign_id}/launch")

    await dispatcher.tick()
    paused = await api.post(f"/api/campaigns/{campaign_id}/pause")
    for _ in range(3):
        clock.now += timedelta(seconds=1)
        await dispatcher.tick()
    while_paused = await _sent_to(uow)
    resumed = await api.post(f"/api/campaigns/{campaign_id}/resume")
    for _ in range(5):
        clock.now += timedelta(seconds=1)
        await dispatcher.tick()
    status = (await api.get(f"/api/campaigns/{campaign_id}")).json()["status"]

    assert paused.json()["status"] == "paused"
    assert sum(while_paused.values()) == 3
    assert resumed.status_code == 200
    assert await _sent_to(uow) == Counter(dict.fromkeys(everyone, 1))
    assert status == "done"


def _left_out_audience() -> list[dict[str, Any]]:
    return [
        LONDON | {"wa_id": _number(1), "profile_name": "Ana", "phone": _number(1)},
        LONDON | {"wa_id": _number(2), "profile_name": "Ben", "opted_out": True},
        LONDON | {"wa_id": _number(3), "profile_name": "Cai", "opted_in": False},
        LONDON | {"wa_id": _number(4), "profile_name": "Dee", "last_marketing_at": NOON - timedelta(days=2)},
        LONDON | {"wa_id": _number(5), "profile_name": "Eve", "timezone": "Asia/Tokyo"},  # 21:00 there
        # Known only by a business-scoped user ID and a username: no number to show.
        LONDON | {"wa_id": "GB.1349120865530274", "profile_name": None, "username": "inked.sam"},
        # In the segment by status, but no city for the template's {{2}}.
        {"wa_id": _number(7), "profile_name": "Gus", "opted_in": True, "status": "waitlisted"},
    ]


def _reasons(body: dict[str, Any]) -> dict[str, tuple[int, list[dict[str, Any]]]]:
    return {r["reason"]: (r["count"], r["people"]) for r in body["reasons"]}


async def test_who_is_left_out_and_why_is_forecast_by_the_rules_that_then_send(
    uow: UnitOfWorkFactory, api: httpx.AsyncClient, seed_contacts: SeedContacts, rules: MarketingRules,
    clock: FakeClock,
) -> None:  # fmt: skip
    await seed_contacts(_left_out_audience())
    campaign_id = await _draft(uow, api, {"any_of": [{"city": "london"}, {"status_in": ["waitlisted"]}]})

    forecast = (await api.get(f"/api/campaigns/{campaign_id}/exclusions")).json()
    await api.post(f"/api/campaigns/{campaign_id}/launch")
    await _dispatcher(uow, rules, clock, per_tick=100).tick()
    recorded = (await api.get(f"/api/campaigns/{campaign_id}/exclusions")).json()

    assert forecast["forecast"] is True
    assert forecast["will_send"] == 2  # Ana, and the client known by username
    assert _reasons(forecast) == {
        "opted_out": (1, [{"name": "Ben", "number": "…0002"}]),
        "not_opted_in": (1, [{"name": "Cai", "number": "…0003"}]),
        "frequency_cap": (1, [{"name": "Dee", "number": "…0004"}]),
        "quiet_hours": (1, [{"name": "Eve", "number": "…0005"}]),
        "missing_parameter": (1, [{"name": "Gus", "number": "…0007"}]),
    }
    assert recorded["forecast"] is False
    assert (recorded["will_send"], _reasons(recorded)) == (forecast["will_send"], _reasons(forecast))
    assert set(await _sent_to(uow)) == {_number(1), "GB.1349120865530274"}


async def test_the_message_preview_reads_as_the_first_client_will_get_it(
    uow: UnitOfWorkFactory, api: httpx.AsyncClient, seed_contacts: SeedContacts
) -> None:
    await seed_contacts([LONDON | {"wa_id": _number(1), "profile_name": "Ana"}])
    campaign_id = await _draft(uow, api, {"city": "london"})

    preview = await api.get(f"/api/campaigns/{campaign_id}/message-preview")

    assert preview.json() == {
        "name": "Ana",
        "parameters": ["Ana", "London"],
        "text": "Hi Ana, I am doing a flash day in London. Reply here to grab a design and a time.",
    }


async def test_results_count_deposits_and_bookings_apart(
    uow: UnitOfWorkFactory, api: httpx.AsyncClient, seed_contacts: SeedContacts, rules: MarketingRules,
    clock: FakeClock,
) -> None:  # fmt: skip
    await seed_contacts([LONDON | {"wa_id": _number(i), "profile_name": "Kai"} for i in range(3)])
    campaign_id = await _draft(uow, api, {"city": "london"})
    await api.post(f"/api/campaigns/{campaign_id}/launch")
    await _dispatcher(uow, rules, clock, per_tick=100).tick()
    later, window = NOON + timedelta(hours=2), timedelta(days=7)

    async with uow() as unit:
        deposit = Money(amount_minor=5000, currency="GBP")
        for wa_id in (_number(0), _number(1)):
            await attribute(unit.session, wa_id=wa_id, outcome=Outcome.DEPOSIT_PAID, event_at=later, window=window,
                            revenue=deposit)  # fmt: skip
        await attribute(unit.session, wa_id=_number(0), outcome=Outcome.BOOKED, event_at=later, window=window)
        await unit.commit()
    report = (await api.get(f"/api/campaigns/{campaign_id}/metrics")).json()
    async with uow() as unit:
        converted = await unit.session.scalar(
            select(Recipient.converted_at).where(Recipient.wa_id == _number(0))
        )

    assert (report["deposits"], report["bookings"], report["metrics"]["converted"]) == (2, 1, 2)
    assert report["metrics"]["revenue"] == {"amount_minor": 10000, "currency": "GBP"}
    assert converted == later


class PauseDuringSendBatch(UnitOfWorkFactory):
    """The first sending transaction asks for a pause just before it commits, and notes whether the pause
    was already answered (it should wait for the batch instead: once answered, nothing more goes out)."""

    def __init__(self, base: UnitOfWorkFactory, api: httpx.AsyncClient, campaign_id: str) -> None:
        super().__init__(base.session_factory)
        self.base, self.api, self.campaign_id = base, api, campaign_id
        self.pause: asyncio.Task[httpx.Response] | None = None
        self.answered_before_commit: bool | None = None

    async def _pause_waits_for_a_lock(self) -> bool:
        async with self.base() as unit:
            waiting = await unit.session.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
            return bool(waiting)

    def __call__(self) -> UnitOfWork:
        unit = super().__call__()
        original = unit.commit

        async def commit() -> None:
            if self.pause is None and any(e.type == subjects.NOTIFY_SEND.name for e in unit.pending):
                pause = asyncio.create_task(self.api.post(f"/api/campaigns/{self.campaign_id}/pause"))
                self.pause = pause
                await eventually(lambda: pause.done() or self._pause_waits_for_a_lock())
                self.answered_before_commit = pause.done()
            await original()

        unit.commit = commit  # type: ignore[method-assign]
        return unit


async def test_once_a_pause_is_answered_no_batch_already_under_way_sends_anything(
    uow: UnitOfWorkFactory, api: httpx.AsyncClient, seed_contacts: SeedContacts, rules: MarketingRules,
    clock: FakeClock,
) -> None:  # fmt: skip
    await seed_contacts([LONDON | {"wa_id": _number(i), "profile_name": "Kai"} for i in range(6)])
    campaign_id = await _draft(uow, api, {"city": "london"})
    await api.post(f"/api/campaigns/{campaign_id}/launch")
    pausing = PauseDuringSendBatch(uow, api, campaign_id)
    dispatcher = CampaignDispatcher(
        uow=pausing, rules=rules, rate_per_second=2, interval_seconds=1, clock=clock
    )

    await dispatcher.tick()
    assert pausing.pause is not None
    paused = await pausing.pause
    sent_when_answered = await _sent_to(uow)
    for _ in range(3):
        clock.now += timedelta(seconds=1)
        await dispatcher.tick()

    assert paused.json()["status"] == "paused"
    assert pausing.answered_before_commit is False, "the pause was answered while a batch was still sending"
    assert sum(sent_when_answered.values()) == 2
    assert await _sent_to(uow) == sent_when_answered

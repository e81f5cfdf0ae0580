"""A 10,000-contact campaign sends to exactly the right contacts, once each, across a crash and restart."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from inkline_campaigns.db.models import Campaign, Recipient, Segment
from inkline_campaigns.domain.eligibility import MarketingRules
from inkline_campaigns.jobs.dispatch import CampaignDispatcher
from inkline_contracts import subjects
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.tables import outbox
from inkline_platform.testing import FakeClock
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

NOON = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
SeedContacts = Callable[[list[dict[str, Any]]], Awaitable[None]]


class CrashOnThirdSendBatch(UnitOfWorkFactory):
    """The third sending transaction dies inside commit, before anything is written: a killed process."""

    def __init__(self, base: UnitOfWorkFactory) -> None:
        super().__init__(base.session_factory)
        self.sending_commits = 0

    def __call__(self) -> UnitOfWork:
        unit = super().__call__()
        original = unit.commit

        async def commit() -> None:
            if any(e.type == subjects.NOTIFY_SEND.name for e in unit.pending):
                self.sending_commits += 1
                if self.sending_commits == 3:
                    raise RuntimeError("process killed")
            await original()

        unit.commit = commit  # type: ignore[method-assign]
        return unit


def _number(i: int) -> str:
    return f"44770{i:07d}"


def _audience() -> tuple[list[dict[str, Any]], dict[str, set[str]]]:
    rows: list[dict[str, Any]] = []
    expected: dict[str, set[str]] = {
        "now": set(),
        "morning": set(),
        "opted_out": set(),
        "not_opted_in": set(),
    }
    for i in range(10_000):
        row: dict[str, Any] = {"wa_id": _number(i), "city": "London", "opted_in": True, "timezone": "Europe/London",
                               "profile_name": f"Client {i}"}  # fmt: skip
        if i % 40 == 1:
            row["opted_out"] = True
            expected["opted_out"].add(row["wa_id"])
        elif i % 50 == 2:
            row["opted_in"] = False
            expected["not_opted_in"].add(row["wa_id"])
        elif i % 60 == 3:
            row["timezone"] = "Asia/Tokyo"  # 21:00 there at noon UTC
            expected["morning"].add(row["wa_id"])
        elif i % 100 == 4:
            row["city"] = "Paris"  # outside the segment
        else:
            expected["now"].add(row["wa_id"])
        rows.append(row)
    capped, old = rows[5], rows[6]
    capped["last_marketing_at"] = NOON - timedelta(days=3)
    old["last_marketing_at"] = NOON - timedelta(days=8)
    expected["now"].discard(capped["wa_id"])
    expected["frequency_cap"] = {capped["wa_id"]}
    return rows, expected


async def _scheduled_campaign(uow: UnitOfWorkFactory) -> uuid.UUID:
    async with uow() as unit:
        segment = Segment(segment_id=uuid.uuid4(), name="London", filter={"city": "london"})
        unit.session.add(segment)
        await unit.session.flush()
        campaign = Campaign(
            campaign_id=uuid.uuid4(),
            name="Spring flash",
            tag="spring-flash",
            segment_id=segment.segment_id,
            template_name="flash_day",
            template_language="en",
            parameters=[{"field": "profile_name", "fallback": "there"}, {"value": "London"}],
            status="scheduled",
            launched_at=NOON,
        )
        unit.session.add(campaign)
        await unit.commit()
        return campaign.campaign_id


async def _sends(uow: UnitOfWorkFactory) -> list[dict[str, Any]]:
    async with uow() as unit:
        bodies = await unit.session.scalars(
            select(outbox.c.body).where(outbox.c.subject == subjects.NOTIFY_SEND.name)
        )
        return [json.loads(body)["payload"] for body in bodies]


async def test_ten_thousand_contacts_get_exactly_one_message_each_across_a_crash_and_restart(
    uow: UnitOfWorkFactory, database_url: str, seed_contacts: SeedContacts, rules: MarketingRules
) -> None:
    rows, expected = _audience()
    await seed_contacts(rows)
    campaign_id = await _scheduled_campaign(uow)
    clock = FakeClock(NOON)

    crashing = CrashOnThirdSendBatch(uow)
    first = CampaignDispatcher(
        uow=crashing, rules=rules, rate_per_second=3000, interval_seconds=1, clock=clock
    )
    with pytest.raises(RuntimeError, match="process killed"):
        await first.run()
    before_crash = await _sends(uow)
    async with uow() as unit:
        handed_off = set(
            await unit.session.scalars(select(Recipient.wa_id).where(Recipient.state == "handed_off"))
        )
    # Two batches committed, the third died: its recipients are still pending and nothing of it was queued.
    assert {payload["to"] for payload in before_crash} == handed_off
    assert 0 < len(handed_off) < len(expected["now"])

    # A new process: its own engine and sessions, no memory of the first.
    engine = make_engine(database_url)
    restarted = CampaignDispatcher(
        uow=UnitOfWorkFactory(make_session_factory(engine)), rules=rules, rate_per_second=3000,
        interval_seconds=1, clock=clock,
    )  # fmt: skip
    try:
        ticks = 0
        while await restarted.tick():
            ticks += 1
        sent_by_noon = {payload["to"] for payload in await _sends(uow)}
        clock.now = NOON + timedelta(hours=12)  # 09:00 in Tokyo
        await restarted.tick()
    finally:
        await engine.dispose()
    sends = await _sends(uow)
    async with uow() as unit:
        campaign = await unit.session.get_one(Campaign, campaign_id)
        final = (campaign.status, campaign.audience_size)
        skipped = await unit.session.execute(
            select(Recipient.skip_reason, func.array_agg(Recipient.wa_id))
            .where(Recipient.campaign_id == campaign_id, Recipient.state == "skipped")
            .group_by(Recipient.skip_reason)
        )
        reasons = {reason: set(wa_ids) for reason, wa_ids in skipped}

    assert ticks >= 3  # the rate spread the sends over several ticks
    assert sent_by_noon == expected["now"]
    counts = Counter(payload["to"] for payload in sends)
    assert set(counts) == expected["now"] | expected["morning"]
    assert set(counts.values()) == {1}
    assert reasons == {
        "opted_out": expected["opted_out"],
        "not_opted_in": expected["not_opted_in"],
        "frequency_cap": expected["frequency_cap"],
    }
    assert final == ("done", 9900)
    sample = next(payload for payload in sends if payload["to"] == _number(10))
    assert sample["category"] == "marketing"
    assert sample["campaign_tag"] == "spring-flash"
    assert sample["content"] == {
        "kind": "template", "name": "flash_day", "language": "en", "body_parameters": ["Client 10", "London"],
        "quick_reply_payloads": [],
    }  # fmt: skip


async def test_a_campaign_reaches_a_contact_known_only_by_business_scoped_user_id(
    uow: UnitOfWorkFactory, seed_contacts: SeedContacts, rules: MarketingRules
) -> None:
    username_client = "GB.13491208655302741918"
    base = {"city": "London", "opted_in": True, "timezone": "Europe/London", "profile_name": "Kai"}
    await seed_contacts([base | {"wa_id": username_client}, base | {"wa_id": _number(1)}])
    await _scheduled_campaign(uow)
    dispatcher = CampaignDispatcher(
        uow=uow, rules=rules, rate_per_second=100, interval_seconds=1, clock=FakeClock(NOON)
    )

    while await dispatcher.tick():
        pass

    assert sorted(payload["to"] for payload in await _sends(uow)) == sorted([_number(1), username_client])


async def test_a_tick_that_comes_late_hands_off_for_all_the_time_that_passed(
    uow: UnitOfWorkFactory, seed_contacts: SeedContacts, rules: MarketingRules
) -> None:
    base = {"city": "London", "opted_in": True, "timezone": "Europe/London", "profile_name": "Kai"}
    await seed_contacts([base | {"wa_id": _number(i)} for i in range(300)])
    await _scheduled_campaign(uow)
    seconds = [100.0]
    dispatcher = CampaignDispatcher(
        uow=uow,
        rules=rules,
        rate_per_second=80,
        interval_seconds=1,
        clock=FakeClock(NOON),
        monotonic=lambda: seconds[0],
    )

    first = await dispatcher.tick()
    seconds[0] += 1.25  # the wait between ticks, and the tick's own time
    second = await dispatcher.tick()

    # 80/s on average, not 80 per tick and its wait (64/s here).
    assert (first, second) == (80, 100)

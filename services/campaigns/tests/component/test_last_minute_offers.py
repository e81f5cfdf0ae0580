"""A freed slot is offered, through campaigns' own rules and dispatch, to a few matching waitlisted clients."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import nats
import pytest
from sqlalchemy import select

from inkline_campaigns.app import create_app
from inkline_campaigns.db.models import Campaign, LastMinuteOffer, Recipient
from inkline_campaigns.domain.eligibility import MarketingRules
from inkline_campaigns.handlers.activity import BookingConfirmedHandler
from inkline_campaigns.handlers.last_minute import SlotFreedHandler
from inkline_campaigns.handlers.leads import (
    LeadCreatedHandler,
    LeadOptedInHandler,
    LeadOptedOutHandler,
    LeadQualifiedHandler,
    LeadStatusChangedHandler,
)
from inkline_campaigns.jobs.dispatch import CampaignDispatcher
from inkline_campaigns.settings import CampaignsSettings
from inkline_contracts import subjects
from inkline_contracts.base import Money, SizeCategory, TimeRange
from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.booking import BookingConfirmed, SlotFreed
from inkline_contracts.events.lead import (
    LeadCreated,
    LeadOptedIn,
    LeadOptedOut,
    LeadQualified,
    LeadStatusChanged,
)
from inkline_devstack.harness import JetStreamProbe, running_service
from inkline_platform.tables import outbox
from inkline_platform.testing import FakeClock
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

NOON = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)  # a Wednesday; London is on GMT until 28 March
FRIDAY_11 = datetime(2027, 3, 12, 11, 0, tzinfo=UTC)
WINDOW = timedelta(days=7)
ON_LEAD_CREATED = LeadCreatedHandler(default_timezone="Europe/London")
ON_STATUS_CHANGED = LeadStatusChangedHandler(default_timezone="Europe/London")
ON_QUALIFIED = LeadQualifiedHandler(default_timezone="Europe/London")
ON_OPTED_OUT = LeadOptedOutHandler(attribution_window=WINDOW)
ON_OPTED_IN = LeadOptedInHandler()
ON_BOOKING_CONFIRMED = BookingConfirmedHandler(attribution_window=WINDOW)
Deliver = Callable[..., Awaitable[Any]]
TOKEN = "test-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@dataclass(frozen=True)
class Client:
    wa_id: str
    lead_id: uuid.UUID


def _offers(rules: MarketingRules, clock: FakeClock, *, limit: int = 5) -> SlotFreedHandler:
    return SlotFreedHandler(
        rules=rules, limit=limit, min_notice=timedelta(hours=12), artist_zone=ZoneInfo("Europe/London"),
        clock=clock,
    )  # fmt: skip


async def _client(
    deliver: Deliver,
    wa_id: str,
    *,
    name: str = "Alex",
    city: str = "London",
    country: str = "GB",
    size: SizeCategory = SizeCategory.MEDIUM,
    status: str = "waitlisted",
    since: datetime = NOON - timedelta(days=30),
    opted_in: bool = True,
) -> Client:
    """A client who went through a consultation and ended in `status` at `since`, as the events tell it."""
    lead = uuid.uuid4()
    created = LeadCreated(lead_id=lead, wa_id=wa_id, profile_name=name)
    await deliver(ON_LEAD_CREATED, subjects.LEAD_CREATED, created, at=since - timedelta(hours=1))
    if opted_in:
        await deliver(ON_OPTED_IN, subjects.LEAD_OPTED_IN, LeadOptedIn(wa_id=wa_id), at=since)
    qualified = LeadQualified(
        lead_id=lead, wa_id=wa_id, idea="swallow", placement="forearm", size_category=size,
        budget_min=Money(amount_minor=20000, currency="GBP"), budget_max=Money(amount_minor=40000, currency="GBP"),
        city=city, country_code=country,
    )  # fmt: skip
    await deliver(ON_QUALIFIED, subjects.LEAD_QUALIFIED, qualified, at=since)
    await _status(deliver, Client(wa_id, lead), status, at=since)
    return Client(wa_id=wa_id, lead_id=lead)


async def _status(deliver: Deliver, client: Client, status: str, *, at: datetime) -> None:
    change = LeadStatusChanged(lead_id=client.lead_id, wa_id=client.wa_id, from_status=None, to_status=status)
    await deliver(ON_STATUS_CHANGED, subjects.LEAD_STATUS_CHANGED, change, at=at)


def _freed(
    *,
    booking_id: uuid.UUID | None = None,
    lead_id: uuid.UUID | None = None,
    start: datetime = FRIDAY_11,
    city: str = "London",
    country: str | None = "GB",
    size: SizeCategory | None = SizeCategory.MEDIUM,
) -> SlotFreed:
    return SlotFreed(
        booking_id=booking_id or uuid.uuid4(), lead_id=lead_id or uuid.uuid4(),
        range=TimeRange(start=start, end=start + timedelta(hours=3)), city=city, country_code=country,
        size_category=size, reason="client cancelled",
    )  # fmt: skip


async def _dispatch(uow: UnitOfWorkFactory, rules: MarketingRules, clock: FakeClock) -> int:
    dispatcher = CampaignDispatcher(
        uow=uow, rules=rules, rate_per_second=100, interval_seconds=1, clock=clock
    )
    total = 0
    while handed_off := await dispatcher.tick():
        total += handed_off
    return total


async def _sends(uow: UnitOfWorkFactory) -> list[dict[str, Any]]:
    async with uow() as unit:
        bodies = await unit.session.scalars(
            select(outbox.c.body)
            .where(outbox.c.subject == subjects.NOTIFY_SEND.name)
            .order_by(outbox.c.created_at, outbox.c.message_id)
        )
        return [json.loads(body)["payload"] for body in bodies]


async def test_a_matching_waitlisted_lead_gets_exactly_one_offer_of_the_slot_with_its_button(
    deliver: Deliver, uow: UnitOfWorkFactory, rules: MarketingRules
) -> None:
    clock = FakeClock(NOON)
    await _client(deliver, "447700900001", name="Alex")
    freed = _freed()

    await deliver(_offers(rules, clock), subjects.CALENDAR_SLOT_FREED, freed, at=NOON)
    handed_off = await _dispatch(uow, rules, clock)

    tag = f"last-minute-2027-03-12-1100-{freed.booking_id.hex[:8]}"
    assert handed_off == 1
    assert await _sends(uow) == [
        {
            "to": "447700900001",
            "content": {
                "kind": "template", "name": "last_minute_slot", "language": "en",
                "body_parameters": ["Alex", "Fri 12 Mar, 11:00", "London"],
                "quick_reply_payloads": [f"last_minute:{freed.booking_id}"],
            },
            "category": "marketing",
            "purpose": "campaign:last_minute_slot",
            "campaign_tag": tag,
            "language": None,
            "window_opened_at": None,
        }
    ]  # fmt: skip
    async with uow() as unit:
        campaign = (await unit.session.scalars(select(Campaign))).one()
        offer = await unit.session.get_one(LastMinuteOffer, campaign.campaign_id)
        facts = (campaign.kind, campaign.tag, campaign.status, campaign.audience_size, campaign.segment_id)
        slot = (offer.booking_id, offer.starts_at, offer.city, offer.freed_by_lead_id)
    assert facts == ("last_minute", tag, "done", 1, None)
    assert slot == (freed.booking_id, FRIDAY_11, "London", freed.lead_id)


async def test_only_consenting_waitlisted_clients_of_that_city_who_never_missed_or_freed_it_are_offered(
    deliver: Deliver, uow: UnitOfWorkFactory, rules: MarketingRules
) -> None:
    clock = FakeClock(NOON)
    offered = {
        (await _client(deliver, "447700900010", city="London")).wa_id,
        (await _client(deliver, "447700900011", city=" LONDON ", country="GB")).wa_id,
        (await _client(deliver, "447700900012", size=SizeCategory.SMALL)).wa_id,
    }
    await _client(deliver, "447700900020", city="Paris", country="FR")
    await _client(deliver, "15195550021", city="London", country="CA")  # London, Ontario
    await _client(deliver, "447700900022", status="booked")
    await _client(deliver, "447700900023", opted_in=False)
    await _client(deliver, "447700900024", size=SizeCategory.FULL_DAY)  # a medium slot is too short
    opted_out = await _client(deliver, "447700900025")
    await deliver(
        ON_OPTED_OUT,
        subjects.LEAD_OPTED_OUT,
        LeadOptedOut(wa_id=opted_out.wa_id, keyword="STOP"),
        at=NOON,
    )
    # Missed an appointment once, and is waitlisted again with a newer lead.
    missed = await _client(deliver, "447700900026", status="booked", since=NOON - timedelta(days=60))
    await _status(deliver, missed, "no_show", at=NOON - timedelta(days=50))
    await _client(deliver, "447700900026", since=NOON - timedelta(days=40))
    # The client who gave the slot up, also waitlisted for a later piece.
    canceller = await _client(deliver, "447700900027", status="booked", since=NOON - timedelta(days=20))
    await _client(deliver, "447700900027", since=NOON - timedelta(days=2))

    freed = _freed(lead_id=canceller.lead_id)
    await deliver(_offers(rules, clock), subjects.CALENDAR_SLOT_FREED, freed, at=NOON)
    await _dispatch(uow, rules, clock)

    sends = await _sends(uow)
    assert {send["to"] for send in sends} == offered
    assert len(sends) == len(offered)


async def test_a_slot_closer_than_the_minimum_notice_is_offered_to_nobody(
    deliver: Deliver, uow: UnitOfWorkFactory, rules: MarketingRules
) -> None:
    clock = FakeClock(NOON)
    await _client(deliver, "447700900030")
    too_late = _freed(start=NOON + timedelta(hours=11, minutes=59))

    await deliver(_offers(rules, clock), subjects.CALENDAR_SLOT_FREED, too_late, at=NOON)
    await _dispatch(uow, rules, clock)

    async with uow() as unit:
        campaigns = (await unit.session.scalars(select(Campaign))).all()
    assert campaigns == []
    assert await _sends(uow) == []


async def test_at_most_the_limit_of_clients_are_offered_one_slot_longest_waiting_first(
    deliver: Deliver, uow: UnitOfWorkFactory, rules: MarketingRules
) -> None:
    clock = FakeClock(NOON)
    waited_days = [3, 40, 12, 90, 1, 25, 60]
    clients = {
        days: await _client(deliver, f"4477009001{i:02d}", since=NOON - timedelta(days=days))
        for i, days in enumerate(waited_days)
    }

    freed = _freed()
    await deliver(_offers(rules, clock, limit=5), subjects.CALENDAR_SLOT_FREED, freed, at=NOON)
    await _dispatch(uow, rules, clock)

    longest_waiting = sorted(waited_days, reverse=True)[:5]
    assert Counter(send["to"] for send in await _sends(uow)) == Counter(
        clients[days].wa_id for days in longest_waiting
    )


class CrashOnFirstSend(UnitOfWorkFactory):
    """The first transaction that hands a message to the notifier dies inside commit: a killed process."""

    def __init__(self, base: UnitOfWorkFactory) -> None:
        super().__init__(base.session_factory)
        self.crashed = False

    def __call__(self) -> UnitOfWork:
        unit = super().__call__()
        original = unit.commit

        async def commit() -> None:
            if not self.crashed and any(e.type == subjects.NOTIFY_SEND.name for e in unit.pending):
                self.crashed = True
                raise RuntimeError("process killed")
            await original()

        unit.commit = commit  # type: ignore[method-assign]
        return unit


async def test_redelivery_a_second_announcement_and_a_crash_mid_send_message_nobody_twice(
    deliver: Deliver, uow: UnitOfWorkFactory, rules: MarketingRules
) -> None:
    clock = FakeClock(NOON)
    clients = [await _client(deliver, f"4477009002{i:02d}") for i in range(3)]
    offers = _offers(rules, clock)
    freed = _freed()
    envelope = new_envelope(subjects.CALENDAR_SLOT_FREED, freed, correlation_id="test", occurred_at=NOON)

    async def consume(message: Any) -> None:
        # What the platform consumer does: claim the message id, then run the handler, in one transaction.
        async with uow() as unit:
            if await unit.claim(consumer="campaigns-slot-freed", message_id=message.message_id, subject="x"):
                await offers(unit, message)
            await unit.commit()

    await consume(envelope)
    await consume(envelope)  # JetStream redelivers the same message
    crashing = CampaignDispatcher(uow=CrashOnFirstSend(uow), rules=rules, rate_per_second=100, interval_seconds=1,
                                  clock=clock)  # fmt: skip
    with pytest.raises(RuntimeError, match="process killed"):
        await crashing.tick()
    assert await _sends(uow) == []
    # Calendar announces the same freeing again (a retried publish with a new message id), then restart.
    again = new_envelope(subjects.CALENDAR_SLOT_FREED, freed, correlation_id="test", occurred_at=NOON)
    await consume(again)
    await _dispatch(uow, rules, clock)
    await consume(new_envelope(subjects.CALENDAR_SLOT_FREED, freed, correlation_id="test", occurred_at=NOON))
    await _dispatch(uow, rules, clock)

    async with uow() as unit:
        campaigns = (await unit.session.scalars(select(Campaign.tag))).all()
    assert Counter(send["to"] for send in await _sends(uow)) == Counter(c.wa_id for c in clients)
    assert len(campaigns) == 1


async def test_the_same_range_freed_again_is_not_offered_again_to_those_already_offered_it(
    deliver: Deliver, uow: UnitOfWorkFactory, rules: MarketingRules
) -> None:
    clock = FakeClock(NOON)
    first = await _client(deliver, "447700900301", since=NOON - timedelta(days=9))
    second = await _client(deliver, "447700900302", since=NOON - timedelta(days=5))
    offers = _offers(rules, clock, limit=1)

    start = NOON + timedelta(days=20)
    await deliver(offers, subjects.CALENDAR_SLOT_FREED, _freed(start=start), at=NOON)
    await _dispatch(uow, rules, clock)
    # Someone else booked it and cancelled too: a new booking frees the same range, once the frequency cap
    # (seven days) would let the first client hear from us again.
    clock.now = NOON + timedelta(days=8)
    await deliver(offers, subjects.CALENDAR_SLOT_FREED, _freed(start=start), at=clock.now)
    await _dispatch(uow, rules, clock)

    assert [send["to"] for send in await _sends(uow)] == [first.wa_id, second.wa_id]


async def test_an_offer_held_back_by_quiet_hours_past_the_notice_is_never_sent(
    deliver: Deliver, uow: UnitOfWorkFactory, rules: MarketingRules
) -> None:
    clock = FakeClock(datetime(2027, 3, 10, 20, 0, tzinfo=UTC))  # 20:00 London, quiet from 21:00 to 09:00
    await _client(deliver, "447700900401")
    slot = _freed(start=datetime(2027, 3, 11, 17, 0, tzinfo=UTC))  # offers lapse at 05:00 tomorrow

    await deliver(_offers(rules, clock), subjects.CALENDAR_SLOT_FREED, slot, at=clock.now)
    clock.now = datetime(2027, 3, 10, 21, 30, tzinfo=UTC)  # the dispatcher only gets to it after 21:00
    deferred = await _dispatch(uow, rules, clock)
    clock.now = datetime(2027, 3, 11, 9, 0, tzinfo=UTC)
    after_expiry = await _dispatch(uow, rules, clock)

    async with uow() as unit:
        recipient = (await unit.session.scalars(select(Recipient))).one()
        campaign = (await unit.session.scalars(select(Campaign))).one()
        outcome = (recipient.state, recipient.skip_reason, campaign.status)
    assert (deferred, after_expiry) == (0, 0)
    assert outcome == ("skipped", "expired", "done")
    assert await _sends(uow) == []


async def test_offers_still_waiting_when_the_notice_runs_out_are_skipped_as_expired(
    deliver: Deliver, uow: UnitOfWorkFactory, rules: MarketingRules
) -> None:
    clock = FakeClock(NOON)
    await _client(deliver, "447700900451")
    await deliver(
        _offers(rules, clock), subjects.CALENDAR_SLOT_FREED,
        _freed(start=NOON + timedelta(hours=13)), at=NOON,
    )  # fmt: skip
    clock.now = NOON + timedelta(hours=1)  # the dispatcher was down until the offer lapsed

    handed_off = await _dispatch(uow, rules, clock)

    async with uow() as unit:
        outcome = (await unit.session.execute(select(Recipient.state, Recipient.skip_reason))).one()
    assert handed_off == 0
    assert tuple(outcome) == ("skipped", "expired")
    assert await _sends(uow) == []


async def test_a_booking_that_follows_the_offer_counts_as_its_conversion(
    deliver: Deliver, uow: UnitOfWorkFactory, rules: MarketingRules
) -> None:
    clock = FakeClock(NOON)
    client = await _client(deliver, "447700900501")
    freed = _freed()
    await deliver(_offers(rules, clock), subjects.CALENDAR_SLOT_FREED, freed, at=NOON)
    await _dispatch(uow, rules, clock)

    booking = BookingConfirmed(
        booking_id=uuid.uuid4(), lead_id=client.lead_id, hold_id=uuid.uuid4(), deposit_id=uuid.uuid4(),
        range=freed.range, city="London",
    )  # fmt: skip
    at = NOON + timedelta(hours=1)
    await deliver(ON_BOOKING_CONFIRMED, subjects.BOOKING_CONFIRMED, booking, at=at)

    async with uow() as unit:
        converted = (await unit.session.execute(select(Recipient.wa_id, Recipient.converted_at))).one()
    assert tuple(converted) == (client.wa_id, at)


async def test_a_slot_freed_on_the_bus_shows_up_as_an_automatic_campaign_with_who_was_offered_it(
    deliver: Deliver, database_url: str, nats_url: str
) -> None:
    client = await _client(deliver, "447700900601", name="Alex")
    settings = CampaignsSettings(
        database_url=database_url, nats_url=nats_url, campaigns_admin_token=TOKEN,
        campaigns_dispatch_interval_seconds=0.1, log_json=False,
    )  # fmt: skip
    freed = _freed()
    async with (
        running_service(create_app(settings, clock=lambda: NOON)) as http,
        JetStreamProbe(nats_url, subjects.NOTIFY_SEND.name) as sends,
    ):
        bus = await nats.connect(nats_url)
        try:
            envelope = new_envelope(
                subjects.CALENDAR_SLOT_FREED, freed, correlation_id="lead", occurred_at=NOON
            )
            await bus.jetstream().publish(
                subjects.CALENDAR_SLOT_FREED.name, envelope.model_dump_json().encode(),
                stream=subjects.CALENDAR_SLOT_FREED.stream,
            )  # fmt: skip
        finally:
            await bus.close()
        [sent] = await sends.wait_for_count(1)
        [campaign] = (await http.get("/api/campaigns", headers=AUTH)).json()
        recipients = (
            await http.get(f"/api/campaigns/{campaign['campaign_id']}/recipients", headers=AUTH)
        ).json()
        await http.post(
            "/dashboard/login",
            content=f"token={TOKEN}",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        dashboard = (await http.get("/dashboard")).text

    assert sent["payload"]["to"] == client.wa_id
    assert sent["payload"]["content"]["quick_reply_payloads"] == [f"last_minute:{freed.booking_id}"]
    assert (campaign["kind"], campaign["tag"], campaign["segment_id"]) == (
        "last_minute",
        sent["payload"]["campaign_tag"],
        None,
    )
    assert campaign["offered_slot"]["booking_id"] == str(freed.booking_id)
    assert campaign["name"] == "Last-minute slot Fri 12 Mar, 11:00, London"
    assert [(r["wa_id"], r["profile_name"], r["state"]) for r in recipients] == [
        (client.wa_id, "Alex", "handed_off")
    ]
    assert "automatic, last-minute-2027-03-12-1100" in dashboard
    assert "Alex (handed off)" in dashboard

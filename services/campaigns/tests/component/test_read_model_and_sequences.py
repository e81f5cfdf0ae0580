"""Events build the read model; sequences start, send once and stop; conversions only count in the window."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from inkline_campaigns.db.models import Campaign, Contact, Enrollment, LeadView, Recipient, Segment
from inkline_campaigns.domain.eligibility import MarketingRules
from inkline_campaigns.handlers.activity import (
    BookingConfirmedHandler,
    ClientMessageReceivedHandler,
    DepositExpiredHandler,
    DepositPaidHandler,
    TourLegPublishedHandler,
)
from inkline_campaigns.handlers.leads import (
    LeadCreatedHandler,
    LeadOptedInHandler,
    LeadOptedOutHandler,
    LeadQualifiedHandler,
    LeadStatusChangedHandler,
)
from inkline_campaigns.handlers.messages import MessageDeliveredHandler
from inkline_campaigns.jobs.sequences import SequenceRunner
from inkline_contracts import subjects
from inkline_contracts.base import Money, SizeCategory, TimeRange
from inkline_contracts.events.booking import BookingConfirmed, TourLegPublished
from inkline_contracts.events.consult import ClientMessageReceived, InboundKind
from inkline_contracts.events.deposit import DepositExpired, DepositPaid
from inkline_contracts.events.lead import (
    LeadCreated,
    LeadOptedIn,
    LeadOptedOut,
    LeadQualified,
    LeadStatusChanged,
)
from inkline_contracts.events.notify import MessageDelivered
from inkline_platform.tables import outbox
from inkline_platform.testing import FakeClock
from inkline_platform.uow import UnitOfWorkFactory

NOON = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
WINDOW = timedelta(days=7)
Deliver = Callable[..., Awaitable[Any]]
ON_LEAD_CREATED = LeadCreatedHandler(default_timezone="Europe/London")
ON_STATUS_CHANGED = LeadStatusChangedHandler(default_timezone="Europe/London")
ON_QUALIFIED = LeadQualifiedHandler(default_timezone="Europe/London")
ON_OPTED_OUT = LeadOptedOutHandler(attribution_window=WINDOW)
ON_OPTED_IN = LeadOptedInHandler()
ON_CLIENT_MESSAGE = ClientMessageReceivedHandler(attribution_window=WINDOW)
ON_DEPOSIT_PAID = DepositPaidHandler(attribution_window=WINDOW)
ON_DEPOSIT_EXPIRED = DepositExpiredHandler()
ON_BOOKING_CONFIRMED = BookingConfirmedHandler(attribution_window=WINDOW)
ON_TOUR_LEG_PUBLISHED = TourLegPublishedHandler()
SAM = "447700900123"


async def _new_lead(deliver: Deliver, wa_id: str = SAM, *, at: datetime = NOON) -> uuid.UUID:
    lead = uuid.uuid4()
    await deliver(
        ON_LEAD_CREATED,
        subjects.LEAD_CREATED,
        LeadCreated(lead_id=lead, wa_id=wa_id, profile_name="Sam"),
        at=at,
    )
    await deliver(ON_OPTED_IN, subjects.LEAD_OPTED_IN, LeadOptedIn(wa_id=wa_id), at=at)
    return lead


async def _status(deliver: Deliver, lead: uuid.UUID, to: str, *, at: datetime, wa_id: str = SAM) -> None:
    change = LeadStatusChanged(lead_id=lead, wa_id=wa_id, from_status=None, to_status=to)
    await deliver(ON_STATUS_CHANGED, subjects.LEAD_STATUS_CHANGED, change, at=at)


async def _notify_sends(uow: UnitOfWorkFactory) -> list[dict[str, Any]]:
    async with uow() as unit:
        bodies = await unit.session.scalars(
            select(outbox.c.body).where(outbox.c.subject == subjects.NOTIFY_SEND.name)
        )
        return [json.loads(body)["payload"] for body in bodies]


async def _contact(uow: UnitOfWorkFactory, wa_id: str = SAM) -> dict[str, Any]:
    async with uow() as unit:
        contact = await unit.session.get_one(Contact, wa_id)
        return {c: getattr(contact, c) for c in Contact.__table__.columns.keys()}  # noqa: SIM118


async def test_lead_events_build_the_contact_read_model_in_any_order(
    deliver: Deliver, uow: UnitOfWorkFactory
) -> None:
    lead = uuid.uuid4()
    # The status change arrives before the lead itself, and a stale change arrives last.
    await _status(deliver, lead, "qualified", at=NOON + timedelta(minutes=5))
    await deliver(
        ON_LEAD_CREATED,
        subjects.LEAD_CREATED,
        LeadCreated(lead_id=lead, wa_id=SAM, profile_name="Sam", source_campaign_tag="spring-flash"),
        at=NOON,
    )
    qualified = LeadQualified(
        lead_id=lead, wa_id=SAM, idea="swallow", placement="forearm", size_category=SizeCategory.MEDIUM,
        style="fine line", budget_min=Money(amount_minor=30000, currency="EUR"),
        budget_max=Money(amount_minor=45000, currency="EUR"), city="Berlin", country_code="DE",
    )  # fmt: skip
    await deliver(ON_QUALIFIED, subjects.LEAD_QUALIFIED, qualified, at=NOON + timedelta(minutes=5))
    await _status(deliver, lead, "consulting", at=NOON + timedelta(minutes=1))
    await deliver(
        ON_OPTED_OUT,
        subjects.LEAD_OPTED_OUT,
        LeadOptedOut(wa_id=SAM, keyword="STOP"),
        at=NOON + timedelta(hours=2),
    )
    await deliver(ON_OPTED_IN, subjects.LEAD_OPTED_IN, LeadOptedIn(wa_id=SAM), at=NOON + timedelta(hours=1))

    contact = await _contact(uow)

    assert {k: contact[k] for k in ("status", "city", "country_code", "timezone", "style", "budget_max_minor", "tags", "profile_name", "opted_in", "opted_out")} == {
        "status": "qualified", "city": "Berlin", "country_code": "DE", "timezone": "Europe/Berlin",
        "style": "fine line", "budget_max_minor": 45000, "tags": ["spring-flash"], "profile_name": "Sam",
        "opted_in": False, "opted_out": True,
    }  # fmt: skip
    assert contact["latest_lead_id"] == lead
    assert contact["last_inbound_at"] == NOON


async def test_a_qualified_lead_with_long_answers_still_reaches_the_contact(
    deliver: Deliver, uow: UnitOfWorkFactory
) -> None:
    lead = await _new_lead(deliver)
    style = "fine line with lots of tiny dotwork flowers around it, " * 37  # about 2,000 characters
    city = "Llanfairpwllgwyngyll" * 10
    qualified = LeadQualified.model_validate(
        {
            "lead_id": lead, "wa_id": SAM, "idea": style, "placement": style, "size_category": "medium",
            "style": style, "budget_min": {"amount_minor": 30000, "currency": "GBP"},
            "budget_max": {"amount_minor": 45000, "currency": "GBP"}, "city": city, "country_code": "GB",
        }
    )  # fmt: skip

    await deliver(ON_QUALIFIED, subjects.LEAD_QUALIFIED, qualified, at=NOON + timedelta(minutes=5))

    contact = await _contact(uow)
    assert contact["style"] == qualified.style
    assert contact["style"].startswith("fine line with lots of tiny dotwork flowers")
    assert (contact["city"], contact["timezone"], contact["budget_max_minor"]) == (
        qualified.city,
        "Europe/London",
        45000,
    )
    async with uow() as unit:
        view = await unit.session.get_one(LeadView, lead)
        assert (view.style, view.city) == (qualified.style, qualified.city)


async def test_an_abandoned_consultation_gets_one_still_interested_message_a_day_later(
    deliver: Deliver, uow: UnitOfWorkFactory, rules: MarketingRules
) -> None:
    lead = await _new_lead(deliver)
    await _status(deliver, lead, "abandoned", at=NOON)
    await _status(deliver, lead, "abandoned", at=NOON)  # the same trigger twice enrolls once
    clock = FakeClock(NOON + timedelta(hours=23))
    runner = SequenceRunner(uow=uow, rules=rules, clock=clock)

    early = await runner.tick()
    clock.now = NOON + timedelta(hours=24)
    due = await runner.tick()
    again = await runner.tick()

    assert (early, due, again) == (0, 1, 0)
    [send] = await _notify_sends(uow)
    assert send["to"] == SAM
    assert send["category"] == "marketing"
    assert send["content"]["name"] == "still_interested"
    assert send["content"]["body_parameters"] == ["Sam"]


async def test_a_reply_stops_the_sequence_before_its_step_is_sent(
    deliver: Deliver, uow: UnitOfWorkFactory, rules: MarketingRules
) -> None:
    lead = await _new_lead(deliver)
    await _status(deliver, lead, "abandoned", at=NOON)
    reply = ClientMessageReceived(
        lead_id=lead, wa_id=SAM, whatsapp_message_id="wamid.R1", kind=InboundKind.TEXT, text="still keen!",
        sent_at_epoch=int((NOON + timedelta(hours=3)).timestamp()),
    )  # fmt: skip
    await deliver(ON_CLIENT_MESSAGE, subjects.CONSULT_MESSAGE_RECEIVED, reply, at=NOON + timedelta(hours=3))

    sent = await SequenceRunner(uow=uow, rules=rules, clock=FakeClock(NOON + timedelta(days=2))).tick()

    async with uow() as unit:
        enrollment = (await unit.session.scalars(select(Enrollment))).one()
        state = (enrollment.state, enrollment.stop_reason)
    assert sent == 0
    assert state == ("stopped", "replied")
    assert await _notify_sends(uow) == []


async def test_a_booking_stops_the_deposit_reminder_and_schedules_the_healed_photo_request(
    deliver: Deliver, uow: UnitOfWorkFactory, rules: MarketingRules
) -> None:
    lead = await _new_lead(deliver)
    hold, deposit = uuid.uuid4(), uuid.uuid4()
    await deliver(
        ON_DEPOSIT_EXPIRED,
        subjects.DEPOSIT_EXPIRED,
        DepositExpired(deposit_id=deposit, lead_id=lead, hold_id=hold),
        at=NOON,
    )
    session = TimeRange(start=NOON + timedelta(days=10), end=NOON + timedelta(days=10, hours=4))
    booking = BookingConfirmed(
        booking_id=uuid.uuid4(), lead_id=lead, hold_id=hold, deposit_id=deposit, range=session, city="London"
    )
    await deliver(ON_BOOKING_CONFIRMED, subjects.BOOKING_CONFIRMED, booking, at=NOON + timedelta(hours=2))

    async with uow() as unit:
        rows = (
            await unit.session.execute(
                select(Enrollment.state, Enrollment.stop_reason, Enrollment.next_due_at).order_by(
                    Enrollment.enrolled_at
                )
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        ("stopped", "booked", None),
        ("active", None, session.end + timedelta(weeks=6)),
    ]


async def test_a_tour_leg_enrolls_only_contacts_waitlisted_in_that_city(
    deliver: Deliver, uow: UnitOfWorkFactory, rules: MarketingRules
) -> None:
    for wa_id, city, status in (
        ("491700000001", "Berlin", "waitlisted"),
        ("491700000002", "Berlin", "booked"),
        ("447700000003", "London", "waitlisted"),
    ):
        lead = await _new_lead(deliver, wa_id)
        qualified = LeadQualified(
            lead_id=lead, wa_id=wa_id, idea="rose", placement="arm", size_category=SizeCategory.SMALL,
            budget_min=Money(amount_minor=1, currency="EUR"), budget_max=Money(amount_minor=2, currency="EUR"),
            city=city, country_code="DE" if city == "Berlin" else "GB",
        )  # fmt: skip
        await deliver(ON_QUALIFIED, subjects.LEAD_QUALIFIED, qualified, at=NOON)
        await _status(deliver, lead, status, at=NOON, wa_id=wa_id)
    leg = TourLegPublished(
        city="Berlin", country_code="DE", first_day=date(2027, 4, 1), last_day=date(2027, 4, 7)
    )
    await deliver(ON_TOUR_LEG_PUBLISHED, subjects.CALENDAR_TOUR_LEG_PUBLISHED, leg, at=NOON)

    await SequenceRunner(uow=uow, rules=rules, clock=FakeClock(NOON)).tick()

    sends = await _notify_sends(uow)
    assert [(s["to"], s["content"]["name"], s["content"]["body_parameters"]) for s in sends] == [
        ("491700000001", "tour_update", ["Sam", "Berlin"])
    ]


async def test_conversions_are_attributed_only_inside_the_window(
    deliver: Deliver, uow: UnitOfWorkFactory
) -> None:
    inside_lead = await _new_lead(deliver, "447700000010")
    outside_lead = await _new_lead(deliver, "447700000011")
    async with uow() as unit:
        segment = Segment(segment_id=uuid.uuid4(), name="All", filter={})
        unit.session.add(segment)
        await unit.session.flush()
        campaign = Campaign(
            campaign_id=uuid.uuid4(), name="Flash", tag="flash", segment_id=segment.segment_id,
            template_name="flash_day", template_language="en", parameters=[], status="done",
        )  # fmt: skip
        unit.session.add(campaign)
        await unit.session.flush()
        message_id = uuid.uuid4()
        for wa_id, mid in (("447700000010", message_id), ("447700000011", uuid.uuid4())):
            unit.session.add(
                Recipient(
                    campaign_id=campaign.campaign_id,
                    wa_id=wa_id,
                    state="handed_off",
                    message_id=mid,
                    handed_off_at=NOON,
                )
            )
        await unit.commit()
    campaign_id = campaign.campaign_id
    await deliver(
        MessageDeliveredHandler(),
        subjects.MESSAGE_DELIVERED,
        MessageDelivered(
            notification_id=str(message_id), wamid="wamid.X", to="447700000010", campaign_tag="flash"
        ),
        at=NOON,
    )
    euros = Money(amount_minor=15000, currency="EUR")
    for lead, paid_at in (
        (inside_lead, NOON + WINDOW - timedelta(minutes=1)),
        (outside_lead, NOON + WINDOW + timedelta(minutes=1)),
    ):
        paid = DepositPaid(
            deposit_id=uuid.uuid4(),
            lead_id=lead,
            hold_id=uuid.uuid4(),
            amount=euros,
            paid_at=paid_at,
            checkout_session_id="cs_test",
        )
        await deliver(ON_DEPOSIT_PAID, subjects.DEPOSIT_PAID, paid, at=paid_at)

    async with uow() as unit:
        rows = await unit.session.execute(
            select(Recipient.wa_id, Recipient.converted_at, Recipient.revenue_minor, Recipient.delivered_at)
            .where(Recipient.campaign_id == campaign_id)
            .order_by(Recipient.wa_id)
        )
        result = [tuple(row) for row in rows]
        lead_view = await unit.session.get_one(LeadView, outside_lead)
        outside_paid = lead_view.deposit_paid_at

    assert result == [
        ("447700000010", NOON + WINDOW - timedelta(minutes=1), 15000, NOON),
        ("447700000011", None, 0, None),
    ]
    assert outside_paid == NOON + WINDOW + timedelta(minutes=1)  # still in the history, just not credited

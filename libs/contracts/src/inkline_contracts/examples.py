"""One realistic example payload per subject; a new subject without an example fails the tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from inkline_contracts import subjects as s
from inkline_contracts.base import ClientIdentity, Contract, Money, SizeCategory, TimeRange
from inkline_contracts.events import booking, campaign, consult, deposit, hold, lead, notify, slots, system
from inkline_contracts.events.artist import ArtistMessageReceived, ArtistSettingsChanged

LEAD = uuid.UUID("6f1c2b1e-0a7d-4c1e-9b55-2f0c8a9d1e01")
HOLD = uuid.UUID("0b0b5f7e-2d3c-4e6f-8a9b-1c2d3e4f5a6b")
DEPOSIT = uuid.UUID("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a")
BOOKING = uuid.UUID("1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d")
WA = "447700900123"
BSUID = "GB.13491208655302741918"
START = datetime(2027, 3, 12, 11, 0, tzinfo=UTC)
RANGE = TimeRange(start=START, end=START + timedelta(hours=4))
GBP400 = Money(amount_minor=40000, currency="gbp")

EXAMPLES: dict[str, Contract] = {
    s.LEAD_CREATED.name: lead.LeadCreated(
        lead_id=LEAD, wa_id=WA, profile_name="Sam", client=ClientIdentity(phone=WA, bsuid=BSUID)
    ),
    s.LEAD_STATUS_CHANGED.name: lead.LeadStatusChanged(
        lead_id=LEAD, wa_id=WA, from_status="consulting", to_status="qualified"
    ),
    s.LEAD_QUALIFIED.name: lead.LeadQualified(
        lead_id=LEAD,
        wa_id=WA,
        idea="fine-line swallow",
        placement="forearm",
        size_cm=(10.0, 15.0),
        size_category=SizeCategory.MEDIUM,
        style="fine line",
        budget_min=GBP400,
        budget_max=Money(amount_minor=50000, currency="GBP"),
        city="London",
        country_code="GB",
        preferred_windows=[lead.TimeWindowPreference(range=RANGE, day_parts=["evening"])],
        instagram="ink.lover_92",
    ),
    s.LEAD_OPTED_OUT.name: lead.LeadOptedOut(wa_id=WA, lead_id=LEAD, keyword="STOP"),
    s.LEAD_OPTED_IN.name: lead.LeadOptedIn(wa_id=WA),
    s.LEAD_IDENTITY_CHANGED.name: lead.ClientIdentityChanged(
        wa_id=WA, client=ClientIdentity(phone="447700900456", bsuid=BSUID, username="inked.sam")
    ),
    s.LEAD_CANCELLED.name: lead.LeadCancelled(lead_id=LEAD, reason="client cancelled"),
    s.LEAD_LANGUAGE_SET.name: lead.LeadLanguageSet(lead_id=LEAD, wa_id=WA, language="pt"),
    s.LEAD_HANDOVER_REQUESTED.name: lead.HandoverRequested(
        lead_id=LEAD,
        wa_id=WA,
        reason="two_strikes",
        field="budget",
        requested_at=START,
        answers={"idea": "a swallow", "placement": "forearm"},
    ),
    s.CONSULT_MESSAGE_RECEIVED.name: consult.ClientMessageReceived(
        lead_id=LEAD,
        wa_id=WA,
        whatsapp_message_id="wamid.HBgL",
        kind=consult.InboundKind.TEXT,
        text="hi!",
        sent_at_epoch=1_800_000_000,
    ),
    s.ARTIST_MESSAGE_RECEIVED.name: ArtistMessageReceived(
        wa_id=WA,
        whatsapp_message_id="wamid.HBgM",
        kind=consult.InboundKind.TEXT,
        text="Sure, colour is fine",
        reply_to_wamid="wamid.HBgL",
        sent_at_epoch=1_800_000_000,
    ),
    s.ARTIST_SETTINGS_CHANGED.name: ArtistSettingsChanged(
        version=3,
        language="es",
        currency="EUR",
        changed_at=datetime(2027, 3, 10, 10, 0, tzinfo=UTC),
        deposit_by_size_minor={SizeCategory.SMALL: 6000, SizeCategory.FULL_DAY: 25000},
    ),
    s.SLOTS_REQUESTED.name: slots.RequestSlots(
        request_id=uuid.uuid4(),
        lead_id=LEAD,
        city="London",
        country_code="GB",
        size_category=SizeCategory.SMALL,
    ),
    s.SLOTS_SUGGESTED.name: slots.SlotsSuggested(
        request_id=uuid.uuid4(),
        lead_id=LEAD,
        slots=[slots.SuggestedSlot(slot_id="s1", range=RANGE, city="London")],
        preference_met=True,
        alternatives=[
            slots.CityDates(
                city="Berlin",
                country_code="DE",
                first_day=date(2027, 4, 1),
                last_day=date(2027, 4, 7),
                first_free_days=[date(2027, 4, 2)],
            )
        ],
    ),
    s.HOLD_REQUESTED.name: hold.PlaceHold(
        lead_id=LEAD,
        slot_id="s1",
        range=RANGE,
        city="London",
        size_category=SizeCategory.MEDIUM,
        client_name="Sam",
    ),
    s.HOLD_PLACED.name: hold.HoldPlaced(
        hold_id=HOLD,
        lead_id=LEAD,
        range=RANGE,
        expires_at=START - timedelta(days=20),
        timezone="Europe/London",
    ),
    s.HOLD_REJECTED.name: hold.HoldRejected(
        lead_id=LEAD, slot_id="s1", range=RANGE, reason=hold.HoldRejectedReason.TAKEN
    ),
    s.HOLD_EXPIRED.name: hold.HoldExpired(hold_id=HOLD, lead_id=LEAD, range=RANGE),
    s.HOLD_RELEASED.name: hold.HoldReleased(hold_id=HOLD, lead_id=LEAD, reason="re-picked"),
    s.DEPOSIT_REQUESTED.name: deposit.RequestDeposit(
        deposit_id=DEPOSIT,
        lead_id=LEAD,
        hold_id=HOLD,
        size_category=SizeCategory.MEDIUM,
        description="Thu 10 Dec, 14:00 with Rowan",
        expires_at=START,
        slot=RANGE,
        timezone="Europe/London",
    ),
    s.DEPOSIT_LINK_CREATED.name: deposit.DepositLinkCreated(
        deposit_id=DEPOSIT,
        lead_id=LEAD,
        hold_id=HOLD,
        amount=GBP400,
        url="https://checkout.stripe.com/c/pay/cs_1",
        expires_at=START,
    ),
    s.DEPOSIT_PAID.name: deposit.DepositPaid(
        deposit_id=DEPOSIT,
        lead_id=LEAD,
        hold_id=HOLD,
        amount=GBP400,
        paid_at=START,
        checkout_session_id="cs_1",
        payment_intent_id="pi_1",
    ),
    s.DEPOSIT_EXPIRED.name: deposit.DepositExpired(deposit_id=DEPOSIT, lead_id=LEAD, hold_id=HOLD),
    s.DEPOSIT_FAILED.name: deposit.DepositFailed(deposit_id=DEPOSIT, lead_id=LEAD, reason="card_declined"),
    s.DEPOSIT_REFUND_REQUESTED.name: deposit.RequestRefund(
        lead_id=LEAD, deposit_id=DEPOSIT, reason="conflict"
    ),
    s.DEPOSIT_REFUNDED.name: deposit.DepositRefunded(
        deposit_id=DEPOSIT, lead_id=LEAD, amount=GBP400, refund_id="re_1"
    ),
    s.BOOKING_CONFIRMED.name: booking.BookingConfirmed(
        booking_id=BOOKING, lead_id=LEAD, hold_id=HOLD, deposit_id=DEPOSIT, range=RANGE, city="London"
    ),
    s.BOOKING_CONFLICT.name: booking.BookingConflict(
        lead_id=LEAD, hold_id=HOLD, deposit_id=DEPOSIT, range=RANGE, reason="slot taken after hold expired"
    ),
    s.BOOKING_CANCELLED.name: booking.BookingCancelled(booking_id=BOOKING, lead_id=LEAD, reason="client"),
    s.BOOKING_MOVE_REQUESTED.name: booking.MoveBooking(
        booking_id=BOOKING, lead_id=LEAD, hold_id=HOLD, reason="client rescheduled in chat"
    ),
    s.BOOKING_MOVED.name: booking.BookingMoved(
        booking_id=BOOKING,
        lead_id=LEAD,
        hold_id=HOLD,
        previous_range=RANGE,
        range=TimeRange(start=START + timedelta(days=7), end=START + timedelta(days=7, hours=4)),
        city="London",
    ),
    s.BOOKING_MOVE_REJECTED.name: booking.BookingMoveRejected(
        booking_id=BOOKING, lead_id=LEAD, hold_id=HOLD, reason="hold expired"
    ),
    s.CALENDAR_SLOT_FREED.name: booking.SlotFreed(
        booking_id=BOOKING,
        lead_id=LEAD,
        range=RANGE,
        city="London",
        country_code="GB",
        size_category=SizeCategory.MEDIUM,
        reason="client cancelled",
    ),
    s.CALENDAR_EVENT_CREATED.name: booking.CalendarEventCreated(
        booking_id=BOOKING, lead_id=LEAD, event_id="inkline0abc", html_link="https://calendar.google.com/e"
    ),
    s.CALENDAR_EVENT_FAILED.name: booking.CalendarEventFailed(
        booking_id=BOOKING, lead_id=LEAD, attempts=8, error="503 backendError"
    ),
    s.CALENDAR_TOUR_LEG_PUBLISHED.name: booking.TourLegPublished(
        city="Berlin", country_code="DE", first_day=date(2027, 4, 1), last_day=date(2027, 4, 7)
    ),
    s.NOTIFY_SEND.name: notify.SendMessage(
        to=WA,
        content=notify.ListContent(
            body="Pick a slot", button="Slots", rows=[notify.ListRow(id="s1", title="Fri 12 Mar 11:00")]
        ),
        purpose="slot_offer",
    ),
    s.MESSAGE_STATUS_RECEIVED.name: notify.MessageStatusReceived(
        wamid="wamid.X", recipient_wa_id=WA, status="failed", timestamp_epoch=1_800_000_000, error_code=131047
    ),
    s.MESSAGE_SENT.name: notify.MessageSent(
        notification_id="n1", to=WA, wamid="wamid.X", purpose="slot_offer", category=notify.Category.SERVICE
    ),
    s.MESSAGE_DELIVERED.name: notify.MessageDelivered(notification_id="n1", wamid="wamid.X", to=WA),
    s.MESSAGE_READ.name: notify.MessageRead(
        notification_id="n1", wamid="wamid.X", to=WA, campaign_tag="spring"
    ),
    s.MESSAGE_FAILED.name: notify.MessageFailed(notification_id="n1", to=WA, reason="outside_window"),
    s.CAMPAIGN_LAUNCHED.name: campaign.CampaignLaunched(
        campaign_id=uuid.uuid4(), tag="berlin-tour", name="Berlin tour", audience_size=120
    ),
    s.CAMPAIGN_METRICS.name: campaign.CampaignMetrics(
        campaign_id=uuid.uuid4(), tag="berlin-tour", name="Berlin tour", sent=120, converted=3, revenue=GBP400
    ),
    s.CAMPAIGN_COMPLETED.name: campaign.CampaignCompleted(campaign_id=uuid.uuid4(), tag="berlin-tour"),
    s.SYSTEM_ALERT.name: system.SystemAlert(
        service="payments", kind="unknown_session", message="cs_9 unknown"
    ),
}

# Each v1 subject's example is its v2 example (a client known by phone), read as the v1 payload.
EXAMPLES.update(
    {
        old.name: old.payload.model_validate(EXAMPLES[new.name].model_dump())
        for old in s.ALL_SUBJECTS
        for new in s.ALL_SUBJECTS
        if old.version == 1 and new.version == 2 and (old.context, old.event) == (new.context, new.event)
    }
)

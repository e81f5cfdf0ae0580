"""Replies, deposits and bookings: the read model's history, attribution, and sequence stops/starts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from inkline_campaigns.db import enrollments
from inkline_campaigns.db.attribution import Outcome, attribute
from inkline_campaigns.db.contacts import ensure_contact, note_identity, touch_inbound, wa_id_of_lead
from inkline_campaigns.db.read_model import ReadModel
from inkline_campaigns.domain.sequences import StopReason, Trigger
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.booking import BookingConfirmed, TourLegPublished
from inkline_contracts.events.consult import ClientMessageReceived
from inkline_contracts.events.deposit import DepositExpired, DepositPaid
from inkline_platform.uow import UnitOfWork


@dataclass(frozen=True)
class ClientMessageReceivedHandler:
    """A reply: last inbound time, 'replied' for the campaign that messaged them, stops sequences."""

    attribution_window: timedelta

    async def __call__(self, work: UnitOfWork, envelope: Envelope[ClientMessageReceived]) -> None:
        message, session = envelope.payload, work.session
        at = datetime.fromtimestamp(message.sent_at_epoch, UTC)
        await ensure_contact(session, wa_id=message.wa_id, seen_at=at)
        await touch_inbound(session, wa_id=message.wa_id, at=at)
        await note_identity(session, wa_id=message.wa_id, client=message.client, at=at)
        await enrollments.stop(session, wa_id=message.wa_id, reason=StopReason.REPLIED, at=at)
        await attribute(
            session, wa_id=message.wa_id, outcome=Outcome.REPLIED, event_at=at, window=self.attribution_window
        )


@dataclass(frozen=True)
class DepositPaidHandler:
    """Deposit history and revenue; a conversion for the campaign that messaged them last."""

    attribution_window: timedelta

    async def __call__(self, work: UnitOfWork, envelope: Envelope[DepositPaid]) -> None:
        paid, session = envelope.payload, work.session
        wa_id = await wa_id_of_lead(session, paid.lead_id)
        await ReadModel(session).deposit_paid(
            wa_id=wa_id, lead_id=paid.lead_id, paid_at=paid.paid_at, amount_minor=paid.amount.amount_minor
        )
        await attribute(
            session,
            wa_id=wa_id,
            outcome=Outcome.DEPOSIT_PAID,
            event_at=paid.paid_at,
            window=self.attribution_window,
            revenue=paid.amount,
        )


@dataclass(frozen=True)
class DepositExpiredHandler:
    """Marks the contact 'deposit expired' and starts the deposit reminder sequence."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[DepositExpired]) -> None:
        expired, at, session = envelope.payload, envelope.occurred_at, work.session
        wa_id = await wa_id_of_lead(session, expired.lead_id)
        await ReadModel(session).deposit_expired(wa_id, at)
        await enrollments.enroll(
            session,
            trigger=Trigger.DEPOSIT_EXPIRED,
            wa_ids=[wa_id],
            lead_id=expired.lead_id,
            trigger_key=f"deposit_expired:{expired.deposit_id}",
            at=at,
        )


@dataclass(frozen=True)
class BookingConfirmedHandler:
    """Booking history; a conversion; stops sequences and starts the healed-photo one."""

    attribution_window: timedelta

    async def __call__(self, work: UnitOfWork, envelope: Envelope[BookingConfirmed]) -> None:
        booking, at, session = envelope.payload, envelope.occurred_at, work.session
        wa_id = await wa_id_of_lead(session, booking.lead_id)
        await ReadModel(session).booked(
            wa_id=wa_id, lead_id=booking.lead_id, starts_at=booking.range.start, at=at
        )
        await enrollments.stop(session, wa_id=wa_id, reason=StopReason.BOOKED, at=at, sparing=Trigger.BOOKED)
        await attribute(
            session, wa_id=wa_id, outcome=Outcome.BOOKED, event_at=at, window=self.attribution_window
        )
        # Six weeks (the sequence's delay) after the session itself, when the tattoo has healed.
        await enrollments.enroll(
            session,
            trigger=Trigger.BOOKED,
            wa_ids=[wa_id],
            lead_id=booking.lead_id,
            trigger_key=f"booked:{booking.booking_id}",
            at=booking.range.end,
        )


@dataclass(frozen=True)
class TourLegPublishedHandler:
    """Starts the tour update sequence for every contact waitlisted in the leg's city."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[TourLegPublished]) -> None:
        leg, at, session = envelope.payload, envelope.occurred_at, work.session
        wa_ids = await enrollments.waitlisted_in(session, city=leg.city, country_code=leg.country_code)
        await enrollments.enroll(
            session,
            trigger=Trigger.TOUR_LEG_IN_CITY,
            wa_ids=wa_ids,
            trigger_key=f"tour:{leg.city.lower()}:{leg.first_day.isoformat()}",
            at=at,
        )

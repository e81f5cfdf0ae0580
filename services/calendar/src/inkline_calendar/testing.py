"""Helpers for tests and benchmarks that drive the service's handlers against a real database.

The clock and `deliver` are the platform's (inkline_platform.testing)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any

import nats
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_calendar.handlers.deposits import DepositPaidHandler
from inkline_calendar.handlers.holds import PlaceHoldHandler
from inkline_calendar.handlers.leads import LeadCancelledHandler
from inkline_calendar.handlers.moves import MoveBookingHandler
from inkline_calendar.handlers.rules import CalendarRules
from inkline_contracts import subjects
from inkline_contracts.base import Contract, Money, SizeCategory, TimeRange
from inkline_contracts.envelope import Envelope, new_envelope
from inkline_contracts.events.booking import MoveBooking
from inkline_contracts.events.deposit import DepositPaid
from inkline_contracts.events.hold import PlaceHold
from inkline_contracts.events.lead import LeadCancelled
from inkline_contracts.subjects import Subject
from inkline_platform.broker import ensure_streams, make_broker
from inkline_platform.db import make_session_factory
from inkline_platform.testing import deliver
from inkline_platform.uow import UnitOfWorkFactory


class Database:
    """One migrated database, a unit-of-work factory on it, and SQL for the assertions."""

    def __init__(self, url: str, engine: AsyncEngine) -> None:
        self.url = url
        self.engine = engine
        self.uow = UnitOfWorkFactory(make_session_factory(engine))

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        async with self.engine.connect() as connection:
            return list((await connection.execute(text(sql), params)).all())

    async def published(self, subject: Subject[Any]) -> list[dict[str, Any]]:
        """Envelopes the service committed to its outbox on `subject`, oldest first."""
        rows = await self.rows("SELECT body FROM outbox WHERE subject = :s ORDER BY seq", s=subject.name)
        return [json.loads(body) for (body,) in rows]


class BookingFlow:
    """Drives hold → deposit → booking → move through the real handlers, one delivery at a time."""

    def __init__(self, database: Database, rules: CalendarRules) -> None:
        self.database = database
        self.rules = rules

    async def answers_to(self, subject: Subject[Any], envelope: Envelope[Any]) -> list[dict[str, Any]]:
        """Payloads published on `subject` in answer to `envelope`."""
        return [
            message["payload"]
            for message in await self.database.published(subject)
            if message["causation_id"] == str(envelope.message_id)
        ]

    async def hold(
        self,
        lead: uuid.UUID,
        start: datetime,
        *,
        hours: int = 4,
        size: SizeCategory = SizeCategory.MEDIUM,
        city: str = "London",
        client_name: str | None = None,
    ) -> dict[str, Any] | None:
        """The hold.placed payload, or None when the hold was rejected."""
        command = PlaceHold(
            lead_id=lead,
            slot_id=f"{start:%Y%m%dT%H%MZ}-{hours * 60}",
            range=TimeRange(start=start, end=start + timedelta(hours=hours)),
            city=city,
            size_category=size,
            client_name=client_name,
        )
        envelope = await deliver(
            self.database.uow,
            PlaceHoldHandler(self.rules),
            subjects.HOLD_REQUESTED,
            command,
            correlation_id=str(lead),
        )
        placed = await self.answers_to(subjects.HOLD_PLACED, envelope)
        return placed[0] if placed else None

    async def pay(self, lead: uuid.UUID, hold_id: str, deposit: uuid.UUID | None = None) -> Envelope[Any]:
        paid = DepositPaid(
            deposit_id=deposit or uuid.uuid4(),
            lead_id=lead,
            hold_id=uuid.UUID(hold_id),
            amount=Money(amount_minor=10000, currency="GBP"),
            paid_at=self.rules.clock(),
            checkout_session_id="cs_test_flow",
        )
        return await deliver(
            self.database.uow,
            DepositPaidHandler(self.rules),
            subjects.DEPOSIT_PAID,
            paid,
            correlation_id=str(lead),
        )

    async def book(self, lead: uuid.UUID, start: datetime, *, hours: int = 4) -> dict[str, Any]:
        """The booking.confirmed payload of a fresh hold at `start`, paid at once."""
        hold = await self.hold(lead, start, hours=hours)
        assert hold is not None, f"the slot at {start} is taken"
        confirmed = await self.answers_to(subjects.BOOKING_CONFIRMED, await self.pay(lead, hold["hold_id"]))
        return confirmed[0]

    async def move(
        self,
        lead: uuid.UUID,
        booking_id: str,
        hold_id: str,
        *,
        message_id: uuid.UUID | None = None,
        reason: str = "client asked",
    ) -> Envelope[Any]:
        command = MoveBooking(
            booking_id=uuid.UUID(booking_id), lead_id=lead, hold_id=uuid.UUID(hold_id), reason=reason
        )
        return await deliver(
            self.database.uow,
            MoveBookingHandler(self.rules),
            subjects.BOOKING_MOVE_REQUESTED,
            command,
            correlation_id=str(lead),
            message_id=message_id,
        )

    async def book_then_move(self, lead: uuid.UUID, start: datetime, to: datetime) -> dict[str, Any]:
        """A booking at `start` whose event exists already (so the move queues a patch), moved to `to`;
        returns the original booking.confirmed payload."""
        booking = await self.book(lead, start)
        async with self.database.uow() as work:
            await work.session.execute(text("UPDATE calendar_jobs SET state = 'done'"))
            await work.commit()
        hold = await self.hold(lead, to)
        assert hold is not None, f"the slot at {to} is taken"
        await self.move(lead, booking["booking_id"], hold["hold_id"])
        return booking

    async def cancel(self, lead: uuid.UUID, reason: str = "client cancelled") -> Envelope[Any]:
        return await deliver(
            self.database.uow,
            LeadCancelledHandler(self.rules),
            subjects.LEAD_CANCELLED,
            LeadCancelled(lead_id=lead, reason=reason),
            correlation_id=str(lead),
        )


async def publish_command(
    nats_url: str, subject: Subject[Any], payload: Contract, *, correlation_id: str
) -> None:
    """What another service's outbox relay does: the envelope on JetStream, de-duplicated by message id."""
    envelope = new_envelope(subject, payload, correlation_id=correlation_id)
    client = await nats.connect(nats_url)
    try:
        await client.jetstream().publish(
            subject.name,
            envelope.model_dump_json().encode(),
            headers={"Nats-Msg-Id": str(envelope.message_id)},
        )
    finally:
        await client.close()


async def declare_streams(nats_url: str) -> None:
    """The streams a service declares at start-up, for probes that must listen before it starts."""
    broker = make_broker(nats_url, service="test")
    await broker.connect()
    try:
        await ensure_streams(broker)
    finally:
        await broker.stop()

"""Alerts to the artist that the notifier composes itself; they go out through the outbound queue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, tzinfo

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.booking import BookingConflict, CalendarEventFailed
from inkline_contracts.events.notify import Category, TextContent
from inkline_contracts.events.system import Severity, SystemAlert
from inkline_notifier.db.outbound import enqueue
from inkline_notifier.domain.sheet_rows import slot
from inkline_platform.uow import UnitOfWork

ALERT_PURPOSE = "artist_alert"
# Alert ids derive from the event's id, so an alert is queued once however often its event is delivered.
_ALERTS = uuid.UUID("5f0f3c51-3f7e-4a5e-9d0c-4d1f1c7e2a90")


@dataclass(frozen=True)
class ArtistAlerts:
    artist_wa_id: str
    zone: tzinfo = UTC

    async def on_booking_conflict(self, uow: UnitOfWork, envelope: Envelope[BookingConflict]) -> None:
        """Tells the artist a paid deposit lost its slot: refund or reschedule."""
        event = envelope.payload
        text = (
            f"⚠️ Booking conflict: a deposit was paid for {slot(event.range, self.zone)} but the slot is no longer "
            f"free ({event.reason}). Please refund or reschedule. Lead {event.lead_id}."
        )
        await self._alert(
            uow, message_id=envelope.message_id, correlation_id=envelope.correlation_id, text=text
        )

    async def on_calendar_failed(self, uow: UnitOfWork, envelope: Envelope[CalendarEventFailed]) -> None:
        """Tells the artist a confirmed booking is missing from their calendar."""
        event = envelope.payload
        text = (
            f"⚠️ A confirmed booking could not be added to your Google Calendar after {event.attempts} "
            f"attempts ({event.error}). Please add it by hand. Booking {event.booking_id}."
        )
        await self._alert(
            uow, message_id=envelope.message_id, correlation_id=envelope.correlation_id, text=text
        )

    async def on_system_alert(self, uow: UnitOfWork, envelope: Envelope[SystemAlert]) -> None:
        """Forwards critical system alerts to the artist; lesser ones stay in the logs."""
        alert = envelope.payload
        if alert.severity is not Severity.CRITICAL:
            return
        text = f"🚨 {alert.service}: {alert.message}"
        await self._alert(
            uow, message_id=envelope.message_id, correlation_id=envelope.correlation_id, text=text
        )

    async def _alert(self, uow: UnitOfWork, *, message_id: uuid.UUID, correlation_id: str, text: str) -> None:
        await enqueue(
            uow.session,
            message_id=uuid.uuid5(_ALERTS, str(message_id)),
            correlation_id=correlation_id,
            to=self.artist_wa_id,
            content=TextContent(body=text[:4096]),
            purpose=ALERT_PURPOSE,
            category=Category.UTILITY,
            campaign_tag=None,
        )

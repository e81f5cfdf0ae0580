"""Alerts to the artist that the notifier composes itself; they go out through the outbound queue."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import Any

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
class BookingConflictHandler:
    """Tells the artist a paid deposit lost its slot: refund or reschedule."""

    artist_wa_id: str
    zone: tzinfo = UTC
    queued: Callable[[], None] = lambda: None

    async def __call__(self, work: UnitOfWork, envelope: Envelope[BookingConflict]) -> None:
        event = envelope.payload
        text = (
            f"⚠️ Booking conflict: a deposit was paid for {slot(event.range, self.zone)} but the slot is no longer "
            f"free ({event.reason}). Please refund or reschedule. Lead {event.lead_id}."
        )
        await _queue_alert(work, envelope, self.queued, to=self.artist_wa_id, text=text)


@dataclass(frozen=True)
class CalendarEventFailedHandler:
    """Tells the artist a confirmed booking is missing from their calendar."""

    artist_wa_id: str
    queued: Callable[[], None] = lambda: None

    async def __call__(self, work: UnitOfWork, envelope: Envelope[CalendarEventFailed]) -> None:
        event = envelope.payload
        text = (
            f"⚠️ A confirmed booking could not be added to your Google Calendar after {event.attempts} "
            f"attempts ({event.error}). Please add it by hand. Booking {event.booking_id}."
        )
        await _queue_alert(work, envelope, self.queued, to=self.artist_wa_id, text=text)


@dataclass(frozen=True)
class SystemAlertHandler:
    """Forwards critical system alerts to the artist; lesser ones stay in the logs."""

    artist_wa_id: str
    queued: Callable[[], None] = lambda: None

    async def __call__(self, work: UnitOfWork, envelope: Envelope[SystemAlert]) -> None:
        alert = envelope.payload
        if alert.severity is not Severity.CRITICAL:
            return
        await _queue_alert(
            work, envelope, self.queued, to=self.artist_wa_id, text=f"🚨 {alert.service}: {alert.message}"
        )


async def _queue_alert(
    work: UnitOfWork, envelope: Envelope[Any], queued: Callable[[], None], *, to: str, text: str
) -> None:
    """Queue `text` to the artist as the alert about `envelope`'s event; `queued` is told on commit."""
    await enqueue(
        work.session,
        message_id=uuid.uuid5(_ALERTS, str(envelope.message_id)),
        correlation_id=envelope.correlation_id,
        to=to,
        content=TextContent(body=text[:4096]),
        purpose=ALERT_PURPOSE,
        category=Category.UTILITY,
        campaign_tag=None,
    )
    work.after_commit(queued)

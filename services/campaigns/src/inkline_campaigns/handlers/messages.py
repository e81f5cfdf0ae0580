"""What the notifier reports about sent messages: last outbound time and campaign delivery funnels."""

from __future__ import annotations

import uuid
from datetime import datetime

from inkline_campaigns.db.read_model import ReadModel
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.notify import MessageDelivered, MessageFailed, MessageRead, MessageSent
from inkline_platform.uow import UnitOfWork


async def _mark(work: UnitOfWork, *, notification_id: str, column: str, at: datetime) -> None:
    try:
        message_id = uuid.UUID(notification_id)
    except ValueError:
        return  # our sends are always identified by a UUID message id
    await ReadModel(work.session).mark_recipient(message_id, column=column, at=at)


class MessageSentHandler:
    """Records the contact's last outbound message and a campaign message's 'sent'."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[MessageSent]) -> None:
        sent, at = envelope.payload, envelope.occurred_at
        await ReadModel(work.session).messaged(sent.to, at)
        # Campaign tags are not relied on: the message id alone finds our recipient row.
        await _mark(work, notification_id=sent.notification_id, column="sent_at", at=at)


class MessageDeliveredHandler:
    """Counts a campaign message as delivered."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[MessageDelivered]) -> None:
        payload = envelope.payload
        await _mark(
            work,
            notification_id=payload.notification_id,
            column="delivered_at",
            at=envelope.occurred_at,
        )


class MessageReadHandler:
    """Counts a campaign message as read."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[MessageRead]) -> None:
        payload = envelope.payload
        await _mark(work, notification_id=payload.notification_id, column="read_at", at=envelope.occurred_at)


class MessageFailedHandler:
    """Counts a campaign message as failed."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[MessageFailed]) -> None:
        payload = envelope.payload
        await _mark(
            work, notification_id=payload.notification_id, column="failed_at", at=envelope.occurred_at
        )

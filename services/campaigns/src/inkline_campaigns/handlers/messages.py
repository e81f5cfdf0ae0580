"""What the notifier reports about sent messages: last outbound time and campaign delivery funnels."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.db.models import Campaign, Contact, Recipient
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.notify import MessageDelivered, MessageFailed, MessageRead, MessageSent
from inkline_platform.uow import UnitOfWork


async def _mark(session: AsyncSession, *, notification_id: str, column: str, at: datetime) -> None:
    try:
        message_id = uuid.UUID(notification_id)
    except ValueError:
        return  # our sends are always identified by a UUID message id
    target = getattr(Recipient, column)
    result = await session.execute(
        update(Recipient)
        .where(Recipient.message_id == message_id)
        .values({target: func.coalesce(target, at)})
        .returning(Recipient.campaign_id)
    )
    campaign_id = result.scalar_one_or_none()
    if campaign_id is not None:
        await session.execute(
            update(Campaign).where(Campaign.campaign_id == campaign_id).values(metrics_dirty=True)
        )


class MessageSentHandler:
    """Records the contact's last outbound message and a campaign message's 'sent'."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[MessageSent]) -> None:
        sent, at = envelope.payload, envelope.occurred_at
        await work.session.execute(
            update(Contact)
            .where(Contact.wa_id == sent.to)
            .values(last_outbound_at=func.greatest(Contact.last_outbound_at, at))
        )
        # Campaign tags are not relied on: the message id alone finds our recipient row.
        await _mark(work.session, notification_id=sent.notification_id, column="sent_at", at=at)


class MessageDeliveredHandler:
    """Counts a campaign message as delivered."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[MessageDelivered]) -> None:
        payload = envelope.payload
        await _mark(
            work.session,
            notification_id=payload.notification_id,
            column="delivered_at",
            at=envelope.occurred_at,
        )


class MessageReadHandler:
    """Counts a campaign message as read."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[MessageRead]) -> None:
        payload = envelope.payload
        await _mark(
            work.session, notification_id=payload.notification_id, column="read_at", at=envelope.occurred_at
        )


class MessageFailedHandler:
    """Counts a campaign message as failed."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[MessageFailed]) -> None:
        payload = envelope.payload
        await _mark(
            work.session, notification_id=payload.notification_id, column="failed_at", at=envelope.occurred_at
        )

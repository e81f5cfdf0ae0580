"""Queries on the outbound message queue, shared by the handlers and the sender."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_contracts import subjects
from inkline_contracts.events.notify import (
    Category,
    Content,
    MessageDelivered,
    MessageFailed,
    MessageRead,
    MessageSent,
)
from inkline_notifier.db.models import OutboundMessage, UnmatchedStatus
from inkline_notifier.domain.delivery import Delivery, advance
from inkline_platform import metrics
from inkline_platform.tracing import trace_headers
from inkline_platform.uow import UnitOfWork


async def enqueue(
    session: AsyncSession,
    *,
    message_id: uuid.UUID,
    correlation_id: str,
    to: str,
    content: Content,
    purpose: str,
    category: Category,
    campaign_tag: str | None,
    language: str | None = None,
    window_opened_at: datetime | None = None,
) -> None:
    """Queue a send; a second command with the same id changes nothing."""
    await session.execute(
        insert(OutboundMessage)
        .values(
            id=message_id,
            correlation_id=correlation_id,
            to_wa_id=to,
            content=content.model_dump(mode="json"),
            purpose=purpose,
            category=category.value,
            campaign_tag=campaign_tag,
            language=language,
            window_opened_at=window_opened_at,
            trace_headers=trace_headers() or None,
        )
        .on_conflict_do_nothing(index_elements=["id"])
    )


async def lock_wamid(session: AsyncSession, wamid: str) -> None:
    """Serialises recording a wamid with handling its status callbacks.

    Without it a callback could look the wamid up just before the sender's commit, miss it, and park the
    status after the sender had already looked for parked ones: the status would never be applied.
    """
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:wamid))"), {"wamid": wamid})


async def record_sent(uow: UnitOfWork, message_id: uuid.UUID, wamid: str) -> OutboundMessage | None:
    """Mark a queued message sent as `wamid` and announce it (caller holds `lock_wamid`).

    From the sender when Meta answered, or from a status callback whose tag names the message when the
    answer never came. None when it is no longer queued: recorded already (by the other of the two), or
    given up on.
    """
    recorded = (
        await uow.session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id == message_id, OutboundMessage.status == "queued")
            .values(
                status="sent",
                wamid=wamid,
                sent_at=func.now(),
                status_at=func.now(),
                attempt_started_at=None,
            )
            .returning(OutboundMessage)
        )
    ).scalar_one_or_none()
    if recorded is None:
        return None
    uow.publish(
        subjects.MESSAGE_SENT,
        MessageSent(
            notification_id=str(recorded.id),
            to=recorded.to_wa_id,
            wamid=wamid,
            purpose=recorded.purpose,
            category=Category(recorded.category),
            campaign_tag=recorded.campaign_tag,
        ),
        correlation_id=recorded.correlation_id,
        causation_id=recorded.id,
    )
    await apply_parked_statuses(uow, recorded)
    uow.after_commit(metrics.SENDS.labels("sent").inc)
    return recorded


async def apply_status(
    uow: UnitOfWork, message: OutboundMessage, reported: Delivery, *, error_code: int | None
) -> None:
    """Move a (row-locked) message forward and announce each status it passes through."""
    steps = advance(Delivery(message.status), reported)
    if not steps:
        return
    values: dict[str, Any] = {"status": steps[-1].value, "status_at": func.now()}
    if steps[-1] is Delivery.FAILED:
        values |= {"failure_reason": "meta_error", "error_code": error_code}
    await uow.session.execute(update(OutboundMessage).where(OutboundMessage.id == message.id).values(values))
    assert message.wamid is not None
    for step in steps:
        uow.after_commit(metrics.SENDS.labels(step.value).inc)
        common = {
            "notification_id": str(message.id),
            "wamid": message.wamid,
            "to": message.to_wa_id,
            "campaign_tag": message.campaign_tag,
        }
        correlation_id, causation_id = message.correlation_id, message.id
        if step is Delivery.DELIVERED:
            delivered = MessageDelivered.model_validate(common)
            uow.publish(
                subjects.MESSAGE_DELIVERED,
                delivered,
                correlation_id=correlation_id,
                causation_id=causation_id,
            )
        elif step is Delivery.READ:
            read = MessageRead.model_validate(common)
            uow.publish(subjects.MESSAGE_READ, read, correlation_id=correlation_id, causation_id=causation_id)
        elif step is Delivery.FAILED:
            failed = MessageFailed.model_validate(
                {**common, "reason": "meta_error", "error_code": error_code}
            )
            uow.publish(
                subjects.MESSAGE_FAILED, failed, correlation_id=correlation_id, causation_id=causation_id
            )


async def apply_parked_statuses(uow: UnitOfWork, message: OutboundMessage) -> None:
    """Apply callbacks that arrived before the wamid was recorded (caller holds `lock_wamid`)."""
    assert message.wamid is not None
    parked = (
        await uow.session.execute(
            delete(UnmatchedStatus).where(UnmatchedStatus.wamid == message.wamid).returning(UnmatchedStatus)
        )
    ).scalars()
    for status in sorted(parked, key=lambda s: list(Delivery).index(Delivery(s.status))):
        await uow.session.refresh(message)
        await apply_status(uow, message, Delivery(status.status), error_code=status.error_code)


async def message_by_wamid(session: AsyncSession, wamid: str) -> OutboundMessage | None:
    statement = select(OutboundMessage).where(OutboundMessage.wamid == wamid).with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def park_status(session: AsyncSession, *, wamid: str, status: Delivery, error_code: int | None) -> None:
    await session.execute(
        insert(UnmatchedStatus)
        .values(wamid=wamid, status=status.value, error_code=error_code)
        .on_conflict_do_nothing()
    )

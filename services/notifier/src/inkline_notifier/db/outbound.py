"""Queries on the outbound message queue, shared by the handlers and the sender."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import String, Table, column, delete, func, literal_column, select, text, update, values
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
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

# The table itself, for Core statements on the hottest paths (the ORM's per-statement work is skipped).
outbound_table = cast(Table, OutboundMessage.__table__)
# Built once: queueing a send is then only its parameters (every `notify.send` runs it).
_ENQUEUE = insert(outbound_table).on_conflict_do_nothing(index_elements=["id"])


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
        _ENQUEUE,
        {
            "id": message_id,
            "correlation_id": correlation_id,
            "to_wa_id": to,
            "content": content.model_dump(mode="json"),
            "purpose": purpose,
            "category": category.value,
            "campaign_tag": campaign_tag,
            "language": language,
            "window_opened_at": window_opened_at,
            "trace_headers": trace_headers() or None,
        },
    )


async def lock_wamid(session: AsyncSession, wamid: str) -> None:
    """Serialises recording a wamid with handling its status callbacks.

    Without it a callback could look the wamid up just before the sender's commit, miss it, and park the
    status after the sender had already looked for parked ones: the status would never be applied.
    """
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:wamid))"), {"wamid": wamid})


async def record_sent(uow: UnitOfWork, message_id: uuid.UUID, wamid: str) -> OutboundMessage | None:
    """Mark a queued message sent as `wamid` and announce it (caller holds `lock_wamid` already).

    From a status callback whose tag names the message when the sender's answer never came. None when it
    is no longer queued: recorded already (by the sender), or given up on.
    """
    if not await record_sent_many(uow, [(message_id, wamid)]):
        return None
    return await uow.session.get(OutboundMessage, message_id)


async def record_sent_many(uow: UnitOfWork, answers: Sequence[tuple[uuid.UUID, str]]) -> int:
    """Mark each queued message sent as its wamid and announce it, in one statement whatever their number;
    returns how many were recorded, leaving out those no longer queued.

    The statement first takes each wamid's `lock_wamid` (in one order, so two recorders never wait on
    each other), so the parked statuses looked for next are all there are. Core, not the ORM, on the
    hottest table: this runs for every message sent.
    """
    answered = values(column("id", PG_UUID(as_uuid=True)), column("wamid", String), name="answered").data(
        list(answers)
    )
    keys = (
        select(func.hashtext(answered.c.wamid).label("key"))
        .distinct()
        .order_by(literal_column("key"))
        .subquery("keys")
    )
    # Evaluated once, before the update changes any row (a condition on no row of its own).
    locked = select(func.count(func.pg_advisory_xact_lock(keys.c.key))).scalar_subquery()
    recorded = (
        await uow.session.execute(
            update(outbound_table)
            .where(
                outbound_table.c.id == answered.c.id,
                outbound_table.c.status == "queued",
                locked > 0,
            )
            .values(
                status="sent",
                wamid=answered.c.wamid,
                sent_at=func.now(),
                status_at=func.now(),
                attempt_started_at=None,
            )
            .returning(
                outbound_table.c.id,
                outbound_table.c.to_wa_id,
                outbound_table.c.wamid,
                outbound_table.c.purpose,
                outbound_table.c.category,
                outbound_table.c.campaign_tag,
                outbound_table.c.correlation_id,
            )
        )
    ).all()
    for message_id, to, wamid, purpose, category, campaign_tag, correlation_id in recorded:
        uow.publish(
            subjects.MESSAGE_SENT,
            MessageSent(
                notification_id=str(message_id),
                to=to,
                wamid=wamid,
                purpose=purpose,
                category=Category(category),
                campaign_tag=campaign_tag,
            ),
            correlation_id=correlation_id,
            causation_id=message_id,
        )
    if recorded:
        await _apply_parked_statuses(uow, {row.wamid: row.id for row in recorded})
        uow.after_commit(lambda: metrics.SENDS.labels("sent").inc(len(recorded)))
    return len(recorded)


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


async def _apply_parked_statuses(uow: UnitOfWork, recorded: Mapping[str, uuid.UUID]) -> None:
    """Apply callbacks that arrived before the wamids (`wamid: message id`) were recorded (caller holds
    their `lock_wamids`): one statement finds them, almost always none."""
    parked = (
        await uow.session.execute(
            delete(UnmatchedStatus).where(UnmatchedStatus.wamid.in_(recorded)).returning(UnmatchedStatus)
        )
    ).scalars()
    order = list(Delivery)
    for status in sorted(parked, key=lambda s: (s.wamid, order.index(Delivery(s.status)))):
        message = await uow.session.get(OutboundMessage, recorded[status.wamid], populate_existing=True)
        assert message is not None
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

"""What the sender writes about a queued message: a call started, a retry later, giving up (Meta's answers:
`answers`).

Every write is guarded by `status = 'queued'`: a status callback may have recorded the message meanwhile
(it names the send by its tag), and then the sender's late news changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

import structlog
from sqlalchemy import Integer, String, case, column, func, update, values
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_contracts import subjects
from inkline_contracts.events.notify import MessageFailed
from inkline_notifier.adapters.whatsapp import SendError
from inkline_notifier.db.models import OutboundMessage
from inkline_platform import metrics
from inkline_platform.uow import UnitOfWorkFactory

log = structlog.get_logger(__name__)
# A call still marked started when the message is next written about was never answered.
_UNANSWERED = case((OutboundMessage.attempt_started_at.is_not(None), 1), else_=0)


async def begin_attempts(
    session: AsyncSession,
    calls: Sequence[tuple[OutboundMessage, str]],
    *,
    hold_seconds: float,
    sent_by: str | None = None,
) -> dict[uuid.UUID, int]:
    """Write "call N started now, by `sent_by`" for each (message, sent as), in the caller's transaction,
    which commits it before the calls are made; returns each message's N, leaving out those that changed
    since they were read (recorded by a status callback, or taken by another sender).

    The messages are not due again for `hold_seconds` (the call's timeout and the grace period for a
    status callback), so a call whose answer never comes is not simply repeated on the next tick. A
    previous call still marked started was never answered: it is counted as unconfirmed.
    """
    if not calls:
        return {}
    read = values(
        column("id", UUID(as_uuid=True)), column("attempts", Integer), column("sent_as", String), name="read"
    ).data([(message.id, message.attempts, sent_as) for message, sent_as in calls])
    started = (
        await session.execute(
            update(OutboundMessage)
            .where(
                OutboundMessage.id == read.c.id,
                OutboundMessage.attempts == read.c.attempts,
                OutboundMessage.status == "queued",
            )
            .values(
                attempts=OutboundMessage.attempts + 1,
                unconfirmed=OutboundMessage.unconfirmed + _UNANSWERED,
                attempt_started_at=func.now(),
                next_attempt_at=func.now() + timedelta(seconds=hold_seconds),
                sent_as=read.c.sent_as,
                sent_by=sent_by,
            )
            .returning(OutboundMessage.id, OutboundMessage.attempts)
            # The sender keeps the messages as it read them (the previous call's state decides how it is
            # logged and counted), so the session's copies are left as they are.
            .execution_options(synchronize_session=False)
        )
    ).all()
    return {message_id: attempt for message_id, attempt in started}


async def requeue(
    uow: UnitOfWorkFactory,
    message: OutboundMessage,
    *,
    delay: float,
    error: SendError,
    counter: str | None = None,
    force_template: bool = False,
) -> None:
    """Meta answered with a failure: due again after `delay`, `counter` (throttled or retried) + 1."""
    values: dict[str, object] = {
        "next_attempt_at": func.now() + timedelta(seconds=delay),
        "attempt_started_at": None,
        "last_error": f"{error.code}: {error.detail}"[:2000],
        "error_code": error.code,
    }
    if force_template:
        values["force_template"] = True
    if counter is not None:
        values[counter] = getattr(OutboundMessage, counter) + 1
    async with uow() as work:
        await work.session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id == message.id, OutboundMessage.status == "queued")
            .values(values)
        )
        await work.commit()


async def give_up(
    uow: UnitOfWorkFactory,
    message: OutboundMessage,
    *,
    reason: str,
    error_code: int | None = None,
    error: str | None = None,
) -> None:
    async with uow() as work:
        failed = (
            await work.session.execute(
                update(OutboundMessage)
                .where(OutboundMessage.id == message.id, OutboundMessage.status == "queued")
                .values(
                    status="failed",
                    unconfirmed=OutboundMessage.unconfirmed + _UNANSWERED,
                    attempt_started_at=None,
                    failure_reason=reason,
                    error_code=error_code,
                    last_error=error[:2000] if error else None,
                    status_at=func.now(),
                )
                .returning(OutboundMessage.id)
            )
        ).scalar_one_or_none()
        if failed is None:
            return
        work.publish(
            subjects.MESSAGE_FAILED,
            MessageFailed(
                notification_id=str(message.id),
                to=message.to_wa_id,
                reason=reason,
                error_code=error_code,
                campaign_tag=message.campaign_tag,
            ),
            correlation_id=message.correlation_id,
            causation_id=message.id,
        )
        work.after_commit(metrics.SENDS.labels("failed").inc)
        await work.commit()
    log.warning("message_failed", to=message.to_wa_id, reason=reason, error_code=error_code)

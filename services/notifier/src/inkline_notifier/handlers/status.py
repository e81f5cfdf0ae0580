"""Meta's delivery status callbacks, forwarded by the conversation webhook."""

from __future__ import annotations

import structlog

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.notify import MessageStatusReceived
from inkline_notifier.db.models import OutboundMessage
from inkline_notifier.db.outbound import (
    apply_status,
    lock_wamid,
    message_by_wamid,
    park_status,
    record_sent,
)
from inkline_notifier.domain.attempts import tagged_notification
from inkline_notifier.domain.delivery import Delivery
from inkline_platform.uow import UnitOfWork

log = structlog.get_logger(__name__)
_REPORTED = {Delivery.SENT, Delivery.DELIVERED, Delivery.READ, Delivery.FAILED}


class MessageStatusReceivedHandler:
    """Moves a sent message to delivered, read or failed (never backwards) and announces it."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[MessageStatusReceived]) -> None:
        callback = envelope.payload
        try:
            reported = Delivery(callback.status)
        except ValueError:
            reported = Delivery.QUEUED
        if reported not in _REPORTED:
            log.warning("unknown_message_status", status=callback.status, wamid=callback.wamid)
            return
        await lock_wamid(work.session, callback.wamid)
        message = await message_by_wamid(work.session, callback.wamid)
        if message is None:
            message = await _record_tagged_send(work, callback)
        if message is None:
            await park_status(
                work.session, wamid=callback.wamid, status=reported, error_code=callback.error_code
            )
            return
        await apply_status(work, message, reported, error_code=callback.error_code)


async def _record_tagged_send(work: UnitOfWork, callback: MessageStatusReceived) -> OutboundMessage | None:
    """A callback for a send whose answer never came (or was not recorded): its tag names the message,
    which went out as this wamid after all. None when the tag is absent, not ours, or its message is no
    longer queued (recorded with another call's wamid: the one duplicate)."""
    notification = tagged_notification(callback.biz_opaque_callback_data)
    if notification is None:
        return None
    recorded = await record_sent(work, notification, callback.wamid)
    if recorded is None:
        return None
    log.info("message_sent_confirmed_by_status", notification_id=str(notification), wamid=callback.wamid)
    # Parked statuses of this wamid may have moved it on already.
    await work.session.refresh(recorded)
    return recorded

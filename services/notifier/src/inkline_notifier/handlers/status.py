"""Meta's delivery status callbacks, forwarded by the conversation webhook."""

from __future__ import annotations

import structlog

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.notify import MessageStatusReceived
from inkline_notifier.db.outbound import apply_status, lock_wamid, message_by_wamid, park_status
from inkline_notifier.domain.delivery import Delivery
from inkline_platform.uow import UnitOfWork

log = structlog.get_logger(__name__)
_REPORTED = {Delivery.SENT, Delivery.DELIVERED, Delivery.READ, Delivery.FAILED}


async def on_status(uow: UnitOfWork, envelope: Envelope[MessageStatusReceived]) -> None:
    """Moves a sent message to delivered, read or failed (never backwards) and announces it."""
    callback = envelope.payload
    try:
        reported = Delivery(callback.status)
    except ValueError:
        reported = Delivery.QUEUED
    if reported not in _REPORTED:
        log.warning("unknown_message_status", status=callback.status, wamid=callback.wamid)
        return
    await lock_wamid(uow.session, callback.wamid)
    message = await message_by_wamid(uow.session, callback.wamid)
    if message is None:
        await park_status(uow.session, wamid=callback.wamid, status=reported, error_code=callback.error_code)
        return
    await apply_status(uow, message, reported, error_code=callback.error_code)

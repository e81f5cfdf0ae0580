"""`notify.send`: record the command in the outbound queue; the sender job takes it from there."""

from __future__ import annotations

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.notify import SendMessage
from inkline_notifier.db.outbound import enqueue
from inkline_platform.uow import UnitOfWork


async def on_send(uow: UnitOfWork, envelope: Envelope[SendMessage]) -> None:
    """Queues one message for sending; committed with the inbox claim, so it is queued exactly once."""
    command = envelope.payload
    await enqueue(
        uow.session,
        message_id=envelope.message_id,
        correlation_id=envelope.correlation_id,
        to=command.to,
        content=command.content,
        purpose=command.purpose,
        category=command.category,
        campaign_tag=command.campaign_tag,
    )

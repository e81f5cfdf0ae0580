"""`notify.send`: record the command in the outbound queue; the sender job takes it from there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.notify import SendMessage
from inkline_notifier.db.outbound import enqueue
from inkline_platform.uow import UnitOfWork


def _nobody() -> None:
    return None


@dataclass(frozen=True)
class SendMessageHandler:
    """Queues one message for sending; committed with the inbox claim, so it is queued exactly once."""

    queued: Callable[[], None] = _nobody
    """Told once the message is committed to the queue (wakes the sender)."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[SendMessage]) -> None:
        command = envelope.payload
        await enqueue(
            work.session,
            message_id=envelope.message_id,
            correlation_id=envelope.correlation_id,
            to=command.to,
            content=command.content,
            purpose=command.purpose,
            category=command.category,
            campaign_tag=command.campaign_tag,
        )
        work.after_commit(self.queued)

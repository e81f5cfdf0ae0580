"""`notify.send`: record the command in the outbound queue; the sender job takes it from there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.notify import SendMessage
from inkline_contracts.send_routing import Lane, lane
from inkline_notifier.db.outbound import enqueue
from inkline_platform.uow import UnitOfWork


def _nobody(lane: Lane) -> None:
    return None


@dataclass(frozen=True)
class SendMessageHandler:
    """Queues one message for sending; committed with the inbox claim, so it is queued exactly once."""

    queued: Callable[[Lane], None] = _nobody
    """Told the message's lane once it is committed to the queue (wakes that lane's sender)."""

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
            language=command.language,
            window_opened_at=command.window_opened_at,
        )
        queued_lane = lane(command)
        work.after_commit(lambda: self.queued(queued_lane))

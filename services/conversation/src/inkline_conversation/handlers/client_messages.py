"""client.message.received: the client's stored messages are answered, oldest first (journey/inbox.py)."""

from __future__ import annotations

import structlog

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.consult import ClientMessageReceived
from inkline_conversation.journey.config import JourneyConfig
from inkline_conversation.journey.inbox import is_flooding, process_pending, waiting
from inkline_conversation.journey.repositories import RepositoriesOf
from inkline_conversation.journey.turn import open_turn
from inkline_platform.uow import UnitOfWork

log = structlog.get_logger(__name__)


class ClientMessageHandler:
    """Answers the lead's unprocessed messages in the order they were sent, or defers a flood."""

    def __init__(self, config: JourneyConfig, repositories: RepositoriesOf) -> None:
        self._config = config
        self._repositories = repositories

    async def __call__(self, work: UnitOfWork, envelope: Envelope[ClientMessageReceived]) -> None:
        turn = await open_turn(
            work,
            self._repositories(work),
            self._config,
            envelope.payload.lead_id,
            causation_id=envelope.message_id,
        )
        if turn is None:
            return
        pending = await waiting(turn)
        if is_flooding(turn, pending):
            # Stored and safe; the catch-up pass answers the whole burst once it calms down.
            log.warning("client_flood_deferred", lead_id=str(turn.lead.id))
            return
        await process_pending(turn, pending.messages)

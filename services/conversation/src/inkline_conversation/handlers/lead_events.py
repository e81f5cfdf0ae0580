"""Events from other services about one lead (slots, holds, deposits, bookings): journey/router.py picks
the step each one runs."""

from __future__ import annotations

import uuid
from typing import Any

from inkline_contracts.base import Contract
from inkline_contracts.envelope import Envelope
from inkline_conversation.journey.config import JourneyConfig
from inkline_conversation.journey.repositories import RepositoriesOf
from inkline_conversation.journey.router import on_lead_event
from inkline_conversation.journey.turn import open_turn
from inkline_platform.uow import UnitOfWork


class LeadEventHandler:
    """Runs the router's step for an event about one lead, under the lead's row lock."""

    def __init__(self, config: JourneyConfig, repositories: RepositoriesOf) -> None:
        self._config = config
        self._repositories = repositories

    async def __call__(self, work: UnitOfWork, envelope: Envelope[Any]) -> None:
        payload: Contract = envelope.payload
        lead_id = getattr(payload, "lead_id", None)
        if not isinstance(lead_id, uuid.UUID):
            raise TypeError(f"{envelope.type} carries no lead_id")
        turn = await open_turn(
            work, self._repositories(work), self._config, lead_id, causation_id=envelope.message_id
        )
        if turn is not None:
            await on_lead_event(turn, payload)

"""NATS handlers: each locks the lead its message is about and hands it to the journey's router
(journey/router.py), which picks the step."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import structlog
from sqlalchemy import func, select

from inkline_contracts.base import Contract
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.booking import TourLegPublished
from inkline_contracts.events.consult import ClientMessageReceived
from inkline_contracts.events.slots import CityDates
from inkline_conversation.db.models import Lead
from inkline_conversation.domain.statuses import LeadStatus
from inkline_conversation.journey.config import JourneyConfig
from inkline_conversation.journey.inbox import is_flooding, process_pending
from inkline_conversation.journey.qualification import offer_tour
from inkline_conversation.journey.router import on_lead_event
from inkline_conversation.journey.turn import LeadTurn, open_turn
from inkline_platform.uow import UnitOfWork

log = structlog.get_logger(__name__)

P = TypeVar("P", bound=Contract)


class JourneyHandlers:
    """One instance per service, holding the artist's configuration for every handler."""

    def __init__(self, config: JourneyConfig) -> None:
        self.config = config

    def for_lead(
        self, step: Callable[[LeadTurn, P], Awaitable[None]] = on_lead_event
    ) -> Callable[[UnitOfWork, Envelope[P]], Awaitable[None]]:
        """A consumer handler that runs `step` (the router, unless told) on the lead named by the payload's
        lead_id, under its row lock."""

        async def handle(work: UnitOfWork, envelope: Envelope[P]) -> None:
            lead_id = getattr(envelope.payload, "lead_id", None)
            if not isinstance(lead_id, uuid.UUID):
                raise TypeError(f"{envelope.type} carries no lead_id")
            turn = await open_turn(work, self.config, lead_id, causation_id=envelope.message_id)
            if turn is not None:
                await step(turn, envelope.payload)

        return handle

    async def client_message(self, work: UnitOfWork, envelope: Envelope[ClientMessageReceived]) -> None:
        turn = await open_turn(work, self.config, envelope.payload.lead_id, causation_id=envelope.message_id)
        if turn is None:
            return
        if await is_flooding(turn):
            # Stored and safe; the catch-up pass answers the whole burst once it calms down.
            log.warning("client_flood_deferred", lead_id=str(turn.lead.id))
            return
        await process_pending(turn)

    async def tour_leg_published(self, work: UnitOfWork, envelope: Envelope[TourLegPublished]) -> None:
        """Waitlisted clients in the leg's city get the new dates offered."""
        leg = envelope.payload
        lead_ids = (
            await work.session.scalars(
                select(Lead.id).where(
                    Lead.status == LeadStatus.WAITLISTED.value,
                    func.lower(Lead.qualified["city"].as_string()) == leg.city.lower(),
                )
            )
        ).all()
        offer = CityDates(
            city=leg.city, country_code=leg.country_code, first_day=leg.first_day, last_day=leg.last_day
        )
        for lead_id in lead_ids:
            turn = await open_turn(work, self.config, lead_id, causation_id=envelope.message_id)
            if turn is not None and turn.status is LeadStatus.WAITLISTED and not turn.contact.opted_out:
                await offer_tour(turn, offer)

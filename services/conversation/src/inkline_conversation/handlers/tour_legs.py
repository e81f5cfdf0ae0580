"""calendar.tour_leg.published: waitlisted clients in the leg's city get the new dates offered."""

from __future__ import annotations

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.booking import TourLegPublished
from inkline_contracts.events.slots import CityDates
from inkline_conversation.domain.statuses import LeadStatus
from inkline_conversation.journey.config import JourneyConfig
from inkline_conversation.journey.qualification import offer_tour
from inkline_conversation.journey.repositories import RepositoriesOf
from inkline_conversation.journey.turn import open_turn
from inkline_platform.uow import UnitOfWork


class TourLegPublishedHandler:
    """Offers a new tour leg's dates to the clients waitlisted in its city."""

    def __init__(self, config: JourneyConfig, repositories: RepositoriesOf) -> None:
        self._config = config
        self._repositories = repositories

    async def __call__(self, work: UnitOfWork, envelope: Envelope[TourLegPublished]) -> None:
        leg = envelope.payload
        repos = self._repositories(work)
        offer = CityDates(
            city=leg.city, country_code=leg.country_code, first_day=leg.first_day, last_day=leg.last_day
        )
        for lead_id in await repos.leads.waitlisted_in(leg.city):
            turn = await open_turn(work, repos, self._config, lead_id, causation_id=envelope.message_id)
            if turn is not None and turn.status is LeadStatus.WAITLISTED and not turn.contact.opted_out:
                await offer_tour(turn, offer)

"""What each artist action link does once confirmed; the token checks happen in the action pages."""

from __future__ import annotations

from datetime import datetime

from inkline_conversation.db.models import Lead
from inkline_conversation.domain.statuses import ActionKind, ActionRefusedError, LeadStatus
from inkline_conversation.journey.appointment_changes import waive_fee
from inkline_conversation.journey.appointments import mark_no_show
from inkline_conversation.journey.booking import request_deposit
from inkline_conversation.journey.config import JourneyConfig
from inkline_conversation.journey.handover import hand_over, resume_bot
from inkline_conversation.journey.qualification import OFFER, request_slots
from inkline_conversation.journey.repositories import RepositoriesOf
from inkline_conversation.journey.turn import turn_on
from inkline_platform.uow import UnitOfWork


class ArtistActions:
    """The real ActionExecutor: changes the lead through its status table and tells the client."""

    def __init__(self, config: JourneyConfig, repositories: RepositoriesOf) -> None:
        self._config = config
        self._repositories = repositories

    async def __call__(self, work: UnitOfWork, lead: Lead, action: ActionKind, now: datetime) -> str:
        turn = await turn_on(work, self._repositories(work), self._config, lead, now=now)
        name = turn.client_name
        copy = turn.config.artist_copy  # in the language the artist last saved
        if action is ActionKind.APPROVE:
            turn.change_status(LeadStatus.APPROVED, reason="artist approved")
            turn.say("decision.approved", purpose="lead_approved")
            request_slots(turn, purpose=OFFER)
            return copy.render("artist_action.approved", name=name)
        if action is ActionKind.REJECT:
            turn.change_status(LeadStatus.REJECTED, reason="artist rejected")
            turn.say("decision.rejected", purpose="lead_rejected")
            return copy.render("artist_action.declined", name=name)
        if action is ActionKind.SEND_DEPOSIT:
            if lead.hold_id is None or lead.hold_expires_at is None or lead.hold_expires_at <= now:
                raise ActionRefusedError(copy.render("artist_action.no_hold", name=name))
            if turn.status is LeadStatus.DEPOSIT_REQUESTED:
                raise ActionRefusedError(copy.render("artist_action.deposit_link_already_sent", name=name))
            request_deposit(turn)
            return copy.render("artist_action.deposit_link_sent", name=name)
        if action is ActionKind.MARK_BOOKED:
            turn.change_status(LeadStatus.BOOKED, reason="artist marked booked")
            turn.say("decision.marked_booked", purpose="booking_confirmed")
            return copy.render("artist_action.marked_booked", name=name)
        if action is ActionKind.TAKE_OVER:
            await hand_over(turn, reason="artist_took_over")
            return copy.render("artist_action.took_over", name=name)
        if action is ActionKind.RESUME_BOT:
            return resume_bot(turn)
        if action is ActionKind.NO_SHOW:
            return await mark_no_show(turn)
        if action is ActionKind.WAIVE_FEE:
            if turn.status is LeadStatus.NEEDS_ARTIST and lead.resume_status != LeadStatus.BOOKED.value:
                raise ActionRefusedError(copy.render("artist_action.no_fee_to_waive", name=name))
            return await waive_fee(turn)
        raise ActionRefusedError(f"Unknown action {action.value}.")

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
        if action is ActionKind.APPROVE:
            turn.change_status(LeadStatus.APPROVED, reason="artist approved")
            turn.say("decision.approved", purpose="lead_approved")
            request_slots(turn, purpose=OFFER)
            return f"Approved. {name} will get your free times to pick from."
        if action is ActionKind.REJECT:
            turn.change_status(LeadStatus.REJECTED, reason="artist rejected")
            turn.say("decision.rejected", purpose="lead_rejected")
            return f"Declined. {name} got a kind message saying it is not a fit."
        if action is ActionKind.SEND_DEPOSIT:
            if lead.hold_id is None or lead.hold_expires_at is None or lead.hold_expires_at <= now:
                raise ActionRefusedError(
                    f"No slot is held for {name} right now, so there is nothing to take a deposit for. "
                    "Approve the lead so they can pick a time first."
                )
            if turn.status is LeadStatus.DEPOSIT_REQUESTED:
                raise ActionRefusedError(f"{name} already has a deposit link for the held slot.")
            request_deposit(turn)
            return f"A deposit link is on its way to {name}."
        if action is ActionKind.MARK_BOOKED:
            turn.change_status(LeadStatus.BOOKED, reason="artist marked booked")
            turn.say("decision.marked_booked", purpose="booking_confirmed")
            return f"{name} is marked as booked and was told so."
        if action is ActionKind.TAKE_OVER:
            await hand_over(turn, reason="artist_took_over")
            return f"You have the chat with {name}; the assistant stays quiet until you hand it back."
        if action is ActionKind.RESUME_BOT:
            return resume_bot(turn)
        if action is ActionKind.NO_SHOW:
            return await mark_no_show(turn)
        if action is ActionKind.WAIVE_FEE:
            if turn.status is LeadStatus.NEEDS_ARTIST and lead.resume_status != LeadStatus.BOOKED.value:
                raise ActionRefusedError(f"{name} has no booking whose fee could be waived.")
            return await waive_fee(turn)
        raise ActionRefusedError(f"Unknown action {action.value}.")

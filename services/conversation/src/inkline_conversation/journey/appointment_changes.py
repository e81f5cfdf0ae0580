"""A booked client's message about their appointment, and the artist's waiver: which change it starts or
continues. Reschedule and cancellation themselves live in journey/reschedule.py and journey/cancellation.py;
what they share (the booked time, the policy, the change under way) in journey/booked_appointment.py.
"""

from __future__ import annotations

from inkline_conversation.domain.appointment_change import Cancellation, Reschedule, RescheduleStage
from inkline_conversation.domain.parsing.change_words import ChangeRequest, change_in_words
from inkline_conversation.domain.parsing.yes_no import CANCEL_NO_WORDS, CANCEL_YES_WORDS, says_no, says_yes
from inkline_conversation.domain.statuses import LeadStatus
from inkline_conversation.journey import cancellation, reschedule
from inkline_conversation.journey.appointments import CANCEL_BUTTON_ID, RESCHEDULE_BUTTON_ID
from inkline_conversation.journey.booked_appointment import KEEP_ID, clear_change, current_change, keep
from inkline_conversation.journey.inbound_messages import ClientMessage
from inkline_conversation.journey.turn import LeadTurn

# A reschedule waiting on another service: the client hears it is under way.
_WAITING_STAGES = frozenset({RescheduleStage.FINDING, RescheduleStage.HOLDING, RescheduleStage.MOVING})


def change_requested(text: str) -> ChangeRequest | None:
    """Whether a booked client asks to move or cancel (a reminder's button, or in words)."""
    stripped = text.strip()
    if stripped == RESCHEDULE_BUTTON_ID:
        return ChangeRequest.RESCHEDULE
    if stripped == CANCEL_BUTTON_ID:
        return ChangeRequest.CANCEL
    return change_in_words(text)


async def on_booked_change_message(turn: LeadTurn, message: ClientMessage) -> bool:
    """Handle a booked client's message if it belongs to a change (or starts one); False leaves it to others."""
    text = message.text
    if text is None:
        return False
    change = current_change(turn)
    stripped = text.strip()
    match change:
        case Cancellation():
            if stripped == cancellation.CANCEL_YES_ID or says_yes(
                text, yes=CANCEL_YES_WORDS, no=CANCEL_NO_WORDS
            ):
                await cancellation.confirm_cancellation(turn)
                return True
            if stripped == KEEP_ID or says_no(text, yes=CANCEL_YES_WORDS, no=CANCEL_NO_WORDS):
                keep(turn)
                return True
            clear_change(turn)
        case Reschedule(stage=stage):
            if stripped == KEEP_ID:
                keep(turn)
                return True
            if stage is RescheduleStage.COST_OFFERED and stripped == reschedule.ASK_ARTIST_ID:
                await reschedule.ask_artist(turn)
                return True
            if stage is RescheduleStage.CHOOSING and change_requested(text) is None:
                await reschedule.on_pick(turn, text)
                return True
            if stage in _WAITING_STAGES:
                turn.say("appointment.change_in_progress", purpose="holding_reply")
                return True
    requested = change_requested(text)
    if requested is ChangeRequest.RESCHEDULE:
        await reschedule.start_reschedule(turn)
        return True
    if requested is ChangeRequest.CANCEL:
        cancellation.start_cancellation(turn)
        return True
    return False


async def waive_fee(turn: LeadTurn) -> str:
    """The artist's waiver: a kept deposit is refunded, or the client may move their booking for free."""
    name = turn.client_name
    copy = turn.config.artist_copy
    turn.lead.fee_waived_at = turn.now
    if turn.status is LeadStatus.CANCELLED:
        if turn.lead.deposit_outcome != "forfeited":
            return copy.render("artist_waiver.nothing_to_waive", name=name)
        cancellation.request_refund(turn, reason="artist waived the cancellation fee")
        turn.say("appointment.fee_waived_refund", purpose="fee_waived")
        return copy.render("artist_waiver.refunded", name=name)
    if turn.status is LeadStatus.NEEDS_ARTIST:
        turn.change_status(LeadStatus.BOOKED, reason="artist waived the fee and handed the chat back")
    if isinstance(current_change(turn), Reschedule):
        turn.say("appointment.fee_waived_reschedule", purpose="fee_waived")
        reschedule.restart_finding(turn)
        return copy.render("artist_waiver.reschedule", name=name)
    turn.say("appointment.fee_waived", purpose="fee_waived")
    return copy.render("artist_waiver.next_change", name=name)

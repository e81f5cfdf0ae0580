"""Stepping the bot back so the artist can talk to the client personally, and stepping back in."""

from __future__ import annotations

from dataclasses import replace

from inkline_contracts import subjects
from inkline_contracts.events.lead import HandoverRequested
from inkline_conversation.domain.consultation import resume, state_from_dict
from inkline_conversation.domain.consultation_replies import HANDOVER_INTENTS
from inkline_conversation.domain.status_words import status_words
from inkline_conversation.domain.statuses import LeadStatus
from inkline_conversation.journey.answers_so_far import answers_so_far
from inkline_conversation.journey.artist_messages import send_handover_packet
from inkline_conversation.journey.inbound_messages import ClientMessage
from inkline_conversation.journey.model_reading import store_consultation
from inkline_conversation.journey.turn import LeadTurn


async def asked_for_artist(turn: LeadTurn, message: ClientMessage) -> bool:
    """The client asked for the artist (or something only the artist answers): hand over, say so."""
    handover_intent = next((intent for intent in HANDOVER_INTENTS if intent in message.intents), None)
    if handover_intent is None:
        return False
    turn.say(f"handover.{handover_intent.value}", purpose="handover")
    await hand_over(turn, reason=handover_intent.value)
    return True


async def hand_over(turn: LeadTurn, *, reason: str, field: str | None = None, packet: bool = True) -> None:
    """NEEDS_ARTIST, remembering where the bot was, and the artist gets the packet to take over (not
    when the artist started it by replying to the client: they know already)."""
    if turn.status is LeadStatus.NEEDS_ARTIST:
        return
    turn.lead.resume_status = turn.status.value
    turn.change_status(LeadStatus.NEEDS_ARTIST, reason=reason)
    turn.publish(
        subjects.LEAD_HANDOVER_REQUESTED,
        HandoverRequested(
            lead_id=turn.lead.id,
            wa_id=turn.lead.wa_id,
            reason=reason,
            field=field,
            requested_at=turn.now,
            answers=answers_so_far(turn.lead.consultation),
        ),
    )
    if packet:
        await send_handover_packet(turn, reason=reason, field=field)


def resume_bot(turn: LeadTurn) -> str:
    """Back to where the bot left off; an unfinished consultation re-asks its current question."""
    previous = LeadStatus(turn.lead.resume_status or LeadStatus.CONSULTING.value)
    copy = turn.config.artist_copy
    turn.lead.slot_strikes = 0
    if turn.lead.consultation and previous in (LeadStatus.NEW, LeadStatus.CONSULTING):
        step = resume(state_from_dict(turn.lead.consultation), settings=turn.config.consultation)
        store_consultation(turn, step.state)
        turn.change_status(LeadStatus.CONSULTING, reason="artist handed the chat back")
        for reply in step.replies:
            turn.say_reply(reply, purpose="consult_question")
        return copy.render("artist_action.resumed_consultation")
    if not turn.lead.consultation:
        turn.change_status(LeadStatus.CONSULTING, reason="artist handed the chat back")
        return copy.render("artist_action.resumed_next_message")
    turn.change_status(previous, reason="artist handed the chat back")
    store_consultation(turn, replace(state_from_dict(turn.lead.consultation), handed_over=False))
    return copy.render("artist_action.resumed", name=turn.client_name, status=status_words(previous, copy))

"""What the router does with a client's message before and beside the booking steps: consent, the
consultation, the artist's chat, the tour question and the holding answer while someone else decides.

journey/router.py decides which of these runs; journey/inbox.py feeds the router one message at a time.
"""

from __future__ import annotations

import structlog

from inkline_contracts import subjects
from inkline_contracts.events.lead import LeadOptedIn, LeadOptedOut
from inkline_conversation.domain.consultation import advance, start, state_from_dict
from inkline_conversation.domain.consultation_confirmation import prompt_for
from inkline_conversation.domain.consultation_events import (
    ConsultationCompleted,
    HandoverRequested,
    Inbound,
    MediaMessage,
    OptInRequested,
    OptOutRequested,
    SilentMessage,
)
from inkline_conversation.domain.consultation_state import ConsultationState
from inkline_conversation.domain.intents import Intent
from inkline_conversation.domain.media_signature import signed_media_url
from inkline_conversation.domain.parsing.yes_no import TOUR_NO_WORDS, TOUR_YES_WORDS, says_no, says_yes
from inkline_conversation.domain.statuses import LeadStatus
from inkline_conversation.journey import messages
from inkline_conversation.journey.handover import hand_over
from inkline_conversation.journey.inbound_messages import ClientMessage, readable
from inkline_conversation.journey.model_reading import read_with_model, store_consultation
from inkline_conversation.journey.qualification import (
    TOUR_NO,
    TOUR_YES,
    on_consultation_completed,
    on_tour_answer,
)
from inkline_conversation.journey.turn import LeadTurn

log = structlog.get_logger(__name__)

TOUR_STRIKES_BEFORE_HANDOVER = 2
# Statuses where the bot is waiting on someone else; a client message gets one holding answer per status.
_HOLDING_KEYS: dict[LeadStatus, str] = {
    LeadStatus.CONSULTING: "waiting.review",
    LeadStatus.QUALIFIED: "waiting.review",
    LeadStatus.BELOW_MINIMUM: "waiting.review",
    LeadStatus.WAITLISTED: "waiting.waitlist",
    LeadStatus.APPROVED: "waiting.slots",
    LeadStatus.SLOT_HELD: "waiting.deposit",
    LeadStatus.DEPOSIT_REQUESTED: "waiting.deposit",
    LeadStatus.DEPOSIT_PAID: "waiting.confirmation",
}


async def admitted(turn: LeadTurn, message: ClientMessage) -> bool:
    """Store a picture for download and settle consent; False when the message stops here (opt-out/in,
    or the number has opted out), True when the lead's status decides what happens next."""
    row, inbound = message.row, message.inbound
    if isinstance(inbound, MediaMessage):
        media = row.raw.get(str(row.raw.get("type")), {})
        await turn.repos.media.add_pending(
            lead_id=turn.lead.id,
            wamid=row.wamid,
            media_id=inbound.media_id,
            mime_type=media.get("mime_type"),
            sha256=media.get("sha256"),
        )
    if Intent.OPT_OUT in message.intents:
        await opt_out(turn, keyword=(row.text or "").strip()[:50])
        return False
    if Intent.OPT_IN in message.intents and turn.contact.opted_out:
        await opt_in(turn)
        return False
    if turn.contact.opted_out:
        log.info("opted_out_message_stored", lead_id=str(turn.lead.id))
        return False
    return True


async def read_silently(turn: LeadTurn, message: ClientMessage) -> None:
    """A 👍, a system note or WhatsApp's "opened the chat": kept, never answered (except the welcome)."""
    assert isinstance(message.inbound, SilentMessage)
    await _read_silently(turn, message.inbound)


async def forward(turn: LeadTurn, message: ClientMessage) -> None:
    """The artist talks to the client from their own phone, so they would never see what arrives here."""
    # Quoting the last message the artist got about this client, so the thread shows who is writing.
    quoted = await turn.repos.artist.latest_thread(turn.lead.id)
    forward_to_artist(
        turn, readable(message.row, message.inbound), media_id=message.media_id, reply_to=quoted
    )


async def consult_message(turn: LeadTurn, message: ClientMessage) -> None:
    await consult(turn, message.inbound)


async def consulting(turn: LeadTurn, message: ClientMessage) -> bool:
    """While the consultation is unfinished every message answers it."""
    if turn.lead.consultation.get("completed", False):
        return False
    await consult(turn, message.inbound)
    return True


async def tour_answer(turn: LeadTurn, message: ClientMessage) -> None:
    await _tour_reply(turn, message.typed_text)


async def holding_reply(turn: LeadTurn, message: ClientMessage) -> None:
    _holding_reply(turn)


async def _read_silently(turn: LeadTurn, inbound: SilentMessage) -> None:
    if inbound.kind == "request_welcome" and turn.status is LeadStatus.NEW and not turn.lead.consultation:
        if not turn.contact.opted_out:
            await consult(turn, inbound)  # the greeting and the first question, before they type
        return
    log.info("client_message_read_silently", lead_id=str(turn.lead.id), kind=inbound.kind)


async def consult(turn: LeadTurn, inbound: Inbound) -> None:
    """Run the consultation machine on one message and carry out what it decided."""
    config = turn.config
    if not turn.lead.consultation:
        state = ConsultationState()
        step = start(now=turn.now, tz=config.tz, settings=config.consultation, first_message=inbound)
    else:
        state = state_from_dict(turn.lead.consultation)
        step = advance(state, inbound, now=turn.now, tz=config.tz, settings=config.consultation)
    step = await read_with_model(turn, state, inbound, step)
    if turn.status is not LeadStatus.CONSULTING:
        turn.change_status(LeadStatus.CONSULTING, reason="client is answering the consultation")
    store_consultation(turn, step.state)
    for reply in step.replies:
        family = reply.key.split(".", 1)[0]
        purpose = {
            "question": "consult_question",
            "read_back": "consult_question",
            "repair": "consult_repair",
        }.get(family, "consult_reply")
        turn.say_reply(reply, purpose=purpose)
    for event in step.events:
        if isinstance(event, HandoverRequested):
            await hand_over(turn, reason=event.reason, field=event.field.value if event.field else None)
        elif isinstance(event, ConsultationCompleted):
            await on_consultation_completed(turn, event)
        elif isinstance(event, OptOutRequested):
            await opt_out(turn, keyword="stop")
        elif isinstance(event, OptInRequested):
            await opt_in(turn)


async def opt_out(turn: LeadTurn, *, keyword: str) -> None:
    """Consent is per number: every lead of it goes quiet, with exactly one confirmation."""
    if turn.contact.opted_out:
        return
    turn.contact.opted_out = True
    turn.contact.consent_changed_at = turn.now
    turn.publish(
        subjects.LEAD_OPTED_OUT, LeadOptedOut(wa_id=turn.contact.wa_id, lead_id=turn.lead.id, keyword=keyword)
    )
    turn.say("consent.opted_out", purpose="consent_confirmation")


async def opt_in(turn: LeadTurn) -> None:
    turn.contact.opted_out = False
    turn.contact.consent_changed_at = turn.now
    turn.publish(subjects.LEAD_OPTED_IN, LeadOptedIn(wa_id=turn.contact.wa_id, lead_id=turn.lead.id))
    turn.say("consent.opted_in", purpose="consent_confirmation")
    consultation = turn.lead.consultation
    if consultation and not consultation.get("completed") and not consultation.get("handed_over"):
        state = state_from_dict(consultation)
        turn.say_reply(prompt_for(state, turn.config.consultation), purpose="consult_question")


async def _tour_reply(turn: LeadTurn, text: str) -> None:
    if text.strip() == TOUR_YES or says_yes(text, yes=TOUR_YES_WORDS, no=TOUR_NO_WORDS):
        await on_tour_answer(turn, accepted=True)
        return
    if text.strip() == TOUR_NO or says_no(text, yes=TOUR_YES_WORDS, no=TOUR_NO_WORDS):
        await on_tour_answer(turn, accepted=False)
        return
    turn.lead.slot_strikes += 1
    if turn.lead.slot_strikes >= TOUR_STRIKES_BEFORE_HANDOVER:
        await hand_over(turn, reason="tour_answer_unclear", field="tour")
        return
    turn.say("booking.tour_unclear", purpose="tour_offer_repair")


def forward_to_artist(
    turn: LeadTurn, text: str | None, *, media_id: str | None, reply_to: str | None = None
) -> None:
    settings = turn.config.settings
    content = text or "[unsupported message]"
    if media_id is not None:
        content = signed_media_url(
            base_url=settings.public_base_url,
            media_id=media_id,
            secret=settings.media_link_secret,
            expires_at=turn.now + turn.config.link_ttl,
        ) + (f" {text}" if text else "")
    turn.send(
        messages.text(
            turn.config.artist_copy.render("artist_alert.forwarded", name=turn.client_name, content=content),
            reply_to=reply_to,
        ),
        purpose="artist_forwarded_message",
        to=settings.artist_whatsapp_number,
    )


def _holding_reply(turn: LeadTurn) -> None:
    key = _HOLDING_KEYS.get(turn.status)
    if key is None:
        return
    answered = turn.lead.holding_reply_at
    if answered is not None and answered >= turn.lead.status_changed_at:
        return
    turn.lead.holding_reply_at = turn.now
    if key == "waiting.deposit" and turn.lead.deposit_url:
        turn.say("waiting.deposit_link", purpose="holding_reply", payment_link=turn.lead.deposit_url)
        return
    turn.say(key, purpose="holding_reply")

"""A client's messages, handled in the order they were sent, whatever order they were delivered in.

The consult handler does not process "its" message: it processes every message of the lead not yet
processed, oldest first, under the lead's row lock. A late delivery of an older message is therefore
handled before a newer one, a redelivery finds nothing left to do, and a burst is answered once.
"""

from __future__ import annotations

import re
from datetime import timedelta

import structlog
from sqlalchemy import func, select

from inkline_contracts import subjects
from inkline_contracts.events.lead import LeadOptedIn, LeadOptedOut
from inkline_conversation.db.models import InboundMessage
from inkline_conversation.db.reference_media import record_pending_media
from inkline_conversation.domain.consultation import advance, start, state_from_dict, state_to_dict
from inkline_conversation.domain.consultation_events import (
    ConsultationCompleted,
    HandoverRequested,
    Inbound,
    MediaMessage,
    OptInRequested,
    OptOutRequested,
    SilentMessage,
    TextMessage,
)
from inkline_conversation.domain.consultation_replies import HANDOVER_INTENTS, question_for
from inkline_conversation.domain.intents import Intent, detect_intents
from inkline_conversation.domain.media_signature import signed_media_url
from inkline_conversation.domain.parsing.text import normalise
from inkline_conversation.domain.statuses import LeadStatus
from inkline_conversation.journey.appointment_changes import (
    LAST_MINUTE_PREFIX,
    on_booked_change_message,
    on_last_minute_tap,
)
from inkline_conversation.journey.appointments import on_booked_media, on_booked_message
from inkline_conversation.journey.booking import on_slot_reply
from inkline_conversation.journey.handover import hand_over
from inkline_conversation.journey.inbound_messages import inbound_of, readable
from inkline_conversation.journey.qualification import (
    TOUR_NO,
    TOUR_YES,
    on_consultation_completed,
    on_tour_answer,
)
from inkline_conversation.journey.turn import SUPERSEDED_PURPOSES, LeadTurn

log = structlog.get_logger(__name__)

_YES = frozenset({"yes", "yeah", "yep", "yup", "sure", "ok", "okay", "works", "perfect", "definitely", "y"})
_NO = frozenset({"no", "nope", "nah", "can't", "cant", "cannot", "waitlist", "n"})
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


async def is_flooding(turn: LeadTurn) -> bool:
    """More messages in the last minute than a person types: defer them to the catch-up pass."""
    recent = await turn.work.session.scalar(
        select(func.count())
        .select_from(InboundMessage)
        .where(
            InboundMessage.lead_id == turn.lead.id,
            InboundMessage.received_at > turn.now - timedelta(minutes=1),
        )
    )
    return int(recent or 0) > turn.config.settings.flood_messages_per_minute


async def process_pending(turn: LeadTurn) -> int:
    """Handle every unprocessed message of the lead, oldest first; replies superseded within the batch are dropped."""
    rows = (
        await turn.work.session.scalars(
            select(InboundMessage)
            .where(InboundMessage.lead_id == turn.lead.id, InboundMessage.processed_at.is_(None))
            .order_by(InboundMessage.sent_at, InboundMessage.received_at, InboundMessage.wamid)
        )
    ).all()
    if not rows:
        return 0
    turn.start_buffering()
    for row in rows:
        row.processed_at = turn.now
        if turn.lead.last_inbound_at is None or row.sent_at > turn.lead.last_inbound_at:
            turn.lead.last_inbound_at = row.sent_at
        inbound = inbound_of(row)
        if not isinstance(inbound, SilentMessage):
            # A 👍 answers nothing: the question it followed still stands, and still goes out.
            turn.lead.reminders_sent = 0
            turn.drop_buffered(SUPERSEDED_PURPOSES)
        await _handle(turn, row, inbound)
    turn.flush_buffer()
    turn.lead.updated_at = turn.now
    return len(rows)


async def _handle(turn: LeadTurn, row: InboundMessage, inbound: Inbound) -> None:
    if isinstance(inbound, SilentMessage):
        await _read_silently(turn, inbound)
        return
    if isinstance(inbound, MediaMessage):
        media = row.raw.get(str(row.raw.get("type")), {})
        await record_pending_media(
            turn.work.session,
            lead_id=turn.lead.id,
            wamid=row.wamid,
            media_id=inbound.media_id,
            mime_type=media.get("mime_type"),
            sha256=media.get("sha256"),
        )
    intents = detect_intents(row.text or "", opt_out_words=turn.config.consultation.opt_out_words)
    if Intent.OPT_OUT in intents:
        await opt_out(turn, keyword=(row.text or "").strip()[:50])
        return
    if Intent.OPT_IN in intents and turn.contact.opted_out:
        await opt_in(turn)
        return
    if turn.contact.opted_out:
        log.info("opted_out_message_stored", lead_id=str(turn.lead.id))
        return
    status = turn.status
    if status is LeadStatus.NEEDS_ARTIST:
        # The artist talks to the client from their own phone, so they would never see what arrives here.
        forward_to_artist(
            turn,
            readable(row, inbound),
            media_id=inbound.media_id if isinstance(inbound, MediaMessage) else None,
        )
        return
    if status in (LeadStatus.NEW, LeadStatus.ABANDONED) or (
        status is LeadStatus.CONSULTING and not turn.lead.consultation.get("completed", False)
    ):
        await consult(turn, inbound)
        return
    if status is LeadStatus.BOOKED:
        if isinstance(inbound, MediaMessage):
            await on_booked_media(turn, inbound.media_id)
            return
        if await on_booked_change_message(turn, row.text):
            return
    if status is LeadStatus.WAITLISTED and (row.text or "").strip().startswith(LAST_MINUTE_PREFIX):
        await on_last_minute_tap(turn)
        return
    handover_intent = next((intent for intent in HANDOVER_INTENTS if intent in intents), None)
    if handover_intent is not None:
        turn.say(f"handover.{handover_intent.value}", purpose="handover")
        await hand_over(turn, reason=handover_intent.value)
        return
    if status is LeadStatus.BOOKED:
        await on_booked_message(turn, row.text)
        return
    if status is LeadStatus.TOUR_OFFERED and isinstance(inbound, TextMessage):
        await _tour_reply(turn, inbound.text)
        return
    if status is LeadStatus.SLOTS_OFFERED and isinstance(inbound, TextMessage):
        await on_slot_reply(turn, inbound.text)
        return
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
        step = start(now=turn.now, tz=config.tz, settings=config.consultation, first_message=inbound)
    else:
        state = state_from_dict(turn.lead.consultation)
        step = advance(state, inbound, now=turn.now, tz=config.tz, settings=config.consultation)
    if turn.status is not LeadStatus.CONSULTING:
        turn.change_status(LeadStatus.CONSULTING, reason="client is answering the consultation")
    turn.lead.consultation = state_to_dict(step.state)
    for reply in step.replies:
        family = reply.key.split(".", 1)[0]
        purpose = {"question": "consult_question", "repair": "consult_repair"}.get(family, "consult_reply")
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
        turn.say_reply(question_for(state.current, turn.config.consultation), purpose="consult_question")


async def _tour_reply(turn: LeadTurn, text: str) -> None:
    words = set(re.findall(r"[a-z']+", normalise(text)))
    if text.strip() == TOUR_YES or (words & _YES and not words & _NO):
        await on_tour_answer(turn, accepted=True)
        return
    if text.strip() == TOUR_NO or (words & _NO and not words & _YES):
        await on_tour_answer(turn, accepted=False)
        return
    turn.lead.slot_strikes += 1
    if turn.lead.slot_strikes >= TOUR_STRIKES_BEFORE_HANDOVER:
        await hand_over(turn, reason="tour_answer_unclear", field="tour")
        return
    turn.say("booking.tour_unclear", purpose="tour_offer_repair")


def forward_to_artist(turn: LeadTurn, text: str | None, *, media_id: str | None) -> None:
    settings = turn.config.settings
    content = text or "[unsupported message]"
    if media_id is not None:
        content = signed_media_url(
            base_url=settings.public_base_url,
            media_id=media_id,
            secret=settings.media_link_secret,
            expires_at=turn.now + turn.config.link_ttl,
        ) + (f" {text}" if text else "")
    turn.tell_artist(
        f"{turn.client_name} wrote (you have this chat): {content}\nReply: https://wa.me/{turn.lead.wa_id}",
        purpose="artist_forwarded_message",
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

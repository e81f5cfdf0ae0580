"""The language each lead is answered in, settled from every message they send (domain/language.py
decides; this applies it to the lead and answers a request to switch)."""

from __future__ import annotations

import structlog

from inkline_contracts import subjects
from inkline_contracts.events.lead import LeadLanguageSet
from inkline_conversation.domain.consultation import state_from_dict
from inkline_conversation.domain.consultation_confirmation import prompt_for
from inkline_conversation.domain.consultation_events import MediaMessage, SilentMessage, TextMessage
from inkline_conversation.domain.language import (
    LanguageChoice,
    LanguageSource,
    choose_language,
    phone_language,
)
from inkline_conversation.domain.statuses import LeadStatus
from inkline_conversation.journey.client_messages import consult
from inkline_conversation.journey.inbound_messages import ClientMessage
from inkline_conversation.journey.turn import LeadTurn

log = structlog.get_logger(__name__)


def settle_language(turn: LeadTurn, message: ClientMessage) -> LanguageChoice | None:
    """Set the lead's language from this message; the choice when the message had words to weigh."""
    lead = turn.lead
    prior = phone_language(lead.wa_id) or turn.config.settings.default_language
    inbound = message.inbound
    words = (
        inbound.text
        if isinstance(inbound, TextMessage)
        else inbound.caption
        if isinstance(inbound, MediaMessage)
        else None
    )
    if not words:
        if lead.language_source is None:
            # Even "opened the chat" gets its greeting in the language the number suggests.
            lead.language, lead.language_source = prior, LanguageSource.PHONE.value
            _announce(turn)
        return None
    source = LanguageSource(lead.language_source) if lead.language_source else None
    choice = choose_language(
        words, current=lead.language if source else None, source=source, phone_prior=prior
    )
    changed = source is None or choice.language != lead.language
    if choice.language != lead.language:
        log.info(
            "lead_language_changed",
            lead_id=str(lead.id),
            language=choice.language,
            source=choice.source.value,
        )
    lead.language, lead.language_source = choice.language, choice.source.value
    if changed:
        _announce(turn)
    return choice


def _announce(turn: LeadTurn) -> None:
    """Tell the other services (the artist's sheet) the language the lead is now answered in."""
    turn.publish(
        subjects.LEAD_LANGUAGE_SET,
        LeadLanguageSet(lead_id=turn.lead.id, wa_id=turn.lead.wa_id, language=turn.lead.language),
    )


async def confirm_switch(turn: LeadTurn) -> None:
    """The client asked for a language: say so in it, and ask the open question again in it."""
    consultation = turn.lead.consultation
    if turn.status is LeadStatus.NEW and not consultation:
        await consult(turn, SilentMessage(kind="language_request"))  # the greeting and first question
        return
    turn.say("language.switched", purpose="language_switched")
    open_question = not consultation.get("completed") and not consultation.get("handed_over")
    if turn.status is LeadStatus.CONSULTING and open_question:
        state = state_from_dict(consultation)
        turn.say_reply(prompt_for(state, turn.config.consultation), purpose="consult_question")

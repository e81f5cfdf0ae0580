"""When the rules cannot read a client's message, or it seems to answer several questions, an optional model
reads it too (LLM_BASE_URL, LLM_API_KEY, LLM_MODEL); its text for each field goes through the same parsers.

Never for an opt-out, a request for the artist, a skip or the read-back: those stay with the rules. At most
`llm_calls_per_lead` calls per lead, counted in the stored consultation, and no call at all when unset.
"""

from __future__ import annotations

from dataclasses import replace

from inkline_conversation.domain.consultation import state_to_dict, with_extracted
from inkline_conversation.domain.consultation_events import (
    FieldAnswered,
    HandoverRequested,
    Inbound,
    OptInRequested,
    OptOutRequested,
    Step,
    TextMessage,
)
from inkline_conversation.domain.consultation_replies import TWO_STRIKES
from inkline_conversation.domain.consultation_state import ConsultationState
from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.idea import parse_idea
from inkline_conversation.domain.parsing.text import is_skip
from inkline_conversation.journey.turn import LeadTurn

CALLS_KEY = "model_calls"
# A message this long that gave one answer or none probably says more than the rules read.
_SEVERAL_ANSWERS_WORDS = 12


def model_calls(turn: LeadTurn) -> int:
    return int((turn.lead.consultation or {}).get(CALLS_KEY, 0))


def store_consultation(turn: LeadTurn, state: ConsultationState) -> None:
    """The consultation's new state, keeping the count of model calls (a handover must not reset the cap)."""
    turn.lead.consultation = {**state_to_dict(state), CALLS_KEY: model_calls(turn)}


def _worth_asking(text: str, before: ConsultationState, rules: Step) -> bool:
    if before.confirming or is_skip(text) or isinstance(parse_idea(text), ParseFailure):
        return False  # the read-back, a skip, small talk or a shrug: nothing a model could add
    for event in rules.events:
        if isinstance(event, OptOutRequested | OptInRequested):
            return False
        if isinstance(event, HandoverRequested) and event.reason != TWO_STRIKES:
            return False
    read = sum(isinstance(event, FieldAnswered) and event.value is not None for event in rules.events)
    return read == 0 or (read <= 1 and len(text.split()) >= _SEVERAL_ANSWERS_WORDS)


async def read_with_model(turn: LeadTurn, before: ConsultationState, inbound: Inbound, rules: Step) -> Step:
    """The rules' step, or a better one when the model read answers the rules missed."""
    extractor = turn.config.extractor
    if extractor is None or not isinstance(inbound, TextMessage):
        return rules
    if model_calls(turn) >= turn.config.settings.llm_calls_per_lead:
        return rules
    if not _worth_asking(inbound.text, before, rules):
        return rules
    turn.lead.consultation = {**(turn.lead.consultation or {}), CALLS_KEY: model_calls(turn) + 1}
    extracted = await extractor.extract(inbound.text, asked=before.current)
    config = turn.config
    better = with_extracted(
        before, rules, inbound.text, extracted, now=turn.now, tz=config.tz, settings=config.consultation
    )
    if better is None:
        return rules
    # The opening greeting stays in front of whatever is asked next.
    greeting = tuple(reply for reply in rules.replies if reply.key == "greeting.consultation")
    return replace(better, replies=(*greeting, *better.replies))

"""What a language model read from a text message, merged into the rules' step for it.

The rules decide alone on consent, the read-back and a handover the client asked for; the model may only
add answers the rules missed, each one checked by the question's own parser.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, tzinfo

from inkline_conversation.domain.consultation_confirmation import worded
from inkline_conversation.domain.consultation_events import (
    Event,
    FieldAnswered,
    HandoverRequested,
    OptInRequested,
    OptOutRequested,
    Step,
)
from inkline_conversation.domain.consultation_replies import TWO_STRIKES, ConsultationSettings
from inkline_conversation.domain.consultation_state import ConsultationState, Field
from inkline_conversation.domain.consultation_steps import field_context, move_on, store_answer
from inkline_conversation.domain.field_answers import Skipped, is_no_answer, is_weak, parse_field
from inkline_conversation.domain.parsing.failure import ParseFailure


def with_extracted(
    before: ConsultationState,
    rules: Step,
    text: str,
    extracted: Mapping[Field, str],
    *,
    now: datetime,
    tz: tzinfo,
    settings: ConsultationSettings,
) -> Step | None:
    """The rules' step for a text message, plus what a model read from it (`extracted`, each value checked
    by the question's own parser); None when the model adds nothing the rules may not decide alone."""
    if rules.state.completed or rules.state.confirming or (rules.state.handed_over and not _gave_up(rules)):
        return None
    if any(isinstance(event, OptOutRequested | OptInRequested) for event in rules.events):
        return None  # consent is the rules' alone
    context = field_context(now=now, tz=tz, settings=settings)
    events: list[Event] = [
        event for event in rules.events if isinstance(event, FieldAnswered) and event.value is not None
    ]
    answers = rules.state.answers if events else before.answers
    added = 0
    for which, value in extracted.items():
        if which is Field.REFERENCES or answers.is_answered(which):
            continue
        result = parse_field(which, value, context=context)
        if (
            isinstance(result, ParseFailure | Skipped)
            or is_weak(result)
            or is_no_answer(value, result, question=False, about_idea=False)
        ):
            continue
        answers = store_answer(answers, which, result, events)
        added += 1
    if not added:
        return None
    state = replace(before, answers=answers, wording=worded(before.wording, events, text))
    return move_on(state, settings=settings, events=events, replies=[])


def _gave_up(step: Step) -> bool:
    """The rules handed over only because they could not read two answers (not for a refund or a human)."""
    return any(isinstance(event, HandoverRequested) and event.reason == TWO_STRIKES for event in step.events)

"""The step builders every consultation path shares: store an answer, move on, hand over."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, tzinfo

from inkline_conversation.domain.consultation_confirmation import ask_to_confirm
from inkline_conversation.domain.consultation_events import (
    Event,
    FieldAnswered,
    HandoverRequested,
    Reply,
    Step,
)
from inkline_conversation.domain.consultation_replies import ConsultationSettings, make_reply, question_for
from inkline_conversation.domain.consultation_state import Answers, AnswerValue, ConsultationState, Field
from inkline_conversation.domain.field_answers import FieldContext, Skipped


def handover(state: ConsultationState, *, reason: str, settings: ConsultationSettings) -> Step:
    """Stop asking and pass the client to the artist, saying why."""
    return Step(
        state=replace(state, handed_over=True),
        replies=(make_reply(f"handover.{reason}", settings),),
        events=(HandoverRequested(reason=reason, field=state.current),),
    )


def move_on(
    state: ConsultationState, *, settings: ConsultationSettings, events: list[Event], replies: list[Reply]
) -> Step:
    """Ask the next unanswered question, or read the answers back once none is left."""
    upcoming = state.next_unanswered()
    if upcoming is None:
        return ask_to_confirm(state, settings=settings, events=events, replies=replies)
    replies.append(question_for(upcoming, settings))
    return Step(state=replace(state, current=upcoming), replies=tuple(replies), events=tuple(events))


def store_answer(
    answers: Answers, which: Field, value: AnswerValue | Skipped, events: list[Event]
) -> Answers:
    """The answers with `which` set (or skipped), recording the `FieldAnswered` event in `events`."""
    if isinstance(value, Skipped):
        events.append(FieldAnswered(field=which, value=None))
        return answers.with_skipped(which)
    updated = answers.with_value(which, value)
    events.append(FieldAnswered(field=which, value=updated.value(which)))
    return updated


def field_context(*, now: datetime, tz: tzinfo, settings: ConsultationSettings) -> FieldContext:
    """What the answer parsers need to read dates and money: the artist's currency, zone and horizon."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return FieldContext(currency=settings.currency, now=now, tz=tz, horizon_days=settings.window_horizon_days)

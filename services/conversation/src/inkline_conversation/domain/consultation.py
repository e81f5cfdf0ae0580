"""The consultation state machine: one inbound message in, new state plus replies and events out."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, tzinfo

from inkline_conversation.domain.client_questions import Topic, asked_topic, is_question
from inkline_conversation.domain.consultation_codec import state_from_dict, state_to_dict
from inkline_conversation.domain.consultation_confirmation import (
    confirm_or_correct,
    prompt_for,
    worded,
)
from inkline_conversation.domain.consultation_events import (
    Event,
    FieldAnswered,
    Inbound,
    LocationMessage,
    MediaMessage,
    OptInRequested,
    OptOutRequested,
    SilentMessage,
    Step,
    UnsupportedMessage,
)
from inkline_conversation.domain.consultation_extraction import with_extracted
from inkline_conversation.domain.consultation_replies import (
    HANDOVER_INTENTS,
    REPLY_KEYS,
    STRIKES_BEFORE_HANDOVER,
    TWO_STRIKES,
    ConsultationSettings,
    answer_question,
    hint_for,
    make_reply,
    question_for,
    unsupported_reply,
)
from inkline_conversation.domain.consultation_state import (
    OPTIONAL_FIELDS,
    ConsultationState,
    Field,
)
from inkline_conversation.domain.consultation_steps import field_context, handover, move_on, store_answer
from inkline_conversation.domain.field_answers import (
    FieldContext,
    Skipped,
    extract_mentions,
    is_no_answer,
    is_weak,
    parse_field,
)
from inkline_conversation.domain.intents import Intent, detect_intents
from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.location import parse_shared_location
from inkline_conversation.domain.parsing.references import References

__all__ = [
    "REPLY_KEYS",
    "ConsultationSettings",
    "advance",
    "resume",
    "start",
    "state_from_dict",
    "state_to_dict",
    "with_extracted",
]


def _answer_text(
    state: ConsultationState,
    text: str,
    *,
    context: FieldContext,
    settings: ConsultationSettings,
    first_contact: bool,
    events: list[Event],
) -> Step:
    asked = state.current
    result = parse_field(asked, text, context=context)
    topic = asked_topic(text, settings.facts)
    question = is_question(text)
    about_idea = topic is not None and asked is Field.IDEA
    if not isinstance(result, ParseFailure) and is_no_answer(
        text, result, question=question, about_idea=about_idea
    ):
        result = ParseFailure(reason="not_an_answer", hint_key=hint_for(asked))
    mentions = extract_mentions(text, answers=state.answers, asked=asked, context=context)
    answers = state.answers
    if not isinstance(result, ParseFailure) and not (mentions and is_weak(result)):
        if asked is Field.REFERENCES and isinstance(result, References) and answers.references is not None:
            result = replace(
                answers.references, links=answers.references.links + result.links, note=result.note
            )
        answers = store_answer(answers, asked, result, events)
    for which, value in mentions.items():
        answers = store_answer(answers, which, value, events)
    state = replace(state, answers=answers, wording=worded(state.wording, events, text))
    answer = answer_question(topic, settings) if topic is not None else None
    if events:
        return move_on(state, settings=settings, events=events, replies=[answer] if answer else [])
    if answer is not None:  # answered from the artist's settings, then the question again
        return Step(state=state, replies=(answer, question_for(asked, settings)))
    if first_contact:
        # An opening "hi, can I book?" is not a failed answer; it just needs the first question.
        return Step(state=state, replies=(question_for(asked, settings),), events=tuple(events))
    hint_key = result.hint_key if isinstance(result, ParseFailure) else hint_for(asked)
    if asked in OPTIONAL_FIELDS:
        # Not worth a second try, and never worth the artist's time: skip it (the read-back can add it).
        state = replace(state, answers=store_answer(state.answers, asked, Skipped(), events))
        return move_on(state, settings=settings, events=events, replies=[])
    strikes = state.strikes.get(asked, 0) + 1
    state = replace(state, strikes={**state.strikes, asked: strikes})
    if strikes >= STRIKES_BEFORE_HANDOVER:
        return handover(state, reason=TWO_STRIKES, settings=settings)
    return Step(state=state, replies=(make_reply(hint_key, settings),), events=tuple(events))


def _handle_text(
    state: ConsultationState,
    text: str,
    *,
    context: FieldContext,
    settings: ConsultationSettings,
    first_contact: bool = False,
    events: list[Event] | None = None,
) -> Step:
    events = events if events is not None else []
    intents = detect_intents(text, opt_out_words=settings.opt_out_words)
    if Intent.OPT_OUT in intents:
        return Step(
            state=state, replies=(make_reply("consent.opted_out", settings),), events=(OptOutRequested(),)
        )
    if Intent.OPT_IN in intents:
        replies = (make_reply("consent.opted_in", settings), prompt_for(state, settings))
        return Step(state=state, replies=replies, events=(OptInRequested(),))
    for intent in HANDOVER_INTENTS:
        if intent is Intent.COVER_UP and asked_topic(text) is Topic.COVER_UP:
            continue  # "do you do cover-ups?" is answered; "it's a cover-up of…" goes to the artist
        if intent in intents:
            return handover(state, reason=intent.value, settings=settings)
    if state.confirming:
        return confirm_or_correct(state, text, context=context, settings=settings)
    return _answer_text(
        state, text, context=context, settings=settings, first_contact=first_contact, events=events
    )


def _handle_media(
    state: ConsultationState, media: MediaMessage, *, context: FieldContext, settings: ConsultationSettings
) -> Step:
    existing = state.answers.references or References()
    references = replace(existing, media_ids=(*existing.media_ids, media.media_id))
    answers = replace(
        state.answers, references=references, skipped=state.answers.skipped - {Field.REFERENCES}
    )
    events: list[Event] = [FieldAnswered(field=Field.REFERENCES, value=references)]
    state = replace(state, answers=answers)
    if media.caption and media.caption.strip():
        return _handle_text(state, media.caption, context=context, settings=settings, events=events)
    if state.current is Field.REFERENCES:
        return move_on(state, settings=settings, events=events, replies=[])
    replies = (make_reply("media.received", settings), prompt_for(state, settings))
    return Step(state=state, replies=replies, events=tuple(events))


def _handle_location(
    state: ConsultationState, pin: LocationMessage, *, settings: ConsultationSettings
) -> Step:
    """A shared pin answers where the client is, whichever question is open; one whose city cannot be
    told is asked about only at the city question (never a strike: the client did answer)."""
    place = parse_shared_location(pin.name, pin.address)
    if isinstance(place, ParseFailure):
        if state.current is Field.LOCATION:
            return Step(state=state, replies=(make_reply("unsupported.location", settings),))
        return Step(state=state, replies=(prompt_for(state, settings),))
    events: list[Event] = []
    state = replace(state, answers=store_answer(state.answers, Field.LOCATION, place, events))
    return move_on(state, settings=settings, events=events, replies=[])


def advance(
    state: ConsultationState, inbound: Inbound, *, now: datetime, tz: tzinfo, settings: ConsultationSettings
) -> Step:
    """Process one client message; a finished or handed-over consultation ignores input."""
    if state.completed or state.handed_over:
        return Step(state=state)
    context = field_context(now=now, tz=tz, settings=settings)
    if isinstance(inbound, SilentMessage):
        return Step(state=state)
    if isinstance(inbound, UnsupportedMessage):
        return Step(
            state=state,
            replies=(unsupported_reply(inbound.kind, settings), prompt_for(state, settings)),
        )
    if isinstance(inbound, LocationMessage):
        return _handle_location(state, inbound, settings=settings)
    if isinstance(inbound, MediaMessage):
        return _handle_media(state, inbound, context=context, settings=settings)
    return _handle_text(state, inbound.text, context=context, settings=settings)


def start(
    *, now: datetime, tz: tzinfo, settings: ConsultationSettings, first_message: Inbound | None = None
) -> Step:
    """Open a consultation: greeting, then the first message is used as an answer if it is one."""
    greeting = make_reply("greeting.consultation", settings)
    state = ConsultationState()
    if first_message is None or isinstance(first_message, UnsupportedMessage | SilentMessage):
        return Step(state=state, replies=(greeting, question_for(Field.IDEA, settings)))
    if isinstance(first_message, MediaMessage | LocationMessage):
        step = advance(state, first_message, now=now, tz=tz, settings=settings)
    else:
        context = field_context(now=now, tz=tz, settings=settings)
        step = _handle_text(state, first_message.text, context=context, settings=settings, first_contact=True)
    if any(isinstance(event, OptOutRequested) for event in step.events):
        return step
    return replace(step, replies=(greeting, *step.replies))


def resume(state: ConsultationState, *, settings: ConsultationSettings) -> Step:
    """Hand the conversation back to the bot after the artist took over; strikes on the field are cleared."""
    state = replace(state, handed_over=False, strikes={**state.strikes, state.current: 0})
    if state.completed:
        return Step(state=state)
    return move_on(state, settings=settings, events=[], replies=[])

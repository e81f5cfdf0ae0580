"""The consultation's last step: the client reads their answers back, corrects any of them in words, and
sends them to the artist with "1"; only then is the consultation complete."""

from __future__ import annotations

from dataclasses import replace

from inkline_conversation.domain.client_questions import asked_topic
from inkline_conversation.domain.consultation_events import (
    CompletedAnswers,
    ConsultationCompleted,
    Event,
    FieldAnswered,
    Reply,
    Step,
)
from inkline_conversation.domain.consultation_replies import (
    ConsultationSettings,
    answer_question,
    make_reply,
    question_for,
)
from inkline_conversation.domain.consultation_state import Answers, AnswerValue, ConsultationState, Field
from inkline_conversation.domain.corrections import approves, find_correction
from inkline_conversation.domain.field_answers import FieldContext, Skipped
from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.read_back import ReadBack
from inkline_conversation.domain.rules import MinimumCheck, check_minimum_spend, estimate_size_category


def read_back(answers: Answers, settings: ConsultationSettings) -> Reply:
    """ "Here's what I have: … Reply 1 to send it, or tell me what to change"."""
    return make_reply("read_back.ask", settings, answers=ReadBack(answers))


def prompt_for(state: ConsultationState, settings: ConsultationSettings) -> Reply:
    """What the consultation is waiting for: the open question, or the read-back once all are answered."""
    return read_back(state.answers, settings) if state.confirming else question_for(state.current, settings)


def ask_to_confirm(
    state: ConsultationState, *, settings: ConsultationSettings, events: list[Event], replies: list[Reply]
) -> Step:
    """Every question is answered: show the answers and wait for the client's word."""
    replies.append(read_back(state.answers, settings))
    return Step(state=replace(state, confirming=True), replies=tuple(replies), events=tuple(events))


def _completed_answers(answers: Answers) -> CompletedAnswers:
    if (
        answers.idea is None
        or answers.placement is None
        or answers.size is None
        or answers.budget is None
        or answers.location is None
        or answers.windows is None
    ):
        raise ValueError("consultation is missing a required answer")
    return CompletedAnswers(
        idea=answers.idea,
        placement=answers.placement,
        size=answers.size,
        style=answers.style,
        references=answers.references,
        budget=answers.budget,
        location=answers.location,
        windows=answers.windows,
        instagram=answers.instagram,
    )


def complete(state: ConsultationState, *, settings: ConsultationSettings, events: list[Event]) -> Step:
    """The client confirmed: the answers go to the artist, checked against the minimum spend."""
    answers = _completed_answers(state.answers)
    category = estimate_size_category(
        size=answers.size,
        placement=answers.placement,
        styles=answers.style.styles if answers.style is not None else (),
        idea=answers.idea,
        rules=settings.sizing,
    )
    check: MinimumCheck | None = None
    reply = make_reply("consultation.complete", settings)
    policy = settings.minimum_spend
    if policy is not None:
        check = check_minimum_spend(answers.budget, country_code=answers.location.country_code, policy=policy)
        if check is MinimumCheck.BELOW:
            minimum = policy.minimum_for(answers.location.country_code)
            reply = make_reply("consultation.below_minimum", settings, minimum=minimum)
    events.append(
        ConsultationCompleted(
            answers=answers, size_category=category, minimum_check=check, wording=dict(state.wording)
        )
    )
    state = replace(state, completed=True, confirming=False)
    return Step(state=state, replies=(reply,), events=tuple(events))


# Enough of a long message to recognise it; the artist has the whole chat.
_WORDING_MAX_CHARS = 300


def worded(wording: dict[Field, str], events: list[Event], text: str) -> dict[Field, str]:
    """`wording` with `text` as the client's words for every question the events answered with a value."""
    said = " ".join(text.split())[:_WORDING_MAX_CHARS]
    answered = [
        event.field for event in events if isinstance(event, FieldAnswered) and event.value is not None
    ]
    return {**wording, **dict.fromkeys(answered, said)} if said else wording


def _corrected(answers: Answers, which: Field, value: AnswerValue | Skipped) -> Answers:
    if isinstance(value, Skipped):  # "no Instagram after all"
        return answers.with_skipped(which)
    updated = answers.with_value(which, value)
    return replace(updated, skipped=updated.skipped - {which})


def confirm_or_correct(
    state: ConsultationState, text: str, *, context: FieldContext, settings: ConsultationSettings
) -> Step:
    """The reply to the read-back: send it, change one answer and read back again, or ask what to change."""
    if approves(text):
        return complete(state, settings=settings, events=[])
    topic = asked_topic(text, settings.facts)
    answer = answer_question(topic, settings) if topic is not None else None
    if answer is not None:  # "how much will it be?" before sending: answered, then the answers again
        return Step(state=state, replies=(answer, read_back(state.answers, settings)))
    correction = find_correction(text, context=context)
    if correction is None or isinstance(correction.value, ParseFailure):
        return Step(state=state, replies=(make_reply("read_back.unclear", settings),))
    answers = _corrected(state.answers, correction.field, correction.value)
    events: list[Event] = [FieldAnswered(field=correction.field, value=answers.value(correction.field))]
    state = replace(state, answers=answers, wording=worded(state.wording, events, text))
    return ask_to_confirm(state, settings=settings, events=events, replies=[])

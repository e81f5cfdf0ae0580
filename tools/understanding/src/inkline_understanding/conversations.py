"""Cases that need the consultation machine itself: one message answering several questions, short scripts."""

from __future__ import annotations

from typing import Any

from inkline_conversation.domain.consultation import advance, start
from inkline_conversation.domain.consultation_events import (
    HandoverRequested,
    OptOutRequested,
    Step,
    TextMessage,
)
from inkline_conversation.domain.consultation_replies import ConsultationSettings
from inkline_conversation.domain.consultation_state import AnswerValue, ConsultationState, Field
from inkline_conversation.domain.field_answers import FieldContext, Skipped
from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_understanding.readings import Verdict, judge_value


def settings(context: FieldContext) -> ConsultationSettings:
    """An artist with the corpus's currency and horizon, and no minimum spend."""
    return ConsultationSettings(
        artist_name="Rowan", currency=context.currency, window_horizon_days=context.horizon_days
    )


def _asked_state(asked: Field) -> ConsultationState:
    return ConsultationState(current=asked)


def run_mixed(text: str, expected: dict[str, Any], *, context: FieldContext) -> tuple[Verdict, str, bool]:
    """One message while `asked` is the question: every field it answers must be read as a person reads it.

    Returns the verdict, a reading for the report, and whether a wrong budget went on silently.
    """
    asked = Field(expected["asked"])
    if asked is Field.IDEA:
        step = start(
            now=context.now, tz=context.tz, settings=settings(context), first_message=TextMessage(text)
        )
    else:
        step = advance(
            _asked_state(asked), TextMessage(text), now=context.now, tz=context.tz, settings=settings(context)
        )
    answers = step.state.answers
    verdicts: dict[str, Verdict] = {}
    for name, want in expected["expect"].items():
        which = Field(name)
        stored = answers.value(which)
        value: AnswerValue | Skipped | ParseFailure
        if stored is None:
            value = Skipped() if which in answers.skipped else ParseFailure(reason="not read", hint_key="")
        else:
            value = stored
        verdicts[name] = judge_value(name, value, want)
    reading = "; ".join(f"{name}={verdict.value}" for name, verdict in verdicts.items())
    money_wrong = verdicts.get("budget") is Verdict.WRONG
    if Verdict.WRONG in verdicts.values():
        return Verdict.WRONG, reading, money_wrong
    if Verdict.ASKED_AGAIN in verdicts.values():
        return Verdict.ASKED_AGAIN, reading, money_wrong
    return Verdict.RIGHT, reading, money_wrong


def run_flow(expected: dict[str, Any], *, context: FieldContext) -> tuple[Verdict, str]:
    """A short exchange; the expected outcome is ASK:<field>, ANSWERED, SKIPPED, HANDOVER@n or NOT_OPT_OUT."""
    script: list[str] = expected["script"]
    outcome: str = expected["expect"]
    steps = _play(expected["asked"], script, context=context)
    final = steps[-1]
    handover_at = next(
        (
            n
            for n, step in enumerate(steps, start=1)
            if any(isinstance(e, HandoverRequested) for e in step.events)
        ),
        None,
    )
    opted_out = any(isinstance(e, OptOutRequested) for step in steps for e in step.events)
    reading = f"current={final.state.current.value} handover@{handover_at} opt_out={opted_out}"
    if outcome.startswith("ASK:"):
        which = Field(outcome.removeprefix("ASK:"))
        right = final.state.current is which and not final.state.answers.is_answered(which) and not opted_out
    elif outcome.startswith("HANDOVER@"):
        right = handover_at == int(outcome.removeprefix("HANDOVER@"))
    elif outcome == "SKIPPED":
        asked = Field(expected["asked"])
        right = asked in final.state.answers.skipped and handover_at is None
    elif outcome == "ANSWERED":
        asked = Field(expected["asked"])
        right = final.state.answers.value(asked) is not None and handover_at is None
    elif outcome == "NOT_OPT_OUT":
        right = not opted_out
    else:
        raise ValueError(f"unknown flow outcome {outcome!r}")
    if right:
        return Verdict.RIGHT, reading
    asked_again = handover_at is None and not opted_out and outcome not in {"NOT_OPT_OUT", "SKIPPED"}
    return (Verdict.ASKED_AGAIN if asked_again else Verdict.WRONG), reading


def _play(asked: str, script: list[str], *, context: FieldContext) -> list[Step]:
    config = settings(context)
    steps: list[Step] = []
    if asked == "start":
        steps.append(
            start(now=context.now, tz=context.tz, settings=config, first_message=TextMessage(script[0]))
        )
        script = script[1:]
        state = steps[-1].state
    else:
        state = _asked_state(Field(asked))
    for text in script:
        step = advance(state, TextMessage(text), now=context.now, tz=context.tz, settings=config)
        steps.append(step)
        state = step.state
    return steps

"""Score every corpus case through the consultation's own parsers and machine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from inkline_conversation.domain.consultation_state import Field
from inkline_conversation.domain.field_answers import FieldContext, parse_field
from inkline_conversation.domain.intents import Intent, detect_intents
from inkline_conversation.domain.parsing.slot_pick import (
    Ambiguous,
    NoMatch,
    OfferedSlot,
    Picked,
    parse_slot_pick,
)
from inkline_understanding.cases import Case, context
from inkline_understanding.conversations import run_flow, run_mixed
from inkline_understanding.readings import Verdict, describe, judge_value

SLOT_LENGTH = timedelta(hours=3)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one case was read, and whether a wrong reading touched money or consent."""

    case: Case
    verdict: Verdict
    reading: str
    silent_money: bool = False
    silent_opt_out: bool = False


def field_context() -> FieldContext:
    """The parsers' context for the corpus."""
    ctx = context()
    return FieldContext(currency=ctx.currency, now=ctx.now, tz=ctx.tz, horizon_days=ctx.horizon_days)


def score(case: Case) -> Outcome:
    """Read one case the way the consultation would, and judge it."""
    if case.field == "intent":
        return _score_intent(case)
    if case.field == "slot":
        return _score_slot(case)
    if case.field == "mixed":
        verdict, reading, money = run_mixed(case.text, case.expected, context=field_context())
        return Outcome(case=case, verdict=verdict, reading=reading, silent_money=money)
    if case.field == "flow":
        verdict, reading = run_flow(case.expected, context=field_context())
        opt_out_missed = case.expected["expect"] == "NOT_OPT_OUT" and verdict is Verdict.WRONG
        return Outcome(case=case, verdict=verdict, reading=reading, silent_opt_out=opt_out_missed)
    value = parse_field(Field(case.field), case.text, context=field_context())
    verdict = judge_value(case.field, value, case.expected)
    money = case.field == "budget" and verdict is Verdict.WRONG
    return Outcome(case=case, verdict=verdict, reading=describe(value), silent_money=money)


def _score_intent(case: Case) -> Outcome:
    found = detect_intents(case.text)
    names = sorted(intent.value for intent in found)
    expected = case.expected
    right = (not found) if expected == "NONE" else expected in names
    opt_out_wrong = (expected == Intent.OPT_OUT.value) != (Intent.OPT_OUT in found)
    return Outcome(
        case=case,
        verdict=Verdict.RIGHT if right else Verdict.WRONG,
        reading=",".join(names) or "NONE",
        silent_opt_out=opt_out_wrong,
    )


@cache
def offered_slots() -> tuple[OfferedSlot, ...]:
    """The three slots the corpus's slot cases answer, on the artist's clock."""
    ctx = context()
    slots = []
    for position, label in sorted(ctx.offered_slots.items()):
        start = datetime.strptime(f"{label} {ctx.now.year}", "%a %d %b %H:%M %Y").replace(tzinfo=ctx.tz)
        slots.append(OfferedSlot(slot_id=f"slot-{position}", start=start, end=start + SLOT_LENGTH))
    return tuple(slots)


def _score_slot(case: Case) -> Outcome:
    choice = parse_slot_pick(case.text, slots=list(offered_slots()), tz=context().tz)
    if isinstance(choice, Picked):
        reading = f"PICK:{choice.slot_id.removeprefix('slot-')}"
    elif isinstance(choice, Ambiguous):
        reading = "AMBIG"
    else:
        assert isinstance(choice, NoMatch)
        reading = "NO MATCH"
    if reading == case.expected:
        verdict = Verdict.RIGHT
    elif reading in {"NO MATCH", "AMBIG"}:
        verdict = Verdict.ASKED_AGAIN  # the times are offered again
    else:
        verdict = Verdict.WRONG  # a slot the client did not pick would be held
    return Outcome(case=case, verdict=verdict, reading=reading)

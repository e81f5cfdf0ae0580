"""What a model read is used only after the question's own parser accepts it, only where the rules read
nothing (or little of a long message), never for consent, and at most a few calls per lead."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from inkline_conversation.db.models import Contact, Lead
from inkline_conversation.domain.consultation import advance, state_to_dict, with_extracted
from inkline_conversation.domain.consultation_events import FieldAnswered, OptOutRequested, Step, TextMessage
from inkline_conversation.domain.consultation_state import ConsultationState, Field
from inkline_conversation.domain.parsing.budget import BudgetRange
from inkline_conversation.journey.config import build_config
from inkline_conversation.journey.model_reading import CALLS_KEY, read_with_model
from inkline_conversation.journey.turn import LeadTurn
from inkline_conversation.settings import ConversationSettings

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2025, 2, 10, 9, 0, tzinfo=LONDON)
CONFIG = build_config(
    ConversationSettings(
        artist_name="Kat",
        artist_currency="GBP",
        llm_calls_per_lead=2,
        whatsapp_graph_url="http://graph.test/v21.0",
    )
)
SETTINGS = CONFIG.consultation
VAGUE = "whatever my mum lends me for my birthday lol"


def rules(state: ConsultationState, text: str) -> Step:
    return advance(state, TextMessage(text), now=NOW, tz=LONDON, settings=SETTINGS)


def test_a_value_the_rules_missed_is_kept_once_its_own_parser_accepts_it() -> None:
    before = ConsultationState(current=Field.BUDGET)
    missed = rules(before, "whatever my mum lends me lol")
    assert missed.state.strikes == {Field.BUDGET: 1}

    step = with_extracted(
        before,
        missed,
        "whatever my mum lends me lol",
        {Field.BUDGET: "£600"},
        now=NOW,
        tz=LONDON,
        settings=SETTINGS,
    )

    assert step is not None
    assert step.state.answers.budget == BudgetRange(60000, 60000, "GBP")
    assert step.state.strikes == {}, "read after all: not a miss"
    assert [reply.key for reply in step.replies] == ["question.idea"]


def test_a_model_value_no_parser_accepts_is_dropped_and_the_rules_step_stands() -> None:
    before = ConsultationState(current=Field.BUDGET)
    missed = rules(before, "whatever my mum lends me lol")

    extracted = {Field.BUDGET: "a lot", Field.LOCATION: "somewhere nice", Field.IDEA: "hi"}
    assert with_extracted(before, missed, "x", extracted, now=NOW, tz=LONDON, settings=SETTINGS) is None


def test_consent_is_never_the_model_s_business() -> None:
    before = ConsultationState(current=Field.BUDGET)
    stop = rules(before, "STOP")
    assert any(isinstance(event, OptOutRequested) for event in stop.events)

    assert (
        with_extracted(before, stop, "STOP", {Field.BUDGET: "£600"}, now=NOW, tz=LONDON, settings=SETTINGS)
        is None
    )


class CountingExtractor:
    def __init__(self, answer: Mapping[Field, str]) -> None:
        self.answer = answer
        self.calls: list[str] = []

    async def extract(self, text: str, *, asked: Field) -> Mapping[Field, str]:
        self.calls.append(text)
        return self.answer


def turn_at(state: ConsultationState, extractor: CountingExtractor | None) -> LeadTurn:
    config = CONFIG if extractor is None else type(CONFIG)(**{**CONFIG.__dict__, "extractor": extractor})
    lead = Lead(wa_id="447700900123", status="consulting", language="en", consultation=state_to_dict(state))
    contact = Contact(wa_id="447700900123", profile_name="Sam", opted_out=False)
    return LeadTurn(
        work=cast(Any, None), repos=cast(Any, None), config=config, lead=lead, contact=contact, now=NOW
    )


async def test_no_model_call_when_the_model_is_not_configured() -> None:
    before = ConsultationState(current=Field.BUDGET)
    missed = rules(before, VAGUE)
    turn = turn_at(before, None)

    assert await read_with_model(turn, before, TextMessage(VAGUE), missed) is missed


async def test_a_message_the_rules_read_whole_or_an_opt_out_costs_no_call() -> None:
    extractor = CountingExtractor({Field.BUDGET: "£600"})
    before = ConsultationState(current=Field.BUDGET)
    turn = turn_at(before, extractor)

    for text in ("£600", "STOP", "skip"):
        step = rules(before, text)
        assert await read_with_model(turn, before, TextMessage(text), step) is step

    assert extractor.calls == []


async def test_the_model_is_asked_at_most_the_lead_s_cap() -> None:
    extractor = CountingExtractor({Field.BUDGET: "£600"})
    before = ConsultationState(current=Field.BUDGET)
    turn = turn_at(before, extractor)

    results = [
        await read_with_model(turn, before, TextMessage(VAGUE), rules(before, VAGUE)) for _ in range(3)
    ]

    assert len(extractor.calls) == 2
    assert turn.lead.consultation[CALLS_KEY] == 2
    assert [
        any(isinstance(e, FieldAnswered) and e.field is Field.BUDGET for e in step.events) for step in results
    ] == [True, True, False]

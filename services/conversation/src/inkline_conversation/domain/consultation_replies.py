"""Replies the consultation sends: per-artist settings, the reply builder, and every key it can emit."""

from __future__ import annotations

from dataclasses import dataclass, field

from inkline_conversation.domain.client_questions import StudioFacts, Topic, answer_key
from inkline_conversation.domain.consultation_events import Reply
from inkline_conversation.domain.consultation_state import FIELD_ORDER, Field
from inkline_conversation.domain.copy import ParamValue
from inkline_conversation.domain.intents import Intent
from inkline_conversation.domain.money import Money
from inkline_conversation.domain.rules import MinimumSpendPolicy, SizingRules

TWO_STRIKES = "two_strikes"
STRIKES_BEFORE_HANDOVER = 2
# When one message carries several of these, the most sensitive one names the handover.
HANDOVER_INTENTS: tuple[Intent, ...] = (
    Intent.DATA_DELETION,
    Intent.REFUND,
    Intent.HUMAN,
    Intent.COVER_UP,
    Intent.HAGGLE,
)
_REPAIRABLE = tuple(which for which in FIELD_ORDER if which is not Field.STYLE)
# Message types with a reply of their own; any other unreadable type gets "unsupported.message".
UNSUPPORTED_WITH_OWN_REPLY = frozenset({"sticker", "audio", "contacts"})
REPLY_KEYS: frozenset[str] = frozenset(
    {
        "greeting.consultation",
        "consent.opted_out",
        "consent.opted_in",
        "consultation.complete",
        "consultation.below_minimum",
        "read_back.ask",
        "read_back.unclear",
        "answer.price",
        "answer.price_minimum",
        "answer.availability",
        "answer.studio",
        "answer.artist",
        *(
            f"answer.{topic.value}_{yes_no}"
            for topic in (Topic.COVER_UP, Topic.COLOUR)
            for yes_no in ("yes", "no")
        ),
        "media.received",
        "unsupported.message",
        "unsupported.location",
        *(f"unsupported.{kind}" for kind in UNSUPPORTED_WITH_OWN_REPLY),
        f"handover.{TWO_STRIKES}",
        *(f"handover.{intent.value}" for intent in HANDOVER_INTENTS),
        *(f"question.{which.value}" for which in FIELD_ORDER),
        *(f"repair.{which.value}" for which in _REPAIRABLE),
    }
)


@dataclass(frozen=True, slots=True)
class ConsultationSettings:
    """Per-artist knobs; money amounts are in the artist's currency."""

    artist_name: str
    currency: str
    minimum_spend: MinimumSpendPolicy | None = None
    sizing: SizingRules = field(default_factory=SizingRules)
    opt_out_words: tuple[str, ...] = ()
    window_horizon_days: int = 90
    example_budget_minor: tuple[int, int] = (30000, 50000)
    facts: StudioFacts = field(default_factory=StudioFacts)


def make_reply(key: str, settings: ConsultationSettings, **extra: ParamValue) -> Reply:
    """A reply with the standard params every text may use, plus any extras."""
    params: dict[str, ParamValue] = {"artist_name": settings.artist_name}
    if key.endswith(".budget"):
        low, high = settings.example_budget_minor
        params["example_low"] = Money(minor=low, currency=settings.currency)
        params["example_high"] = Money(minor=high, currency=settings.currency)
    params.update(extra)
    return Reply(key=key, params=params)


def unsupported_reply(kind: str, settings: ConsultationSettings) -> Reply:
    """A short "I can't open that here, could you type it?" suited to what was sent."""
    key = f"unsupported.{kind}" if kind in UNSUPPORTED_WITH_OWN_REPLY else "unsupported.message"
    return make_reply(key, settings)


def answer_question(topic: Topic, settings: ConsultationSettings) -> Reply | None:
    """The artist's answer to a client's question; None when their settings do not say (no address)."""
    written = settings.facts.answers.get(topic)
    if written:  # the artist's own words, as they wrote them (never machine-translated)
        return make_reply("answer.artist", settings, answer=written)
    answer = answer_key(topic, settings.facts)
    if answer is None:
        return None
    key, params = answer
    return make_reply(key, settings, **params)


def hint_for(asked: Field) -> str:
    """The repair text of a question, or the question itself for one without (style)."""
    return f"repair.{asked.value}" if f"repair.{asked.value}" in REPLY_KEYS else f"question.{asked.value}"


def question_for(which: Field, settings: ConsultationSettings) -> Reply:
    """The question that asks for a field."""
    return make_reply(f"question.{which.value}", settings)

"""Intents detected on the raw text of any inbound message, before field parsing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from functools import lru_cache

from inkline_conversation.domain.parsing.consent_words import CONSENT_FILLER, OPT_IN_PHRASES, OPT_OUT_PHRASES
from inkline_conversation.domain.parsing.text import core_text, has_phrase, normalise, without_accents


class Intent(StrEnum):
    """Something the client asked for that overrides the current question."""

    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HUMAN = "human"
    REFUND = "refund"
    DATA_DELETION = "data_deletion"
    COVER_UP = "cover_up"
    HAGGLE = "haggle"


_PHRASES: dict[Intent, tuple[str, ...]] = {
    Intent.REFUND: (
        "refund",
        "refunds",
        "refunded",
        "my money back",
        "money back",
        "chargeback",
        "charge back",
    ),
    Intent.DATA_DELETION: (
        "gdpr",
        "forget me",
        "right to be forgotten",
        "delete my data",
        "delete my details",
        "delete my info",
        "delete my information",
        "delete my number",
        "erase my data",
        "remove my data",
        "remove my details",
        "wipe my data",
        "delete everything you have",
    ),
    Intent.COVER_UP: (
        "cover up",
        "cover ups",
        "coverup",
        "coverups",
        "covering up",
        "cover over",
        "cover an old",
    ),
    Intent.HAGGLE: (
        "discount",
        "discounts",
        "discounted",
        "cheaper",
        "deal",
        "negotiate",
        "negotiable",
        "haggle",
        "mates rates",
        "mate's rates",
        "student price",
        "lower the price",
        # es, pt, de, fr, it (compared without accents)
        "descuento", "descuentos", "desconto", "descontos", "rabatt", "remise", "reduction", "sconto",
        "sconticino", "scontino", "me haceis precio", "me haces precio", "hacer precio", "mas barato",
        "mais barato", "billiger", "moins cher", "piu economico", "prezzo migliore", "precio especial",
        "preco especial", "prix d'ami",
    ),
}  # fmt: skip
_HUMAN_REQUEST = re.compile(
    r"(?<![a-z])(?:talk|speak|chat|message|text)\s+(?:to|with)\s+(?:a\s+|an\s+|the\s+|your\s+|an?\s+actual\s+|a\s+real\s+)?"
    r"(?:real\s+|actual\s+)?(?:person|human|human being|artist|someone|somebody|owner|boss|staff|her|him|them)"
    r"(?![a-z])"
    r"|(?<![a-z])(?:real|actual)\s+(?:person|human)(?![a-z])"
    r"|(?<![a-z])are\s+you\s+(?:a\s+)?(?:bot|robot|real|human|ai)(?![a-z])"
    r"|(?<![a-z])(?:is\s+this|am\s+i\s+talking\s+to)\s+(?:a\s+)?(?:bot|robot|ai|real)(?![a-z])"
    # es, pt, de, fr, it (compared without accents)
    r"|(?<![a-z])(?:eres|es|sos|e|ist\s+das|bist\s+du|c'est|t'es|es-tu|sei|e)\s+(?:un|una|um|uma|ein|eine)\s+"
    r"(?:bot|robot|robo|roboter|maquina|ia|ki|machine)(?![a-z])"
    r"|(?<![a-z])(?:falando|hablando|parlando)\s+(?:com|con)\s+(?:um|uma|un|una)\s+(?:bot|robot|robo|maquina)(?![a-z])"
    r"|(?<![a-z])(?:hablar|falar|parler|parlare|sprechen)\s+(?:con|com|a|avec)\s+(?:alguien|alguem|quelqu'un|qualcuno"
    r"|una\s+persona|uma\s+pessoa|une\s+personne|el\s+tatuador|la\s+tatuadora|o\s+tatuador|l'artiste|il\s+tatuatore)"
    r"|(?<![a-z])(?:mit|einem)\s+(?:echten\s+)?(?:menschen|jemandem)\s+(?:sprechen|reden)"
    r"|(?<![a-z])(?:persona\s+real|pessoa\s+real|echter\s+mensch|vraie\s+personne|persona\s+vera)(?![a-z])"
)
_HUMAN_ALONE = frozenset(
    {"human", "person", "agent", "operator", "real person", "a human", "a person", "artist"}
)


def _is_only(text: str, keywords: tuple[str, ...]) -> bool:
    return core_text(without_accents(text), fillers=CONSENT_FILLER) in _cores(keywords)


@lru_cache(maxsize=8)
def _cores(keywords: tuple[str, ...]) -> frozenset[str]:
    return frozenset(
        core_text(without_accents(keyword.lower()), fillers=CONSENT_FILLER) for keyword in keywords
    )


def detect_intents(text: str, *, opt_out_words: Iterable[str] = ()) -> frozenset[Intent]:
    """All intents in the message; consent keywords only count when they are essentially the whole message."""
    cleaned = normalise(text)
    found: set[Intent] = set()
    if _is_only(cleaned, (*OPT_OUT_PHRASES, *opt_out_words)):
        found.add(Intent.OPT_OUT)
    if _is_only(cleaned, OPT_IN_PHRASES):
        found.add(Intent.OPT_IN)
    folded = without_accents(cleaned)
    if _HUMAN_REQUEST.search(folded) or core_text(folded) in _HUMAN_ALONE:
        found.add(Intent.HUMAN)
    for intent, phrases in _PHRASES.items():
        if any(has_phrase(folded, phrase) for phrase in phrases):
            found.add(intent)
    return frozenset(found)

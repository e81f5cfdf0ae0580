"""Questions a client asks in the middle of the consultation ("how much will it cost?", "where's the
studio?", "¿haces color?"): answered from the artist's settings, never taken as an answer."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from inkline_conversation.domain.copy import ParamValue
from inkline_conversation.domain.money import Money
from inkline_conversation.domain.parsing.text import has_phrase, normalise, without_accents


class Topic(StrEnum):
    """What the client asked about."""

    PRICE = "price"
    AVAILABILITY = "availability"
    STUDIO = "studio"
    COVER_UP = "cover_up"
    COLOUR = "colour"
    BRING = "bring"  # what to bring and how to prepare; answered only with the artist's own words


@dataclass(frozen=True, slots=True)
class StudioFacts:
    """What the artist has said about their work, for answering clients' questions."""

    address: str | None = None
    minimum: Money | None = None
    does_cover_ups: bool = True
    does_colour: bool = True
    # The artist's own answers (the studio's FAQ), sent as written in place of the built-in ones.
    answers: Mapping[Topic, str] = field(default_factory=dict)


# Words of each topic in the six languages, compared without accents; a topic counts only in a question.
_TOPIC_PHRASES: dict[Topic, tuple[str, ...]] = {
    Topic.COVER_UP: (
        "cover up", "cover ups", "coverup", "coverups", "cover-up", "cover-ups", "tapar", "tapan", "cobrir",
        "cobertura", "abdecken", "uberdecken", "cover", "recouvrir", "recouvrement", "coprire", "copertura",
    ),
    Topic.COLOUR: (
        "colour", "colours", "color", "colors", "coloured", "colored", "colorido", "a color", "cor", "cores",
        "colorida", "farbe", "farbig", "farbige", "farbigen", "farbiges", "farben", "bunt", "couleur", "couleurs", "colore", "colori", "a colori",
    ),
    # After cover-ups and colour ("can I bring a colour reference?" asks about colour) and before STUDIO
    # ("what should I bring to the studio?" asks what to bring). Only words that mean bringing or preparing:
    # "levar" and "llevo" also mean "take (time)" and "I have", so they stay out.
    Topic.BRING: (
        "bring", "prepare", "preparation", "aftercare", "after care", "look after", "traer",
        "preparar", "preparo", "preparacion", "cuidados", "trazer", "preparacao", "mitbringen",
        "vorbereiten", "vorbereitung", "pflege", "apporter", "preparer", "preparation", "soins", "portare",
        "preparare", "preparazione",
    ),
    Topic.STUDIO: (
        "studio", "address", "located", "where are you", "where r u", "where abouts", "whereabouts",
        "estudio", "direccion", "donde estas", "donde estais", "endereco", "onde fica", "onde voce",
        "adresse", "wo bist du", "wo seid ihr", "wo ist", "salon", "ou etes vous", "ou se trouve",
        "indirizzo", "dove sei", "dove si trova",
    ),
    Topic.AVAILABILITY: (
        "available", "availability", "space", "slots", "slot", "booked up", "waiting list",
        "earliest", "next opening", "disponible", "disponibilidad", "hueco", "huecos", "cita libre",
        "disponivel", "disponibilidade", "vaga", "vagas", "horario", "frei", "termine", "termin",
        "dispo", "disponibilite", "creneau", "creneaux", "disponibile", "disponibilita", "posto libero",
    ),
    Topic.PRICE: (
        "how much", "price", "prices", "pricing", "cost", "costs", "charge", "charges", "rate", "rates",
        "quote", "cuanto", "cuesta", "cuestan", "precio", "precios", "quanto", "custa", "preco", "precos",
        "valor", "kostet", "kosten", "preis", "preise", "combien", "prix", "tarif", "tarifs", "costa",
        "prezzo", "prezzi",
    ),
}  # fmt: skip
# How a question opens, in the six languages, for clients who leave out the question mark.
_QUESTION_START = re.compile(
    r"^(?:how|what|whats|what's|when|where|wheres|where's|do|does|can|could|is|are|will|would|any|have"
    r"|cuanto|cuanta|cuando|donde|hay|haces|hace|tienes|tiene|puedo|quanto|quanta|quando|onde|voce|faz|fazem"
    r"|tem|wie|was|wann|wo|machst|macht|habt|hast|gibt|kann|combien|quand|ou|est-ce|faites|fais|vous|tu"
    r"|avez|dove|fai|fate|avete|c'e|posso)(?![a-z])"
)


def is_question(text: str) -> bool:
    """A question mark, or a sentence that opens as a question ("how much for a rose")."""
    return "?" in text or "¿" in text or _QUESTION_START.match(without_accents(normalise(text))) is not None


def asked_topic(text: str, facts: StudioFacts | None = None) -> Topic | None:
    """The topic of a question about the artist's work, or None when the message asks nothing we answer.

    With the artist's facts, "what to bring" counts only when they have written it, so "what should I bring
    to the studio?" still gets the address when they have not."""
    if not is_question(text):
        return None
    folded = without_accents(normalise(text))
    return next(
        (
            topic
            for topic, phrases in _TOPIC_PHRASES.items()
            if (facts is None or topic is not Topic.BRING or topic in facts.answers)
            and any(has_phrase(folded, phrase) for phrase in phrases)
        ),
        None,
    )


def answer_key(topic: Topic, facts: StudioFacts) -> tuple[str, dict[str, ParamValue]] | None:
    """The copy key and extra params answering the topic; None when the artist's settings cannot answer."""
    match topic:
        case Topic.PRICE:
            if facts.minimum is not None and facts.minimum.minor > 0:
                return "answer.price_minimum", {"minimum": facts.minimum}
            return "answer.price", {}
        case Topic.AVAILABILITY:
            return "answer.availability", {}
        case Topic.STUDIO:
            return ("answer.studio", {"address": facts.address}) if facts.address else None
        case Topic.COVER_UP:
            return ("answer.cover_up_yes" if facts.does_cover_ups else "answer.cover_up_no"), {}
        case Topic.COLOUR:
            return ("answer.colour_yes" if facts.does_colour else "answer.colour_no"), {}
        case Topic.BRING:
            return None  # no built-in answer: what to bring is the artist's to say (the studio's FAQ)

"""Reading the client's answer to the read-back: "1" (or "yes, perfect") sends it; anything else is a
correction of one answer, named ("budget 600", "la ciudad es Sevilla") or plain ("actually I'm in Leeds").

A correction is parsed by the same parsers as the question it changes, so a value is never taken that
the question itself would not take."""

from __future__ import annotations

import re
from dataclasses import dataclass

from inkline_conversation.domain.consultation_state import Answers, Field
from inkline_conversation.domain.field_answers import FieldContext, FieldResult, extract_mentions, parse_field
from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.text import core_words, normalise, without_accents

SEND_IT = "1"
# Whole replies that approve the read-back, in the six languages (compared without accents).
_APPROVALS = frozenset(
    {
        # en
        "yes", "yeah", "yep", "yup", "y", "ok", "okay", "sure", "correct", "right", "perfect", "great",
        "good", "fine", "all", "looks", "that's", "thats", "it", "everything", "send", "go", "ahead",
        "lovely", "spot", "on",
        # es
        "si", "vale", "claro", "perfecto", "correcto", "todo", "bien", "esta", "listo", "envialo", "envia",
        "dale",
        # pt
        "sim", "isso", "certo", "perfeito", "correto", "tudo", "pode", "mandar", "manda", "beleza",
        # de
        "ja", "genau", "passt", "stimmt", "richtig", "perfekt", "alles", "gut", "klar", "schick",
        "abschicken", "es",
        # fr
        "oui", "parfait", "exact", "exactement", "c'est", "bon", "tout", "envoie", "envoyer", "d'accord",
        # it
        "esatto", "giusto", "perfetto", "va", "bene", "tutto", "invia",
    }
)  # fmt: skip
# Words naming a question, in the six languages; the answer follows them ("size 12cm", "Stadt: Köln").
_FIELD_WORDS: dict[Field, tuple[str, ...]] = {
    Field.IDEA: ("idea", "design", "motif", "idee", "ideia", "diseno", "desenho", "motiv", "motivo", "dessin"),
    Field.PLACEMENT: (
        "placement", "place", "spot", "zona", "lugar", "local", "stelle", "korperstelle", "emplacement",
        "endroit", "posizione", "posto",
    ),
    Field.SIZE: ("size", "tamano", "tamanho", "grosse", "groesse", "taille", "dimensione", "misura", "medida"),
    Field.STYLE: ("style", "estilo", "stil", "stile"),
    Field.REFERENCES: ("references", "reference", "refs", "referencias", "referenzen", "referenze"),
    Field.BUDGET: ("budget", "presupuesto", "orcamento", "preventivo", "price", "precio", "preco", "preis", "prix"),
    Field.LOCATION: ("city", "location", "ciudad", "cidade", "stadt", "ort", "ville", "citta"),
    Field.WINDOWS: ("dates", "date", "fechas", "datas", "termin", "termine", "datum", "data"),
    Field.INSTAGRAM: ("instagram", "insta", "ig", "handle"),
}  # fmt: skip
_FIELD_NAMED = re.compile(
    r"(?<![\w@.])(?P<word>"
    + "|".join(re.escape(word) for words in _FIELD_WORDS.values() for word in words)
    + r")(?![\w])"
)
_FIELD_OF_WORD = {word: which for which, words in _FIELD_WORDS.items() for word in words}
# What sits between a question's name and its new answer ("the size should be 12cm", "la ciudad es").
_CONNECTOR = re.compile(
    r"^(?:[\s:=,\-]+|(?:is|should|be|to|now|would|will|actually|instead|change|es|sea|seria|ahora|e|sera"
    r"|agora|ist|soll|sein|bitte|est|doit|etre|plutot|deve|essere|invece)(?![a-z]))+"
)


@dataclass(frozen=True, slots=True)
class Correction:
    """A new answer for one question."""

    field: Field
    value: FieldResult


def approves(text: str) -> bool:
    """Whether the reply sends the read-back as it is: "1", or only words of approval."""
    if text.strip() == SEND_IT:
        return True
    words = core_words(without_accents(text))
    return bool(words) and all(word in _APPROVALS for word in words)


def _named(text: str, context: FieldContext) -> Correction | None:
    folded = without_accents(normalise(text))
    named = _FIELD_NAMED.search(folded)
    if named is None:
        return None
    which = _FIELD_OF_WORD[named.group("word")]
    # Folding keeps one character per character for the scripts clients write in; then the answer keeps
    # the client's own capitals and accents ("Köln", not "koln").
    original = re.sub(r"\s+", " ", text.strip())
    rest = (original if len(original) == len(folded) else folded)[named.end() :]
    connector = _CONNECTOR.match(without_accents(rest.lower()))
    answer = rest[connector.end() :] if connector else rest
    value = parse_field(which, answer.strip(), context=context)
    return None if isinstance(value, ParseFailure) else Correction(which, value)


def find_correction(text: str, *, context: FieldContext) -> Correction | None:
    """The answer the reply changes, or None when it names no question and mentions no clear answer."""
    named = _named(text, context)
    if named is not None:
        return named
    # Mentions are the clear ones only (an amount with a currency, a size with a unit, "I'm in Leeds").
    mentions = extract_mentions(text, answers=Answers(), asked=Field.IDEA, context=context)
    if len(mentions) == 1:
        which, value = next(iter(mentions.items()))
        return Correction(which, value)
    windows = parse_field(Field.WINDOWS, text, context=context)
    return None if isinstance(windows, ParseFailure) else Correction(Field.WINDOWS, windows)

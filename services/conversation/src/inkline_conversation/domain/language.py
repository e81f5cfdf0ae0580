"""Which of Inkline's six languages a client is answered in, decided from what they write.

A lead's language starts as a guess from the country of their number (+34 → Spanish) and is settled by
their own words: a message long enough to tell, in which the detector (lingua, n-gram models for only the
six languages) is confident. Short answers ("ok", "2", "@ink.lover", "500€", an emoji) and words shared by
several languages ("realismo", "Madrid") never move it. A client who asks ("English please", "en
español", "auf Deutsch bitte") gets that language, and only another request changes it again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import phonenumbers
from babel import Locale
from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from inkline_contracts.languages import DEFAULT_LANGUAGE, LANGUAGES

_LINGUA: dict[str, Language] = {
    "en": Language.ENGLISH,
    "es": Language.SPANISH,
    "pt": Language.PORTUGUESE,
    "de": Language.GERMAN,
    "fr": Language.FRENCH,
    "it": Language.ITALIAN,
}
_CODES: dict[Language, str] = {language: code for code, language in _LINGUA.items()}

# Countries whose numbers mostly belong to speakers of one of the six languages. English-speaking and
# other countries give no prior: the artist's default language stands until the client writes.
_COUNTRY_LANGUAGE: dict[str, str] = {
    **dict.fromkeys(
        ("ES", "MX", "AR", "CO", "CL", "PE", "VE", "EC", "GT", "CU", "BO", "DO", "HN", "PY", "SV", "NI"),
        "es",
    ),
    **dict.fromkeys(("CR", "PA", "UY", "GQ"), "es"),
    **dict.fromkeys(("BR", "PT", "AO", "MZ", "CV"), "pt"),
    **dict.fromkeys(("DE", "AT", "LI"), "de"),
    **dict.fromkeys(("FR", "MC", "LU", "SN", "CI"), "fr"),
    **dict.fromkeys(("IT", "SM", "VA"), "it"),
    # Switzerland is mostly German-speaking; a French or Italian Swiss client is settled by their words.
    "CH": "de",
}

# A message needs this many letters (handles, links and numbers left out) before its language counts.
MIN_LETTERS = 10
# How sure the detector must be: a lower bar while the language is only the phone's guess.
FIRST_CONFIDENCE = 0.5
SWITCH_CONFIDENCE = 0.75
# ...and the language it replaces must look unlikely, so a text that reads as either stays put.
CURRENT_AT_MOST = 0.15

_NOT_WORDS = re.compile(r"(?:https?://|www\.)\S+|@\S+|\S*\d\S*", re.IGNORECASE)


class LanguageSource(StrEnum):
    """Where the lead's language came from; the weaker the source, the easier the client's words move it."""

    PHONE = "phone"  # a guess from the number's country (or the artist's default)
    TEXT = "text"  # the client wrote in it
    ASKED = "asked"  # the client asked for it


@dataclass(frozen=True, slots=True)
class LanguageChoice:
    language: str
    source: LanguageSource
    # This very message asked for the language (and is answered with a confirmation, not read as an answer).
    asked: bool = False


def phone_language(wa_id: str) -> str | None:
    """The language the number's country suggests ("34…" → "es"), None when it suggests none of the six.

    A client known only by business-scoped user ID has its country in front of it ("ES.1349…")."""
    if not wa_id.isdigit() and wa_id[2:3] == ".":
        return _COUNTRY_LANGUAGE.get(wa_id[:2])
    try:
        number = phonenumbers.parse(f"+{wa_id.lstrip('+')}")
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(number)
    return _COUNTRY_LANGUAGE.get(region or "")


@lru_cache(maxsize=1)
def language_detector() -> LanguageDetector:
    """Built once (≈0.8 s, ≈215 MB with every model preloaded); app start calls it before taking messages."""
    return LanguageDetectorBuilder.from_languages(*_LINGUA.values()).with_preloaded_language_models().build()


def letters_in(text: str) -> int:
    """Letters in the words that can carry a language (no @handles, links or numbers)."""
    return sum(char.isalpha() for char in _NOT_WORDS.sub(" ", text))


def confidences(text: str) -> dict[str, float]:
    """The detector's confidence per language, summing to 1 (all zero when it cannot tell)."""
    values = language_detector().compute_language_confidence_values(text)
    return {_CODES[value.language]: value.value for value in values}


def choose_language(
    text: str, *, current: str | None, source: LanguageSource | None, phone_prior: str | None
) -> LanguageChoice:
    """The language to answer `text` in, given the lead's language so far (None before its first
    message) and the language its phone number suggests."""
    requested = requested_language(text)
    if requested is not None:
        return LanguageChoice(requested, LanguageSource.ASKED, asked=True)
    if current is None or source is None:
        current, source = phone_prior or DEFAULT_LANGUAGE, LanguageSource.PHONE
    kept = LanguageChoice(current, source)
    if source is LanguageSource.ASKED or letters_in(text) < MIN_LETTERS:
        return kept
    scores = confidences(text)
    detected, confidence = max(scores.items(), key=lambda item: item[1], default=(current, 0.0))
    if detected == current:
        return LanguageChoice(current, LanguageSource.TEXT)
    needed = FIRST_CONFIDENCE if source is LanguageSource.PHONE else SWITCH_CONFIDENCE
    if confidence >= needed and scores.get(current, 0.0) <= CURRENT_AT_MOST:
        return LanguageChoice(detected, LanguageSource.TEXT)
    return kept


# --- "English please", "en español", "auf Deutsch bitte" ---------------------------------------------

# Said before a language's name: "in English", "en español", "em português", "auf Deutsch", "in italiano".
_BEFORE = r"(?:in|en|em|auf|na|no|im|par|per)"
_POLITE = (
    r"(?:please|pls|plz|por\s+favor|porfa|bitte|per\s+favore|s'?il\s+(?:te|vous)\s+pla[iî]t|svp|"
    r"por\s+favor|se\s+possivel|se\s+possível)"
)
# "do you speak English?", "¿hablas español?", "falas português?", "sprichst du Deutsch?", "parlez-vous
# français ?", "parli italiano?"
_SPEAK = (
    r"(?:speak|talk|write|habl\w*|escrib\w*|fal\w*|escrev\w*|sprich\w*|sprech\w*|schreib\w*|parl\w*|scriv\w*)"
)
MAX_REQUEST_WORDS = 6


def _fold(text: str) -> str:
    """Lower case without accents, so "espanol" and "portugues" match too."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    """Every way the six languages name each other (CLDR via babel): "inglés" → en, "Deutsch" → de."""
    names: dict[str, str] = {}
    for target in LANGUAGES:
        for speaker in LANGUAGES:
            name = Locale.parse(speaker).languages.get(target)
            if name:
                names[_fold(name)] = target
    names["castellano"] = "es"
    return names


@lru_cache(maxsize=1)
def _request_patterns() -> tuple[re.Pattern[str], ...]:
    names = "|".join(sorted((re.escape(name) for name in _language_names()), key=len, reverse=True))
    name = rf"(?P<name>{names})"
    return (
        re.compile(rf"\b{_BEFORE}\s+{name}\b"),
        re.compile(rf"\b{name}\s*,?\s*{_POLITE}"),
        re.compile(rf"\b{_SPEAK}\b.*\b{name}\b"),
    )


def requested_language(text: str) -> str | None:
    """The language a short message asks to be answered in, if it is such a request."""
    folded = _fold(text)
    if len(folded.split()) > MAX_REQUEST_WORDS:
        return None
    for pattern in _request_patterns():
        match = pattern.search(folded)
        if match:
            return _language_names()[match.group("name")]
    return None

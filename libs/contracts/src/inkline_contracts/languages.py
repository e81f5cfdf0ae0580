"""The languages Inkline writes in, and how each is named elsewhere: its CLDR locale (dates, amounts) and
Meta's template translation code (a bare code where Meta has one, "es", "de"; a regional one where it has
none: "pt" is only "pt_BR" or "pt_PT")."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, get_args

# The languages Inkline writes in, as a type for the fields that hold one (the artist's, for instance).
Language = Literal["en", "es", "pt", "de", "fr", "it"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE: Language = "en"
# One regional form per language: the one most of its WhatsApp clients write (Brazil for Portuguese).
LOCALES: Mapping[str, str] = MappingProxyType(
    {"en": "en_GB", "es": "es_ES", "pt": "pt_BR", "de": "de_DE", "fr": "fr_FR", "it": "it_IT"}
)


def base_language(code: str | None) -> str:
    """The bare language of a code as clients, browsers and Meta spell it: "pt" of "pt-BR", "de" of
    "DE_at", "es" of " es "; "" for none. It need not be one Inkline writes in."""
    return (code or "").strip().replace("-", "_").split("_", 1)[0].lower()


def supported_language(code: str | None) -> str:
    """The language Inkline writes for a reader of `code`: theirs when it is one of ours, else English."""
    base = base_language(code)
    return base if base in LOCALES else DEFAULT_LANGUAGE


# Meta's code for each language Inkline writes in; Portuguese is written the Brazilian way (pt_BR).
TEMPLATE_LANGUAGE_CODES: dict[str, str] = {
    "en": "en",
    "es": "es",
    "pt": "pt_BR",
    "de": "de",
    "fr": "fr",
    "it": "it",
}


def template_language(language: str) -> str:
    """Meta's template language code for a reader's language ("pt" → "pt_BR", "es-MX" → "es"); a code
    Inkline does not write in is passed on as Meta spells locales ("nl-BE" → "nl_BE")."""
    return TEMPLATE_LANGUAGE_CODES.get(base_language(language), language.strip().replace("-", "_"))

"""Languages as Meta names a template's translation: a bare code where Meta has one ("es", "de"), a
regional one where it has none ("pt" is only "pt_BR" or "pt_PT")."""

from __future__ import annotations

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
    cleaned = language.strip().replace("-", "_")
    base = cleaned.split("_", 1)[0].lower()
    return TEMPLATE_LANGUAGE_CODES.get(base, cleaned)

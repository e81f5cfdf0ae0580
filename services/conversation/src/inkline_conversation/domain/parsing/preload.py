"""Build the parsers' large tables once, before the service takes messages.

The gazetteer (about 86,000 names) and the CLDR-derived currency and date words take a second or two of
CPU to build, and the language detector's models most of another; built lazily inside a handler, that
second would stall every other message on the loop.
"""

from __future__ import annotations

from inkline_conversation.domain.language import language_detector
from inkline_conversation.domain.parsing.currency import find_currency
from inkline_conversation.domain.parsing.date_words import in_english
from inkline_conversation.domain.parsing.places import load_gazetteer


def preload_vocabularies() -> None:
    """Load every cached table now."""
    load_gazetteer()
    find_currency("")
    in_english("")
    language_detector()  # ≈0.8 s and ≈215 MB: every n-gram model of the six languages

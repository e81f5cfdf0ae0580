"""The phrase patterns the parsers match every message against are compiled once per process, not per
message: the vocabularies hold more phrases than a small cache keeps, and a cache cycling through them
compiled most of them again for every message."""

from __future__ import annotations

from inkline_conversation.domain.intents import detect_intents
from inkline_conversation.domain.parsing.placement import find_placement
from inkline_conversation.domain.parsing.style import find_styles
from inkline_conversation.domain.parsing.text import phrase_pattern

CONSULTATION = (
    "Hi, I'd like to book a tattoo",
    "a rose with a thin stem",
    "left inner forearm",
    "fine line",
    "£400-500",
    "Manchester, UK",
    "next two weeks",
)


def _read(messages: tuple[str, ...]) -> None:
    for text in messages:
        detect_intents(text)
        find_placement(text)
        find_styles(text)


def test_reading_the_next_client_compiles_no_phrase_pattern_again() -> None:
    _read(CONSULTATION)
    compiled_before = phrase_pattern.cache_info().misses

    _read(CONSULTATION)

    assert phrase_pattern.cache_info().misses == compiled_before

"""The client's description of their tattoo idea: any real description, but not a greeting or a shrug."""

from __future__ import annotations

import re

from inkline_conversation.domain.parsing.failure import ParseFailure
from inkline_conversation.domain.parsing.text import core_words

HINT = "repair.idea"
# Words that say "I want a tattoo" without saying what of.
_GENERIC = frozenset(
    {
        "i",
        "i'd",
        "id",
        "i'm",
        "im",
        "would",
        "like",
        "want",
        "wanna",
        "to",
        "book",
        "get",
        "getting",
        "a",
        "an",
        "the",
        "tattoo",
        "tattoos",
        "tat",
        "tatt",
        "ink",
        "appointment",
        "consultation",
        "session",
        "some",
        "new",
        "piece",
        "enquire",
        "enquiry",
        "inquire",
        "inquiry",
        "about",
        "interested",
        "in",
        "looking",
        "for",
        "do",
        "you",
        "have",
        "any",
        "availability",
        "space",
        "can",
        "could",
        "me",
        "my",
        "first",
        "one",
        "yes",
        "yeah",
        "sure",
        "hi",
        "hello",
        "hey",
        "there",
        "good",
        "morning",
        "afternoon",
        "evening",
    }
)
# Stretched greetings ("hiii", "heyyy", "helloo") are as empty as the plain ones.
_GREETING = re.compile(r"h+i+y*a*|h+e+y+|h+e+l+o+|yo+|hiya+")
_SHRUGS = frozenset(
    {
        "idk",
        "dunno",
        "not sure",
        "no idea",
        "i don't know",
        "don't know",
        "dont know",
        "not sure yet",
        "unsure",
        "anything",
        "whatever",
        "surprise me",
        "?",
    }
)


def parse_idea(text: str) -> str | ParseFailure:
    """The idea as the client wrote it, unless it is empty, generic or undecided."""
    words = core_words(text)
    if not words:
        return ParseFailure(reason="empty", hint_key=HINT)
    if " ".join(words) in _SHRUGS:
        return ParseFailure(reason="undecided", hint_key=HINT)
    if all(word in _GENERIC or _GREETING.fullmatch(word) for word in words):
        return ParseFailure(reason="generic", hint_key=HINT)
    return text.strip()

"""Yes and no in a client's own words, for the bot's yes/no questions (the tour offer, a cancellation).

One core list, and per question the words that only mean yes or no there: "waitlist" declines a tour,
"keep" declines a cancellation, "cancel" confirms one.
"""

from __future__ import annotations

import re

from inkline_conversation.domain.parsing.text import normalise

YES_WORDS = frozenset({"yes", "yeah", "yep", "y", "ok", "okay", "sure"})
NO_WORDS = frozenset({"no", "nope", "nah", "n"})

TOUR_YES_WORDS = YES_WORDS | {"yup", "works", "perfect", "definitely"}
TOUR_NO_WORDS = NO_WORDS | {"can't", "cant", "cannot", "waitlist"}
CANCEL_YES_WORDS = YES_WORDS | {"please", "confirm", "cancel"}
CANCEL_NO_WORDS = NO_WORDS | {"keep", "dont", "don't"}


def words_of(text: str) -> set[str]:
    return set(re.findall(r"[a-z']+", normalise(text)))


def says_yes(text: str, *, yes: frozenset[str] = YES_WORDS, no: frozenset[str] = NO_WORDS) -> bool:
    """A yes word and no no word."""
    words = words_of(text)
    return bool(words & yes) and not words & no


def says_no(text: str, *, yes: frozenset[str] = YES_WORDS, no: frozenset[str] = NO_WORDS) -> bool:
    """A no word and no yes word."""
    words = words_of(text)
    return bool(words & no) and not words & yes

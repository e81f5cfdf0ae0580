"""How a booked client asks to move or cancel their appointment, in words."""

from __future__ import annotations

from enum import StrEnum

from inkline_conversation.domain.parsing.text import has_phrase, normalise


class ChangeRequest(StrEnum):
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"


RESCHEDULE_PHRASES = (
    "reschedule",
    "re schedule",
    "rebook",
    "re book",
    "postpone",
    "move my appointment",
    "move my booking",
    "move my session",
    "move the appointment",
    "move the booking",
    "move the session",
    "move it",
    "change the date",
    "change my date",
    "change the time",
    "change my time",
    "change my appointment",
    "change my booking",
    "different day",
    "different date",
    "different time",
    "another day",
    "another date",
    "another time",
    "push it back",
)
CANCEL_PHRASES = (
    "cancel",
    "cancel my appointment",
    "cancel my booking",
    "can't make it",
    "cant make it",
    "cannot make it",
    "won't make it",
    "wont make it",
    "not coming",
    "call it off",
)


def change_in_words(text: str) -> ChangeRequest | None:
    """Moving wins when both appear ("cancel and rebook")."""
    cleaned = normalise(text)
    if any(has_phrase(cleaned, phrase) for phrase in RESCHEDULE_PHRASES):
        return ChangeRequest.RESCHEDULE
    if any(has_phrase(cleaned, phrase) for phrase in CANCEL_PHRASES):
        return ChangeRequest.CANCEL
    return None

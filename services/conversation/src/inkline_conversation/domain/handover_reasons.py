"""Why a chat came to the artist, in the words the artist reads (never the code's names for it)."""

from __future__ import annotations

_REASONS = {
    "two_strikes": "couldn't read their answer twice",
    "human": "asked to talk to you",
    "refund": "asked about a refund",
    "data_deletion": "asked for their data to be deleted",
    "cover_up": "wants a cover-up",
    "haggle": "wants to talk about the price",
    "artist_took_over": "you took over",
    "artist_replied": "you replied to them",
    "no_free_slots": "no free times matched",
    "slot_pick_unclear": "couldn't tell which time they picked",
    "reschedule_pick_unclear": "couldn't tell which new time they picked",
    "reschedule_outside_policy": "wants to move outside your change policy",
    "tour_answer_unclear": "couldn't tell if the tour dates suit them",
    "booking_conflict": "their paid time is no longer free",
}
_FIELDS = {
    "idea": "the idea",
    "placement": "where on the body",
    "size": "the size",
    "style": "the style",
    "references": "the references",
    "budget": "the budget",
    "location": "where they live",
    "windows": "the dates",
    "instagram": "their Instagram",
    "slot": "the times offered",
    "tour": "the tour dates",
}


def handover_reason(reason: str, field: str | None) -> str:
    """E.g. "couldn't read their answer twice: the dates"."""
    said = _REASONS.get(reason, reason.replace("_", " "))
    if field and reason == "two_strikes":
        return f"{said}: {_FIELDS.get(field, field.replace('_', ' '))}"
    return said

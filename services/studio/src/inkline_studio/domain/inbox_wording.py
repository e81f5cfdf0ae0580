"""The Inbox's words for who said what, when, and what a picture or voice note is."""

from __future__ import annotations

from datetime import datetime

MEDIA_LABELS = {
    "image": "Open picture",
    "audio": "Play voice note",
    "video": "Open video",
    "document": "Open document",
    "sticker": "Open sticker",
}


def sender_label(sender: str, client_name: str | None) -> str:
    """The client by name; the artist's own words are "You"; everything else the assistant sent."""
    if sender == "client":
        return client_name or "Client"
    return "You" if sender == "artist" else "Assistant"


def media_label(kind: str) -> str:
    return MEDIA_LABELS.get(kind, "Open attachment")


def message_time(at: datetime) -> str:
    """`3 Dec, 14:05 UTC`: the studio does not know the artist's timezone yet (the calendar does)."""
    return f"{at.day} {at:%b, %H:%M} UTC"

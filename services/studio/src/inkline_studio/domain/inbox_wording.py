"""The Inbox's words for who said what, when, and what a picture or voice note is."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


def _zone(name: str | None) -> tzinfo:
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def message_time(at: datetime, timezone: str | None = None) -> str:
    """`3 Dec, 15:05` on the artist's clock (the timezone conversation talks to clients in); a zone it
    does not know reads in UTC and says so."""
    zone = _zone(timezone)
    local = at.astimezone(zone)
    suffix = " UTC" if zone is UTC else ""
    return f"{local.day} {local:%b, %H:%M}{suffix}"

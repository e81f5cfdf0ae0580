"""A stored WhatsApp message read as what the client meant: text, a photo, a pin, a 👍, or something the
bot cannot open."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from inkline_conversation.db.models import InboundMessage
from inkline_conversation.domain.consultation_events import (
    Inbound,
    LocationMessage,
    MediaMessage,
    SilentMessage,
    TextMessage,
    UnsupportedMessage,
)
from inkline_conversation.domain.intents import Intent

_REFERENCE_TYPES = frozenset({"image", "document", "video"})
# Read and kept, never answered: a 👍 on the last question, the client's change of number, WhatsApp's
# "opened the chat" note (which starts a consultation on a new lead, and nothing else).
_SILENT_TYPES = frozenset({"reaction", "system", "request_welcome"})


def inbound_of(row: InboundMessage) -> Inbound:
    """The stored message as the consultation reads it; the type Meta gave decides, not the contract's kind."""
    kind = str(row.raw.get("type", ""))
    if kind in _SILENT_TYPES:
        return SilentMessage(kind=kind)
    if kind == "location":
        return _location(row.raw.get("location"))
    if row.kind == "media":
        body = row.raw.get(kind) or {}
        if kind in _REFERENCE_TYPES and body.get("id"):
            return MediaMessage(media_id=str(body["id"]), caption=body.get("caption"))
        return UnsupportedMessage(kind=kind or "media")
    if row.kind == "unsupported" or not row.text:
        return UnsupportedMessage(kind=kind or "unknown")
    return TextMessage(text=row.text)


def _location(body: Any) -> Inbound:
    """Meta's `location` object: latitude and longitude, with name and address when a place was picked."""
    if not isinstance(body, dict):
        return UnsupportedMessage(kind="location")
    try:
        latitude, longitude = float(body["latitude"]), float(body["longitude"])
    except (KeyError, TypeError, ValueError):
        return UnsupportedMessage(kind="location")
    name, address = body.get("name"), body.get("address")
    return LocationMessage(
        latitude=latitude,
        longitude=longitude,
        name=name if isinstance(name, str) else None,
        address=address if isinstance(address, str) else None,
    )


def readable(row: InboundMessage, inbound: Inbound) -> str | None:
    """What the artist is shown of a message forwarded to them."""
    if isinstance(inbound, LocationMessage):
        place = ", ".join(part for part in (inbound.name, inbound.address) if part)
        pin = f"https://maps.google.com/?q={inbound.latitude},{inbound.longitude}"
        return f"📍 {place} {pin}" if place else f"📍 {pin}"
    return row.text


class InboundKind(StrEnum):
    """What the router tells client messages apart by, beside the lead's status."""

    TEXT = "text"
    MEDIA = "media"
    SILENT = "silent"
    OTHER = "other"  # a pin, or something the bot cannot open


@dataclass(frozen=True)
class ClientMessage:
    """One stored client message, as every client step receives it."""

    row: InboundMessage
    inbound: Inbound
    intents: frozenset[Intent]

    @property
    def text(self) -> str | None:
        return self.row.text

    @property
    def kind(self) -> InboundKind:
        match self.inbound:
            case TextMessage():
                return InboundKind.TEXT
            case MediaMessage():
                return InboundKind.MEDIA
            case SilentMessage():
                return InboundKind.SILENT
            case _:
                return InboundKind.OTHER

    @property
    def typed_text(self) -> str:
        """The text of a TEXT message (steps routed on TEXT only)."""
        assert isinstance(self.inbound, TextMessage), "only text messages are routed here"
        return self.inbound.text

    @property
    def media_id(self) -> str | None:
        return self.inbound.media_id if isinstance(self.inbound, MediaMessage) else None

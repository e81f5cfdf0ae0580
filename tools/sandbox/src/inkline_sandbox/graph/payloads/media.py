"""Inbound media: images, documents and stickers, with the hash Meta puts in the webhook."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from inkline_sandbox.graph.payloads.envelope import (
    DEFAULT_BUSINESS,
    BusinessNumber,
    Customer,
    inbound_message,
)


def _media_hash(content_or_hash: bytes | str) -> str:
    # Inbound media webhooks carry the SHA-256 base64-encoded (retrieval answers it in hex).
    if isinstance(content_or_hash, bytes):
        return base64.b64encode(hashlib.sha256(content_or_hash).digest()).decode()
    return content_or_hash


def image_message(
    customer: Customer,
    media_id: str,
    *,
    content: bytes | str = b"",
    mime_type: str = "image/jpeg",
    caption: str | None = None,
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    """`content` is the image bytes (hashed here) or an already-computed hash string; `reply_to` quotes a
    message (a swipe-reply)."""
    image: dict[str, Any] = {"mime_type": mime_type, "sha256": _media_hash(content), "id": media_id}
    if caption is not None:
        image = {"caption": caption, **image}
    return inbound_message(
        customer,
        "image",
        {"image": image},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=reply_to,
    )


def voice_message(
    customer: Customer,
    media_id: str,
    *,
    content: bytes | str = b"",
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    """A voice note (push-to-talk): Meta sends it as `audio` with `voice: true`, and never a caption."""
    audio = {
        "mime_type": "audio/ogg; codecs=opus",
        "sha256": _media_hash(content),
        "id": media_id,
        "voice": True,
    }
    return inbound_message(
        customer,
        "audio",
        {"audio": audio},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=reply_to,
    )


def document_message(
    customer: Customer,
    media_id: str,
    *,
    filename: str,
    content: bytes | str = b"",
    mime_type: str = "application/pdf",
    caption: str | None = None,
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "filename": filename,
        "mime_type": mime_type,
        "sha256": _media_hash(content),
        "id": media_id,
    }
    if caption is not None:
        document = {"caption": caption, **document}
    return inbound_message(
        customer,
        "document",
        {"document": document},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=None,
    )


def sticker_message(
    customer: Customer,
    media_id: str,
    *,
    animated: bool = False,
    business: BusinessNumber = DEFAULT_BUSINESS,
    message_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    sticker = {
        "mime_type": "image/webp",
        "sha256": _media_hash(media_id),
        "id": media_id,
        "animated": animated,
    }
    return inbound_message(
        customer,
        "sticker",
        {"sticker": sticker},
        business=business,
        message_id=message_id,
        timestamp=timestamp,
        reply_to=None,
    )

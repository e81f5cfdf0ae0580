"""What the Graph fake records and answers: sent messages, send attempts, media, a send's outcome."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class SentMessage:
    """A message the fake accepted (answered 200 for, or accepted and then stalled on)."""

    wamid: str
    phone_number_id: str
    to: str
    wa_id: str
    type: str
    body: Any
    payload: dict[str, Any]
    sent_at: float
    fails_with: int | None = None
    """Set when a failure was scripted with `delivery="webhook"`: the send succeeded, delivery will fail."""

    @property
    def callback_data(self) -> str | None:
        """The send's `biz_opaque_callback_data`: Meta echoes it in the message's status callbacks."""
        value = self.payload.get("biz_opaque_callback_data")
        return value if isinstance(value, str) else None

    @property
    def reply_to(self) -> str | None:
        """The wamid the message quotes (Meta's `context.message_id`): shown above it on the phone."""
        context = self.payload.get("context")
        quoted = context.get("message_id") if isinstance(context, dict) else None
        return quoted if isinstance(quoted, str) else None

    @property
    def text(self) -> str | None:
        """What a person would read first: a text body, an interactive body or a media caption."""
        if self.type == "text":
            return str(self.body.get("body"))
        if self.type == "interactive":
            return str(self.body.get("body", {}).get("text"))
        if isinstance(self.body, dict) and "caption" in self.body:
            return str(self.body["caption"])
        return None


@dataclass(frozen=True)
class SendAttempt:
    """Every call that reached the send logic, accepted or not, so tests can count retries."""

    to: str
    type: str
    outcome: Literal["accepted", "rejected", "stalled"]
    http_status: int
    error_code: int | None
    at: float


@dataclass(frozen=True)
class MediaItem:
    media_id: str
    content: bytes
    mime_type: str
    uploaded_by: str | None = None
    """The business number that uploaded it (`POST /{phone-number-id}/media`); None for media someone sent
    the business, which Meta only lets it download, never send on by its id."""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class SendOutcome:
    http_status: int
    body: dict[str, Any]
    stall_seconds: float = 0.0
    # Read with the attempt's recording: a `release_stalled()` made once the attempt is visible ends it.
    stall_generation: int = 0


def new_wamid() -> str:
    # Real ids are "wamid." + base64 of an opaque protobuf-ish blob; only the prefix is load-bearing.
    return "wamid." + base64.b64encode(b"\x15\x02\x00\x11\x18" + secrets.token_bytes(24)).decode()

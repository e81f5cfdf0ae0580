"""What clients say, as seen by the conversation service."""

from __future__ import annotations

import uuid
from enum import StrEnum

from pydantic import Field

from inkline_contracts.base import ClientAddress, ClientIdentity, Contract


class InboundKind(StrEnum):
    TEXT = "text"
    INTERACTIVE = "interactive"
    MEDIA = "media"
    UNSUPPORTED = "unsupported"


class ClientMessageReceived(Contract):
    """A client's WhatsApp message was accepted; opens or extends the 24-hour service window."""

    lead_id: uuid.UUID
    wa_id: ClientAddress
    whatsapp_message_id: str
    kind: InboundKind
    text: str | None = None
    sent_at_epoch: int
    client: ClientIdentity | None = Field(
        default=None, description="the identifiers this message came with (wa_id is the lead's own address)"
    )

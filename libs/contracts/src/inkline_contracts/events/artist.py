"""What the artist says to the business number: taps on the buttons of Inkline's messages, and replies."""

from __future__ import annotations

from inkline_contracts.base import Contract, WaId
from inkline_contracts.events.consult import InboundKind


class ArtistMessageReceived(Contract):
    """The artist (ARTIST_WHATSAPP_NUMBER) wrote to the business number; opens the artist's 24-hour window.

    Never a lead: the conversation service reads it as a button tap or a reply meant for a client.
    """

    wa_id: WaId
    whatsapp_message_id: str
    kind: InboundKind
    text: str | None = None
    reply_to_wamid: str | None = None
    sent_at_epoch: int

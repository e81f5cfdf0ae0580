"""What the artist says to the business number: taps on the buttons of Inkline's messages, and replies."""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, Field

from inkline_contracts.base import Contract, Currency, SizeCategory, WaId
from inkline_contracts.events.consult import InboundKind
from inkline_contracts.languages import Language


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


class ArtistSettingsChanged(Contract):
    """The artist saved their settings in the studio (conversation keeps them, with every version).

    The settings other services need a copy of; a consumer keeps the highest `version` it has seen, so a
    redelivered or late older one changes nothing.
    """

    version: int = Field(ge=1, description="the saved version's number; higher is newer")
    language: Language = Field(description="of the artist's messages")
    currency: Currency = Field(description="of every amount the artist sets: minimum spend, deposits")
    changed_at: AwareDatetime
    deposit_by_size_minor: dict[SizeCategory, Annotated[int, Field(gt=0)]] | None = Field(
        default=None,
        description="the deposit the artist charges by size, in minor units of `currency`; sizes left out "
        "(or None, from a sender before this field) keep the deployment's deposit rules",
    )

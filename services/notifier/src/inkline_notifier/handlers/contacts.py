"""Tracking contacts, their 24-hour customer service window and their marketing consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from inkline_contracts.base import ClientIdentity
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.artist import ArtistMessageReceived
from inkline_contracts.events.consult import ClientMessageReceived
from inkline_contracts.events.lead import ClientIdentityChanged, LeadCreated, LeadOptedIn, LeadOptedOut
from inkline_notifier.db.contacts import ensure_contact, reach_at, saw_inbound, set_opted_out
from inkline_notifier.handlers.sheets import start_lead_row
from inkline_platform.uow import UnitOfWork


@dataclass(frozen=True)
class LeadCreatedHandler:
    """Registers the contact and starts the lead's spreadsheet row."""

    # Whether the leads spreadsheet is kept (Sheets is configured).
    sheets: bool

    async def __call__(self, work: UnitOfWork, envelope: Envelope[LeadCreated]) -> None:
        # A new contact, so that messages to them can be sent and tracked.
        address = envelope.payload.wa_id
        await ensure_contact(work.session, address, phone=_phone_beside(address, envelope.payload.client))
        if self.sheets:
            await start_lead_row(work, envelope)


class ClientMessageReceivedHandler:
    """Opens or extends the contact's 24-hour service window from their latest message."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[ClientMessageReceived]) -> None:
        sent_at = datetime.fromtimestamp(envelope.payload.sent_at_epoch, UTC)
        address = envelope.payload.wa_id
        await saw_inbound(
            work.session, address, sent_at, phone=_phone_beside(address, envelope.payload.client)
        )


class ArtistMessageReceivedHandler:
    """The artist's own messages open their window too, so summaries can carry buttons, not templates."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[ArtistMessageReceived]) -> None:
        sent_at = datetime.fromtimestamp(envelope.payload.sent_at_epoch, UTC)
        await saw_inbound(work.session, envelope.payload.wa_id, sent_at)


class ClientIdentityChangedHandler:
    """Sends to a client who changed number, or whose BSUID changed, go to the new one from now on."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[ClientIdentityChanged]) -> None:
        change = envelope.payload
        # A changed BSUID alone leaves the phone as it was (the phone still wins); the address itself never
        # changes.
        await reach_at(work.session, change.wa_id, phone=change.client.phone, bsuid=change.client.bsuid)


class LeadOptedOutHandler:
    """Stops marketing to the contact (STOP)."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[LeadOptedOut]) -> None:
        await set_opted_out(work.session, envelope.payload.wa_id, opted_out=True)


class LeadOptedInHandler:
    """Allows marketing to the contact again (START)."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[LeadOptedIn]) -> None:
        await set_opted_out(work.session, envelope.payload.wa_id, opted_out=False)


def _phone_beside(address: str, client: ClientIdentity | None) -> str | None:
    """The phone of a client addressed by their BSUID, when the event shows it; None otherwise."""
    if client is None or client.phone is None or client.phone == address:
        return None
    return client.phone

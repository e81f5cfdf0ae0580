"""A client's phone number or business-scoped user ID changed: the contact keeps its address and learns
the new number."""

from __future__ import annotations

from inkline_campaigns.db.contacts import ensure_contact, note_identity
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.lead import ClientIdentityChanged
from inkline_platform.uow import UnitOfWork


class ClientIdentityChangedHandler:
    """Records the client's new phone (and username) on their one contact."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[ClientIdentityChanged]) -> None:
        change, at = envelope.payload, envelope.occurred_at
        await ensure_contact(work.session, wa_id=change.wa_id, seen_at=at)
        await note_identity(work.session, wa_id=change.wa_id, client=change.client, at=at)

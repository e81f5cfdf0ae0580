"""Tracking contacts, their 24-hour customer service window and their marketing consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.artist import ArtistMessageReceived
from inkline_contracts.events.consult import ClientMessageReceived
from inkline_contracts.events.lead import LeadCreated, LeadOptedIn, LeadOptedOut
from inkline_notifier.db.models import Contact
from inkline_notifier.handlers.sheets import start_lead_row
from inkline_platform.uow import UnitOfWork


@dataclass(frozen=True)
class LeadCreatedHandler:
    """Registers the contact and starts the lead's spreadsheet row."""

    # Whether the leads spreadsheet is kept (Sheets is configured).
    sheets: bool

    async def __call__(self, work: UnitOfWork, envelope: Envelope[LeadCreated]) -> None:
        # A new contact, so that messages to them can be sent and tracked.
        await work.session.execute(
            insert(Contact)
            .values(wa_id=envelope.payload.wa_id)
            .on_conflict_do_nothing(index_elements=["wa_id"])
        )
        if self.sheets:
            await start_lead_row(work, envelope)


class ClientMessageReceivedHandler:
    """Opens or extends the contact's 24-hour service window from their latest message."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[ClientMessageReceived]) -> None:
        await _extend_window(work, envelope.payload.wa_id, envelope.payload.sent_at_epoch)


class ArtistMessageReceivedHandler:
    """The artist's own messages open their window too, so summaries can carry buttons, not templates."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[ArtistMessageReceived]) -> None:
        await _extend_window(work, envelope.payload.wa_id, envelope.payload.sent_at_epoch)


async def _extend_window(work: UnitOfWork, wa_id: str, sent_at_epoch: int) -> None:
    sent_at = datetime.fromtimestamp(sent_at_epoch, UTC)
    statement = insert(Contact).values(wa_id=wa_id, last_inbound_at=sent_at)
    # Out-of-order delivery must never move the window backwards.
    statement = statement.on_conflict_do_update(
        index_elements=["wa_id"],
        set_={"last_inbound_at": func.greatest(Contact.last_inbound_at, statement.excluded.last_inbound_at)},
    )
    await work.session.execute(statement)


class LeadOptedOutHandler:
    """Stops marketing to the contact (STOP)."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[LeadOptedOut]) -> None:
        await _set_opted_out(work, envelope.payload.wa_id, opted_out=True)


class LeadOptedInHandler:
    """Allows marketing to the contact again (START)."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[LeadOptedIn]) -> None:
        await _set_opted_out(work, envelope.payload.wa_id, opted_out=False)


async def _set_opted_out(work: UnitOfWork, wa_id: str, *, opted_out: bool) -> None:
    statement = insert(Contact).values(wa_id=wa_id, opted_out=opted_out)
    await work.session.execute(
        statement.on_conflict_do_update(index_elements=["wa_id"], set_={"opted_out": opted_out})
    )

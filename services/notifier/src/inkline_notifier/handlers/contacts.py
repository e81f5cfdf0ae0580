"""Tracking contacts, their 24-hour customer service window and their marketing consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert

from inkline_contracts.base import ClientIdentity
from inkline_contracts.envelope import Envelope
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
        await _register(work, envelope.payload.wa_id, envelope.payload.client)
        if self.sheets:
            await start_lead_row(work, envelope)


class ClientMessageReceivedHandler:
    """Opens or extends the contact's 24-hour service window from their latest message."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[ClientMessageReceived]) -> None:
        sent_at = datetime.fromtimestamp(envelope.payload.sent_at_epoch, UTC)
        client = envelope.payload.client
        statement = insert(Contact).values(
            wa_id=envelope.payload.wa_id,
            last_inbound_at=sent_at,
            phone=_phone_beside(envelope.payload.wa_id, client),
        )
        # Out-of-order delivery must never move the window backwards.
        statement = statement.on_conflict_do_update(
            index_elements=["wa_id"],
            set_={
                "last_inbound_at": func.greatest(Contact.last_inbound_at, statement.excluded.last_inbound_at),
                "phone": func.coalesce(statement.excluded.phone, Contact.phone),
            },
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


def _phone_beside(address: str, client: ClientIdentity | None) -> str | None:
    """The phone of a client addressed by their BSUID, when the event shows it; None otherwise."""
    if client is None or client.phone is None or client.phone == address:
        return None
    return client.phone


async def _register(work: UnitOfWork, address: str, client: ClientIdentity | None) -> None:
    statement = insert(Contact).values(wa_id=address, phone=_phone_beside(address, client))
    await work.session.execute(
        statement.on_conflict_do_update(
            index_elements=["wa_id"], set_={"phone": func.coalesce(statement.excluded.phone, Contact.phone)}
        )
    )

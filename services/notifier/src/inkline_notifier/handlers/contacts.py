"""Tracking contacts, their 24-hour customer service window and their marketing consent."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.consult import ClientMessageReceived
from inkline_contracts.events.lead import LeadCreated, LeadOptedIn, LeadOptedOut
from inkline_notifier.db.models import Contact
from inkline_platform.uow import UnitOfWork


async def on_lead_created(uow: UnitOfWork, envelope: Envelope[LeadCreated]) -> None:
    """Registers a new contact so messages to them can be sent and tracked."""
    await uow.session.execute(
        insert(Contact).values(wa_id=envelope.payload.wa_id).on_conflict_do_nothing(index_elements=["wa_id"])
    )


async def on_client_message(uow: UnitOfWork, envelope: Envelope[ClientMessageReceived]) -> None:
    """Opens or extends the contact's 24-hour service window from their latest message."""
    sent_at = datetime.fromtimestamp(envelope.payload.sent_at_epoch, UTC)
    statement = insert(Contact).values(wa_id=envelope.payload.wa_id, last_inbound_at=sent_at)
    # Out-of-order delivery must never move the window backwards.
    statement = statement.on_conflict_do_update(
        index_elements=["wa_id"],
        set_={"last_inbound_at": func.greatest(Contact.last_inbound_at, statement.excluded.last_inbound_at)},
    )
    await uow.session.execute(statement)


async def on_opted_out(uow: UnitOfWork, envelope: Envelope[LeadOptedOut]) -> None:
    """Stops marketing to the contact (STOP)."""
    await _set_opted_out(uow, envelope.payload.wa_id, opted_out=True)


async def on_opted_in(uow: UnitOfWork, envelope: Envelope[LeadOptedIn]) -> None:
    """Allows marketing to the contact again (START)."""
    await _set_opted_out(uow, envelope.payload.wa_id, opted_out=False)


async def _set_opted_out(uow: UnitOfWork, wa_id: str, *, opted_out: bool) -> None:
    statement = insert(Contact).values(wa_id=wa_id, opted_out=opted_out)
    await uow.session.execute(
        statement.on_conflict_do_update(index_elements=["wa_id"], set_={"opted_out": opted_out})
    )

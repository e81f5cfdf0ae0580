"""Recording an inbound WhatsApp message against its contact's current lead."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_conversation.db.models import Contact, InboundMessage, Lead, ScheduledMessage

# A new message from a number whose last lead ended in one of these starts a fresh lead.
FINISHED_STATUSES = frozenset({"booked", "rejected", "abandoned", "cancelled", "no_show"})
NEW_STATUS = "new"


@dataclass(frozen=True)
class Recorded:
    lead_id: uuid.UUID
    lead_created: bool


# A reply this soon after an aftercare message (a worried "is this normal?", the healed photo) belongs to
# the booking, not to a new enquiry.
AFTERCARE_REPLY_WINDOW = timedelta(days=7)


async def _booking_still_current(session: AsyncSession, lead: Lead, sent_at: datetime) -> bool:
    """A booked client writing before their appointment is over (to confirm, ask, move it, ...) or answering
    an aftercare message stays on its lead."""
    booked = lead.booking_range
    if lead.status != "booked" or booked is None:
        return False
    if datetime.fromisoformat(booked["end"]) > sent_at:
        return True
    last_aftercare = await session.scalar(
        select(func.max(ScheduledMessage.sent_at)).where(ScheduledMessage.lead_id == lead.id)
    )
    return last_aftercare is not None and sent_at - last_aftercare <= AFTERCARE_REPLY_WINDOW


async def record_inbound(
    session: AsyncSession,
    *,
    wamid: str,
    wa_id: str,
    profile_name: str | None,
    kind: str,
    text: str | None,
    sent_at: datetime,
    raw: dict[str, Any],
) -> Recorded | None:
    """Store the message; None when Meta delivered it before (same wamid)."""
    await session.execute(
        insert(Contact)
        .values(wa_id=wa_id, profile_name=profile_name)
        .on_conflict_do_nothing(index_elements=["wa_id"])
    )
    # The contact's row lock serialises everything about one number: two webhook deliveries racing for
    # a new client create one lead, and a lead's messages are recorded in order.
    await session.execute(select(Contact).where(Contact.wa_id == wa_id).with_for_update())
    if await session.scalar(select(InboundMessage.wamid).where(InboundMessage.wamid == wamid)) is not None:
        return None
    lead = await session.scalar(
        select(Lead).where(Lead.wa_id == wa_id).order_by(Lead.created_at.desc(), Lead.id).limit(1)
    )
    created = lead is None or (
        lead.status in FINISHED_STATUSES and not await _booking_still_current(session, lead, sent_at)
    )
    if created:
        lead = Lead(id=uuid.uuid4(), wa_id=wa_id, status=NEW_STATUS)
        session.add(lead)
        await session.flush()
    assert lead is not None
    inserted = await session.execute(
        insert(InboundMessage)
        .values(wamid=wamid, lead_id=lead.id, wa_id=wa_id, kind=kind, text=text, sent_at=sent_at, raw=raw)
        .on_conflict_do_nothing(index_elements=["wamid"])
        .returning(InboundMessage.wamid)
    )
    if inserted.scalar_one_or_none() is None:
        return None
    return Recorded(lead_id=lead.id, lead_created=created)

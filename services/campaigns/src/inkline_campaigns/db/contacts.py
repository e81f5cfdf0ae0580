"""Writing the contact read model from events, tolerating any arrival order."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.db.models import Contact, LeadView
from inkline_campaigns.domain.eligibility import ContactFacts
from inkline_contracts.base import ClientIdentity


async def ensure_contact(session: AsyncSession, *, wa_id: str, seen_at: datetime, **values: Any) -> None:
    """Insert the contact when first seen; existing rows keep their facts."""
    await session.execute(
        insert(Contact)
        .values(wa_id=wa_id, first_seen_at=seen_at, **values)
        .on_conflict_do_nothing(index_elements=["wa_id"])
    )


async def note_identity(
    session: AsyncSession, *, wa_id: str, client: ClientIdentity | None, at: datetime
) -> None:
    """The phone and username an event at `at` showed for the contact; what it leaves out is kept, and an
    event older than the last one that told them changes nothing."""
    if client is None or (client.phone is None and client.username is None):
        return
    await session.execute(
        update(Contact)
        .where(Contact.wa_id == wa_id, (Contact.identity_at.is_(None)) | (Contact.identity_at <= at))
        .values(
            phone=func.coalesce(client.phone, Contact.phone),
            username=func.coalesce(client.username, Contact.username),
            identity_at=at,
        )
    )


async def lock_contact(session: AsyncSession, wa_id: str) -> None:
    """Lock the contact row before any lead row: handlers of one client run concurrently, and the
    activity handlers update the contact first, so taking the lead first could deadlock with them."""
    await session.execute(select(Contact.wa_id).where(Contact.wa_id == wa_id).with_for_update(key_share=True))


async def ensure_lead(session: AsyncSession, *, lead_id: uuid.UUID, wa_id: str, created_at: datetime) -> None:
    await session.execute(
        insert(LeadView)
        .values(lead_id=lead_id, wa_id=wa_id, status="new", created_at=created_at)
        .on_conflict_do_nothing(index_elements=["lead_id"])
    )


async def wa_id_of_lead(session: AsyncSession, lead_id: uuid.UUID) -> str:
    """The lead's number; a lead not seen yet is an ordering race, so the handler fails and is retried."""
    wa_id = await session.scalar(select(LeadView.wa_id).where(LeadView.lead_id == lead_id))
    if wa_id is None:
        raise LookupError(f"lead {lead_id} is not in the read model yet")
    return wa_id


async def adopt_latest_lead(
    session: AsyncSession, *, wa_id: str, lead_id: uuid.UUID, created_at: datetime
) -> None:
    """Point the contact at this lead when it is the newest one seen, and copy the lead's status."""
    status = select(LeadView.status).where(LeadView.lead_id == lead_id).scalar_subquery()
    await session.execute(
        update(Contact)
        .where(
            Contact.wa_id == wa_id,
            (Contact.latest_lead_at.is_(None)) | (Contact.latest_lead_at <= created_at),
        )
        .values(latest_lead_id=lead_id, latest_lead_at=created_at, status=status)
    )


async def touch_inbound(session: AsyncSession, *, wa_id: str, at: datetime) -> None:
    await session.execute(
        update(Contact)
        .where(Contact.wa_id == wa_id)
        .values(last_inbound_at=func.greatest(Contact.last_inbound_at, at))
    )


def contact_facts(contact: Contact) -> ContactFacts:
    return ContactFacts(
        opted_in=contact.opted_in,
        opted_out=contact.opted_out,
        last_inbound_at=contact.last_inbound_at,
        last_marketing_at=contact.last_marketing_at,
        timezone=contact.timezone,
    )


def contact_fields(contact: Contact) -> dict[str, str | None]:
    return {
        "profile_name": contact.profile_name,
        "city": contact.city,
        "country_code": contact.country_code,
        "style": contact.style,
    }

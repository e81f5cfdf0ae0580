"""Who a freed slot may go to, and recording the automatic campaign that offers it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy import insert as sa_insert
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.db.models import Campaign, Contact, LastMinuteOffer, LeadView, Recipient
from inkline_campaigns.domain.last_minute import Pick


async def matching_waitlisted(
    session: AsyncSession,
    *,
    starts_at: datetime,
    ends_at: datetime,
    city: str,
    country_code: str | None,
    fitting_sizes: Sequence[str] | None,
    freed_by_lead_id: uuid.UUID,
) -> list[Contact]:
    """Waitlisted contacts in the slot's city that may be offered it, longest-waiting first.

    Consent, the frequency cap and quiet hours are left to the marketing rules; opted-out contacts are
    dropped here already only to keep the list short.
    """
    freed_by = select(LeadView.wa_id).where(LeadView.lead_id == freed_by_lead_id)
    # Any earlier offer of this very range counts, whichever booking freed it then.
    offered_before = exists().where(
        LastMinuteOffer.starts_at == starts_at,
        LastMinuteOffer.ends_at == ends_at,
        Recipient.campaign_id == LastMinuteOffer.campaign_id,
        Recipient.wa_id == Contact.wa_id,
        Recipient.state != "skipped",
    )
    conditions: list[ColumnElement[bool]] = [
        Contact.status == "waitlisted",
        func.lower(Contact.city) == city.strip().lower(),
        ~Contact.opted_out,
        Contact.no_show_at.is_(None),
        Contact.wa_id.not_in(freed_by),
        ~offered_before,
    ]
    if country_code:
        conditions.append(or_(Contact.country_code.is_(None), Contact.country_code == country_code.upper()))
    if fitting_sizes is not None:
        conditions.append(or_(Contact.size_category.is_(None), Contact.size_category.in_(fitting_sizes)))
    waiting_since = func.coalesce(LeadView.status_changed_at, Contact.latest_lead_at, Contact.first_seen_at)
    rows = await session.scalars(
        select(Contact)
        .outerjoin(LeadView, LeadView.lead_id == Contact.latest_lead_id)
        .where(and_(*conditions))
        .order_by(waiting_since, Contact.wa_id)
    )
    return list(rows)


async def claim_campaign(session: AsyncSession, *, campaign: dict[str, object]) -> bool:
    """Insert the automatic campaign; False when this freeing of the slot already has one."""
    inserted = await session.execute(
        insert(Campaign).values(**campaign).on_conflict_do_nothing().returning(Campaign.campaign_id)
    )
    return inserted.first() is not None


async def record_offer(session: AsyncSession, offer: LastMinuteOffer, picks: Sequence[Pick]) -> None:
    """The offer beside its claimed campaign, and its recipients, all pending for the dispatcher."""
    session.add(offer)
    await session.flush()
    await session.execute(
        sa_insert(Recipient),
        [
            {
                "campaign_id": offer.campaign_id,
                "wa_id": pick.wa_id,
                "state": "pending",
                "send_after": pick.send_after,
            }
            for pick in picks
        ],
    )

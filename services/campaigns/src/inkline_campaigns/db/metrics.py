"""A campaign's running totals, counted from its recipient rows."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.db.models import Campaign, Recipient
from inkline_contracts.base import Money
from inkline_contracts.events.campaign import CampaignMetrics


async def campaign_metrics(session: AsyncSession, campaign: Campaign) -> CampaignMetrics:
    row = (
        await session.execute(
            select(
                func.count(Recipient.sent_at),
                func.count(Recipient.delivered_at),
                func.count(Recipient.read_at),
                func.count(Recipient.failed_at),
                func.count(Recipient.replied_at),
                func.count(Recipient.opted_out_at),
                func.count(Recipient.converted_at),
                func.coalesce(func.sum(Recipient.revenue_minor), 0),
                func.max(Recipient.revenue_currency),
            ).where(Recipient.campaign_id == campaign.campaign_id)
        )
    ).one()
    sent, delivered, read, failed, replied, opted_out, converted, revenue, currency = row
    return CampaignMetrics(
        campaign_id=campaign.campaign_id,
        tag=campaign.tag,
        name=campaign.name,
        sent=sent,
        delivered=delivered,
        read=read,
        failed=failed,
        replied=replied,
        opted_out=opted_out,
        converted=converted,
        revenue=Money(amount_minor=int(revenue), currency=currency) if currency else None,
    )


async def handoff_counts(session: AsyncSession, campaign_id: uuid.UUID) -> dict[str, int]:
    """Recipients by state, and skipped ones by reason: what the sending did with the snapshot."""
    rows = await session.execute(
        select(Recipient.state, Recipient.skip_reason, func.count())
        .where(Recipient.campaign_id == campaign_id)
        .group_by(Recipient.state, Recipient.skip_reason)
    )
    counts: dict[str, int] = {}
    for state, reason, count in rows:
        key = f"skipped_{reason}" if state == "skipped" and reason else state
        counts[key] = counts.get(key, 0) + count
    return counts


async def outcome_counts(session: AsyncSession, campaign_id: uuid.UUID) -> dict[str, int]:
    """Recipients whose message led to a deposit, and to a booking (one client may count in both)."""
    deposits, bookings = (
        await session.execute(
            select(func.count(Recipient.deposit_paid_at), func.count(Recipient.booked_at)).where(
                Recipient.campaign_id == campaign_id
            )
        )
    ).one()
    return {"deposits": deposits, "bookings": bookings}

"""Crediting a campaign with what its message led to: replies, opt-outs, conversions, revenue."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.db.models import Campaign, Recipient
from inkline_campaigns.domain.attribution import Touch, attributed_touch
from inkline_contracts.base import Money


class Outcome(StrEnum):
    REPLIED = "replied_at"
    OPTED_OUT = "opted_out_at"
    CONVERTED = "converted_at"


async def attribute(
    session: AsyncSession,
    *,
    wa_id: str,
    outcome: Outcome,
    event_at: datetime,
    window: timedelta,
    revenue: Money | None = None,
) -> uuid.UUID | None:
    """Credit the last campaign message inside the window; returns the credited campaign, if any."""
    rows = await session.execute(
        select(Recipient.campaign_id, Recipient.handed_off_at).where(
            Recipient.wa_id == wa_id,
            Recipient.handed_off_at.is_not(None),
            Recipient.handed_off_at >= event_at - window,
            Recipient.handed_off_at <= event_at,
        )
    )
    touch = attributed_touch(
        (Touch(key=campaign_id, at=at) for campaign_id, at in rows if at is not None),
        event_at=event_at,
        window=window,
    )
    if touch is None:
        return None
    column = getattr(Recipient, outcome.value)
    statement = update(Recipient).where(Recipient.campaign_id == touch.key, Recipient.wa_id == wa_id)
    if revenue is None:
        statement = statement.values({column: func.coalesce(column, event_at)})
    else:
        # Every deposit of the contact in the window adds revenue; the conversion time is the first one.
        statement = statement.values(
            {
                column: func.coalesce(column, event_at),
                Recipient.revenue_minor: Recipient.revenue_minor + revenue.amount_minor,
                Recipient.revenue_currency: revenue.currency,
            }
        )
    await session.execute(statement)
    await session.execute(
        update(Campaign).where(Campaign.campaign_id == touch.key).values(metrics_dirty=True)
    )
    return touch.key

"""Crediting a campaign with what its message led to: replies, opt-outs, conversions, revenue."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.db.models import Campaign, Recipient
from inkline_campaigns.domain.attribution import Touch, attributed_touch
from inkline_contracts.base import Money


class Outcome(StrEnum):
    REPLIED = "replied_at"
    OPTED_OUT = "opted_out_at"
    DEPOSIT_PAID = "deposit_paid_at"
    BOOKED = "booked_at"


# A deposit or a booking is also the conversion (the first of the two), which the Campaigns sheet counts.
_CONVERSIONS = frozenset({Outcome.DEPOSIT_PAID, Outcome.BOOKED})


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
    columns = [getattr(Recipient, outcome.value)]
    if outcome in _CONVERSIONS:
        columns.append(Recipient.converted_at)
    values: dict[Any, Any] = {column: func.coalesce(column, event_at) for column in columns}
    if revenue is not None:
        # Every deposit of the contact in the window adds revenue; the conversion time is the first one.
        values[Recipient.revenue_minor] = Recipient.revenue_minor + revenue.amount_minor
        values[Recipient.revenue_currency] = revenue.currency
    statement = (
        update(Recipient).where(Recipient.campaign_id == touch.key, Recipient.wa_id == wa_id).values(values)
    )
    await session.execute(statement)
    await session.execute(
        update(Campaign).where(Campaign.campaign_id == touch.key).values(metrics_dirty=True)
    )
    return touch.key

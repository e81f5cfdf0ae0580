"""Campaign progress and results, published by the campaigns service."""

from __future__ import annotations

import uuid

from pydantic import Field

from inkline_contracts.base import Contract, Money


class CampaignLaunched(Contract):
    campaign_id: uuid.UUID
    tag: str
    name: str
    audience_size: int = Field(ge=0)


class CampaignMetrics(Contract):
    """A campaign's running totals; the notifier mirrors them into the Campaigns sheet."""

    campaign_id: uuid.UUID
    tag: str
    name: str
    sent: int = 0
    delivered: int = 0
    read: int = 0
    failed: int = 0
    replied: int = 0
    opted_out: int = 0
    converted: int = 0
    revenue: Money | None = None


class CampaignCompleted(Contract):
    campaign_id: uuid.UUID
    tag: str

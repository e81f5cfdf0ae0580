"""Publishing campaign.metrics for campaigns whose totals changed; the notifier writes them to Sheets."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from inkline_campaigns.db.metrics import campaign_metrics
from inkline_campaigns.db.models import Campaign
from inkline_contracts import subjects
from inkline_platform.uow import UnitOfWorkFactory


@dataclass
class MetricsPublisher:
    uow: UnitOfWorkFactory

    async def run(self) -> None:
        """The periodic job."""
        await self.tick()

    async def tick(self) -> int:
        """Publish one campaign.metrics per changed campaign; returns how many were published."""
        async with self.uow() as uow:
            campaigns = (
                await uow.session.scalars(
                    select(Campaign).where(Campaign.metrics_dirty).with_for_update(skip_locked=True)
                )
            ).all()
            for campaign in campaigns:
                uow.publish(
                    subjects.CAMPAIGN_METRICS,
                    await campaign_metrics(uow.session, campaign),
                    correlation_id=f"campaign:{campaign.tag}",
                )
                campaign.metrics_dirty = False
            await uow.commit()
            return len(campaigns)

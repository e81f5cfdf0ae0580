"""Refreshes `inkline_campaign_messages`: how far each running campaign has got, recipient by recipient."""

from __future__ import annotations

from sqlalchemy import func, select

from inkline_campaigns.db.models import Campaign, Recipient
from inkline_campaigns.domain.campaign_status import CampaignStatus
from inkline_platform.metrics import CAMPAIGN_MESSAGES
from inkline_platform.uow import UnitOfWorkFactory

RUNNING = (CampaignStatus.SENDING.value, CampaignStatus.PAUSED.value)
STATES = {
    "queued": func.count().filter(Recipient.state == "pending"),
    "handed_off": func.count().filter(Recipient.state == "handed_off"),
    "skipped": func.count().filter(Recipient.state == "skipped"),
    "sent": func.count(Recipient.sent_at),
    "delivered": func.count(Recipient.delivered_at),
    "read": func.count(Recipient.read_at),
    "failed": func.count(Recipient.failed_at),
}


class CampaignProgressGauge:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow
        self._shown: set[str] = set()

    async def run(self) -> None:
        """One tick of the periodic job: running campaigns are shown, finished ones are dropped."""
        statement = (
            select(Campaign.tag, *(count.label(state) for state, count in STATES.items()))
            .join(Recipient, Recipient.campaign_id == Campaign.campaign_id)
            .where(Campaign.status.in_(RUNNING))
            .group_by(Campaign.tag)
        )
        async with self._uow() as uow:
            rows = (await uow.session.execute(statement)).all()
        running = {row.tag for row in rows}
        for tag in self._shown - running:
            for state in STATES:
                CAMPAIGN_MESSAGES.remove(tag, state)
        for row in rows:
            for state in STATES:
                CAMPAIGN_MESSAGES.labels(row.tag, state).set(getattr(row, state))
        self._shown = running

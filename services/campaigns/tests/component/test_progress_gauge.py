from __future__ import annotations

import uuid
from datetime import UTC, datetime

from prometheus_client import REGISTRY
from sqlalchemy import update

from inkline_campaigns.db.models import Campaign, Recipient
from inkline_campaigns.domain.campaign_status import CampaignStatus
from inkline_campaigns.jobs.progress_gauge import CampaignProgressGauge
from inkline_platform.uow import UnitOfWorkFactory

SENT_AT = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


def _progress(tag: str, state: str) -> float | None:
    return REGISTRY.get_sample_value("inkline_campaign_messages", {"campaign": tag, "state": state})


async def test_progress_shows_each_running_campaigns_recipients_by_state_and_drops_finished_ones(
    uow: UnitOfWorkFactory,
) -> None:
    tag = f"gauge-{uuid.uuid4().hex[:8]}"
    campaign_id = uuid.uuid4()
    sent: datetime | None
    async with uow() as work:
        work.session.add(
            Campaign(
                campaign_id=campaign_id,
                name="Flash day",
                tag=tag,
                template_name="flash_day",
                template_language="en",
                parameters=[],
                status=CampaignStatus.SENDING.value,
            )
        )
        await work.session.flush()
        for number, (state, sent) in enumerate(
            [("pending", None), ("pending", None), ("handed_off", None), ("handed_off", SENT_AT)]
        ):
            work.session.add(
                Recipient(campaign_id=campaign_id, wa_id=f"4477009{number:05d}", state=state, sent_at=sent)
            )
        await work.commit()
    gauge = CampaignProgressGauge(uow)

    await gauge.run()
    while_sending = {state: _progress(tag, state) for state in ("queued", "handed_off", "sent", "read")}
    async with uow() as work:
        await work.session.execute(
            update(Campaign)
            .where(Campaign.campaign_id == campaign_id)
            .values(status=CampaignStatus.DONE.value)
        )
        await work.commit()
    await gauge.run()

    assert while_sending == {"queued": 2.0, "handed_off": 2.0, "sent": 1.0, "read": 0.0}
    assert _progress(tag, "queued") is None, "a finished campaign leaves the gauge"

"""Sending campaigns: snapshot the audience once, then hand notify.send to the notifier at a set rate.

Exactly once per (campaign, contact): the recipient row is the primary key of the send, and it is marked
handed off in the same transaction that writes the notify.send to the outbox. A crash before commit
leaves the row pending (nothing was queued); a crash after commit leaves it handed off (the relay
delivers the queued message). A restart therefore neither skips nor repeats anyone.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog
from pydantic import TypeAdapter
from sqlalchemy import (
    ColumnElement,
    DateTime,
    and_,
    case,
    func,
    insert,
    literal,
    or_,
    select,
)

from inkline_campaigns.db import recipients
from inkline_campaigns.db.contacts import contact_facts, contact_fields
from inkline_campaigns.db.models import Campaign, Contact, Recipient, Segment
from inkline_campaigns.db.segment_sql import condition
from inkline_campaigns.domain.campaign_status import CampaignStatus
from inkline_campaigns.domain.consent import SkipReason
from inkline_campaigns.domain.eligibility import Later, MarketingRules, Skip
from inkline_campaigns.domain.recipient_decision import decide_recipient
from inkline_campaigns.domain.segment_filter import SegmentFilter
from inkline_campaigns.domain.templates import Parameter
from inkline_campaigns.settings import ConsentRule
from inkline_contracts import subjects
from inkline_contracts.events.campaign import CampaignCompleted, CampaignLaunched
from inkline_contracts.events.notify import Category, SendMessage, TemplateContent
from inkline_platform.clock import Clock, utc_now
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger(__name__)
PARAMETERS = TypeAdapter(list[Parameter])


@dataclass
class CampaignDispatcher:
    uow: UnitOfWorkFactory
    rules: MarketingRules
    rate_per_second: float
    interval_seconds: float
    clock: Clock = utc_now
    batch_size: int = 500
    monotonic: Callable[[], float] = time.monotonic
    _last_tick: float | None = field(default=None, init=False)
    _credit: float = field(default=0.0, init=False)

    async def run(self) -> None:
        """The periodic job."""
        await self.tick()

    async def tick(self) -> int:
        """One periodic run: start due campaigns, send up to the rate's share, finish drained ones."""
        now = self.clock()
        budget = self._budget()
        await self.start_due(now)
        handed_off = 0
        for campaign_id in await self._sending():
            while handed_off < budget:
                sent, seen = await self._send_batch(
                    campaign_id, now, limit=min(self.batch_size, budget - handed_off)
                )
                handed_off += sent
                if seen == 0:
                    break
            await self._finish_if_drained(campaign_id, now)
        return handed_off

    def _budget(self) -> int:
        """The sends due since the last tick began: the rate times the time passed (at least an interval,
        at most two), so the tick's own time and the wait after it do not slow the campaign below the
        rate (at 80/s, a 100 ms tick had made it 73/s). What a tick could not hand off is not carried."""
        started = self.monotonic()
        passed = self.interval_seconds
        if self._last_tick is not None:
            passed = min(max(started - self._last_tick, passed), 2 * passed)
        self._last_tick = started
        self._credit += self.rate_per_second * passed
        budget = max(1, int(self._credit))
        self._credit = max(0.0, self._credit - budget)
        return budget

    async def start_due(self, now: datetime) -> int:
        """Snapshot the audience of every campaign due to start and mark it sending; returns how many."""
        due = await self._due(now)
        for campaign_id in due:
            await self._start(campaign_id, now)
        return len(due)

    async def _due(self, now: datetime) -> list[uuid.UUID]:
        async with self.uow() as uow:
            rows = await uow.session.scalars(
                select(Campaign.campaign_id)
                .where(
                    Campaign.status == CampaignStatus.SCHEDULED,
                    or_(Campaign.scheduled_at.is_(None), Campaign.scheduled_at <= now),
                )
                .order_by(Campaign.launched_at)
            )
            return list(rows)

    async def _sending(self) -> list[uuid.UUID]:
        async with self.uow() as uow:
            rows = await uow.session.scalars(
                select(Campaign.campaign_id)
                .where(Campaign.status == CampaignStatus.SENDING)
                .order_by(Campaign.launched_at)
            )
            return list(rows)

    async def _start(self, campaign_id: uuid.UUID, now: datetime) -> None:
        async with self.uow() as uow:
            campaign = await uow.session.get(Campaign, campaign_id, with_for_update=True)
            if campaign is None or campaign.status != CampaignStatus.SCHEDULED:
                return
            if campaign.snapshot_at is None:
                await self._snapshot(uow, campaign, now)
            campaign.status = CampaignStatus.SENDING
            await uow.commit()

    async def _snapshot(self, uow: UnitOfWork, campaign: Campaign, now: datetime) -> None:
        """Freeze who the campaign is for; contacts without consent are recorded as skipped, with why."""
        if campaign.segment_id is None:
            # Automatic campaigns are created with their audience already chosen (and snapshot_at set).
            raise ValueError(f"campaign {campaign.tag} has neither a segment nor an audience snapshot")
        segment = await uow.session.get_one(Segment, campaign.segment_id)
        audience = SegmentFilter.model_validate(segment.filter)
        may_market: ColumnElement[bool] = Contact.opted_in.expression
        if self.rules.consent_rule is ConsentRule.WROTE_AND_NEVER_OPTED_OUT:
            may_market = or_(Contact.opted_in, Contact.last_inbound_at.is_not(None))
        reason = case(
            (Contact.opted_out, literal(SkipReason.OPTED_OUT.value)),
            (~may_market, literal(SkipReason.NOT_OPTED_IN.value)),
            else_=None,
        )
        state = case((and_(~Contact.opted_out, may_market), literal("pending")), else_=literal("skipped"))
        # Every eligible row is due from the snapshot on; quiet hours push single rows later.
        due = literal(now, DateTime(timezone=True))
        chosen = select(literal(campaign.campaign_id), Contact.wa_id, state, reason, due).where(
            condition(audience)
        )
        columns = ["campaign_id", "wa_id", "state", "skip_reason", "send_after"]
        await uow.session.execute(insert(Recipient).from_select(columns, chosen))
        counts = await uow.session.execute(
            select(Recipient.state, func.count())
            .where(Recipient.campaign_id == campaign.campaign_id)
            .group_by(Recipient.state)
        )
        by_state: dict[str, int] = {state: count for state, count in counts}
        campaign.audience_size = sum(by_state.values())
        campaign.snapshot_at = now
        uow.publish(
            subjects.CAMPAIGN_LAUNCHED,
            CampaignLaunched(
                campaign_id=campaign.campaign_id,
                tag=campaign.tag,
                name=campaign.name,
                audience_size=by_state.get("pending", 0),
            ),
            correlation_id=f"campaign:{campaign.tag}",
        )
        log.info("campaign_snapshot", campaign=campaign.tag, **{str(k): v for k, v in by_state.items()})

    async def _send_batch(self, campaign_id: uuid.UUID, now: datetime, *, limit: int) -> tuple[int, int]:
        """Decide for up to `limit` due recipients in one transaction; returns (handed off, looked at)."""
        async with self.uow() as uow:
            # FOR KEY SHARE: a pause (FOR UPDATE) waits for this batch to commit, so once the pause is
            # answered nothing more is handed off; other replicas' batches and attribution's metric marks
            # do not conflict with it.
            campaign = await uow.session.get(Campaign, campaign_id, with_for_update={"key_share": True})
            if campaign is None or campaign.status != CampaignStatus.SENDING:
                return 0, 0
            if campaign.expires_at is not None and now >= campaign.expires_at:
                lapsed = await recipients.expire_pending(uow.session, campaign_id)
                await uow.commit()
                return 0, lapsed
            rows = (
                await uow.session.execute(
                    select(Recipient.wa_id, Contact)
                    .join(Contact, Contact.wa_id == Recipient.wa_id)
                    .where(
                        Recipient.campaign_id == campaign_id,
                        Recipient.state == "pending",
                        Recipient.send_after <= now,
                    )
                    # Walks the partial index of pending rows: sent and deferred rows cost nothing.
                    .order_by(Recipient.send_after, Recipient.wa_id)
                    .limit(limit)
                    # Contacts are locked too: a nurture step to the same contact must see this send.
                    .with_for_update(skip_locked=True)
                )
            ).all()
            parameters = PARAMETERS.validate_python(campaign.parameters)
            handed_off: list[dict[str, Any]] = []
            skipped: list[dict[str, Any]] = []
            deferred: list[dict[str, Any]] = []
            for wa_id, contact in rows:
                decision = decide_recipient(
                    self.rules,
                    contact_facts(contact),
                    contact_fields(contact),
                    parameters=parameters,
                    expires_at=campaign.expires_at,
                    now=now,
                )
                if isinstance(decision, Skip):
                    skipped.append({"key": wa_id, "reason": decision.reason.value})
                elif isinstance(decision, Later):
                    deferred.append({"key": wa_id, "at": decision.at})
                else:
                    envelope = uow.publish(
                        subjects.NOTIFY_SEND,
                        SendMessage(
                            to=wa_id,
                            content=TemplateContent(
                                name=campaign.template_name,
                                language=campaign.template_language,
                                body_parameters=decision.values,
                                quick_reply_payloads=list(campaign.quick_reply_payloads),
                            ),
                            category=Category.MARKETING,
                            purpose=f"campaign:{campaign.template_name}",
                            campaign_tag=campaign.tag,
                        ),
                        correlation_id=f"campaign:{campaign.tag}",
                    )
                    handed_off.append({"key": wa_id, "message_id": envelope.message_id})
            await recipients.record_decisions(
                uow.session, campaign_id, now, handed_off=handed_off, skipped=skipped, deferred=deferred
            )
            if handed_off:
                campaign.metrics_dirty = True
            await uow.commit()
            return len(handed_off), len(rows)

    async def _finish_if_drained(self, campaign_id: uuid.UUID, now: datetime) -> None:
        async with self.uow() as uow:
            campaign = await uow.session.get(Campaign, campaign_id, with_for_update=True)
            if campaign is None or campaign.status != CampaignStatus.SENDING:
                return
            pending = await uow.session.scalar(
                select(func.count())
                .select_from(Recipient)
                .where(Recipient.campaign_id == campaign_id, Recipient.state == "pending")
            )
            if pending:
                return
            campaign.status = CampaignStatus.DONE
            campaign.completed_at = now
            campaign.metrics_dirty = True
            uow.publish(
                subjects.CAMPAIGN_COMPLETED,
                CampaignCompleted(campaign_id=campaign.campaign_id, tag=campaign.tag),
                correlation_id=f"campaign:{campaign.tag}",
            )
            await uow.commit()

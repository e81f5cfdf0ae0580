"""A freed slot becomes an automatic last-minute campaign to a few matching waitlisted clients.

The handler only picks the audience and records the campaign with its recipients, all pending; the
campaign dispatcher hands the messages to the notifier like any broadcast's, so consent, the frequency
cap, quiet hours, exactly-once sending across crashes and attribution are the broadcasts' own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import structlog
from pydantic import TypeAdapter

from inkline_campaigns.db.contacts import contact_facts
from inkline_campaigns.db.last_minute import claim_campaign, matching_waitlisted, record_offer
from inkline_campaigns.db.models import LastMinuteOffer
from inkline_campaigns.db.templates import load_template
from inkline_campaigns.domain import last_minute
from inkline_campaigns.domain.campaign_status import CampaignStatus
from inkline_campaigns.domain.eligibility import MarketingRules
from inkline_campaigns.domain.last_minute import FreedSlot, pick_recipients, sizes_that_fit
from inkline_campaigns.domain.templates import Parameter, TemplateMismatchError, check_fit
from inkline_contracts import subjects
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.booking import SlotFreed
from inkline_contracts.events.campaign import CampaignLaunched
from inkline_platform.clock import Clock
from inkline_platform.uow import UnitOfWork

log = structlog.get_logger(__name__)
PARAMETERS = TypeAdapter(list[Parameter])


@dataclass(frozen=True)
class SlotFreedHandler:
    """Offers the freed slot to the longest-waiting matching waitlisted clients, once each."""

    rules: MarketingRules
    limit: int
    min_notice: timedelta
    artist_zone: ZoneInfo
    clock: Clock

    async def __call__(self, work: UnitOfWork, envelope: Envelope[SlotFreed]) -> None:
        freed, now, session = envelope.payload, self.clock(), work.session
        slot = FreedSlot(
            booking_id=freed.booking_id, starts_at=freed.range.start, ends_at=freed.range.end, city=freed.city
        )
        context = {"booking_id": str(freed.booking_id), "starts_at": slot.starts_at.isoformat()}
        if not slot.worth_offering(now=now, min_notice=self.min_notice):
            log.info("last_minute_too_late", **context)
            return
        parameters = slot.parameters(self.artist_zone)
        try:
            check_fit(
                await load_template(session, last_minute.TEMPLATE),
                name=last_minute.TEMPLATE,
                language=last_minute.TEMPLATE_LANGUAGE,
                parameters=parameters,
            )
        except TemplateMismatchError as exc:
            # Only an approved template may carry marketing: without one there is no offer to make.
            log.warning("last_minute_template_unusable", error=str(exc), **context)
            return
        candidates = await matching_waitlisted(
            session,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            city=freed.city,
            country_code=freed.country_code,
            fitting_sizes=sizes_that_fit(freed.size_category.value if freed.size_category else None),
            freed_by_lead_id=freed.lead_id,
        )
        expires_at = slot.offer_expires_at(self.min_notice)
        picks = pick_recipients(
            ((contact.wa_id, contact_facts(contact)) for contact in candidates),
            rules=self.rules,
            now=now,
            expires_at=expires_at,
            limit=self.limit,
        )
        if not picks:
            log.info("last_minute_no_match", candidates=len(candidates), **context)
            return
        tag = slot.tag(self.artist_zone)
        if not await claim_campaign(
            session,
            campaign={
                "campaign_id": slot.campaign_id,
                "kind": last_minute.KIND,
                "name": slot.campaign_name(self.artist_zone),
                "tag": tag,
                "segment_id": None,
                "template_name": last_minute.TEMPLATE,
                "template_language": last_minute.TEMPLATE_LANGUAGE,
                "parameters": PARAMETERS.dump_python(parameters, mode="json"),
                "quick_reply_payloads": [slot.quick_reply_payload],
                "status": CampaignStatus.SENDING.value,
                "audience_size": len(picks),
                "snapshot_at": now,
                "launched_at": now,
                "expires_at": expires_at,
            },
        ):
            log.info("last_minute_already_offered", **context)
            return
        await record_offer(session, _offer(slot=slot, freed=freed, freed_at=envelope.occurred_at), picks)
        work.publish(
            subjects.CAMPAIGN_LAUNCHED,
            CampaignLaunched(
                campaign_id=slot.campaign_id, tag=tag, name=slot.campaign_name(self.artist_zone),
                audience_size=len(picks),
            ),
            correlation_id=f"campaign:{tag}",
            causation_id=envelope.message_id,
        )  # fmt: skip
        log.info("last_minute_offered", campaign=tag, recipients=len(picks), **context)


def _offer(*, slot: FreedSlot, freed: SlotFreed, freed_at: datetime) -> LastMinuteOffer:
    return LastMinuteOffer(
        campaign_id=slot.campaign_id,
        booking_id=freed.booking_id,
        freed_by_lead_id=freed.lead_id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        city=freed.city,
        country_code=freed.country_code.upper() if freed.country_code else None,
        size_category=freed.size_category.value if freed.size_category else None,
        reason=freed.reason[:200],
        freed_at=freed_at,
    )

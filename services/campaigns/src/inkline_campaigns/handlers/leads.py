"""Keeping the contact and lead read model in step with the conversation service's lead events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from inkline_campaigns.db import enrollments
from inkline_campaigns.db.attribution import Outcome, attribute
from inkline_campaigns.db.contacts import (
    adopt_latest_lead,
    ensure_contact,
    ensure_lead,
    lock_contact,
    note_identity,
    touch_inbound,
)
from inkline_campaigns.db.read_model import ReadModel
from inkline_campaigns.domain.sequences import StopReason, Trigger
from inkline_campaigns.domain.timezones import zone_name_for
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.lead import (
    LeadCreated,
    LeadOptedIn,
    LeadOptedOut,
    LeadQualified,
    LeadStatusChanged,
)
from inkline_platform.uow import UnitOfWork

# When a lead first reached each funnel stage; later stages imply the earlier ones were passed.
MILESTONES = {
    "qualified": ("qualified_at",),
    "approved": ("qualified_at", "approved_at"),
    "deposit_paid": ("qualified_at", "approved_at", "deposit_paid_at"),
    "booked": ("qualified_at", "approved_at", "deposit_paid_at", "booked_at"),
}


@dataclass(frozen=True)
class LeadCreatedHandler:
    """Adds the lead, and its contact when first seen, to the campaigns read model."""

    default_timezone: str

    async def __call__(self, work: UnitOfWork, envelope: Envelope[LeadCreated]) -> None:
        lead, at, session = envelope.payload, envelope.occurred_at, work.session
        zone = zone_name_for(country_code=None, wa_id=lead.wa_id, default=self.default_timezone)
        await ensure_contact(session, wa_id=lead.wa_id, seen_at=at, timezone=zone)
        await lock_contact(session, lead.wa_id)
        await ensure_lead(session, lead_id=lead.lead_id, wa_id=lead.wa_id, created_at=at)
        await ReadModel(session).lead_created(
            lead_id=lead.lead_id,
            wa_id=lead.wa_id,
            at=at,
            source_campaign_tag=lead.source_campaign_tag,
            profile_name=lead.profile_name,
            language=lead.language,
        )
        # A new lead means the client wrote to the artist.
        await touch_inbound(session, wa_id=lead.wa_id, at=at)
        await note_identity(session, wa_id=lead.wa_id, client=lead.client, at=at)
        await adopt_latest_lead(session, wa_id=lead.wa_id, lead_id=lead.lead_id, created_at=at)


@dataclass(frozen=True)
class LeadStatusChangedHandler:
    """Moves the lead (and its contact, when it is their latest lead) to its new status."""

    default_timezone: str

    async def __call__(self, work: UnitOfWork, envelope: Envelope[LeadStatusChanged]) -> None:
        change, at, session = envelope.payload, envelope.occurred_at, work.session
        await ensure_contact(
            session,
            wa_id=change.wa_id,
            seen_at=at,
            timezone=zone_name_for(country_code=None, wa_id=change.wa_id, default=self.default_timezone),
        )
        await lock_contact(session, change.wa_id)
        await ensure_lead(session, lead_id=change.lead_id, wa_id=change.wa_id, created_at=at)
        read_model = ReadModel(session)
        await read_model.reached_milestones(change.lead_id, MILESTONES.get(change.to_status, ()), at)
        # A change older than the one already applied arrived late: it must not roll the status back.
        await read_model.move_lead(lead_id=change.lead_id, wa_id=change.wa_id, status=change.to_status, at=at)
        if change.to_status == "no_show":
            # History, not state: whatever the contact's later leads do, campaigns can still leave them out.
            await read_model.no_show(change.wa_id, at)
        await enrollments.stop_on_status(session, wa_id=change.wa_id, status=change.to_status, at=at)
        await enrollments.enroll(
            session,
            trigger=Trigger.LEAD_STATUS,
            status=change.to_status,
            wa_ids=[change.wa_id],
            lead_id=change.lead_id,
            trigger_key=f"status:{change.lead_id}:{change.to_status}",
            at=at,
        )


@dataclass(frozen=True)
class LeadQualifiedHandler:
    """Records where the client is, their style, size and budget, on the lead and the contact."""

    default_timezone: str

    async def __call__(self, work: UnitOfWork, envelope: Envelope[LeadQualified]) -> None:
        lead, at, session = envelope.payload, envelope.occurred_at, work.session
        zone = zone_name_for(country_code=lead.country_code, wa_id=lead.wa_id, default=self.default_timezone)
        await ensure_contact(session, wa_id=lead.wa_id, seen_at=at)
        await lock_contact(session, lead.wa_id)
        await ensure_lead(session, lead_id=lead.lead_id, wa_id=lead.wa_id, created_at=at)
        facts = {
            "city": lead.city.strip(),
            "country_code": lead.country_code.upper(),
            "style": lead.style,
            "size_category": lead.size_category.value,
            "budget_max_minor": lead.budget_max.amount_minor,
            "budget_currency": lead.budget_max.currency,
        }
        await ReadModel(session).qualified(
            lead_id=lead.lead_id,
            wa_id=lead.wa_id,
            facts=facts,
            budget_min_minor=lead.budget_min.amount_minor,
            timezone=zone,
            at=at,
        )


@dataclass(frozen=True)
class LeadOptedOutHandler:
    """Stops all marketing to the contact and every sequence they are in."""

    attribution_window: timedelta

    async def __call__(self, work: UnitOfWork, envelope: Envelope[LeadOptedOut]) -> None:
        event, at, session = envelope.payload, envelope.occurred_at, work.session
        await ensure_contact(session, wa_id=event.wa_id, seen_at=at)
        await ReadModel(session).set_consent(event.wa_id, opted_in=False, opted_out=True, at=at)
        await enrollments.stop(session, wa_id=event.wa_id, reason=StopReason.OPTED_OUT, at=at)
        await attribute(
            session, wa_id=event.wa_id, outcome=Outcome.OPTED_OUT, event_at=at, window=self.attribution_window
        )


@dataclass(frozen=True)
class LeadOptedInHandler:
    """Records the contact's explicit consent to marketing (START)."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[LeadOptedIn]) -> None:
        event, at = envelope.payload, envelope.occurred_at
        await ensure_contact(work.session, wa_id=event.wa_id, seen_at=at)
        await ReadModel(work.session).set_consent(event.wa_id, opted_in=True, opted_out=False, at=at)

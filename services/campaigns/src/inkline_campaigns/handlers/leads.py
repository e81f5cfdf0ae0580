"""Keeping the contact and lead read model in step with the conversation service's events."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert

from inkline_campaigns.db.models import Contact, LeadView
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.lead import LeadCreated
from inkline_platform.uow import UnitOfWork


async def on_lead_created(uow: UnitOfWork, envelope: Envelope[LeadCreated]) -> None:
    """Adds the lead, and its contact when first seen, to the campaigns read model."""
    lead = envelope.payload
    await uow.session.execute(
        insert(Contact)
        .values(wa_id=lead.wa_id, profile_name=lead.profile_name, first_seen_at=envelope.occurred_at)
        .on_conflict_do_nothing(index_elements=["wa_id"])
    )
    await uow.session.execute(
        insert(LeadView)
        .values(
            lead_id=lead.lead_id,
            wa_id=lead.wa_id,
            status="new",
            source_campaign_tag=lead.source_campaign_tag,
            created_at=envelope.occurred_at,
        )
        .on_conflict_do_nothing(index_elements=["lead_id"])
    )

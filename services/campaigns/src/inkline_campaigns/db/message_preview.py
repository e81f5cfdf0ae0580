"""A campaign's message as one client of its audience will read it: the first the campaign can fill for."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.db.contacts import contact_fields
from inkline_campaigns.db.models import Campaign, Contact, Recipient, Segment, TemplateRow
from inkline_campaigns.db.segment_sql import condition
from inkline_campaigns.domain.segment_filter import SegmentFilter
from inkline_campaigns.domain.templates import Parameter, fill_body, render_parameters

PARAMETERS = TypeAdapter(list[Parameter])
# Enough to get past a few contacts missing a blank's field, few enough to stay one quick query.
LOOK_AT = 50


@dataclass(frozen=True)
class FirstMessage:
    name: str | None
    parameters: list[str]
    text: str | None
    """The template's words filled in; None when the registry does not have its words."""


async def first_message(session: AsyncSession, campaign: Campaign) -> FirstMessage | None:
    """None when none of the first contacts of the audience can be sent it."""
    if campaign.segment_id is not None and campaign.snapshot_at is None:
        segment = await session.get_one(Segment, campaign.segment_id)
        audience = select(Contact).where(condition(SegmentFilter.model_validate(segment.filter)))
    else:
        audience = (
            select(Contact)
            .join(Recipient, Recipient.wa_id == Contact.wa_id)
            .where(Recipient.campaign_id == campaign.campaign_id)
        )
    # The segment preview lists contacts in this order too, so the artist sees the same first person.
    contacts = await session.scalars(audience.order_by(Contact.wa_id).limit(LOOK_AT))
    parameters = PARAMETERS.validate_python(campaign.parameters)
    template = await session.get(TemplateRow, campaign.template_name)
    for contact in contacts:
        values = render_parameters(parameters, contact_fields(contact))
        if values is not None:
            body = template.body if template is not None else None
            return FirstMessage(
                name=contact.profile_name,
                parameters=values,
                text=fill_body(body, values) if body else None,
            )
    return None

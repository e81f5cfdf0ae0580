"""Request and response bodies of the admin API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from inkline_campaigns.domain.segment_filter import SegmentFilter
from inkline_campaigns.domain.sequences import SequenceDefinition
from inkline_campaigns.domain.templates import Parameter
from inkline_contracts.events.campaign import CampaignMetrics


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SegmentIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    filter: SegmentFilter


class SegmentOut(BaseModel):
    segment_id: uuid.UUID
    name: str
    filter: SegmentFilter
    builtin: bool


class ContactPreview(BaseModel):
    wa_id: str
    profile_name: str | None
    phone: str | None = Field(description="their phone number, when they have shared one")
    username: str | None = Field(description="their WhatsApp username, when they have one")
    status: str | None
    city: str | None
    country_code: str | None
    style: str | None
    opted_in: bool
    opted_out: bool


class SegmentPreview(BaseModel):
    count: int
    contacts: list[ContactPreview]


class TemplateIn(Strict):
    languages: list[str] = Field(min_length=1)
    parameters: list[str] = Field(default_factory=list, description="meaning of {{1}}, {{2}}, ...")
    body: str | None = Field(
        default=None, max_length=1024, description="the approved words, with {{1}}, {{2}}, ... for the blanks"
    )


class TemplateOut(TemplateIn):
    name: str


class CampaignIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    tag: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    segment_id: uuid.UUID
    template_name: str = Field(min_length=1, max_length=100)
    template_language: str = Field(default="en", min_length=2, max_length=10)
    parameters: list[Parameter] = Field(default_factory=list)
    scheduled_at: AwareDatetime | None = Field(default=None, description="empty: send as soon as launched")


class OfferedSlot(BaseModel):
    """The freed slot an automatic last-minute campaign offers."""

    booking_id: uuid.UUID
    freed_by_lead_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    city: str
    country_code: str | None
    size_category: str | None
    reason: str
    freed_at: datetime


class CampaignOut(BaseModel):
    campaign_id: uuid.UUID
    kind: str = Field(description="broadcast (made by the artist) or last_minute (automatic, a freed slot)")
    name: str
    tag: str
    segment_id: uuid.UUID | None = Field(description="the audience of a broadcast; none for automatic ones")
    template_name: str
    template_language: str
    parameters: list[Parameter]
    scheduled_at: datetime | None
    status: str
    audience_size: int | None
    launched_at: datetime | None
    completed_at: datetime | None
    expires_at: datetime | None
    offered_slot: OfferedSlot | None = None


class RecipientOut(BaseModel):
    """Who a campaign was for, and what became of their message."""

    wa_id: str
    profile_name: str | None
    username: str | None = Field(description="the WhatsApp username of a client who has one")
    state: str = Field(description="pending, handed_off, skipped or cancelled")
    skip_reason: str | None
    handed_off_at: datetime | None
    sent_at: datetime | None
    delivered_at: datetime | None
    read_at: datetime | None
    failed_at: datetime | None
    replied_at: datetime | None
    opted_out_at: datetime | None
    converted_at: datetime | None


class CampaignReport(BaseModel):
    metrics: CampaignMetrics
    recipients: dict[str, int] = Field(description="recipients by state; skipped ones by reason")
    deposits: int = Field(description="recipients who paid a deposit after the message (the conversions)")
    bookings: int = Field(description="recipients who booked after the message")


class LaunchIn(Strict):
    scheduled_at: AwareDatetime | None = Field(
        default=None, description="start then instead of now (replaces the campaign's own time)"
    )


class MessagePreview(BaseModel):
    """The message as one client of the audience would read it."""

    name: str | None = Field(description="the client it is shown for")
    parameters: list[str] = Field(description="the blanks filled for them")
    text: str | None = Field(description="the template's words filled in; none when its words are unknown")


class ExcludedPerson(BaseModel):
    name: str | None
    number: str | None = Field(description="the end of their phone number, e.g. …4567")


class ExclusionReason(BaseModel):
    reason: str = Field(
        description="opted_out, not_opted_in, frequency_cap, missing_parameter, expired, or quiet_hours "
        "(not left out: waits for their morning)"
    )
    count: int
    people: list[ExcludedPerson]


class ExclusionsOut(BaseModel):
    forecast: bool = Field(
        description="true before the audience is frozen: what sending would do if it started at `at`"
    )
    at: datetime
    will_send: int
    reasons: list[ExclusionReason]


class SequenceOut(BaseModel):
    sequence_id: uuid.UUID
    builtin: bool
    definition: SequenceDefinition

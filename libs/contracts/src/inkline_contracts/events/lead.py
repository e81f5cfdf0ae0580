"""The lead's lifecycle and consent, owned by the conversation service."""

from __future__ import annotations

import uuid

from pydantic import AwareDatetime, Field

from inkline_contracts.base import ClientAddress, ClientIdentity, Contract, Money, SizeCategory, TimeRange
from inkline_contracts.text import LongText, ShortText


class LeadCreated(Contract):
    """A client wrote to the artist for the first time (or again after a finished lead)."""

    lead_id: uuid.UUID
    wa_id: ClientAddress
    profile_name: ShortText | None = None
    language: str = "en"
    source_campaign_tag: str | None = Field(default=None, description="campaign the client answered, if any")
    client: ClientIdentity | None = Field(
        default=None, description="the phone, business-scoped user ID and username known so far"
    )


class ClientIdentityChanged(Contract):
    """Meta told us a client changed their phone number or their business-scoped user ID changed. They keep
    their address (`wa_id`), which every other event names them by; what changed is how to reach them:
    messages go to `client.phone` when there is one, else to `client.bsuid`."""

    wa_id: ClientAddress
    client: ClientIdentity = Field(description="every identifier known for the client after the change")


class LeadStatusChanged(Contract):
    """Every status change goes through the lead's transition table and is announced here."""

    lead_id: uuid.UUID
    wa_id: ClientAddress
    from_status: str | None
    to_status: str
    reason: str | None = None


class TimeWindowPreference(Contract):
    """A window the client said suits them, with optional parts of the day."""

    range: TimeRange
    day_parts: list[str] = Field(default_factory=list, description="morning, afternoon, evening")


class LeadQualified(Contract):
    """The consultation is complete; the parsed answers that the artist decides on.

    The answers are the client's own words, bounded (longer text ends in "…").
    """

    lead_id: uuid.UUID
    wa_id: ClientAddress
    idea: LongText
    placement: ShortText
    size_cm: tuple[float, float] | None = None
    size_category: SizeCategory
    style: ShortText | None = None
    reference_media_ids: list[str] = Field(default_factory=list)
    budget_min: Money
    budget_max: Money
    city: ShortText
    country_code: str = Field(min_length=2, max_length=2)
    preferred_windows: list[TimeWindowPreference] = Field(default_factory=list)
    instagram: ShortText | None = None
    below_minimum: bool = False


class LeadOptedOut(Contract):
    """The contact asked to receive nothing more (STOP); applies to every lead of that number."""

    wa_id: ClientAddress
    lead_id: uuid.UUID | None = None
    keyword: str


class LeadOptedIn(Contract):
    """The contact agreed to hear from the artist again (START)."""

    wa_id: ClientAddress
    lead_id: uuid.UUID | None = None


class LeadCancelled(Contract):
    """The lead will not go ahead; any hold or booking of it must be released."""

    lead_id: uuid.UUID
    reason: str


class HandoverRequested(Contract):
    """The bot stepped back; the artist takes the chat over."""

    lead_id: uuid.UUID
    wa_id: ClientAddress
    reason: str
    field: str | None = None
    requested_at: AwareDatetime
    answers: dict[str, str] = Field(
        default_factory=dict,
        description="consultation answers given so far, as read (idea, placement, size, style, budget, city)",
    )


class LeadLanguageSet(Contract):
    """The language the lead is answered in was settled or changed (from the number, their words, or
    their asking); the artist's sheet shows it."""

    lead_id: uuid.UUID
    wa_id: ClientAddress
    language: str = Field(min_length=2, max_length=10, description='e.g. "en", "es", "pt"')

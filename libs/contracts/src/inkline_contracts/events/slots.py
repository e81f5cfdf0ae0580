"""Asking the calendar for free slots, and its answer."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import Field

from inkline_contracts.base import Contract, SizeCategory, TimeRange
from inkline_contracts.events.lead import TimeWindowPreference
from inkline_contracts.text import ShortText


class RequestSlots(Contract):
    """Command: suggest slots for a lead in a city, for a session of the given size."""

    request_id: uuid.UUID
    lead_id: uuid.UUID
    city: ShortText = Field(
        description="the client's city (in their words if not a known place) or a tour city"
    )
    country_code: str = Field(min_length=2, max_length=2)
    size_category: SizeCategory
    preferences: list[TimeWindowPreference] = Field(default_factory=list)
    count: int = Field(default=5, ge=1, le=10)


class SuggestedSlot(Contract):
    slot_id: str = Field(description="stable id of this suggestion, echoed back when the client picks it")
    range: TimeRange
    city: str
    timezone: str | None = Field(
        default=None, description="IANA zone of the place the session is in (a tour city may differ)"
    )


class CityDates(Contract):
    """Where the artist will be, and the first free days there (tour conversion or waitlist)."""

    city: str
    country_code: str
    first_day: date
    last_day: date
    first_free_days: list[date] = Field(default_factory=list)


class SlotsSuggested(Contract):
    """The calendar's answer to RequestSlots."""

    request_id: uuid.UUID
    lead_id: uuid.UUID
    slots: list[SuggestedSlot]
    preference_met: bool
    alternatives: list[CityDates] = Field(default_factory=list)

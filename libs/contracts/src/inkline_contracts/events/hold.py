"""Temporary holds on a slot while the client pays the deposit."""

from __future__ import annotations

import uuid
from enum import StrEnum

from pydantic import AwareDatetime, Field

from inkline_contracts.base import Contract, SizeCategory, TimeRange


class PlaceHold(Contract):
    """Command: hold this range for the lead; a lead holds at most one slot at a time."""

    lead_id: uuid.UUID
    slot_id: str
    range: TimeRange
    city: str
    size_category: SizeCategory
    client_name: str | None = Field(
        default=None, max_length=200, description="how the client calls themselves, for the artist's calendar"
    )


class HoldPlaced(Contract):
    hold_id: uuid.UUID
    lead_id: uuid.UUID
    range: TimeRange
    expires_at: AwareDatetime
    timezone: str | None = Field(
        default=None, description="IANA zone of the place the session is in (a tour city may differ)"
    )


class HoldRejectedReason(StrEnum):
    TAKEN = "taken"
    UNAVAILABLE = "unavailable"


class HoldRejected(Contract):
    lead_id: uuid.UUID
    slot_id: str
    range: TimeRange
    reason: HoldRejectedReason


class HoldExpired(Contract):
    hold_id: uuid.UUID
    lead_id: uuid.UUID
    range: TimeRange


class HoldReleased(Contract):
    """The lead picked another slot or was cancelled; the old hold no longer blocks the slot."""

    hold_id: uuid.UUID
    lead_id: uuid.UUID
    reason: str

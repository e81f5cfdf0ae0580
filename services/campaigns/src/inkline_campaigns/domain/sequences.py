"""Nurture sequences: a trigger, timed steps, and what stops them.

A reply, an opt-out or a booking always stops a sequence; `stop_on` can only add statuses to that list.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from inkline_campaigns.domain.segment_filter import LEAD_STATUSES
from inkline_campaigns.domain.templates import Parameter


class Trigger(StrEnum):
    LEAD_STATUS = "lead_status"
    """The lead entered `trigger_status` (e.g. abandoned)."""
    DEPOSIT_EXPIRED = "deposit_expired"
    TOUR_LEG_IN_CITY = "tour_leg_in_city"
    """A waitlisted contact's city gets a tour leg."""
    BOOKED = "booked"


class StopReason(StrEnum):
    REPLIED = "replied"
    OPTED_OUT = "opted_out"
    BOOKED = "booked"
    STATUS = "status"
    COMPLETED = "completed"
    DEACTIVATED = "deactivated"


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    delay_hours: float = Field(ge=0, le=24 * 365, description="after the trigger, or after the previous step")
    template: str = Field(min_length=1, max_length=100)
    language: str = Field(default="en", min_length=2, max_length=10)
    parameters: list[Parameter] = Field(default_factory=list)


class SequenceDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=100)
    trigger: Trigger
    trigger_status: str | None = Field(default=None, description="for trigger lead_status")
    steps: list[Step] = Field(min_length=1, max_length=10)
    stop_on_statuses: list[str] = Field(default_factory=list, description="besides reply, opt-out, booking")
    active: bool = True

    @model_validator(mode="after")
    def _status_fits_trigger(self) -> SequenceDefinition:
        if self.trigger is Trigger.LEAD_STATUS:
            if self.trigger_status not in LEAD_STATUSES:
                raise ValueError(
                    "trigger lead_status needs trigger_status, one of " + ", ".join(sorted(LEAD_STATUSES))
                )
        elif self.trigger_status is not None:
            raise ValueError(f"trigger_status only applies to trigger lead_status, not {self.trigger.value}")
        unknown = sorted(set(self.stop_on_statuses) - LEAD_STATUSES)
        if unknown:
            raise ValueError(f"unknown status in stop_on_statuses: {', '.join(unknown)}")
        return self

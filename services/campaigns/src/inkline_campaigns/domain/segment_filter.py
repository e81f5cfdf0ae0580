"""The segment filter language: a JSON object whose conditions must all hold.

    {"status_in": ["waitlisted"], "city": "Berlin", "budget_at_least": {"amount_minor": 30000,
     "currency": "EUR"}, "any_of": [{"tag": "flash"}, {"past_booked": true}]}

Every key is optional; an empty filter matches every contact. `any_of` holds sub-filters of which at
least one must hold. Unknown keys are refused, so a typo never silently widens an audience.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from inkline_contracts.base import Currency

LEAD_STATUSES = frozenset(
    {
        "new", "consulting", "needs_artist", "below_minimum", "tour_offered", "waitlisted", "qualified",
        "approved", "rejected", "slots_offered", "slot_held", "deposit_requested", "deposit_paid",
        "booked", "no_show", "abandoned", "cancelled",
    }
)  # fmt: skip

Text = Annotated[str, Field(min_length=1, max_length=100)]


class BudgetAtLeast(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    amount_minor: int = Field(ge=0, description="in minor units, e.g. 30000 for 300.00")
    currency: Currency


class SegmentFilter(BaseModel):
    """All given conditions must hold (AND); `any_of` adds an OR of sub-filters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status_in: list[str] | None = Field(default=None, description="current status of the latest lead")
    city: Text | None = Field(default=None, description="case-insensitive")
    country: str | None = Field(default=None, min_length=2, max_length=2, description="ISO 3166 alpha-2")
    tag: Text | None = None
    style: Text | None = Field(default=None, description="case-insensitive")
    waitlisted: bool | None = None
    abandoned: bool | None = None
    deposit_expired: bool | None = Field(
        default=None, description="a deposit expired and none was paid since"
    )
    past_booked: bool | None = Field(default=None, description="has had at least one booking")
    no_show: bool | None = Field(default=None, description="missed an appointment at least once")
    booked_before: AwareDatetime | None = None
    booked_after: AwareDatetime | None = None
    last_contact_before: AwareDatetime | None = None
    last_contact_after: AwareDatetime | None = None
    budget_at_least: BudgetAtLeast | None = None
    opted_in: bool | None = None
    any_of: list[SegmentFilter] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _known_statuses(self) -> SegmentFilter:
        unknown = sorted(set(self.status_in or ()) - LEAD_STATUSES)
        if unknown:
            raise ValueError(
                f"unknown status {', '.join(unknown)}; known statuses: {', '.join(sorted(LEAD_STATUSES))}"
            )
        if self.status_in is not None and not self.status_in:
            raise ValueError("status_in needs at least one status")
        return self


# The same filters the 0002 migration saved as built-in segments ("by city" is `{"city": ...}`).
BUILTIN_SEGMENTS: dict[str, SegmentFilter] = {
    "Waitlisted": SegmentFilter(waitlisted=True),
    "Abandoned consultations": SegmentFilter(abandoned=True),
    "Past clients": SegmentFilter(past_booked=True),
    "Deposit expired": SegmentFilter(deposit_expired=True),
}

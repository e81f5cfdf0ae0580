"""The campaign builder's audience form, turned into campaigns' segment filter language."""

from __future__ import annotations

import re
import secrets
from typing import Any

from pydantic import BaseModel, Field, field_validator

# The "who" choices of the form, each one of campaigns' filter conditions.
GROUPS: dict[str, tuple[str, dict[str, Any]]] = {
    "everyone": ("Everyone who wrote to you", {}),
    "past_clients": ("Past clients", {"past_booked": True}),
    "waitlisted": ("Waiting list", {"waitlisted": True}),
    "abandoned": ("Stopped mid-consultation", {"abandoned": True}),
    "deposit_expired": ("Deposit never paid", {"deposit_expired": True}),
}


def _blank_to_none(value: object) -> object:
    return value.strip() or None if isinstance(value, str) else value


class AudienceForm(BaseModel):
    group: str = "everyone"
    city: str | None = Field(default=None, max_length=100)
    country: str | None = Field(default=None, min_length=2, max_length=2)
    style: str | None = Field(default=None, max_length=100)
    opted_in_only: bool = False

    _blanks = field_validator("city", "country", "style", mode="before")(_blank_to_none)

    @field_validator("group")
    @classmethod
    def _known_group(cls, value: str) -> str:
        if value not in GROUPS:
            raise ValueError(f"choose one of: {', '.join(label for label, _ in GROUPS.values())}")
        return value

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else None

    def segment_filter(self) -> dict[str, Any]:
        conditions: dict[str, Any] = dict(GROUPS[self.group][1])
        for key, value in (("city", self.city), ("country", self.country), ("style", self.style)):
            if value:
                conditions[key] = value
        if self.opted_in_only:
            conditions["opted_in"] = True
        return conditions

    def describe(self) -> str:
        """In the artist's words, e.g. "Past clients in Berlin who like fine line"."""
        parts = [GROUPS[self.group][0]]
        if self.city:
            parts.append(f"in {self.city}")
        if self.country:
            parts.append(f"in {self.country}")
        if self.style:
            parts.append(f"who like {self.style}")
        if self.opted_in_only:
            parts.append("who said yes to news")
        return " ".join(parts)


def campaign_tag(name: str) -> str:
    """A tag campaigns accepts (`^[a-z0-9][a-z0-9_-]*$`), readable in reports, unique in practice."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "campaign"
    return f"{slug}-{secrets.token_hex(3)}"

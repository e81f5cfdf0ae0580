"""Offering a freed slot to waitlisted clients: whether it is still worth offering, who fits it, and the
automatic campaign that carries the offer (its identity, tag, name, template parameters and button).

Pure rules; the slot-freed handler loads the candidates and records the campaign.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from inkline_campaigns.domain.eligibility import ContactFacts, Later, MarketingRules, Skip
from inkline_campaigns.domain.templates import FieldParameter, FixedParameter, Parameter

TEMPLATE = "last_minute_slot"
TEMPLATE_LANGUAGE = "en"
KIND = "last_minute"
NAME_FALLBACK = "there"
# A freed slot fits a request of its own size or smaller: a large slot is long enough for a small piece.
SIZE_ORDER = ("small", "medium", "large", "full_day")
_CAMPAIGN_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "inkline:campaigns:last-minute")


@dataclass(frozen=True)
class FreedSlot:
    booking_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    city: str

    def worth_offering(self, *, now: datetime, min_notice: timedelta) -> bool:
        """Too close to the appointment, nobody can rearrange their day for it."""
        return self.starts_at - now >= min_notice

    def offer_expires_at(self, min_notice: timedelta) -> datetime:
        """A message held back (quiet hours) is not sent once the slot is closer than the notice."""
        return self.starts_at - min_notice

    @property
    def campaign_id(self) -> uuid.UUID:
        """The same freeing of the same slot always maps to the same campaign, whoever announces it."""
        return uuid.uuid5(_CAMPAIGN_NAMESPACE, f"{self.booking_id}:{self.starts_at.isoformat()}")

    def tag(self, artist_zone: ZoneInfo) -> str:
        local = self.starts_at.astimezone(artist_zone)
        return f"last-minute-{local:%Y-%m-%d-%H%M}-{self.booking_id.hex[:8]}"

    def campaign_name(self, artist_zone: ZoneInfo) -> str:
        return f"Last-minute slot {self.when(artist_zone)}, {self.city}"[:100]

    def when(self, artist_zone: ZoneInfo) -> str:
        """The appointment's date and time as the artist's clock shows it, e.g. 'Fri 12 Mar, 11:00'."""
        local = self.starts_at.astimezone(artist_zone)
        return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"

    def parameters(self, artist_zone: ZoneInfo) -> list[Parameter]:
        """The template's body: client name, date and time, city."""
        return [
            FieldParameter(field="profile_name", fallback=NAME_FALLBACK),
            FixedParameter(value=self.when(artist_zone)),
            FixedParameter(value=self.city),
        ]

    @property
    def quick_reply_payload(self) -> str:
        """What the conversation service receives when the client taps the offer's button."""
        return f"last_minute:{self.booking_id}"


def sizes_that_fit(slot_size: str | None) -> tuple[str, ...] | None:
    """The requested sizes a slot of `slot_size` is long enough for; None when the slot's size is unknown."""
    if slot_size not in SIZE_ORDER:
        return None
    return SIZE_ORDER[: SIZE_ORDER.index(slot_size) + 1]


@dataclass(frozen=True)
class Pick:
    wa_id: str
    send_after: datetime


def pick_recipients(
    candidates: Iterable[tuple[str, ContactFacts]],
    *,
    rules: MarketingRules,
    now: datetime,
    expires_at: datetime,
    limit: int,
) -> list[Pick]:
    """The first `limit` candidates (in the order given) the marketing rules let us message before the
    offer expires; those refused, or held back past the expiry by quiet hours, leave their place to the next.
    """
    picked: list[Pick] = []
    for wa_id, facts in candidates:
        if len(picked) >= limit:
            break
        decision = rules.decide(facts, now=now)
        if isinstance(decision, Skip):
            continue
        send_after = decision.at if isinstance(decision, Later) else now
        if send_after >= expires_at:
            continue
        picked.append(Pick(wa_id=wa_id, send_after=send_after))
    return picked

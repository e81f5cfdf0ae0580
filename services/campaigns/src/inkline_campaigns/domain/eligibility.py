"""One decision per contact and moment: send now, send later (quiet hours), or skip and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from inkline_campaigns.domain.consent import (
    ConsentFacts,
    FrequencyCap,
    QuietHours,
    SkipReason,
    consent_refusal,
)
from inkline_campaigns.domain.timezones import zone
from inkline_campaigns.settings import ConsentRule


@dataclass(frozen=True)
class ContactFacts:
    opted_in: bool
    opted_out: bool
    last_inbound_at: datetime | None
    last_marketing_at: datetime | None
    timezone: str | None


@dataclass(frozen=True)
class Send:
    pass


@dataclass(frozen=True)
class Later:
    at: datetime


@dataclass(frozen=True)
class Skip:
    reason: SkipReason


Decision = Send | Later | Skip


@dataclass(frozen=True)
class MarketingRules:
    consent_rule: ConsentRule
    cap: FrequencyCap
    quiet: QuietHours
    default_timezone: str

    def decide(self, contact: ContactFacts, *, now: datetime) -> Decision:
        refusal = consent_refusal(
            ConsentFacts(
                opted_in=contact.opted_in,
                opted_out=contact.opted_out,
                has_written=contact.last_inbound_at is not None,
            ),
            self.consent_rule,
        )
        if refusal is not None:
            return Skip(refusal)
        if not self.cap.allows(last_marketing_at=contact.last_marketing_at, now=now):
            return Skip(SkipReason.FREQUENCY_CAP)
        allowed = self.quiet.next_allowed(now, zone(contact.timezone, self.default_timezone))
        if allowed > now:
            return Later(allowed)
        return Send()

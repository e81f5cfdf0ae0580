"""Who may receive a marketing message now: consent, the frequency cap and quiet hours.

Pure rules over a contact's facts; the dispatcher and the sequence runner both ask them, so a nurture
step and a broadcast obey exactly the same limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from inkline_campaigns.settings import ConsentRule


class SkipReason(StrEnum):
    OPTED_OUT = "opted_out"
    NOT_OPTED_IN = "not_opted_in"
    FREQUENCY_CAP = "frequency_cap"
    MISSING_PARAMETER = "missing_parameter"
    EXPIRED = "expired"
    """The campaign's offer lapsed before the contact could be messaged (e.g. quiet hours ran past it)."""


@dataclass(frozen=True)
class ConsentFacts:
    opted_in: bool
    opted_out: bool
    has_written: bool


def consent_refusal(facts: ConsentFacts, rule: ConsentRule) -> SkipReason | None:
    """Why this contact may not get marketing at all, or None when they may."""
    if facts.opted_out:
        return SkipReason.OPTED_OUT
    if facts.opted_in:
        return None
    if rule is ConsentRule.WROTE_AND_NEVER_OPTED_OUT and facts.has_written:
        return None
    return SkipReason.NOT_OPTED_IN


@dataclass(frozen=True)
class FrequencyCap:
    period: timedelta

    def allows(self, *, last_marketing_at: datetime | None, now: datetime) -> bool:
        return last_marketing_at is None or last_marketing_at <= self.latest_allowed(now)

    def latest_allowed(self, now: datetime) -> datetime:
        """The latest last marketing message that still allows another one at `now`."""
        return now - self.period


@dataclass(frozen=True)
class QuietHours:
    """A nightly window in the contact's own clock; `start > end` means it spans midnight."""

    start: time
    end: time

    def is_quiet(self, local: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def next_allowed(self, now: datetime, zone: ZoneInfo) -> datetime:
        """`now` when it is not quiet for the contact, else the first instant their quiet hours end."""
        local = now.astimezone(zone)
        if not self.is_quiet(local.time()):
            return now
        day = local.date()
        if self.start > self.end and local.time() >= self.start:
            day += timedelta(days=1)
        # A clock change inside the window only shifts the end by the change; fold=0 picks the first reading.
        end = datetime.combine(day, self.end, tzinfo=zone)
        return max(end.astimezone(now.tzinfo), now)

"""What a campaign does with one contact at one moment: the message it hands off, a later time, or why not.

The dispatcher sends by it and the exclusions report is counted by it, so the artist is shown exactly
what sending will do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from inkline_campaigns.domain.consent import SkipReason
from inkline_campaigns.domain.eligibility import ContactFacts, Later, MarketingRules, Skip
from inkline_campaigns.domain.templates import Parameter, render_parameters


@dataclass(frozen=True)
class Deliver:
    """Send now, with these body parameters."""

    values: list[str]


RecipientDecision = Deliver | Later | Skip


def decide_recipient(
    rules: MarketingRules,
    facts: ContactFacts,
    fields: Mapping[str, str | None],
    *,
    parameters: Sequence[Parameter],
    expires_at: datetime | None,
    now: datetime,
) -> RecipientDecision:
    decision = rules.decide(facts, now=now)
    if isinstance(decision, Skip):
        return decision
    if isinstance(decision, Later):
        # An offer that lapses before the contact's quiet hours end is never sent to them.
        if expires_at is not None and decision.at >= expires_at:
            return Skip(SkipReason.EXPIRED)
        return decision
    values = render_parameters(parameters, fields)
    if values is None:
        return Skip(SkipReason.MISSING_PARAMETER)
    return Deliver(values)

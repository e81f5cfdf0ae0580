"""Who a campaign leaves out, and why, in counts and a few names per reason.

Before the audience is frozen it is a forecast: every contact the segment matches goes through
`decide_recipient`, the dispatcher's own decision, at the moment the campaign would start. Afterwards it
is what the dispatcher recorded on the recipient rows. Either way there is one set of rules.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import TypeAdapter
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.db.models import Campaign, Contact, Recipient, Segment
from inkline_campaigns.db.segment_sql import condition
from inkline_campaigns.domain.eligibility import ContactFacts, Later, MarketingRules, Skip
from inkline_campaigns.domain.recipient_decision import decide_recipient
from inkline_campaigns.domain.segment_filter import SegmentFilter
from inkline_campaigns.domain.templates import Parameter
from inkline_contracts.base import is_phone

PARAMETERS = TypeAdapter(list[Parameter])
QUIET_HOURS = "quiet_hours"
"""Not left out: waiting for the contact's morning. Reported beside the exclusions all the same."""


@dataclass(frozen=True)
class Person:
    name: str | None
    number: str | None
    """The end of their phone number (`…4567`); none when they have not shared one."""


@dataclass
class Exclusions:
    will_send: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    people: dict[str, list[Person]] = field(default_factory=dict)

    def add(self, reason: str, person: Person, *, names: int) -> None:
        self.counts[reason] += 1
        listed = self.people.setdefault(reason, [])
        if len(listed) < names:
            listed.append(person)


def _person(profile_name: str | None, username: str | None, phone: str | None, wa_id: str) -> Person:
    number = phone or (wa_id if is_phone(wa_id) else None)
    name = profile_name or (f"@{username.lstrip('@')}" if username else None)
    return Person(name=name, number=f"…{number[-4:]}" if number else None)


_WHO = (Contact.profile_name, Contact.username, Contact.phone, Contact.wa_id)


async def forecast(
    session: AsyncSession, rules: MarketingRules, campaign: Campaign, *, at: datetime, names: int
) -> Exclusions:
    """What sending would do with each contact the segment matches now, were it to start `at`."""
    found = Exclusions()
    if campaign.segment_id is None:
        return found
    segment = await session.get_one(Segment, campaign.segment_id)
    parameters = PARAMETERS.validate_python(campaign.parameters)
    rows = await session.stream(
        select(
            *_WHO,
            Contact.opted_in,
            Contact.opted_out,
            Contact.last_inbound_at,
            Contact.last_marketing_at,
            Contact.timezone,
            Contact.city,
            Contact.country_code,
            Contact.style,
        )
        .where(condition(SegmentFilter.model_validate(segment.filter)))
        .order_by(Contact.profile_name.nulls_last(), Contact.wa_id)
        .execution_options(yield_per=2000)
    )
    async for row in rows:
        decision = decide_recipient(
            rules,
            ContactFacts(
                opted_in=row.opted_in,
                opted_out=row.opted_out,
                last_inbound_at=row.last_inbound_at,
                last_marketing_at=row.last_marketing_at,
                timezone=row.timezone,
            ),
            {
                "profile_name": row.profile_name,
                "city": row.city,
                "country_code": row.country_code,
                "style": row.style,
            },
            parameters=parameters,
            expires_at=campaign.expires_at,
            now=at,
        )
        person = _person(row.profile_name, row.username, row.phone, row.wa_id)
        if isinstance(decision, Skip):
            found.add(decision.reason.value, person, names=names)
        elif isinstance(decision, Later):
            found.add(QUIET_HOURS, person, names=names)
        else:
            found.will_send += 1
    return found


async def recorded(session: AsyncSession, campaign: Campaign, *, now: datetime, names: int) -> Exclusions:
    """What the dispatcher decided for the frozen audience: skipped ones by reason, and who still waits for
    their quiet hours to end."""
    found = Exclusions()
    waiting = (Recipient.state == "pending") & (Recipient.send_after > now)
    reason = func.coalesce(Recipient.skip_reason, QUIET_HOURS)
    of_campaign = Recipient.campaign_id == campaign.campaign_id
    counts = await session.execute(
        select(reason, func.count())
        .where(of_campaign, (Recipient.state == "skipped") | waiting)
        .group_by(reason)
    )
    found.counts.update({reason: count for reason, count in counts})
    found.will_send = int(
        await session.scalar(
            select(func.count()).where(
                of_campaign, (Recipient.state == "handed_off") | ((Recipient.state == "pending") & ~waiting)
            )
        )
        or 0
    )
    ranked = (
        select(
            *_WHO,
            reason.label("reason"),
            func.row_number().over(partition_by=reason, order_by=Recipient.wa_id).label("rank"),
        )
        .join(Contact, Contact.wa_id == Recipient.wa_id)
        .where(of_campaign, (Recipient.state == "skipped") | waiting)
        .subquery()
    )
    listed = await session.execute(
        select(ranked).where(ranked.c.rank <= names).order_by(ranked.c.reason, ranked.c.rank)
    )
    for row in listed:
        found.people.setdefault(row.reason, []).append(
            _person(row.profile_name, row.username, row.phone, row.wa_id)
        )
    return found

"""Who a campaign leaves out, and why, in counts and a few names per reason.

Before the audience is frozen it is a forecast: the contacts the segment matches go through
`decide_recipient`, the dispatcher's own decision, at the moment the campaign would start. Afterwards it
is what the dispatcher recorded on the recipient rows. Either way there is one set of rules.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import ColumnElement, case, func, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.db.models import Campaign, Contact, Recipient, Segment
from inkline_campaigns.db.segment_sql import condition
from inkline_campaigns.domain.eligibility import ContactFacts, Later, MarketingRules, Skip
from inkline_campaigns.domain.recipient_decision import decide_recipient
from inkline_campaigns.domain.segment_filter import SegmentFilter
from inkline_campaigns.domain.templates import CONTACT_FIELDS, Parameter
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


def _facts_key(rules: MarketingRules, at: datetime) -> list[ColumnElement[Any]]:
    """Every fact `decide_recipient` reads, reduced to what can change its answer at `at`: the consent
    flags, whether the frequency cap still holds, the timezone, and which fill-in fields are present.
    Contacts alike in these get the same decision, so it is asked once per kind of contact, not per contact
    (100,000 contacts are a few dozen kinds)."""
    capped = func.coalesce(Contact.last_marketing_at > rules.cap.latest_allowed(at), False)
    present = [func.coalesce(getattr(Contact, name), "") != "" for name in CONTACT_FIELDS]
    return [
        Contact.opted_in.expression,
        Contact.opted_out.expression,
        Contact.last_inbound_at.is_not(None),
        capped,
        func.coalesce(Contact.timezone, ""),
        *present,
    ]


def _outcome(
    rules: MarketingRules, campaign: Campaign, parameters: list[Parameter], key: tuple[Any, ...], at: datetime
) -> str | None:
    """The decision for a kind of contact, as a reason code (None: sent now), from a contact made of its key."""
    opted_in, opted_out, has_written, capped, timezone, *present = key
    facts = ContactFacts(
        opted_in=opted_in,
        opted_out=opted_out,
        last_inbound_at=at if has_written else None,
        last_marketing_at=at if capped else None,
        timezone=timezone or None,
    )
    fields = {name: "x" if here else None for name, here in zip(CONTACT_FIELDS, present, strict=True)}
    decision = decide_recipient(
        rules, facts, fields, parameters=parameters, expires_at=campaign.expires_at, now=at
    )
    if isinstance(decision, Skip):
        return decision.reason.value
    if isinstance(decision, Later):
        return QUIET_HOURS
    return None


async def forecast(
    session: AsyncSession, rules: MarketingRules, campaign: Campaign, *, at: datetime, names: int
) -> Exclusions:
    """What sending would do with each contact the segment matches now, were it to start `at`."""
    found = Exclusions()
    if campaign.segment_id is None:
        return found
    segment = await session.get_one(Segment, campaign.segment_id)
    audience = condition(SegmentFilter.model_validate(segment.filter))
    parameters = PARAMETERS.validate_python(campaign.parameters)
    key = _facts_key(rules, at)
    kinds = await session.execute(select(*key, func.count()).where(audience).group_by(*key))
    keys_by_reason: dict[str, list[tuple[Any, ...]]] = {}
    for *values, count in kinds:
        reason = _outcome(rules, campaign, parameters, tuple(values), at)
        if reason is None:
            found.will_send += count
        else:
            found.counts[reason] += count
            keys_by_reason.setdefault(reason, []).append(tuple(values))
    if not keys_by_reason or names == 0:
        return found
    reason_of = case(
        *((tuple_(*key).in_(keys), literal(reason)) for reason, keys in keys_by_reason.items()), else_=None
    )
    ranked = (
        select(
            *_WHO,
            reason_of.label("reason"),
            func.row_number().over(partition_by=reason_of, order_by=Contact.wa_id).label("rank"),
        )
        .where(audience)
        .subquery()
    )
    listed = await session.execute(
        select(ranked)
        .where(ranked.c.reason.is_not(None), ranked.c.rank <= names)
        .order_by(ranked.c.reason, ranked.c.rank)
    )
    for row in listed:
        found.people.setdefault(row.reason, []).append(
            _person(row.profile_name, row.username, row.phone, row.wa_id)
        )
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

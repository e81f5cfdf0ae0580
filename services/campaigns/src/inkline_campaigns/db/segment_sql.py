"""Compiling a segment filter into a SQL condition over the contacts read model."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true

from inkline_campaigns.db.models import Contact
from inkline_campaigns.domain.segment_filter import SegmentFilter


def _last_contact() -> ColumnElement[object]:
    return func.greatest(Contact.last_inbound_at, Contact.last_outbound_at)


def condition(segment: SegmentFilter) -> ColumnElement[bool]:
    """The WHERE clause of `segment`; every condition given must hold."""
    parts: list[ColumnElement[bool]] = []
    if segment.status_in is not None:
        parts.append(Contact.status.in_(segment.status_in))
    if segment.city is not None:
        parts.append(func.lower(Contact.city) == segment.city.strip().lower())
    if segment.country is not None:
        parts.append(Contact.country_code == segment.country.upper())
    if segment.tag is not None:
        parts.append(Contact.tags.contains([segment.tag]))
    if segment.style is not None:
        parts.append(func.lower(Contact.style) == segment.style.strip().lower())
    if segment.waitlisted is not None:
        parts.append(_is(Contact.status == "waitlisted", segment.waitlisted))
    if segment.abandoned is not None:
        parts.append(_is(Contact.status == "abandoned", segment.abandoned))
    if segment.deposit_expired is not None:
        # Expired and not paid since: a later payment means the client came back.
        expired = and_(
            Contact.deposit_expired_at.is_not(None),
            or_(Contact.deposit_paid_at.is_(None), Contact.deposit_paid_at < Contact.deposit_expired_at),
        )
        parts.append(_is(expired, segment.deposit_expired))
    if segment.past_booked is not None:
        parts.append(_is(Contact.last_booked_at.is_not(None), segment.past_booked))
    if segment.no_show is not None:
        parts.append(_is(Contact.no_show_at.is_not(None), segment.no_show))
    if segment.booked_before is not None:
        parts.append(Contact.first_booked_at < segment.booked_before)
    if segment.booked_after is not None:
        parts.append(Contact.last_booked_at > segment.booked_after)
    if segment.last_contact_before is not None:
        parts.append(_last_contact() < segment.last_contact_before)
    if segment.last_contact_after is not None:
        parts.append(_last_contact() > segment.last_contact_after)
    if segment.budget_at_least is not None:
        parts.append(Contact.budget_currency == segment.budget_at_least.currency)
        parts.append(Contact.budget_max_minor >= segment.budget_at_least.amount_minor)
    if segment.opted_in is not None:
        parts.append(_is(and_(Contact.opted_in, ~Contact.opted_out), segment.opted_in))
    if segment.any_of:
        parts.append(or_(*(condition(sub) for sub in segment.any_of)))
    return and_(true(), *parts)


def _is(clause: ColumnElement[bool], wanted: bool) -> ColumnElement[bool]:
    # NULL columns make `NOT clause` NULL, which would drop the contact from both sides of the question.
    return func.coalesce(clause, False).is_(wanted)


def count_query(segment: SegmentFilter) -> Select[int]:
    return select(func.count()).select_from(Contact).where(condition(segment))


def preview_query(segment: SegmentFilter, *, limit: int) -> Select[Contact]:
    return select(Contact).where(condition(segment)).order_by(Contact.wa_id).limit(limit)

"""Segment filters compiled to SQL select exactly the contacts a person would pick by hand."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from inkline_campaigns.db.models import Contact
from inkline_campaigns.db.segment_sql import condition, count_query
from inkline_campaigns.domain.segment_filter import BUILTIN_SEGMENTS, SegmentFilter
from inkline_platform.uow import UnitOfWorkFactory

NOON = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
SeedContacts = Callable[[list[dict[str, Any]]], Awaitable[None]]

# wa_id: facts. Hand-computed expectations below refer to these rows.
ROWS: list[dict[str, Any]] = [
    {"wa_id": "4477000001", "status": "waitlisted", "city": "Berlin", "country_code": "DE", "style": "Fine line",
     "tags": ["flash"], "budget_max_minor": 50000, "budget_currency": "EUR", "opted_in": True},
    {"wa_id": "4477000002", "status": "waitlisted", "city": "berlin", "country_code": "DE", "style": "blackwork",
     "budget_max_minor": 20000, "budget_currency": "EUR"},
    {"wa_id": "4477000003", "status": "abandoned", "city": "London", "country_code": "GB",
     "last_inbound_at": NOON - 40 * DAY, "opted_in": True},
    {"wa_id": "4477000004", "status": "booked", "city": "London", "country_code": "GB",
     "first_booked_at": NOON - 200 * DAY, "last_booked_at": NOON - 20 * DAY, "bookings": 2,
     "budget_max_minor": 90000, "budget_currency": "GBP", "last_inbound_at": NOON - 2 * DAY},
    {"wa_id": "4477000005", "status": "deposit_requested", "city": "Paris", "country_code": "FR",
     "deposit_expired_at": NOON - 5 * DAY, "tags": ["flash", "spring"]},
    {"wa_id": "4477000006", "status": "booked", "city": "Paris", "country_code": "FR",
     "deposit_expired_at": NOON - 30 * DAY, "deposit_paid_at": NOON - 10 * DAY,
     "first_booked_at": NOON - 9 * DAY, "last_booked_at": NOON - 9 * DAY, "bookings": 1,
     "no_show_at": NOON - 60 * DAY},
    {"wa_id": "4477000007", "status": "new", "last_outbound_at": NOON - DAY},
    {"wa_id": "4477000008", "status": "abandoned", "city": "Berlin", "country_code": "DE", "opted_out": True},
]  # fmt: skip


def _ids(*suffixes: int) -> set[str]:
    return {f"44770000{n:02d}" for n in suffixes}


CASES: list[tuple[dict[str, Any], set[str]]] = [
    ({}, _ids(1, 2, 3, 4, 5, 6, 7, 8)),
    ({"waitlisted": True}, _ids(1, 2)),
    ({"waitlisted": False}, _ids(3, 4, 5, 6, 7, 8)),
    ({"abandoned": True}, _ids(3, 8)),
    ({"past_booked": True}, _ids(4, 6)),
    ({"deposit_expired": True}, _ids(5)),
    ({"city": "Berlin"}, _ids(1, 2, 8)),
    ({"city": "berlin", "status_in": ["waitlisted"]}, _ids(1, 2)),
    ({"country": "fr"}, _ids(5, 6)),
    ({"tag": "flash"}, _ids(1, 5)),
    ({"style": "fine line"}, _ids(1)),
    ({"budget_at_least": {"amount_minor": 30000, "currency": "EUR"}}, _ids(1)),
    ({"booked_before": (NOON - 100 * DAY).isoformat()}, _ids(4)),
    ({"booked_after": (NOON - 15 * DAY).isoformat()}, _ids(6)),
    ({"last_contact_before": (NOON - 30 * DAY).isoformat()}, _ids(3)),
    ({"last_contact_after": (NOON - 3 * DAY).isoformat()}, _ids(4, 7)),
    ({"opted_in": True}, _ids(1, 3)),
    ({"no_show": True}, _ids(6)),
    ({"past_booked": True, "no_show": False}, _ids(4)),
    ({"any_of": [{"tag": "spring"}, {"waitlisted": True, "style": "blackwork"}]}, _ids(2, 5)),
    ({"status_in": ["booked", "new"], "any_of": [{"country": "FR"}, {"past_booked": False}]}, _ids(6, 7)),
]


@pytest.fixture
async def seeded(seed_contacts: SeedContacts) -> None:
    await seed_contacts(ROWS)


@pytest.mark.parametrize(("raw", "expected"), CASES, ids=[str(raw) for raw, _ in CASES])
async def test_segment_sql_matches_the_hand_computed_audience(
    seeded: None, uow: UnitOfWorkFactory, raw: dict[str, Any], expected: set[str]
) -> None:
    segment = SegmentFilter.model_validate(raw)
    async with uow() as unit:
        chosen = set(await unit.session.scalars(select(Contact.wa_id).where(condition(segment))))
        count = await unit.session.scalar(count_query(segment))

    assert chosen == expected
    assert count == len(expected)


async def test_builtin_segments_cover_the_seed_cases(seeded: None, uow: UnitOfWorkFactory) -> None:
    async with uow() as unit:
        counts = {
            name: await unit.session.scalar(count_query(segment))
            for name, segment in BUILTIN_SEGMENTS.items()
        }

    assert counts == {"Waitlisted": 2, "Abandoned consultations": 2, "Past clients": 2, "Deposit expired": 1}

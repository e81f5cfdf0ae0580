"""Shared fixtures: a migrated campaigns database, units of work on it, a settable clock, event delivery
(inbox claim included, as the consumer runs it)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import insert

from inkline_campaigns.app import marketing_rules
from inkline_campaigns.db import MIGRATIONS_DIR
from inkline_campaigns.db.models import Contact
from inkline_campaigns.domain.eligibility import MarketingRules
from inkline_campaigns.settings import CampaignsSettings
from inkline_contracts.base import Contract
from inkline_contracts.envelope import Envelope
from inkline_contracts.subjects import Subject
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_platform.consumer import Handler
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.testing import FakeClock
from inkline_platform.testing import deliver as deliver_message
from inkline_platform.uow import UnitOfWorkFactory

# A Wednesday noon in London: daytime in Europe, night in Tokyo and Sydney (quiet hours 21:00-09:00).
NOON = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOON)


@pytest.fixture
def rules() -> MarketingRules:
    return marketing_rules(
        CampaignsSettings(campaigns_quiet_hours_start=time(21), campaigns_quiet_hours_end=time(9))
    )


@pytest.fixture
async def database_url(migrated_database: DatabaseFactory) -> str:
    return await migrated_database(MIGRATIONS_DIR)


@pytest.fixture
async def uow(database_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    engine = make_engine(database_url)
    yield UnitOfWorkFactory(make_session_factory(engine))
    await engine.dispose()


Deliver = Callable[..., Awaitable[Envelope[Any]]]


@pytest.fixture
def deliver(uow: UnitOfWorkFactory) -> Deliver:
    """`await deliver(handler, SUBJECT, payload, at=...)`: one consumed message, as the consumer runs it."""

    async def run(
        handler: Handler[Any], subject: Subject[Any], payload: Contract, *, at: datetime = NOON
    ) -> Envelope[Any]:
        return await deliver_message(uow, handler, subject, payload, occurred_at=at)

    return run


SeedContacts = Callable[[list[dict[str, Any]]], Awaitable[None]]


@pytest.fixture
def seed_contacts(uow: UnitOfWorkFactory) -> SeedContacts:
    """Bulk-insert contact rows (read model facts given directly), for large audiences."""

    async def seed(rows: list[dict[str, Any]]) -> None:
        async with uow() as unit:
            defaults = {"first_seen_at": NOON - timedelta(days=90), "tags": []}
            await unit.session.execute(insert(Contact), [{**defaults, **row} for row in rows])
            await unit.commit()

    return seed


def lead_id() -> uuid.UUID:
    return uuid.uuid4()

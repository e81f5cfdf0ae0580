"""The test stand-ins behave like what they stand in for: `deliver` claims the inbox as the consumer does,
on PostgreSQL and in memory, and the in-memory unit of work keeps only what was committed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_contracts import subjects
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.lead import LeadCancelled
from inkline_platform.db import make_session_factory
from inkline_platform.tables import inbox, outbox
from inkline_platform.testing import FakeClock, InMemoryUnitOfWork, MovableClock, deliver
from inkline_platform.uow import UnitOfWork, UnitOfWorkFactory

NOON = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


class CountingHandler:
    """Publishes one message per call, so a second run would show in the outbox."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, work: UnitOfWork, envelope: Envelope[LeadCancelled]) -> None:
        self.calls += 1
        work.publish(subjects.LEAD_CANCELLED, envelope.payload, correlation_id=envelope.correlation_id)


def _cancelled() -> LeadCancelled:
    return LeadCancelled(lead_id=uuid.uuid4(), reason="test")


async def test_deliver_runs_a_redelivered_message_once_on_postgresql(engine: AsyncEngine) -> None:
    uow, handler, message_id = (
        UnitOfWorkFactory(make_session_factory(engine)),
        CountingHandler(),
        uuid.uuid4(),
    )

    for _ in range(2):
        await deliver(uow, handler, subjects.LEAD_CANCELLED, _cancelled(), message_id=message_id)

    assert handler.calls == 1
    async with engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(inbox)) == 1
        assert await connection.scalar(select(func.count()).select_from(outbox)) == 1


async def test_deliver_runs_a_redelivered_message_once_in_memory() -> None:
    uow, handler, message_id = InMemoryUnitOfWork(), CountingHandler(), uuid.uuid4()

    first = await deliver(uow, handler, subjects.LEAD_CANCELLED, _cancelled(), message_id=message_id)
    await deliver(uow, handler, subjects.LEAD_CANCELLED, _cancelled(), message_id=message_id)

    assert handler.calls == 1
    assert uow.messages.on(subjects.LEAD_CANCELLED) == [first.payload]


async def test_deliver_stamps_the_envelope_with_the_time_it_is_given() -> None:
    envelope = await deliver(
        InMemoryUnitOfWork(), CountingHandler(), subjects.LEAD_CANCELLED, _cancelled(), occurred_at=NOON
    )

    assert envelope.occurred_at == NOON


async def test_in_memory_unit_of_work_drops_what_was_not_committed() -> None:
    uow = InMemoryUnitOfWork()
    kept, dropped = _cancelled(), _cancelled()
    ran_after_commit: list[str] = []

    async with uow() as work:
        work.publish(subjects.LEAD_CANCELLED, kept, correlation_id="kept")
        work.after_commit(lambda: ran_after_commit.append("kept"))
        await work.commit()
    async with uow() as work:
        work.publish(subjects.LEAD_CANCELLED, dropped, correlation_id="dropped")
        work.after_commit(lambda: ran_after_commit.append("dropped"))

    assert uow.messages.on(subjects.LEAD_CANCELLED) == [kept]
    assert ran_after_commit == ["kept"]


def test_fake_clock_moves_only_when_the_test_moves_it() -> None:
    clock = FakeClock(NOON)

    clock.advance(timedelta(hours=2))

    assert clock() == clock() == NOON + timedelta(hours=2)


def test_movable_clock_jumps_to_a_moment_and_keeps_running_from_there() -> None:
    clock = MovableClock()
    target = datetime.now(UTC) + timedelta(days=3)

    clock.move_to(target)

    assert target <= clock() < target + timedelta(minutes=1)

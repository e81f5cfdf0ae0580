from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_contracts import subjects
from inkline_contracts.events.lead import LeadCancelled
from inkline_devstack.harness import eventually
from inkline_platform.db import make_session_factory
from inkline_platform.outbox import OutboxPublishError, OutboxRelay
from inkline_platform.scheduler import PeriodicJob, run_once_if_leader
from inkline_platform.tables import outbox
from inkline_platform.uow import UnitOfWorkFactory


class RecordingPublisher:
    """Records publishes; fails while `down` is set, like JetStream during an outage."""

    def __init__(self) -> None:
        self.published: list[str] = []
        self.down = False

    async def publish(
        self,
        *,
        subject: str,
        stream: str,
        body: bytes,
        message_id: str,
        correlation_id: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if self.down:
            raise ConnectionError("nats: no servers available")
        self.published.append(message_id)


def _cancel(lead: uuid.UUID) -> LeadCancelled:
    return LeadCancelled(lead_id=lead, reason="test")


async def test_uncommitted_work_leaves_nothing_in_the_outbox(engine: AsyncEngine) -> None:
    uow = UnitOfWorkFactory(make_session_factory(engine))
    async with uow() as work:
        work.publish(subjects.LEAD_CANCELLED, _cancel(uuid.uuid4()), correlation_id="lead-1")

    async with engine.connect() as connection:
        assert (await connection.execute(select(outbox))).all() == []


async def test_relay_keeps_rows_pending_through_an_outage_and_publishes_them_in_order_after(
    engine: AsyncEngine,
) -> None:
    sessions = make_session_factory(engine)
    publisher = RecordingPublisher()
    relay = OutboxRelay(service="test", session_factory=sessions, publisher=publisher)
    uow = UnitOfWorkFactory(sessions)
    ids = []
    for _ in range(3):
        async with uow() as work:
            ids.append(
                str(
                    work.publish(
                        subjects.LEAD_CANCELLED, _cancel(uuid.uuid4()), correlation_id="c"
                    ).message_id
                )
            )
            await work.commit()

    publisher.down = True
    with pytest.raises(OutboxPublishError):
        await relay.publish_pending()
    pending_during_outage = await relay.pending_count()
    publisher.down = False
    published = await relay.publish_pending()

    assert pending_during_outage == 3
    assert published == 3
    assert publisher.published == ids
    assert await relay.pending_count() == 0
    async with engine.connect() as connection:
        attempts = (
            (await connection.execute(select(outbox.c.attempts).order_by(outbox.c.seq))).scalars().all()
        )
    assert attempts == [1, 0, 0]


async def test_a_periodic_job_runs_on_one_replica_at_a_time(engine: AsyncEngine) -> None:
    running = asyncio.Event()
    release = asyncio.Event()
    runs: list[str] = []

    async def slow_tick() -> None:
        runs.append("ran")
        running.set()
        await release.wait()

    job = PeriodicJob(name="sweeper", interval_seconds=1, run=slow_tick)
    first = asyncio.create_task(run_once_if_leader(engine, service="calendar", job=job))
    await running.wait()
    second = await run_once_if_leader(engine, service="calendar", job=job)
    release.set()

    assert await first is True
    assert second is False
    assert runs == ["ran"]


async def test_after_commit_callbacks_run_only_when_the_transaction_commits(engine: AsyncEngine) -> None:
    uow = UnitOfWorkFactory(make_session_factory(engine))
    ran: list[str] = []
    async with uow() as work:
        work.after_commit(lambda: ran.append("rolled back"))
    async with uow() as work:
        work.after_commit(lambda: ran.append("committed"))
        assert ran == []
        await work.commit()

    assert ran == ["committed"]


class GatedPublisher(RecordingPublisher):
    """Holds its first publish until `release` is set, like a replica whose JetStream ack is slow."""

    def __init__(self, record: list[str]) -> None:
        super().__init__()
        self.published = record
        self.holding = asyncio.Event()
        self.release = asyncio.Event()

    async def publish(
        self,
        *,
        subject: str,
        stream: str,
        body: bytes,
        message_id: str,
        correlation_id: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if not self.release.is_set():
            self.holding.set()
            await self.release.wait()
        self.published.append(message_id)


async def test_two_replicas_relays_publish_one_outbox_in_commit_order_without_duplicates(
    engine: AsyncEngine,
) -> None:
    sessions = make_session_factory(engine)
    uow = UnitOfWorkFactory(sessions)
    record: list[str] = []
    slow, fast = GatedPublisher(record), RecordingPublisher()
    fast.published = record
    first = OutboxRelay(service="test", session_factory=sessions, publisher=slow, batch_size=2)
    second = OutboxRelay(service="test", session_factory=sessions, publisher=fast, batch_size=2)

    async def commit_one() -> str:
        async with uow() as work:
            envelope = work.publish(subjects.LEAD_CANCELLED, _cancel(uuid.uuid4()), correlation_id="c")
            await work.commit()
        return str(envelope.message_id)

    ids = [await commit_one(), await commit_one()]
    slow_batch = asyncio.create_task(first.publish_pending())
    await slow.holding.wait()
    # A client's next reply commits while the first replica is still publishing the earlier one.
    ids.append(await commit_one())
    fast_batch = asyncio.create_task(second.publish_pending())

    async def second_has_published_or_waits() -> bool:
        if fast_batch.done():
            return True
        async with engine.connect() as connection:
            waiting = await connection.scalar(
                text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            )
        return bool(waiting)

    await eventually(second_has_published_or_waits, timeout=10)
    slow.release.set()
    await asyncio.gather(slow_batch, fast_batch)

    assert record == ids, "the later reply must not overtake the earlier ones"
    assert await first.pending_count() == 0

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_contracts import subjects
from inkline_contracts.events.lead import LeadCancelled
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

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_contracts import subjects
from inkline_contracts.events.lead import LeadCancelled
from inkline_devstack.harness import eventually, running_service
from inkline_platform.db import make_session_factory
from inkline_platform.outbox import OutboxPublishError, OutboxRelay
from inkline_platform.runtime import ServiceRuntime
from inkline_platform.scheduler import PeriodicJob, run_once_if_leader
from inkline_platform.settings import ServiceSettings
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
    assert attempts == [1, 1, 1], "the whole batch was sent, and none of it acknowledged"


class AcknowledgingTogether:
    """Acknowledges nothing until every row of the batch was sent, as a pipelining relay allows; refuses
    the rows in `refused`."""

    def __init__(self, expected: int, refused: set[str] | None = None) -> None:
        self.sent: list[str] = []
        self._expected = expected
        self._refused = refused or set()
        self._all_sent = asyncio.Event()

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
        self.sent.append(message_id)
        if len(self.sent) == self._expected:
            self._all_sent.set()
        await self._all_sent.wait()
        if message_id in self._refused:
            raise ConnectionError("nats: no response from stream")


async def _queue(engine: AsyncEngine, count: int) -> list[str]:
    uow = UnitOfWorkFactory(make_session_factory(engine))
    async with uow() as work:
        ids = [
            str(work.publish(subjects.LEAD_CANCELLED, _cancel(uuid.uuid4()), correlation_id="c").message_id)
            for _ in range(count)
        ]
        await work.commit()
    return ids


async def test_relay_sends_a_whole_batch_before_waiting_for_its_acknowledgements(engine: AsyncEngine) -> None:
    ids = await _queue(engine, 4)
    publisher = AcknowledgingTogether(expected=len(ids))
    relay = OutboxRelay(service="test", session_factory=make_session_factory(engine), publisher=publisher)

    async with asyncio.timeout(5):  # one publish at a time would wait here for ever
        published = await relay.publish_pending()

    assert published == 4
    assert publisher.sent == ids, "sent in commit order"
    assert await relay.pending_count() == 0


async def test_a_row_jetstream_refuses_stays_pending_while_the_rest_of_its_batch_is_published(
    engine: AsyncEngine,
) -> None:
    ids = await _queue(engine, 3)
    publisher = AcknowledgingTogether(expected=len(ids), refused={ids[1]})
    relay = OutboxRelay(service="test", session_factory=make_session_factory(engine), publisher=publisher)

    with pytest.raises(OutboxPublishError):
        async with asyncio.timeout(5):
            await relay.publish_pending()

    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                select(outbox.c.message_id, outbox.c.published_at.is_not(None), outbox.c.attempts).order_by(
                    outbox.c.seq
                )
            )
        ).all()
    assert [(str(id_), published, attempts) for id_, published, attempts in rows] == [
        (ids[0], True, 0),
        (ids[1], False, 1),
        (ids[2], True, 0),
    ]


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


async def test_a_batch_published_together_reaches_jetstream_in_commit_order(
    database_url: str, nats_url: str
) -> None:
    runtime = ServiceRuntime(
        service="order",
        settings=ServiceSettings(database_url=database_url, nats_url=nats_url, log_json=False),
    )
    async with running_service(runtime.create_app(title="order")):
        async with runtime.uow() as work:
            ids = [
                str(
                    work.publish(
                        subjects.LEAD_CANCELLED, _cancel(uuid.uuid4()), correlation_id="c"
                    ).message_id
                )
                for _ in range(150)
            ]
            await work.commit()
        await eventually(lambda: _all_published(runtime.relay))
        js = runtime.broker.connection.jetstream()
        reader = await js.pull_subscribe(subjects.LEAD_CANCELLED.name, stream=subjects.LEAD_CANCELLED.stream)
        stored: list[str] = []
        while len(stored) < len(ids):
            stored += [
                (message.headers or {})["Nats-Msg-Id"] for message in await reader.fetch(50, timeout=5)
            ]

    assert stored == ids


async def _all_published(relay: OutboxRelay) -> bool:
    return await relay.pending_count() == 0

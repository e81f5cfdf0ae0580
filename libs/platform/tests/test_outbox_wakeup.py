"""A commit on one replica wakes the outbox relay of another through PostgreSQL LISTEN/NOTIFY."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_contracts import subjects
from inkline_contracts.events.lead import LeadCancelled
from inkline_devstack.harness import eventually
from inkline_platform.db import make_session_factory
from inkline_platform.outbox import OutboxRelay
from inkline_platform.outbox_wakeup import listen
from inkline_platform.uow import UnitOfWorkFactory


class RecordingPublisher:
    def __init__(self) -> None:
        self.published: list[str] = []

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
        self.published.append(message_id)


# The relay's poll would find the row only after this long: far beyond the test's own timeout.
HOUR = 3600.0


async def test_a_row_committed_on_one_replica_is_relayed_by_another_without_waiting_for_its_poll(
    engine: AsyncEngine,
) -> None:
    sessions = make_session_factory(engine)
    publisher = RecordingPublisher()
    relay = OutboxRelay(service="replicas", session_factory=sessions, publisher=publisher, poll_seconds=HOUR)
    # This replica's relay is busy elsewhere; only its announcement reaches the other one.
    writer = UnitOfWorkFactory(sessions, announce_as="replica-a")
    tasks = [
        asyncio.create_task(relay.run()),
        asyncio.create_task(listen(engine, origin="replica-b", wake=relay.wake)),
    ]
    try:
        await eventually(lambda: _listening(engine))
        async with writer() as work:
            envelope = work.publish(
                subjects.LEAD_CANCELLED,
                LeadCancelled(lead_id=uuid.uuid4(), reason="test"),
                correlation_id="l",
            )
            await work.commit()

        await eventually(lambda: publisher.published == [str(envelope.message_id)], timeout=20)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _listening(engine: AsyncEngine) -> bool:
    """True once some session of the database listens (the relay's first, empty, poll has also run)."""
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        rows = await driver.fetch("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'LISTEN%'")
        return bool(rows)


async def test_only_a_commit_that_wrote_messages_wakes_the_relay(engine: AsyncEngine) -> None:
    wakes: list[int] = []
    factory = UnitOfWorkFactory(make_session_factory(engine), on_commit=lambda: wakes.append(1))

    async with factory() as quiet:
        await quiet.claim(consumer="test", message_id=uuid.uuid4(), subject="lead.cancelled")
        await quiet.commit()
    assert wakes == [], "a commit with nothing for the outbox costs the relay no pass"

    async with factory() as work:
        work.publish(
            subjects.LEAD_CANCELLED, LeadCancelled(lead_id=uuid.uuid4(), reason="test"), correlation_id="x"
        )
        await work.commit()
    assert wakes == [1]

"""A commit on one replica wakes the outbox relay of another through PostgreSQL LISTEN/NOTIFY."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_contracts import subjects
from inkline_contracts.events.lead import LeadCancelled
from inkline_devstack.harness import eventually
from inkline_platform.db import make_session_factory
from inkline_platform.outbox import OutboxRelay
from inkline_platform.outbox_wakeup import listen
from inkline_platform.tables import outbox
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


async def test_a_commit_writes_its_messages_and_the_announcement_in_one_statement(
    engine: AsyncEngine,
) -> None:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    factory = UnitOfWorkFactory(make_session_factory(engine), announce_as="replica-a")
    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        async with factory() as work:
            sent = [
                work.publish(
                    subjects.LEAD_CANCELLED,
                    LeadCancelled(lead_id=uuid.uuid4(), reason="x"),
                    correlation_id="y",
                ).message_id
                for _ in range(3)
            ]
            await work.commit()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)

    assert len(statements) == 1, "one round trip for the rows and the announcement"
    async with engine.connect() as connection:
        written = (
            (await connection.execute(select(outbox.c.message_id).order_by(outbox.c.seq))).scalars().all()
        )
    assert written == sent, "every message written, in the order published"


async def test_a_commit_of_more_messages_than_one_statement_holds_writes_them_all_in_order(
    engine: AsyncEngine,
) -> None:
    factory = UnitOfWorkFactory(make_session_factory(engine), announce_as="replica-a")
    async with factory() as work:
        sent = [
            work.publish(
                subjects.LEAD_CANCELLED, LeadCancelled(lead_id=uuid.uuid4(), reason="x"), correlation_id="y"
            ).message_id
            # Six parameters a row: more rows than one statement's 32,767 parameters can carry.
            for _ in range(6_000)
        ]
        await work.commit()

    async with engine.connect() as connection:
        written = (
            (await connection.execute(select(outbox.c.message_id).order_by(outbox.c.seq))).scalars().all()
        )
    assert written == sent

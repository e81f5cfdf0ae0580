"""Helpers for tests and benchmarks that drive the service's handlers against a real database."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any

import nats
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_contracts.base import Contract
from inkline_contracts.envelope import Envelope, new_envelope
from inkline_contracts.subjects import Subject
from inkline_platform.broker import ensure_streams, make_broker
from inkline_platform.consumer import Handler
from inkline_platform.db import make_session_factory
from inkline_platform.uow import UnitOfWorkFactory


class FakeClock:
    """The service's clock, moved by the test instead of by waiting."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class Database:
    """One migrated database, a unit-of-work factory on it, and SQL for the assertions."""

    def __init__(self, url: str, engine: AsyncEngine) -> None:
        self.url = url
        self.engine = engine
        self.uow = UnitOfWorkFactory(make_session_factory(engine))

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        async with self.engine.connect() as connection:
            return list((await connection.execute(text(sql), params)).all())

    async def published(self, subject: Subject[Any]) -> list[dict[str, Any]]:
        """Envelopes the service committed to its outbox on `subject`, oldest first."""
        rows = await self.rows("SELECT body FROM outbox WHERE subject = :s ORDER BY seq", s=subject.name)
        return [json.loads(body) for (body,) in rows]


async def deliver(
    uow: UnitOfWorkFactory,
    handler: Handler[Any],
    subject: Subject[Any],
    payload: Contract,
    *,
    correlation_id: str,
    message_id: uuid.UUID | None = None,
) -> Envelope[Any]:
    """Run `handler` exactly as the platform consumer does: inbox claim, handler, commit, one transaction."""
    envelope = new_envelope(subject, payload, correlation_id=correlation_id, message_id=message_id)
    async with uow() as work:
        if await work.claim(
            consumer=f"test-{subject.name}", message_id=envelope.message_id, subject=subject.name
        ):
            await handler(work, envelope)
        await work.commit()
    return envelope


async def publish_command(
    nats_url: str, subject: Subject[Any], payload: Contract, *, correlation_id: str
) -> None:
    """What another service's outbox relay does: the envelope on JetStream, de-duplicated by message id."""
    envelope = new_envelope(subject, payload, correlation_id=correlation_id)
    client = await nats.connect(nats_url)
    try:
        await client.jetstream().publish(
            subject.name,
            envelope.model_dump_json().encode(),
            headers={"Nats-Msg-Id": str(envelope.message_id)},
        )
    finally:
        await client.close()


async def declare_streams(nats_url: str) -> None:
    """The streams a service declares at start-up, for probes that must listen before it starts."""
    broker = make_broker(nats_url, service="test")
    await broker.connect()
    try:
        await ensure_streams(broker)
    finally:
        await broker.stop()

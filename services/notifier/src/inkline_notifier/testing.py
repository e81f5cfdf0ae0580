"""Helpers for tests that drive the notifier through JetStream (its own, the system's, the benchmark)."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from nats.aio.client import Client as NatsClient
from nats.js.errors import NotFoundError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from inkline_contracts import subjects
from inkline_contracts.base import ClientIdentity, Contract
from inkline_contracts.envelope import Envelope, new_envelope
from inkline_contracts.events.consult import ClientMessageReceived, InboundKind
from inkline_contracts.subjects import Subject


class Bus:
    """Publishes envelopes straight to JetStream and reads consumer progress."""

    def __init__(self, client: NatsClient) -> None:
        self.client = client
        self.js = client.jetstream()

    async def publish(
        self,
        subject: Subject[Any],
        payload: Contract,
        *,
        correlation_id: str = "lead-1",
        envelope: Envelope[Any] | None = None,
    ) -> Envelope[Any]:
        """Publish without `Nats-Msg-Id`, so JetStream keeps a republished envelope: the inbox must drop it."""
        envelope = envelope or new_envelope(subject, payload, correlation_id=correlation_id)
        await self.js.publish(subject.name, envelope.model_dump_json().encode(), stream=subject.stream)
        return envelope

    async def wait_consumed(
        self, subject: Subject[Any], consumer: str, *, count: int, timeout: float = 15.0
    ) -> None:
        """Until `consumer` has been delivered `count` messages and acknowledged everything."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            try:
                info = await self.js.consumer_info(subject.stream, consumer)
            except NotFoundError:
                info = None  # the service has not declared its consumer yet
            if (
                info is not None
                and info.num_ack_pending == 0
                and info.num_pending == 0
                and info.delivered.consumer_seq >= count
            ):
                return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{consumer} did not consume {count} messages within {timeout}s")
            await asyncio.sleep(0.05)

    async def open_window(self, wa_id: str, *, client: ClientIdentity | None = None) -> None:
        """`wa_id` writes to the business number, which opens their 24-hour service window; `client` is
        the identifiers their message came with."""
        message = ClientMessageReceived(
            lead_id=uuid.uuid4(),
            wa_id=wa_id,
            whatsapp_message_id=f"wamid.in.{uuid.uuid4().hex}",
            kind=InboundKind.TEXT,
            text="hi",
            sent_at_epoch=int(time.time()),
            client=client,
        )
        await self.publish(subjects.CONSULT_MESSAGE_RECEIVED, message)


async def rows(database_url: str, sql: str, **params: Any) -> list[Any]:
    """Run one query against a service database (tests inspect state; they never change it this way)."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(text(sql), params)).all())
    finally:
        await engine.dispose()

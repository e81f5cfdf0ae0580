"""How a delivery reaches its handler: on the event loop, with no worker thread in between, and only when
the handler wants it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import anyio.to_thread
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_contracts import subjects
from inkline_contracts.envelope import Envelope
from inkline_contracts.events.lead import LeadCancelled
from inkline_devstack.harness import eventually, running_service
from inkline_platform.runtime import ServiceRuntime
from inkline_platform.settings import ServiceSettings
from inkline_platform.tables import inbox
from inkline_platform.uow import UnitOfWork


async def test_a_delivery_is_handled_without_a_hop_to_a_worker_thread(
    database_url: str, nats_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = ServiceRuntime(
        service="threads",
        settings=ServiceSettings(
            database_url=database_url, nats_url=nats_url, log_json=False, outbox_poll_seconds=0.05
        ),
    )
    handled: list[uuid.UUID] = []

    async def handle(work: UnitOfWork, envelope: Envelope[LeadCancelled]) -> None:
        handled.append(envelope.payload.lead_id)

    runtime.consume(subjects.LEAD_CANCELLED, handle, name="cancelled")
    async with running_service(runtime.create_app(title="threads")):
        hops: list[str] = []
        run_sync = anyio.to_thread.run_sync

        async def recording_run_sync(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            hops.append(repr(func))
            return await run_sync(func, *args, **kwargs)

        monkeypatch.setattr(anyio.to_thread, "run_sync", recording_run_sync)
        leads = [uuid.uuid4() for _ in range(5)]
        async with runtime.uow() as work:
            for lead in leads:
                work.publish(
                    subjects.LEAD_CANCELLED,
                    LeadCancelled(lead_id=lead, reason="changed mind"),
                    correlation_id=str(lead),
                )
            await work.commit()

        await eventually(lambda: len(handled) == len(leads))

    # A thread hop per delivery (FastStream resolving the message argument through FastDepends) costs
    # a tenth of a service's CPU under load.
    assert sorted(handled) == sorted(leads)
    assert hops == []


async def test_a_message_the_handler_declines_is_acknowledged_without_touching_the_database(
    database_url: str, nats_url: str, engine: AsyncEngine
) -> None:
    runtime = ServiceRuntime(
        service="declines",
        settings=ServiceSettings(
            database_url=database_url, nats_url=nats_url, log_json=False, outbox_poll_seconds=0.05
        ),
    )
    wanted, unwanted = uuid.uuid4(), uuid.uuid4()
    handled: list[uuid.UUID] = []

    async def handle(work: UnitOfWork, envelope: Envelope[LeadCancelled]) -> None:
        handled.append(envelope.payload.lead_id)

    runtime.consume(
        subjects.LEAD_CANCELLED,
        handle,
        name="cancelled",
        accepts=lambda envelope: envelope.payload.lead_id == wanted,
    )
    async with running_service(runtime.create_app(title="declines")):
        async with runtime.uow() as work:
            for lead in (unwanted, wanted):  # the declined one first: the stream hands it out first
                work.publish(
                    subjects.LEAD_CANCELLED, LeadCancelled(lead_id=lead, reason="x"), correlation_id="c"
                )
            await work.commit()
        await eventually(lambda: handled == [wanted])
        info = await runtime.broker.connection.jetstream().consumer_info(
            subjects.LEAD_CANCELLED.stream, "declines-cancelled"
        )

    async with engine.connect() as connection:
        claimed = (await connection.execute(select(inbox.c.message_id))).scalars().all()
    assert len(claimed) == 1, "only the handled message is claimed in the inbox"
    assert info.num_ack_pending == 0
    assert info.num_redelivered == 0

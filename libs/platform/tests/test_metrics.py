from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import timedelta

import httpx
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.system import DeadLettered
from inkline_contracts.subjects import dead_letter_subject
from inkline_devstack.harness import running_service
from inkline_platform.db import make_session_factory
from inkline_platform.health import health_router
from inkline_platform.outbox import OutboxRelay
from inkline_platform.runtime import ServiceRuntime
from inkline_platform.settings import ServiceSettings
from inkline_platform.tables import outbox


async def _sample(client: httpx.AsyncClient, name: str, **labels: str) -> float | None:
    text = (await client.get("/metrics")).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return None


def _runtime(database_url: str, nats_url: str, service: str) -> ServiceRuntime:
    return ServiceRuntime(
        service=service,
        settings=ServiceSettings(database_url=database_url, nats_url=nats_url, log_json=False),
    )


class AcceptingPublisher:
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
        return None


async def test_outbox_lag_shows_the_age_of_the_oldest_pending_row_and_falls_to_zero_once_published(
    engine: AsyncEngine,
) -> None:
    relay = OutboxRelay(
        service="lagtest", session_factory=make_session_factory(engine), publisher=AcceptingPublisher()
    )
    app = FastAPI()
    app.include_router(health_router({}))
    subject = dead_letter_subject("lagtest")
    envelope = new_envelope(
        subject,
        DeadLettered(
            service="lagtest", consumer="c", original_subject="s", deliveries=1, error="e", data="{}"
        ),
        correlation_id="c",
    )
    async with engine.begin() as connection:
        await connection.execute(
            insert(outbox).values(
                message_id=envelope.message_id,
                subject=envelope.type,
                stream=subject.stream,
                correlation_id="c",
                body=envelope.model_dump_json(),
                created_at=envelope.occurred_at - timedelta(days=365),
            )
        )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        await relay.publish_pending()
        lag_while_pending = await _sample(client, "inkline_outbox_lag_seconds", service="lagtest")
        await relay.publish_pending()
        lag_after = await _sample(client, "inkline_outbox_lag_seconds", service="lagtest")

    assert lag_while_pending is not None
    assert lag_while_pending >= 365 * 24 * 3600
    assert lag_after == 0.0


async def test_dead_letter_depth_counts_the_services_messages_in_the_dead_letter_stream(
    database_url: str, nats_url: str
) -> None:
    runtime = _runtime(database_url, nats_url, "dlqtest")
    async with running_service(runtime.create_app(title="dlq")) as client:
        await runtime.update_dead_letter_gauge()
        before = await _sample(client, "inkline_dead_letter_depth", service="dlqtest")
        js = runtime.broker.connection.jetstream()
        for service in ("dlqtest", "dlqtest", "other"):
            subject = dead_letter_subject(service)
            await js.publish(
                subject.name, b"{}", stream=subject.stream, headers={"Nats-Msg-Id": str(uuid.uuid4())}
            )
        await runtime.update_dead_letter_gauge()
        after = await _sample(client, "inkline_dead_letter_depth", service="dlqtest")

    assert before == 0.0
    assert after == 2.0

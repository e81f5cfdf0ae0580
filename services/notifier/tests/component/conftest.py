"""The notifier against real NATS and PostgreSQL, with the Graph API fake answering its sends."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterator
from typing import Any

import httpx
import nats
import pytest

from inkline_contracts import subjects
from inkline_contracts.events.notify import MessageStatusReceived
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_notifier.db import MIGRATIONS_DIR
from inkline_notifier.settings import NotifierSettings
from inkline_notifier.testing import Bus
from inkline_sandbox.graph import GraphState, create_graph_app
from inkline_sandbox.graph.webhooks import deliver_statuses
from inkline_sandbox.server import serve_in_background

TOKEN = "test-graph-token"
PHONE_NUMBER_ID = "106540352242922"
ARTIST = "447700900000"


@pytest.fixture
def graph() -> GraphState:
    return GraphState(access_token=TOKEN, phone_number_ids=[PHONE_NUMBER_ID])


@pytest.fixture
def graph_url(graph: GraphState) -> Iterator[str]:
    with serve_in_background(create_graph_app(graph)) as base_url:
        yield f"{base_url}/v21.0"


@pytest.fixture
def make_settings(
    migrated_database: DatabaseFactory, nats_url: str, graph_url: str
) -> Callable[..., Awaitable[NotifierSettings]]:
    """Settings for the real Graph adapter against the fake, a fresh database, and quick timings."""

    async def make(**overrides: Any) -> NotifierSettings:
        values: dict[str, Any] = {
            "database_url": await migrated_database(MIGRATIONS_DIR),
            "nats_url": nats_url,
            "inkline_sandbox": False,
            "whatsapp_graph_url": graph_url,
            "whatsapp_phone_number_id": PHONE_NUMBER_ID,
            "whatsapp_access_token": TOKEN,
            "whatsapp_messages_per_second": 1000,
            "artist_whatsapp_number": ARTIST,
            "send_poll_seconds": 0.05,
            "send_retry_base_seconds": 0.01,
            "send_throttle_base_seconds": 0.1,
            "consumer_backoff_seconds": [0.1],
            "outbox_poll_seconds": 0.05,
            "log_json": False,
        }
        return NotifierSettings(**(values | overrides))

    return make


@pytest.fixture
async def bus(nats_url: str) -> AsyncIterator[Bus]:
    client = await nats.connect(nats_url)
    try:
        yield Bus(client)
    finally:
        await client.close()


async def _forward_statuses(bus: Bus, request: httpx.Request) -> httpx.Response:
    """Stands in for conversation's webhook: each `statuses[]` entry becomes a `MessageStatusReceived`."""
    for entry in json.loads(request.content)["entry"]:
        for change in entry["changes"]:
            for status in change["value"].get("statuses", []):
                errors = status.get("errors") or [{}]
                await bus.publish(
                    subjects.MESSAGE_STATUS_RECEIVED,
                    MessageStatusReceived(
                        wamid=status["id"],
                        recipient_wa_id=status["recipient_id"],
                        status=status["status"],
                        timestamp_epoch=int(status["timestamp"]),
                        error_code=errors[0].get("code"),
                        biz_opaque_callback_data=status.get("biz_opaque_callback_data"),
                    ),
                    correlation_id=status["id"],
                )
    return httpx.Response(200, json={"accepted": 1})


@pytest.fixture
def status_callbacks(graph: GraphState, bus: Bus) -> Callable[..., Awaitable[int]]:
    """`await status_callbacks(("sent", ...))`: Meta's status callbacks for every message the Graph fake
    accepted, each status once, reaching the notifier as conversation forwards them."""

    async def deliver(statuses: Collection[str] = ("sent",)) -> int:
        async def forward(request: httpx.Request) -> httpx.Response:
            return await _forward_statuses(bus, request)

        async with httpx.AsyncClient(transport=httpx.MockTransport(forward)) as client:
            done = await deliver_statuses(
                graph,
                "http://conversation/webhooks/whatsapp",
                app_secret="s",
                statuses=tuple(statuses),
                client=client,
            )
        return len(done)

    return deliver

"""The notifier against real NATS and PostgreSQL, with the Graph API fake answering its sends."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import nats
import pytest

from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_notifier.db import MIGRATIONS_DIR
from inkline_notifier.settings import NotifierSettings
from inkline_notifier.testing import Bus
from inkline_sandbox.graph import GraphState, create_graph_app
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

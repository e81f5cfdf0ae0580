"""Fixtures shared by the conversation service's component tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from inkline_conversation.db import MIGRATIONS_DIR
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_sandbox.graph import GraphState, create_graph_app
from inkline_sandbox.server import serve_in_background

GRAPH_TOKEN = "graph-test-token"


@pytest.fixture
async def conversation_settings(migrated_database: DatabaseFactory, nats_url: str) -> ConversationSettings:
    """Settings for a conversation service on a fresh, migrated database and its own NATS."""
    return ConversationSettings(
        database_url=await migrated_database(MIGRATIONS_DIR), nats_url=nats_url, log_json=False
    )


@dataclass(frozen=True)
class GraphFake:
    state: GraphState
    base_url: str  # includes the API version, as WHATSAPP_GRAPH_URL does
    token: str


@pytest.fixture
def graph_fake() -> Iterator[GraphFake]:
    """The local WhatsApp Cloud API fake, served over real HTTP."""
    state = GraphState(access_token=GRAPH_TOKEN)
    with serve_in_background(create_graph_app(state)) as base_url:
        yield GraphFake(state=state, base_url=f"{base_url}/v21.0", token=GRAPH_TOKEN)

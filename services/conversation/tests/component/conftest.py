"""Fixtures shared by the conversation service's component tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from inkline_conversation.db import MIGRATIONS_DIR
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_sandbox.graph import GraphState, create_graph_app
from inkline_sandbox.server import serve_in_background

GRAPH_TOKEN = "graph-test-token"


@pytest.fixture
async def conversation_settings(
    migrated_database: DatabaseFactory, nats_url: str, graph_url: str
) -> ConversationSettings:
    """Settings for a conversation service on a fresh, migrated database, its own NATS and a Graph fake."""
    return ConversationSettings(
        database_url=await migrated_database(MIGRATIONS_DIR),
        nats_url=nats_url,
        whatsapp_graph_url=graph_url,
        whatsapp_access_token=GRAPH_TOKEN,
        log_json=False,
    )


@pytest.fixture
def graph_state() -> GraphState:
    """What the Cloud API fake knows (media) and is scripted to do (failures)."""
    return GraphState(access_token=GRAPH_TOKEN)


@pytest.fixture
def graph_url(graph_state: GraphState) -> Iterator[str]:
    """The fake served over real HTTP; the URL includes the API version, as WHATSAPP_GRAPH_URL does."""
    with serve_in_background(create_graph_app(graph_state)) as base_url:
        yield f"{base_url}/v21.0"

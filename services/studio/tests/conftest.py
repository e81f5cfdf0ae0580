"""Shared fixtures: the studio's database, a campaigns service behind it, a settable clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from inkline_calendar.app import create_app as create_calendar_app
from inkline_calendar.db import MIGRATIONS_DIR as CALENDAR_MIGRATIONS
from inkline_calendar.settings import CalendarSettings
from inkline_campaigns.app import create_app as create_campaigns_app
from inkline_campaigns.db import MIGRATIONS_DIR as CAMPAIGNS_MIGRATIONS
from inkline_campaigns.settings import CampaignsSettings
from inkline_conversation.app import create_app as create_conversation_app
from inkline_conversation.db import MIGRATIONS_DIR as CONVERSATION_MIGRATIONS
from inkline_conversation.settings import ConversationSettings
from inkline_devstack.provider_fakes import ProviderFakes, provider_fakes
from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_studio.db import MIGRATIONS_DIR
from inkline_studio.settings import StudioSettings
from inkline_studio.testing import Clock

ARTIST = "447700900123"
CAMPAIGNS_TOKEN = "studio-tests-campaigns-token-000000"
CONVERSATION_TOKEN = "studio-tests-conversation-token-00000"
CALENDAR_TOKEN = "studio-tests-calendar-token-0000000"
SESSION_SECRET = "studio-tests-session-secret-0000000"


@pytest.fixture
def fakes(tmp_path: Path) -> Iterator[ProviderFakes]:
    """The providers' fakes: in the sandbox, calendar and conversation must be pointed at them."""
    with provider_fakes(tmp_path) as served:
        yield served


@pytest.fixture
def calendar_providers(fakes: ProviderFakes) -> dict[str, Any]:
    """CalendarSettings' provider fields, on the Google fake."""
    return {
        "google_api_endpoint": fakes.google_url,
        "google_service_account_file": str(fakes.service_account),
        "google_calendar_id": fakes.credentials.calendar_id,
    }


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def database_url(migrated_database: DatabaseFactory) -> str:
    return await migrated_database(MIGRATIONS_DIR)


@pytest.fixture
async def campaigns_database_url(migrated_database: DatabaseFactory) -> str:
    return await migrated_database(CAMPAIGNS_MIGRATIONS)


@pytest.fixture
def campaigns_settings(campaigns_database_url: str, nats_url: str) -> CampaignsSettings:
    return CampaignsSettings(
        database_url=campaigns_database_url,
        nats_url=nats_url,
        campaigns_admin_token=CAMPAIGNS_TOKEN,
        campaigns_dispatch_interval_seconds=0.2,
        log_json=False,
    )


@pytest.fixture
def campaigns_app(campaigns_settings: CampaignsSettings) -> FastAPI:
    """The real campaigns service; the studio reaches its API in-process (its jobs do not run)."""
    return create_campaigns_app(campaigns_settings)


@pytest.fixture
def studio_settings(database_url: str, nats_url: str) -> StudioSettings:
    return StudioSettings(
        database_url=database_url,
        nats_url=nats_url,
        artist_whatsapp_number=ARTIST,
        artist_name="Mara",
        studio_public_url="https://studio.example",
        studio_session_secret=SESSION_SECRET,
        campaigns_admin_token=CAMPAIGNS_TOKEN,
        conversation_admin_token=CONVERSATION_TOKEN,
        calendar_admin_token=CALENDAR_TOKEN,
        log_json=False,
    )


@pytest.fixture
async def campaigns_transport(campaigns_app: FastAPI) -> AsyncIterator[httpx.ASGITransport]:
    """Campaigns' API in-process; its database connections are closed after the test."""
    yield httpx.ASGITransport(app=campaigns_app)
    await campaigns_app.state.runtime.engine.dispose()


@pytest.fixture
async def conversation_settings(
    migrated_database: DatabaseFactory, nats_url: str, fakes: ProviderFakes
) -> ConversationSettings:
    return ConversationSettings(
        database_url=await migrated_database(CONVERSATION_MIGRATIONS),
        nats_url=nats_url,
        whatsapp_graph_url=fakes.graph_url,
        conversation_admin_token=CONVERSATION_TOKEN,
        log_json=False,
    )


@pytest.fixture
async def conversation_transport(
    conversation_settings: ConversationSettings,
) -> AsyncIterator[httpx.ASGITransport]:
    """Conversation's API in-process (its consumers and jobs do not run); connections closed after."""
    app = create_conversation_app(conversation_settings)
    yield httpx.ASGITransport(app=app)
    await app.state.runtime.engine.dispose()


@pytest.fixture
async def calendar_database_url(migrated_database: DatabaseFactory) -> str:
    return await migrated_database(CALENDAR_MIGRATIONS)


@pytest.fixture
async def calendar_transport(
    calendar_database_url: str, nats_url: str, calendar_providers: dict[str, Any]
) -> AsyncIterator[httpx.ASGITransport]:
    """Calendar's admin API in-process (its consumers and jobs do not run); connections closed after."""
    settings = CalendarSettings(
        database_url=calendar_database_url,
        nats_url=nats_url,
        **calendar_providers,
        calendar_admin_token=CALENDAR_TOKEN,
        log_json=False,
    )
    app = create_calendar_app(settings)
    yield httpx.ASGITransport(app=app)
    await app.state.runtime.engine.dispose()

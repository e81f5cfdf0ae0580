from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from inkline_devstack.postgres_server import create_database
from inkline_devstack.pytest_plugin import Infrastructure
from inkline_platform.tables import platform_metadata


@pytest.fixture
async def database_url(infrastructure: Infrastructure) -> str:
    """A new database holding only the platform's outbox and inbox tables."""
    name = f"platform_{uuid.uuid4().hex[:12]}"
    await create_database(infrastructure.postgres_admin_dsn, name)
    url = infrastructure.database_url(name)
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(platform_metadata.create_all)
    await engine.dispose()
    return url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url)
    yield engine
    await engine.dispose()

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from inkline_devstack.postgres_server import create_database
from inkline_devstack.pytest_plugin import Infrastructure
from inkline_devstack.services import SERVICES, ServiceInfo
from inkline_platform.migrations import downgrade, upgrade


async def _tables(url: str) -> set[str]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
        names = {row[0] for row in rows}
    await engine.dispose()
    return names


@pytest.mark.parametrize("service", SERVICES, ids=lambda service: service.name)
async def test_migrations_run_up_and_down_cleanly_on_an_empty_database(
    service: ServiceInfo, infrastructure: Infrastructure
) -> None:
    name = f"migrations_{service.name}"
    await create_database(infrastructure.postgres_admin_dsn, name)
    url = infrastructure.database_url(name)

    await asyncio.to_thread(upgrade, service.migrations_dir, url)
    after_up = await _tables(url)
    await asyncio.to_thread(downgrade, service.migrations_dir, url)
    after_down = await _tables(url)
    await asyncio.to_thread(upgrade, service.migrations_dir, url)

    assert {"outbox", "inbox", "alembic_version"} <= after_up
    assert after_down == {"alembic_version"}
    assert await _tables(url) == after_up

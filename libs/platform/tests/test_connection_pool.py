"""The services' connection pool: a checkout costs no round trip, and a connection the server closed is
replaced before a handler sees it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_devstack.harness import eventually
from inkline_platform.db import make_engine


async def _driver_connection(engine: AsyncEngine) -> Any:
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        return raw.driver_connection


async def test_checking_out_a_pooled_connection_sends_nothing_to_postgresql(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=1, max_overflow=0)
    try:
        driver = await _driver_connection(engine)  # opened and back in the pool
        statements: list[str] = []
        driver.add_query_logger(lambda record: statements.append(record.query))
        async with engine.connect() as connection:
            await connection.execute(select(1))
        # The logger sees the simple-protocol statements (the SELECT runs prepared, unseen): one transaction,
        # the work's own, with no ping's BEGIN … ROLLBACK ahead of it.
        assert statements == ["BEGIN;", "ROLLBACK;"]
    finally:
        await engine.dispose()


async def test_a_connection_the_server_closed_is_replaced_at_checkout(
    database_url: str, engine: AsyncEngine
) -> None:
    pooled = make_engine(database_url, pool_size=1, max_overflow=0)
    try:
        async with pooled.connect() as connection:
            first = await connection.scalar(text("SELECT pg_backend_pid()"))
        driver = await _driver_connection(pooled)
        async with engine.connect() as admin:
            await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        await eventually(driver.is_closed)

        async with pooled.connect() as connection:
            second = await connection.scalar(text("SELECT pg_backend_pid()"))

        assert second is not None
        assert second != first
    finally:
        await pooled.dispose()

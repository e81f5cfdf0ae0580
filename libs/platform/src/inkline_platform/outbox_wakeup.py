"""Wakes the outbox relay of every replica when any of them commits outbox rows: PostgreSQL LISTEN/NOTIFY.

A replica's own commits wake its relay directly (`UnitOfWorkFactory(on_commit=...)`). A commit also
sends a notification naming the replica that made it, delivered by PostgreSQL only once the transaction
has committed; each replica listens and wakes its relay for the others' commits, so rows written on one
replica do not wait for another's poll when it holds the relay's turn. The poll stays as the safety net
(a lost listening connection, a notification missed while reconnecting).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import structlog
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

log = structlog.get_logger(__name__)
CHANNEL = "inkline_outbox"
RETRY_SECONDS = 1.0


async def announce(session: AsyncSession, origin: str) -> None:
    """Tell every replica's relay, once this transaction commits, that it wrote outbox rows."""
    await session.execute(select(func.pg_notify(CHANNEL, origin)))


async def listen(engine: AsyncEngine, *, origin: str, wake: Callable[[], None]) -> None:
    """Call `wake` for every other replica's announcement, until cancelled; reconnects when the listening
    connection is lost."""
    while True:
        try:
            await _listen_until_lost(engine, origin=origin, wake=wake)
        except Exception as exc:
            log.warning("outbox_listen_failed", error=repr(exc), retry_in=RETRY_SECONDS)
        # Whatever was announced meanwhile is found by the relay's poll.
        await asyncio.sleep(RETRY_SECONDS)


async def _listen_until_lost(engine: AsyncEngine, *, origin: str, wake: Callable[[], None]) -> None:
    def on_notify(_: object, __: int, ___: str, payload: str) -> None:
        if payload != origin:
            wake()

    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection  # the asyncpg connection
        lost = asyncio.Event()
        driver.add_termination_listener(lambda _: lost.set())
        await driver.add_listener(CHANNEL, on_notify)
        try:
            await lost.wait()
        finally:
            with contextlib.suppress(Exception):
                await driver.remove_listener(CHANNEL, on_notify)

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
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import structlog
from sqlalchemy import Select, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_platform.tables import outbox

log = structlog.get_logger(__name__)
CHANNEL = "inkline_outbox"
RETRY_SECONDS = 1.0


def write_and_announce(rows: Sequence[Mapping[str, Any]], origin: str) -> Select[tuple[Any]]:
    """One statement that inserts `rows` into the outbox (in order) and tells every replica's relay, once
    the transaction commits, that `origin` wrote some: one round trip where an insert and a separate
    notification took two. PostgreSQL runs a data-modifying WITH to completion whatever the query reads."""
    written = insert(outbox).values(list(rows)).returning(outbox.c.seq).cte("written")
    return select(func.pg_notify(CHANNEL, origin)).select_from(written).limit(1)


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

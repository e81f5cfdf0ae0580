"""Async SQLAlchemy engine and session factory."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection


def make_engine(database_url: str, *, pool_size: int = 20, max_overflow: int = 10) -> AsyncEngine:
    """`pool_size` should cover what a service does at once (a session per consumer, two per running
    periodic job, the relay, HTTP requests): a connection beyond it is opened for one checkout and closed
    after, which under load costs more than the work it does (connect, TLS probe, statements prepared anew).
    """
    # hide_parameters: an error's text names the statement but not its values (phone numbers, what clients
    # wrote), and that text reaches log lines and span events.
    engine = create_async_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        hide_parameters=True,
    )
    # Not `pool_pre_ping`: with asyncpg it costs three round trips (BEGIN, a ping, ROLLBACK) on every
    # checkout, a fifth of a service's database work per message. See `discard_closed_connections`.
    event.listen(engine.sync_engine.pool, "checkout", discard_closed_connections)
    return engine


def discard_closed_connections(
    dbapi_connection: Any, record: ConnectionPoolEntry, proxy: PoolProxiedConnection
) -> None:
    """A service outlives PostgreSQL restarts without surfacing dead connections to a handler: a pooled
    connection whose socket the server closed (a restart, a terminated backend) is known closed to asyncpg
    without a round trip, and raising `DisconnectionError` makes the pool replace it before the checkout.
    A connection that dies while in use raises a disconnect error, which invalidates it as before."""
    if dbapi_connection.driver_connection.is_closed():
        raise exc.DisconnectionError("the database closed this pooled connection")


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)

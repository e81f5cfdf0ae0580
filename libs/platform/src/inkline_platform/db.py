"""Async SQLAlchemy engine and session factory."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def make_engine(database_url: str, *, pool_size: int = 20, max_overflow: int = 10) -> AsyncEngine:
    """`pool_size` should cover what a service does at once (a session per consumer, two per running
    periodic job, the relay, HTTP requests): a connection beyond it is opened for one checkout and closed
    after, which under load costs more than the work it does (connect, TLS probe, statements prepared anew).
    """
    # pre-ping: a service outlives PostgreSQL restarts without surfacing dead connections to a handler.
    # hide_parameters: an error's text names the statement but not its values (phone numbers, what clients
    # wrote), and that text reaches log lines and span events.
    return create_async_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        hide_parameters=True,
    )


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)

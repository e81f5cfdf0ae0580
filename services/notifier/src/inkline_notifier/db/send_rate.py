"""The stored level of a sending number's token bucket: one row, which any replica changes.

A change is one statement in the common case: the replica computes the new level from the one it last
saw and writes it only if the row's version is still the one it saw (compare and set), without a
transaction around it. When another replica changed the row meanwhile, it reads the row and computes
again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from inkline_notifier.db.models import SendRate
from inkline_notifier.domain.rate_level import Level

T = TypeVar("T")


def level_store_engine(database_url: str) -> AsyncEngine:
    """A few connections of the level store's own, tuned for a row changed many times a second whose last
    change may be lost in a crash (a few tokens, refilled within a second anyway): each statement commits
    by itself and does not wait for the disk. Connections are not pinged before each use either (a round
    trip per change): one broken by a database restart fails one change, whose sends are queued again at
    once, and is replaced."""
    return create_async_engine(
        database_url,
        pool_size=2,
        max_overflow=4,
        hide_parameters=True,
        isolation_level="AUTOCOMMIT",
        connect_args={"server_settings": {"synchronous_commit": "off"}},
    )


class PostgresLevelStore:
    """A `LevelStore` for one sending number, on an engine from `level_store_engine`.

    Its clock is the wall clock, the same on every host to within what NTP keeps: a replica whose clock is
    behind refills nothing until it catches up, one ahead can refill at most the burst early (the level
    never goes back in time), so the number's rate holds either way.
    """

    def __init__(
        self, engine: AsyncEngine, *, phone_number_id: str, clock: Callable[[], float] = time.time
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._seen: tuple[Level | None, int] | None = None
        # Built once: a change is then only its parameters (no statement to build or cache key to compute).
        self._write = (
            update(SendRate)
            .where(SendRate.phone_number_id == phone_number_id, SendRate.version == bindparam("seen"))
            .values(tokens=bindparam("tokens"), at=bindparam("at"), version=bindparam("seen") + 1)
            .returning(SendRate.version)
        )
        self._read_row = select(SendRate.tokens, SendRate.at, SendRate.version).where(
            SendRate.phone_number_id == phone_number_id
        )
        self._make_row = (
            insert(SendRate).values(phone_number_id=phone_number_id, version=0).on_conflict_do_nothing()
        )

    async def change(self, update_level: Callable[[Level | None, float], tuple[Level, T]]) -> T:
        async with self._engine.connect() as connection:
            while True:
                seen = self._seen or await self._read(connection)
                level, version = seen
                changed, result = update_level(level, self._clock())
                written = await connection.scalar(
                    self._write, {"seen": version, "tokens": changed.tokens, "at": changed.at}
                )
                if written is not None:
                    self._seen = (changed, written)
                    return result
                # Another replica (or this one's other lane) changed it since: read it and compute again.
                self._seen = None

    async def _read(self, connection: AsyncConnection) -> tuple[Level | None, int]:
        # The number's first send makes the row, whichever replica gets there first.
        await connection.execute(self._make_row)
        tokens, at, version = (await connection.execute(self._read_row)).one()
        level = None if tokens is None or at is None else Level(tokens=tokens, at=at)
        return level, version

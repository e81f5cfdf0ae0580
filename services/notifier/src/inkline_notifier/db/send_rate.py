"""The stored level of a sending number's token bucket: one row, changed under its lock by any replica."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from inkline_notifier.db.models import SendRate
from inkline_notifier.domain.rate_level import Level

T = TypeVar("T")
# The database's clock, the same for every replica whatever host it runs on.
_NOW = func.extract("epoch", func.clock_timestamp())


class PostgresLevelStore:
    """A `LevelStore` for one sending number. Plain connections, not units of work: a change of the level
    publishes nothing and must not wake the outbox relay."""

    def __init__(self, engine: AsyncEngine, *, phone_number_id: str) -> None:
        self._engine = engine
        self._number = phone_number_id
        self._locked = (
            select(SendRate.tokens, SendRate.at, _NOW)
            .where(SendRate.phone_number_id == phone_number_id)
            .with_for_update()
        )

    async def change(self, update_level: Callable[[Level | None, float], tuple[Level, T]]) -> T:
        async with self._engine.begin() as connection:
            row = (await connection.execute(self._locked)).first()
            if row is None:
                # The number's first send: the row is made once, by whichever replica gets there first.
                await connection.execute(
                    insert(SendRate).values(phone_number_id=self._number).on_conflict_do_nothing()
                )
                row = (await connection.execute(self._locked)).one()
            tokens, at, now = row
            level = None if tokens is None or at is None else Level(tokens=tokens, at=at)
            changed, result = update_level(level, float(now))
            await connection.execute(
                update(SendRate)
                .where(SendRate.phone_number_id == self._number)
                .values(tokens=changed.tokens, at=changed.at)
            )
        return result

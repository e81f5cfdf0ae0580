"""A sending number's token bucket shared by every notifier replica: its level lives in one stored row.

Meta's limit is per number, however many replicas send for it, so each replica takes its tokens from the
same row (changed under a row lock). Takers that ask together, a send batch's calls, are served by one
change of the row, so the store is written once per batch, not once per message. A replica that dies holds
nothing: its share is the refill everyone sees, at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from inkline_notifier.domain.rate_level import Level, Rate

T = TypeVar("T")


class LevelStore(Protocol):
    async def change(self, update: Callable[[Level | None, float], tuple[Level, T]]) -> T:
        """Call `update(level, store's now)` with the stored level locked, store the level it returns and
        return the rest; the level is None before the first change."""
        ...


class StoredTokenBucket:
    """The `TokenBucket` interface (`acquire`, `acquire_when_free`) over a `LevelStore`.

    `clock` is the store's own clock when None (the database's, the same for every replica); tests give
    one they move.
    """

    def __init__(
        self,
        store: LevelStore,
        rate: float,
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._store = store
        self.rate = Rate(rate)
        self._clock = clock
        self._sleep = sleep
        self._reserved = _Grouped(self._reserve)
        self._free = _Grouped(self._take_free)

    async def acquire(self) -> None:
        """Wait for a token, queued in order behind every earlier taker of any replica."""
        wait = await self._reserved.take()
        if wait > 0:
            await self._sleep(wait)

    async def acquire_when_free(self) -> None:
        """Wait for a token nobody reserved: never ahead of a taker that `acquire`s."""
        while (wait := await self._free.take()) > 0:
            await self._sleep(wait)

    def _now(self, store_now: float) -> float:
        return store_now if self._clock is None else self._clock()

    async def _reserve(self, count: int) -> list[float]:
        return await self._store.change(lambda level, now: self.rate.reserve(level, count, self._now(now)))

    async def _take_free(self, count: int) -> list[float]:
        def take(level: Level | None, now: float) -> tuple[Level, list[float]]:
            after, taken, retry_in = self.rate.take_free(level, count, self._now(now))
            return after, [0.0] * taken + [retry_in] * (count - taken)

        return await self._store.change(take)


class _Grouped:
    """Serves the takers that asked while the previous change was being made with one change of the store."""

    def __init__(self, fetch: Callable[[int], Awaitable[list[float]]]) -> None:
        self._fetch = fetch
        self._asking: list[asyncio.Future[float]] = []
        self._serving: asyncio.Task[None] | None = None

    async def take(self) -> float:
        asked: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._asking.append(asked)
        if self._serving is None:
            self._serving = asyncio.create_task(self._serve())
        return await asked

    async def _serve(self) -> None:
        group: list[asyncio.Future[float]] = []
        try:
            while self._asking:
                # One turn of the loop: the calls of a batch, started together, all ask before it is served.
                await asyncio.sleep(0)
                group, self._asking = self._asking, []
                try:
                    waits = await self._fetch(len(group))
                except Exception as exc:
                    for asked in group:
                        if not asked.done():
                            asked.set_exception(exc)
                    continue
                for asked, wait in zip(group, waits, strict=True):
                    # A taker cancelled meanwhile leaves its token unused: the rate errs on the slow side.
                    if not asked.done():
                        asked.set_result(wait)
        finally:
            self._serving = None
            # Cancelled (the service stopping): nobody is left waiting for an answer that will not come.
            for asked in (*group, *self._asking):
                if not asked.done():
                    asked.cancel()

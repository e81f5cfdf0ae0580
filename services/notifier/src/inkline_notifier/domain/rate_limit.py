"""A token bucket: at most `rate` sends per second per sending number, with a small burst."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

MIN_WAIT_SECONDS = 0.001


class TokenBucket:
    """Reservations are taken in call order; each caller learns how long to wait for its token.

    The burst is a tenth of a second's worth of tokens (at least one), so a measured rate over a few
    seconds stays close to `rate` while short gaps are not wasted.
    """

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = max(1.0, rate / 10)
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.capacity
        self._updated = clock()

    def reserve(self) -> float:
        """Take one token (possibly going into debt); returns the seconds to wait before using it."""
        self._refill()
        self._tokens -= 1
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def take_if_free(self) -> float:
        """Take a token only if one is free now (0.0); otherwise take nothing and return how long until one
        is: a caller that must yield to those who `reserve` never runs up a debt they would wait behind."""
        self._refill()
        # A hair under one is one: the refill's float arithmetic may never land exactly on it.
        if self._tokens >= 1 - 1e-9:
            self._tokens -= 1
            return 0.0
        return max(MIN_WAIT_SECONDS, (1 - self._tokens) / self.rate)

    async def acquire_when_free(self) -> None:
        while (wait := self.take_if_free()) > 0:
            await self._sleep(wait)

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    async def acquire(self) -> None:
        delay = self.reserve()
        if delay > 0:
            await self._sleep(delay)


class Unlimited:
    """No limit: for measuring the raw throughput of the send path."""

    async def acquire(self) -> None:
        return None

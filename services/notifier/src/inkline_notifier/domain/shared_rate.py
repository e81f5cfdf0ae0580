"""One sending number's rate, shared by the two send lanes so that replies never wait for marketing.

Meta limits a number to `WHATSAPP_MESSAGES_PER_SECOND` however its messages are split. Replies (and alerts)
take their tokens from the whole rate, queueing for them in order. Marketing takes only tokens that are
free at the time, so it never books the number ahead of a reply; and while a reply is waiting for a
token it must first pass a bucket of only `marketing_share` of the rate. A campaign so goes out at the
number's full rate less what the conversations use, and a reply waits at most about one token's time.

The number's rate (`whole`) is one bucket for every replica when given a `StoredTokenBucket`; the
marketing share is each replica's own, as is knowing that a reply waits (a reply waiting anywhere leaves
no free token anywhere, so marketing is held back on every replica all the same).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from inkline_notifier.domain.rate_limit import TokenBucket

DEFAULT_MARKETING_SHARE = 0.25


class Bucket(Protocol):
    async def acquire(self) -> None: ...

    async def acquire_when_free(self) -> None: ...


class SharedRate:
    def __init__(
        self,
        rate: float,
        *,
        marketing_share: float = DEFAULT_MARKETING_SHARE,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        whole: Bucket | None = None,
    ) -> None:
        """`whole` is the number's bucket of `rate` (this process's own when None)."""
        if not 0 < marketing_share <= 1:
            raise ValueError("marketing_share must be in (0, 1]")
        self._whole: Bucket = whole or TokenBucket(rate, clock=clock, sleep=sleep)
        self._marketing = TokenBucket(rate * marketing_share, clock=clock, sleep=sleep)
        self._replies_waiting = 0
        self.replies = _Lane(self._reply)
        self.marketing = _Lane(self._marketing_send)

    def replies_waiting(self) -> bool:
        return self._replies_waiting > 0

    async def _reply(self) -> None:
        self._replies_waiting += 1
        try:
            await self._whole.acquire()
        finally:
            self._replies_waiting -= 1

    async def _marketing_send(self) -> None:
        if self.replies_waiting():
            await self._marketing.acquire()
        # Only a free token: a campaign's batch never books the number ahead of the next reply.
        await self._whole.acquire_when_free()


class _Lane:
    """The `Limiter` one lane's sender uses."""

    def __init__(self, acquire: Callable[[], Awaitable[None]]) -> None:
        self._acquire = acquire

    async def acquire(self) -> None:
        await self._acquire()

"""The arithmetic of a token bucket kept as a row that every replica changes: the level and when it was read.

A replica takes several tokens in one change (a whole send batch), so the bucket's store is written once
per batch, not once per message. Pure functions of the stored level and the time, so that the row can be
changed under a lock by whichever replica asks, and tested with any clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MIN_WAIT_SECONDS = 0.001
# A hair under one is one: the refill's float arithmetic may never land exactly on it.
_EPSILON = 1e-9


@dataclass(frozen=True)
class Level:
    tokens: float
    """Tokens in the bucket at `at`; below zero when reservations ran ahead of the refill (a debt)."""
    at: float
    """Seconds on the bucket's clock."""


@dataclass(frozen=True)
class Rate:
    per_second: float

    def __post_init__(self) -> None:
        if self.per_second <= 0:
            raise ValueError("rate must be positive")

    @property
    def capacity(self) -> float:
        """A tenth of a second's worth of tokens (at least one): a measured rate over a few seconds stays
        close to the rate while short gaps are not wasted."""
        return max(1.0, self.per_second / 10)

    def level_at(self, level: Level | None, now: float) -> Level:
        """The level refilled up to `now` (a bucket nobody used yet is full). Time never runs backwards
        for the bucket: a replica whose clock is behind refills nothing rather than taking tokens back."""
        if level is None:
            return Level(self.capacity, now)
        elapsed = max(0.0, now - level.at)
        return Level(min(self.capacity, level.tokens + elapsed * self.per_second), max(level.at, now))

    def reserve(self, level: Level | None, count: int, now: float) -> tuple[Level, list[float]]:
        """Take `count` tokens, going into debt if need be; returns the new level and how long each of the
        takers waits before using its token, in the order they asked."""
        refilled = self.level_at(level, now)
        after = refilled.tokens - count
        # The i-th taker's token is usable once the bucket would hold what the takers after it took.
        waits = [max(0.0, -(after + count - 1 - i)) / self.per_second for i in range(count)]
        return Level(after, refilled.at), waits

    def take_free(self, level: Level | None, count: int, now: float) -> tuple[Level, int, float]:
        """Take up to `count` tokens, only those free now and never into debt, so that whoever `reserve`s
        is never queued behind these; returns the new level, how many were taken and, when fewer than
        `count`, how long until the next is free."""
        refilled = self.level_at(level, now)
        free = math.floor(refilled.tokens + _EPSILON) if refilled.tokens > 0 else 0
        taken = min(count, max(0, free))
        after = refilled.tokens - taken
        retry_in = 0.0 if taken == count else max(MIN_WAIT_SECONDS, (1 - after) / self.per_second)
        return Level(after, refilled.at), taken, retry_in

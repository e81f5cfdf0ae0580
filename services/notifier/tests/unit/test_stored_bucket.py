"""Takers of the stored bucket that ask together are served by one change of the store, and two buckets
over one store (two replicas) share its rate."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

import pytest

from inkline_notifier.domain.rate_level import Level
from inkline_notifier.domain.stored_bucket import StoredTokenBucket

T = TypeVar("T")
RATE = 80.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class MemoryStore:
    """The stored row, in memory: each change takes a turn of the loop, as a round trip would."""

    def __init__(self, clock: Clock) -> None:
        self.level: Level | None = None
        self.changes = 0
        self.failing = False
        self._clock = clock

    async def change(self, update: Callable[[Level | None, float], tuple[Level, T]]) -> T:
        await asyncio.sleep(0)
        if self.failing:
            raise ConnectionError("database unavailable")
        self.level, result = update(self.level, self._clock())
        self.changes += 1
        return result


class Waits:
    """A sleep that records how long each taker was told to wait, and does not wait."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


async def test_a_batch_of_takers_asking_together_changes_the_store_once() -> None:
    store = MemoryStore(Clock())
    waits = Waits()
    bucket = StoredTokenBucket(store, RATE, sleep=waits)

    await asyncio.gather(*(bucket.acquire() for _ in range(16)))

    assert store.changes == 1
    assert waits.seconds == pytest.approx([n / RATE for n in range(1, 9)])  # 8 from the burst, 8 wait


async def test_two_replicas_over_one_store_share_one_rate() -> None:
    clock = Clock()
    store = MemoryStore(clock)
    waits = Waits()
    replicas = [StoredTokenBucket(store, RATE, clock=clock, sleep=waits) for _ in range(2)]

    for replica in replicas:
        await asyncio.gather(*(replica.acquire() for _ in range(8)))

    # The second replica's takers queue behind the first's burst: the number's, not one each.
    assert waits.seconds == pytest.approx([n / RATE for n in range(1, 9)])


async def test_free_takers_of_another_replica_wait_while_a_reply_is_owed_tokens() -> None:
    clock = Clock()
    store = MemoryStore(clock)
    replies = StoredTokenBucket(store, RATE, clock=clock, sleep=Waits())
    told: list[float] = []

    async def give_up_waiting(seconds: float) -> None:
        told.append(seconds)
        raise asyncio.CancelledError

    marketing = StoredTokenBucket(store, RATE, clock=clock, sleep=give_up_waiting)
    await asyncio.gather(*(replies.acquire() for _ in range(10)))

    with pytest.raises(asyncio.CancelledError):
        await marketing.acquire_when_free()

    assert told == pytest.approx([3 / RATE])  # the debt of two, then a whole free token


async def test_a_store_failure_reaches_every_taker_of_the_batch_and_the_next_batch_is_served() -> None:
    store = MemoryStore(Clock())
    bucket = StoredTokenBucket(store, RATE, sleep=Waits())
    store.failing = True

    failed = await asyncio.gather(*(bucket.acquire() for _ in range(3)), return_exceptions=True)
    store.failing = False
    await bucket.acquire()

    assert [type(outcome) for outcome in failed] == [ConnectionError] * 3
    assert store.changes == 1

"""Two notifier replicas take their tokens from the number's one bucket in the database: however they
split the sending, together they never send faster than Meta's per-number limit, and a reply on one
replica still comes before the other replica's campaign."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field

from inkline_devstack.pytest_plugin import DatabaseFactory
from inkline_notifier.db import MIGRATIONS_DIR
from inkline_notifier.db.send_rate import PostgresLevelStore, level_store_engine
from inkline_notifier.domain.shared_rate import SharedRate
from inkline_notifier.domain.stored_bucket import StoredTokenBucket

RATE = 80.0
BURST = RATE / 10
NUMBER = "106540352242922"
STEP = 0.01
SECONDS = 3
REPLY_EVERY_STEPS = 10


class TokenOwedError(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


@dataclass
class SimulatedTime:
    """Moved by the test, step by step. Sleeping does not pass time here: it tells the taker how long its
    token is still owed (a reply's token is then its, from that moment on; a free taker got nothing)."""

    start: float = 1_000_000.0
    now: float = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        raise TokenOwedError(seconds)


@dataclass
class Sends:
    """When each replica's sends may go out, by lane, in simulated seconds since the start."""

    at: list[tuple[str, str, float]] = field(default_factory=list)
    reply_waits: list[float] = field(default_factory=list)

    def per_second(self) -> Counter[int]:
        return Counter(int(moment) for _, _, moment in self.at)

    def replicas(self, lane: str) -> set[str]:
        return {replica for replica, sent_lane, _ in self.at if sent_lane == lane}


@asynccontextmanager
async def _replica(url: str, time: SimulatedTime) -> AsyncIterator[SharedRate]:
    """What one replica's app builds: its own engine, the number's bucket in the database."""
    engine = level_store_engine(url)
    try:
        bucket = StoredTokenBucket(
            PostgresLevelStore(engine, phone_number_id=NUMBER), RATE, clock=time, sleep=time.sleep
        )
        yield SharedRate(RATE, clock=time, sleep=time.sleep, whole=bucket)
    finally:
        await engine.dispose()


async def _marketing(rate: SharedRate, replica: str, time: SimulatedTime, sends: Sends) -> None:
    try:
        await rate.marketing.acquire()
    except TokenOwedError:
        return
    sends.at.append((replica, "marketing", time.now - time.start))


async def _reply(rate: SharedRate, replica: str, time: SimulatedTime, sends: Sends) -> None:
    try:
        await rate.replies.acquire()
        wait = 0.0
    except TokenOwedError as owed:
        wait = owed.seconds
    sends.reply_waits.append(wait)
    sends.at.append((replica, "reply", time.now - time.start + wait))


async def test_two_replicas_sending_flat_out_together_keep_to_the_numbers_rate(
    migrated_database: DatabaseFactory,
) -> None:
    url = await migrated_database(MIGRATIONS_DIR)
    time = SimulatedTime()
    sends = Sends()
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(_replica(url, time))
        second = await stack.enter_async_context(_replica(url, time))
        for step in range(int(SECONDS / STEP)):
            time.now = time.start + step * STEP
            # Both replicas send a campaign as fast as they are let; the second also answers a client.
            asking = [_marketing(first, "first", time, sends), _marketing(second, "second", time, sends)]
            if step % REPLY_EVERY_STEPS == 0:
                asking.append(_reply(second, "second", time, sends))
            await asyncio.gather(*asking)

    per_second = sends.per_second()
    assert per_second[0] <= RATE + BURST, "the first second may use the burst too, no more"
    assert all(count <= RATE for second, count in per_second.items() if second > 0), per_second
    sent = sum(count for second, count in per_second.items() if second < SECONDS)
    assert sent >= 0.95 * RATE * SECONDS, "the number's rate is used, not left idle"
    assert sends.replicas("marketing") == {"first", "second"}
    # A reply waits at most for the token a campaign's send took just before it.
    assert len(sends.reply_waits) == SECONDS * 1 / (STEP * REPLY_EVERY_STEPS)
    assert max(sends.reply_waits) <= 1 / RATE

"""The raw baseline of this box, with no application code: JetStream publish → pull consume → one INSERT
committed in PostgreSQL → ack. Flooded for messages/s and paced for p50/p99, so a benchmark's figures can be
compared across machines as a ratio of it.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass

import asyncpg
import nats
from nats.js.api import StorageType

BASELINE_FLOOD = 5000
BASELINE_WORKERS = 4
BASELINE_PACED_SECONDS = 3.0


@dataclass(frozen=True)
class Baseline:
    messages_per_second: float
    paced_rate: int
    latencies: list[float]


async def baseline(nats_url: str, dsn: str, paced_rate: int) -> Baseline:
    """JetStream publish → pull consume → one INSERT committed → ack, with no application code."""
    client = await nats.connect(nats_url)
    js = client.jetstream()
    await js.add_stream(name="BASELINE", subjects=["baseline.>"], storage=StorageType.FILE)
    pool = await asyncpg.create_pool(dsn, min_size=BASELINE_WORKERS, max_size=BASELINE_WORKERS)
    await pool.execute("CREATE TABLE baseline (id bigint PRIMARY KEY, body jsonb NOT NULL)")
    published: dict[int, float] = {}
    committed: dict[int, float] = {}
    expected = {"up_to": 0}
    all_committed = asyncio.Event()
    stop = asyncio.Event()

    async def consume() -> None:
        subscription = await js.pull_subscribe("baseline.>", durable="baseline", stream="BASELINE")
        async with pool.acquire() as connection:
            while not stop.is_set():
                try:
                    messages = await subscription.fetch(16, timeout=0.2)
                except nats.errors.TimeoutError:
                    continue
                for message in messages:
                    number = int(json.loads(message.data)["n"])
                    await connection.execute(
                        "INSERT INTO baseline (id, body) VALUES ($1, $2)", number, message.data.decode()
                    )
                    await message.ack()
                    committed[number] = time.perf_counter()
                    if len(committed) == expected["up_to"]:
                        all_committed.set()

    async def publish(number: int) -> None:
        data = json.dumps({"n": number, "pad": "x" * 400}).encode()  # about an event envelope's size
        published[number] = time.perf_counter()
        await js.publish(f"baseline.{number % 16}", data)

    async def committed_all(numbers: range) -> None:
        # Numbers run 0, 1, 2, ... across both phases, so "all up to the phase's last" is a count.
        expected["up_to"] = numbers.stop
        all_committed.clear()
        if len(committed) < numbers.stop:
            await all_committed.wait()

    consumers = [asyncio.create_task(consume()) for _ in range(BASELINE_WORKERS)]
    try:
        flood = range(BASELINE_FLOOD)
        in_flight = asyncio.Semaphore(128)

        async def bounded(number: int) -> None:
            async with in_flight:
                await publish(number)

        began = time.perf_counter()
        await asyncio.gather(*(bounded(n) for n in flood))
        await asyncio.wait_for(committed_all(flood), 120)
        throughput = len(flood) / (max(committed.values()) - began)

        paced = range(BASELINE_FLOOD, BASELINE_FLOOD + int(paced_rate * BASELINE_PACED_SECONDS))
        loop = asyncio.get_running_loop()
        start = loop.time()
        publishes = []
        for index, number in enumerate(paced):
            delay = start + index / paced_rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            publishes.append(asyncio.create_task(publish(number)))
        await asyncio.gather(*publishes)
        await asyncio.wait_for(committed_all(paced), 60)
        latencies = [committed[n] - published[n] for n in paced]
    finally:
        stop.set()
        await asyncio.gather(*consumers, return_exceptions=True)
        await pool.close()
        await client.close()
    return Baseline(throughput, paced_rate, latencies)

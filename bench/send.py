"""Notifier send path against the Graph API fake: sustained sends/s with no rate limit, and the token
bucket's accuracy at Meta's default 80 msg/s. Run: .venv/bin/python bench/send.py

The fake runs in its own process so that its CPU does not count against the sender's.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import statistics
import time

import uvicorn

from inkline_contracts.events.notify import TextContent
from inkline_notifier.adapters.whatsapp import GraphWhatsApp
from inkline_notifier.domain.payloads import message_body
from inkline_notifier.domain.rate_limit import TokenBucket, Unlimited
from inkline_notifier.jobs.sender import Limiter
from inkline_sandbox.graph import GraphState, create_graph_app
from inkline_sandbox.server import free_port

TOKEN = "bench-token"  # noqa: S105 - the fake's own credential
PHONE_NUMBER_ID = "106540352242922"


def serve(port: int) -> None:
    app = create_graph_app(GraphState(access_token=TOKEN))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


async def wait_listening(port: int) -> None:
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise RuntimeError("fake did not start")


async def run(gateway: GraphWhatsApp, limiter: Limiter, count: int, concurrency: int) -> list[float]:
    """Send `count` messages with `concurrency` workers; returns each send's completion time."""
    done: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(count):
        queue.put_nowait(n)

    async def worker() -> None:
        while not queue.empty():
            n = queue.get_nowait()
            await limiter.acquire()
            await gateway.send(message_body(f"4477009{n % 100000:05d}", TextContent(body=f"bench {n}")))
            done.append(time.perf_counter())

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done


async def main() -> None:
    port = free_port()
    fake = multiprocessing.Process(target=serve, args=(port,), daemon=True)
    fake.start()
    try:
        await wait_listening(port)
        gateway = GraphWhatsApp(
            base_url=f"http://127.0.0.1:{port}/v21.0", phone_number_id=PHONE_NUMBER_ID, access_token=TOKEN
        )
        await run(gateway, Unlimited(), 200, 16)  # warm up connections
        started = time.perf_counter()
        done = await run(gateway, Unlimited(), 3000, 32)
        elapsed = time.perf_counter() - started
        print(
            f"unlimited: {len(done)} sends in {elapsed:.2f} s = {len(done) / elapsed:.0f} sends/s (32 in flight)"
        )

        for rate, count in ((80.0, 800),):
            done = await run(gateway, TokenBucket(rate), count, 32)
            # Skip the initial burst; measure the steady rate between the remaining completions.
            burst = int(max(1, rate / 10))
            steady = done[burst:]
            measured = (len(steady) - 1) / (steady[-1] - steady[0])
            gaps = [b - a for a, b in itertools.pairwise(steady)]
            print(
                f"limit {rate:.0f}/s: measured {measured:.2f} msg/s over {steady[-1] - steady[0]:.1f} s "
                f"({(measured - rate) / rate * 100:+.2f} %), median gap {statistics.median(gaps) * 1000:.1f} ms"
            )
        await gateway.aclose()
    finally:
        fake.terminate()
        fake.join(5)


if __name__ == "__main__":
    asyncio.run(main())

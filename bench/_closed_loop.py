"""The closed loop of bench/consultation.py: clients who answer, wait for the reply at the Graph fake and
answer again, walking the consultation (greeting, idea, placement, size, style, reference, budget, city,
dates) and then starting over as a new client number.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from dataclasses import dataclass, field

import httpx
from _stack import APP_SECRET, box_cpu_seconds, cpu_seconds

from inkline_conversation.testing.studio import ANSWERS as JOURNEY_ANSWERS
from inkline_sandbox.graph import GraphState
from inkline_sandbox.graph.webhooks import Customer, encode, sign_payload, text_message

# The consultation's nine answers, the journey tests' own (without the Instagram answer and the read-back's
# "1"): the ninth answer gets the Instagram question back, and the client starts over as a new number.
ANSWERS = JOURNEY_ANSWERS[:9]
REPLY_TIMEOUT_SECONDS = 30.0
WATCH_SECONDS = 0.005  # how often the fake's record of sends is read


@dataclass
class Replies:
    """Counts the fake's sends per number and wakes whoever waits for the next one."""

    graph: GraphState
    seen: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    arrived: dict[str, float] = field(default_factory=dict)  # perf_counter of each number's latest send
    waiters: dict[str, asyncio.Event] = field(default_factory=dict)

    async def watch(self) -> None:
        # The fake records sends on its own server thread, with nothing to await: read it often.
        while True:
            messages = self.graph.messages()
            now = time.perf_counter()
            for message in messages[self.seen :]:
                self.counts[message.wa_id] += 1
                self.arrived[message.wa_id] = now
                waiter = self.waiters.get(message.wa_id)
                if waiter is not None:
                    waiter.set()
            self.seen = len(messages)
            await asyncio.sleep(WATCH_SECONDS)

    async def next_after(self, wa_id: str, count: int, timeout: float) -> float | None:
        """perf_counter when `wa_id` got its message number `count + 1`; None after `timeout`."""
        event = self.waiters.setdefault(wa_id, asyncio.Event())
        try:
            async with asyncio.timeout(timeout):
                while self.counts[wa_id] <= count:
                    event.clear()
                    await event.wait()
        except TimeoutError:
            return None
        finally:
            self.waiters.pop(wa_id, None)
        return self.arrived[wa_id]


@dataclass
class Result:
    clients: int
    seconds: float
    latencies: list[float]
    errors: int
    cpu: dict[str, float]  # CPU seconds per exchange, per service process
    box_cpu: float | None = None  # CPU seconds per exchange of the whole box (PostgreSQL, NATS, the load too)
    load_cpu: float | None = None  # of which this process: the load generator and the Graph fake

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds


class Load:
    def __init__(self, client: httpx.AsyncClient, replies: Replies, pids: dict[str, int]) -> None:
        self._client = client
        self._replies = replies
        self._pids = pids
        self._numbers = iter(range(10**7))

    async def _say(self, customer: Customer, text: str) -> None:
        body = encode(
            text_message(
                customer,
                text,
                message_id=f"wamid.consult.{customer.wa_id}.{time.monotonic_ns()}",
                timestamp=int(time.time()),
            )
        )
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign_payload(body, APP_SECRET)}
        response = await self._client.post("/webhooks/whatsapp", content=body, headers=headers)
        response.raise_for_status()

    async def _client_loop(
        self,
        until: float,
        latencies: list[float],
        errors: list[int],
        timeline: list[tuple[float, float]] | None = None,
    ) -> None:
        while time.perf_counter() < until:
            customer = Customer(wa_id=f"4478{next(self._numbers):08d}", name="Sam")
            for answer in ANSWERS:
                if time.perf_counter() >= until:
                    return
                before = self._replies.counts[customer.wa_id]
                sent = time.perf_counter()
                try:
                    await self._say(customer, answer)
                except httpx.HTTPError:
                    errors.append(1)
                    break
                arrived = await self._replies.next_after(customer.wa_id, before, REPLY_TIMEOUT_SECONDS)
                if arrived is None:
                    errors.append(1)
                    break
                latencies.append(arrived - sent)
                if timeline is not None:
                    timeline.append((sent, arrived - sent))

    def _cpu(self) -> dict[str, float | None]:
        return {name: cpu_seconds(pid) for name, pid in self._pids.items()}

    async def run(self, clients: int, seconds: float) -> Result:
        latencies: list[float] = []
        errors: list[int] = []
        cpu_before, box_before, load_before = self._cpu(), box_cpu_seconds(), time.process_time()
        began = time.perf_counter()
        until = began + seconds
        await asyncio.gather(*(self._client_loop(until, latencies, errors) for _ in range(clients)))
        elapsed = time.perf_counter() - began
        exchanges = max(1, len(latencies))
        cpu = {
            name: (after - before) / exchanges
            for (name, after), before in zip(self._cpu().items(), cpu_before.values(), strict=True)
            if after is not None and before is not None
        }
        box_after = box_cpu_seconds()
        box = (
            (box_after - box_before) / exchanges if box_after is not None and box_before is not None else None
        )
        load = (time.process_time() - load_before) / exchanges
        return Result(clients, elapsed, latencies, len(errors), cpu, box, load)

    async def talk(self, clients: int, seconds: float) -> list[tuple[float, float]]:
        """(when sent, reply seconds) of every exchange of `clients` talking for `seconds`."""
        timeline: list[tuple[float, float]] = []
        until = time.perf_counter() + seconds
        await asyncio.gather(*(self._client_loop(until, [], [], timeline) for _ in range(clients)))
        return timeline

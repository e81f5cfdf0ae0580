"""Closed-loop consultation load: N clients each answer, wait for the reply at the Graph fake, answer again.

Each client walks the consultation (greeting, idea, placement, size, style, reference, budget, city,
dates: nine answers, each answered by one reply) and then starts over as a new client number, so every
exchange is a real step of the journey. It prints, per client count: exchanges/s, reply p50/p95/p99
(webhook POST sent → the fake recording the next message to that number), errors (no reply within
`REPLY_TIMEOUT_SECONDS`) and the CPU seconds per exchange of each service process; then the raw
JetStream → PostgreSQL baseline of the same run (see inbound.py).

The same stack as inbound.py: NATS and PostgreSQL from the wheels, conversation and notifier as deployed
(`python -m inkline_<service>`), the Graph fake and this load generator in this process.

Then, unless `--campaign 0`: a campaign of `--campaign` recipients (20,000) is handed to the notifier at
once, as marketing sends on their lane, while 3 clients talk for `--campaign-seconds`; it prints, per 10 s,
the campaign's send rate at the fake and the talking clients' reply p50/p99.

    .venv/bin/python bench/consultation.py [--clients 1 10 50 200] [--seconds 15] [--campaign 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import nats
from inbound import (
    APP_SECRET,
    GRAPH_TOKEN,
    SECRETS,
    baseline,
    cpu_seconds,
    infrastructure,
    migrated,
    ms,
    percentile,
    service,
    tail,
)

from inkline_contracts import subjects
from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.notify import Category, SendMessage, TemplateContent
from inkline_contracts.send_routing import published_subject
from inkline_conversation.db import MIGRATIONS_DIR as CONVERSATION_MIGRATIONS
from inkline_devstack.postgres_server import create_database
from inkline_notifier.db import MIGRATIONS_DIR as NOTIFIER_MIGRATIONS
from inkline_sandbox.graph import GraphState, create_graph_app
from inkline_sandbox.graph.webhooks import Customer, encode, sign_payload, text_message
from inkline_sandbox.server import serve_in_background

ANSWERS = (
    "Hi, I'd like to book a tattoo",
    "a rose with a thin stem",
    "left inner forearm",
    "10x15cm",
    "fine line",
    "skip",
    "£400-500",
    "Manchester, UK",
    "next two weeks",
)
CLIENTS = (1, 10, 50, 200)
CAMPAIGN_RECIPIENTS = 20_000
CAMPAIGN_SECONDS = 60.0
CAMPAIGN_TALKERS = 3
WINDOW_SECONDS = 10.0
AUDIENCE_PREFIX = "4476"
STEP_SECONDS = 15.0
WARM_UP_SECONDS = 3.0
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
        cpu_before = self._cpu()
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
        return Result(clients, elapsed, latencies, len(errors), cpu)

    async def talk(self, clients: int, seconds: float) -> list[tuple[float, float]]:
        """(when sent, reply seconds) of every exchange of `clients` talking for `seconds`."""
        timeline: list[tuple[float, float]] = []
        until = time.perf_counter() + seconds
        await asyncio.gather(*(self._client_loop(until, [], [], timeline) for _ in range(clients)))
        return timeline


async def hand_off_campaign(nats_url: str, recipients: int) -> None:
    """What the campaigns service's relay publishes for a campaign: one marketing send per recipient."""
    client = await nats.connect(nats_url)
    js = client.jetstream()
    offer = TemplateContent(name="flash_day", language="en")
    in_flight = asyncio.Semaphore(256)

    async def publish(n: int) -> None:
        command = SendMessage(
            to=f"{AUDIENCE_PREFIX}{n:08d}", content=offer, category=Category.MARKETING, purpose="campaign"
        )
        body = new_envelope(subjects.NOTIFY_SEND, command, correlation_id="bench-campaign").model_dump_json()
        async with in_flight:
            await js.publish(
                published_subject(subjects.NOTIFY_SEND.name, body),
                body.encode(),
                stream=subjects.NOTIFY_SEND.stream,
            )

    try:
        await asyncio.gather(*(publish(n) for n in range(recipients)))
    finally:
        await client.close()


async def campaign_while_talking(
    url: str, nats_url: str, graph: GraphState, pids: dict[str, int], recipients: int, seconds: float
) -> None:
    replies = Replies(graph)
    watcher = asyncio.create_task(replies.watch())
    limits = httpx.Limits(max_connections=50, max_keepalive_connections=50)
    try:
        async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30.0) as client:
            runner = Load(client, replies, pids)
            began, wall_began = time.perf_counter(), time.time()
            await hand_off_campaign(nats_url, recipients)
            print(
                f"campaign: {recipients:,} marketing sends handed off in {time.perf_counter() - began:.1f} s"
            )
            timeline = await runner.talk(CAMPAIGN_TALKERS, seconds)
    finally:
        watcher.cancel()
    sent_at = sorted(m.sent_at for m in graph.messages() if m.wa_id.startswith(AUDIENCE_PREFIX))
    print(f"{'window':>8}  {'campaign/s':>10}  {'replies':>7}  {'reply p50':>9}  {'reply p99':>9}")
    for start in range(0, int(seconds), int(WINDOW_SECONDS)):
        low, high = began + start, began + start + WINDOW_SECONDS
        window = [latency for sent, latency in timeline if low <= sent < high]
        sends = sum(1 for at in sent_at if wall_began + start <= at < wall_began + start + WINDOW_SECONDS)
        print(
            f"{start:>4}-{start + int(WINDOW_SECONDS):<3}  {sends / WINDOW_SECONDS:>10.1f}  {len(window):>7}  "
            f"{ms(percentile(window, 0.5)):>9}  {ms(percentile(window, 0.99)):>9}"
        )
    every = [latency for _, latency in timeline]
    print(
        f"campaign sent {len(sent_at):,} of {recipients:,} in {seconds:.0f} s "
        f"({len(sent_at) / seconds:.1f}/s); {CAMPAIGN_TALKERS} talking clients: {len(every)} replies, "
        f"p50 {ms(percentile(every, 0.5))}, p99 {ms(percentile(every, 0.99))}",
        flush=True,
    )


def say(result: Result) -> None:
    cpu = ", ".join(f"{name} {seconds * 1000:.1f}" for name, seconds in result.cpu.items())
    total = sum(result.cpu.values()) * 1000
    print(
        f"{result.clients:>7}  {result.per_second:>11.1f}  {ms(percentile(result.latencies, 0.5)):>9}  "
        f"{ms(percentile(result.latencies, 0.95)):>9}  {ms(percentile(result.latencies, 0.99)):>9}  "
        f"{result.errors:>6}  {total:>6.1f} ({cpu})",
        flush=True,
    )


async def load(url: str, graph: GraphState, pids: dict[str, int], counts: list[int], seconds: float) -> None:
    replies = Replies(graph)
    watcher = asyncio.create_task(replies.watch())
    limits = httpx.Limits(max_connections=500, max_keepalive_connections=500)
    try:
        async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30.0) as client:
            runner = Load(client, replies, pids)
            warm = await runner.run(2, WARM_UP_SECONDS)  # connections, prepared statements, caches
            if not warm.latencies:
                raise RuntimeError("warm-up answers got no reply: the services are not wired up")
            print("clients  exchanges/s  reply p50  reply p95  reply p99  errors  CPU ms/exchange")
            for count in counts:
                say(await runner.run(count, seconds))
    finally:
        watcher.cancel()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, nargs="*", default=list(CLIENTS))
    parser.add_argument("--seconds", type=float, default=STEP_SECONDS)
    parser.add_argument("--campaign", type=int, default=CAMPAIGN_RECIPIENTS)
    parser.add_argument("--campaign-seconds", type=float, default=CAMPAIGN_SECONDS)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="inkline-bench-"))
    workdir.chmod(0o755)  # PostgreSQL runs as nobody when the benchmark runs as root
    graph = GraphState(access_token=GRAPH_TOKEN)
    try:
        with ExitStack() as stack:
            nats_server, postgres = stack.enter_context(infrastructure(workdir))
            conversation_db = migrated(postgres, "bench_conversation", CONVERSATION_MIGRATIONS)
            notifier_db = migrated(postgres, "bench_notifier", NOTIFIER_MIGRATIONS)
            asyncio.run(create_database(postgres.admin_dsn, "bench_baseline"))
            graph_url = stack.enter_context(serve_in_background(create_graph_app(graph)))
            common = {
                "NATS_URL": nats_server.url,
                "WHATSAPP_GRAPH_URL": f"{graph_url}/v21.0",
                "LOG_JSON": "1",
                **SECRETS,
            }
            print(
                f"closed loop, {args.seconds:.0f} s per client count "
                f"(load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)",
                flush=True,
            )
            with (
                service("notifier", workdir, {**common, "DATABASE_URL": notifier_db}) as notifier,
                service("conversation", workdir, {**common, "DATABASE_URL": conversation_db}) as conversation,
            ):
                pids = {"conversation": conversation.process.pid, "notifier": notifier.process.pid}
                if args.clients:
                    asyncio.run(load(conversation.url, graph, pids, args.clients, args.seconds))
                if args.campaign:
                    asyncio.run(
                        campaign_while_talking(
                            conversation.url,
                            nats_server.url,
                            graph,
                            pids,
                            args.campaign,
                            args.campaign_seconds,
                        )
                    )
            base = asyncio.run(
                baseline(nats_server.url, postgres.url("bench_baseline", driver="postgresql"), 30)
            )
            print(
                f"baseline: {base.messages_per_second:.0f} msg/s (JetStream → pull consumers → INSERT + commit, "
                f"no app code); p50 {ms(percentile(base.latencies, 0.5))}, "
                f"p99 {ms(percentile(base.latencies, 0.99))} paced at {base.paced_rate}/s"
            )
    except BaseException:
        for log in sorted(workdir.glob("*.log")):
            print(f"--- {log.name}\n{tail(log)}", file=sys.stderr)
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

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
from pathlib import Path

import httpx
import nats
from _baseline import baseline
from _closed_loop import Load, Replies, Result
from _stack import GRAPH_TOKEN, conversation_and_notifier, ms, percentile, tail

from inkline_contracts import subjects
from inkline_contracts.envelope import new_envelope
from inkline_contracts.events.notify import Category, SendMessage, TemplateContent
from inkline_contracts.send_routing import published_subject
from inkline_sandbox.graph import GraphState

CLIENTS = (1, 10, 50, 200)
CAMPAIGN_RECIPIENTS = 20_000
CAMPAIGN_SECONDS = 60.0
CAMPAIGN_TALKERS = 3
WINDOW_SECONDS = 10.0
AUDIENCE_PREFIX = "4476"
STEP_SECONDS = 15.0
WARM_UP_SECONDS = 3.0


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
    if result.box_cpu is not None and result.load_cpu is not None:
        cpu += f"; box {result.box_cpu * 1000:.1f}, of which load generator {result.load_cpu * 1000:.1f}"
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
        with conversation_and_notifier(workdir, graph) as stack:
            print(
                f"closed loop, {args.seconds:.0f} s per client count "
                f"(load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)",
                flush=True,
            )
            url = stack.conversation.url
            if args.clients:
                asyncio.run(load(url, graph, stack.pids, args.clients, args.seconds))
            if args.campaign:
                asyncio.run(
                    campaign_while_talking(
                        url, stack.nats_url, graph, stack.pids, args.campaign, args.campaign_seconds
                    )
                )
            stack.stop_services()
            base = asyncio.run(baseline(stack.nats_url, stack.baseline_dsn(), 30))
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

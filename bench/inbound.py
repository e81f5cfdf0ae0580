"""Inbound path under rising load: signed WhatsApp webhooks → conversation → notifier → Graph API fake.

Each step posts first messages from distinct client numbers at a fixed rate (open loop: a slow ack does not
slow the sender, as with Meta) and waits for the greeting to reach the fake Graph API. It prints, per rate,
webhook ack p50/p99 and first-reply p50/p99 (POST sent → the fake recording the greeting to that number),
and the sustained rate: the highest one at which every webhook was acked, every client got a reply, and
the reply latency of the step's last quarter did not drift above its first quarter (no growing backlog).

In the same run it measures the raw baseline of this box with no application code: JetStream publish →
pull consume → one INSERT committed in PostgreSQL → ack, flooded for messages/s and paced at the sustained
rate for p50/p99, so the ratios can be compared across machines.

Topology (`_stack.py`): NATS and PostgreSQL from the wheels, conversation and notifier each in their own
process exactly as deployed, the Graph fake and this load generator in this process.
Run: .venv/bin/python bench/inbound.py
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import nats
from _baseline import BASELINE_WORKERS, Baseline, baseline
from _stack import APP_SECRET, GRAPH_TOKEN, conversation_and_notifier, cpu_seconds, ms, percentile, tail
from nats.js import JetStreamContext

from inkline_sandbox.graph import GraphState
from inkline_sandbox.graph.webhooks import Customer, encode, sign_payload, text_message

# messages/s; 80 is Meta's default per-number send limit, where the notifier's token bucket caps sends
RATES = (5, 10, 20, 30, 40, 60, 80)
STEP_SECONDS = 4.0
DRAIN_SECONDS = 15.0  # after a step's last POST, how long its replies may take before it counts as failed
RETRY_PAUSE_SECONDS = 3.0
DRIFT_SLACK_SECONDS = 0.5  # the pollers (outbox 0.5 s, sender 0.25 s) make single latencies jump this much


@dataclass(frozen=True)
class Step:
    rate: int
    sent: int
    offered_rate: float
    acked: int
    ack_seconds: list[float]
    reply_seconds: list[float]  # in posting order; only clients who got a reply
    drift_seconds: float  # median reply latency of the last quarter minus that of the first
    cpu: dict[str, float]  # per service process, share of one core while the step ran (Linux only)
    retry: bool
    backlog: tuple[str, int]  # the durable consumer furthest behind when the step's last webhook was acked

    @property
    def keeps_up(self) -> bool:
        return (
            self.acked == self.sent
            and len(self.reply_seconds) == self.sent
            and self.drift_seconds <= DRIFT_SLACK_SECONDS
        )


def cpu_shares(step: Step) -> str:
    return ", ".join(f"{name} {share:.0%}" for name, share in step.cpu.items()) or "n/a"


# -- the application under load ------------------------------------------------------------------------


class Driver:
    """Posts signed first messages at a fixed rate and reads reply times off the Graph fake."""

    def __init__(
        self, client: httpx.AsyncClient, graph: GraphState, pids: dict[str, int], js: JetStreamContext
    ) -> None:
        self._client = client
        self._graph = graph
        self._pids = pids
        self._js = js

    async def _worst_backlog(self) -> tuple[str, int]:
        """Which service consumer has the most messages not yet handled (pending + unacknowledged)."""
        worst = ("none", 0)
        for stream in await self._js.streams_info():
            for consumer in await self._js.consumers_info(stream.config.name or ""):
                behind = (consumer.num_pending or 0) + (consumer.num_ack_pending or 0)
                if behind > worst[1]:
                    worst = (consumer.name, behind)
        return worst

    def _cpu(self) -> dict[str, float | None]:
        return {name: cpu_seconds(pid) for name, pid in self._pids.items()}

    async def _post(self, customer: Customer) -> tuple[float, float | None]:
        """→ (wall time the POST started, seconds to a 200 or None)."""
        body = encode(
            text_message(
                customer,
                "Hi! I'd love to book a tattoo",
                message_id=f"wamid.bench.{customer.wa_id}",
                timestamp=int(time.time()),
            )
        )
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign_payload(body, APP_SECRET)}
        posted = time.time()
        began = time.perf_counter()
        try:
            response = await self._client.post("/webhooks/whatsapp", content=body, headers=headers)
        except httpx.HTTPError:
            return posted, None
        return posted, (time.perf_counter() - began) if response.status_code == 200 else None

    def _first_replies(self) -> dict[str, float]:
        first: dict[str, float] = {}
        for message in self._graph.messages():
            first[message.wa_id] = min(first.get(message.wa_id, message.sent_at), message.sent_at)
        return first

    async def step(
        self, rate: int, series: int, *, seconds: float = STEP_SECONDS, retry: bool = False
    ) -> Step:
        customers = [
            Customer(wa_id=f"4479{series:02d}{n:06d}", name=f"Bench {n}") for n in range(int(rate * seconds))
        ]
        loop = asyncio.get_running_loop()
        cpu_before = self._cpu()
        start = loop.time()
        posts: list[asyncio.Task[tuple[float, float | None]]] = []
        for n, customer in enumerate(customers):
            delay = start + n / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            posts.append(asyncio.create_task(self._post(customer)))
        offered = len(customers) / (loop.time() - start + 1 / rate)
        results = await asyncio.gather(*posts)
        backlog = await self._worst_backlog()
        deadline = time.monotonic() + DRAIN_SECONDS
        wanted = {customer.wa_id for customer in customers}
        # The fake records sends on its own server thread, with nothing to await: poll it.
        while not wanted <= self._first_replies().keys() and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        first = self._first_replies()
        elapsed = loop.time() - start
        cpu = {
            name: (after - before) / elapsed
            for (name, after), before in zip(self._cpu().items(), cpu_before.values(), strict=True)
            if after is not None and before is not None
        }
        replies = [
            first[customer.wa_id] - posted
            for customer, (posted, _) in zip(customers, results, strict=True)
            if customer.wa_id in first
        ]
        quarter = max(1, len(replies) // 4)
        drift = (
            statistics.median(replies[-quarter:]) - statistics.median(replies[:quarter]) if replies else 0.0
        )
        acks = [ack for _, ack in results if ack is not None]
        return Step(rate, len(customers), offered, len(acks), acks, replies, drift, cpu, retry, backlog)


async def load(conversation_url: str, nats_url: str, graph: GraphState, pids: dict[str, int]) -> list[Step]:
    limits = httpx.Limits(max_connections=500, max_keepalive_connections=500)
    broker = await nats.connect(nats_url)
    try:
        async with httpx.AsyncClient(base_url=conversation_url, limits=limits, timeout=30.0) as client:
            return await ladder(Driver(client, graph, pids, broker.jetstream()))
    finally:
        await broker.close()


async def ladder(driver: Driver) -> list[Step]:
    """Climb the rates until one falls behind twice in a row."""
    warm_up = await driver.step(5, 99, seconds=1.0)  # first connections, prepared statements, JIT caches
    if len(warm_up.reply_seconds) < warm_up.sent:
        raise RuntimeError("warm-up messages got no reply: the services are not wired up")
    steps: list[Step] = []
    for series, rate in enumerate(RATES):
        result = await driver.step(rate, series)
        steps.append(result)
        say(result)
        if not result.keeps_up:
            # One retry, after a pause: on a shared box one burst elsewhere can cost a step.
            await asyncio.sleep(RETRY_PAUSE_SECONDS)
            result = await driver.step(rate, series + 50, retry=True)
            steps.append(result)
            say(result)
        if not result.keeps_up:
            break
    return steps


def say(result: Step) -> None:
    rate = result.rate
    print(
        f"  {rate:>3} msg/s{' (retry)' if result.retry else ''}: offered {result.offered_rate:5.1f}/s, "
        f"acked {result.acked}/{result.sent}, "
        f"replied {len(result.reply_seconds)}/{result.sent}, drift {ms(result.drift_seconds)}, "
        f"CPU {cpu_shares(result)}, most behind: {result.backlog[0]} ({result.backlog[1]})"
        f"{'' if result.keeps_up else '  <- falls behind'}",
        flush=True,
    )


# -- the report ----------------------------------------------------------------------------------------


def report(steps: list[Step], base: Baseline) -> None:
    print()
    print("rate/s  offered/s  acked  replied  ack p50  ack p99  reply p50  reply p99  keeps up")
    for step in steps:
        print(
            f"{step.rate:>4}{'r' if step.retry else ' '}  {step.offered_rate:>9.1f}  {step.acked:>5}  {len(step.reply_seconds):>7}  "
            f"{ms(percentile(step.ack_seconds, 0.5)):>7}  {ms(percentile(step.ack_seconds, 0.99)):>7}  "
            f"{ms(percentile(step.reply_seconds, 0.5)):>9}  {ms(percentile(step.reply_seconds, 0.99)):>9}  "
            f"{'yes' if step.keeps_up else 'no'}"
        )
    kept = [step for step in steps if step.keeps_up]
    if any(step.retry for step in steps):
        print("(r: a rate tried again after it fell behind once)")
    print()
    if not kept:
        print(f"sustained                 none (the system fell behind at {steps[0].rate} msg/s)")
    else:
        top = kept[-1]
        ceiling = " (top of the ladder, Meta's per-number send limit)" if top.rate == RATES[-1] else ""
        print(f"sustained                 {top.rate} msg/s{ceiling}")
        print(
            f"webhook ack               p50 {ms(percentile(top.ack_seconds, 0.5))}, "
            f"p99 {ms(percentile(top.ack_seconds, 0.99))} (at {top.rate} msg/s)"
        )
        print(
            f"first reply               p50 {ms(percentile(top.reply_seconds, 0.5))}, "
            f"p99 {ms(percentile(top.reply_seconds, 0.99))} (at {top.rate} msg/s)"
        )
    print(
        f"baseline throughput       {base.messages_per_second:.0f} msg/s "
        f"(JetStream → {BASELINE_WORKERS} pull consumers → INSERT + commit, no app code)"
    )
    print(
        f"baseline latency          p50 {ms(percentile(base.latencies, 0.5))}, "
        f"p99 {ms(percentile(base.latencies, 0.99))} (paced at {base.paced_rate} msg/s)"
    )
    if kept:
        top = kept[-1]
        ratio = top.rate / base.messages_per_second
        print(f"sustained / baseline      {ratio:.4f} ({ratio * 100:.2f} % of the raw pipeline's throughput)")
        reply_p50 = percentile(top.reply_seconds, 0.5)
        print(f"first-reply p50 / base    {reply_p50 / percentile(base.latencies, 0.5):.0f}x")


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="inkline-bench-"))
    workdir.chmod(0o755)  # PostgreSQL runs as nobody when the benchmark runs as root
    graph = GraphState(access_token=GRAPH_TOKEN)
    try:
        with conversation_and_notifier(workdir, graph) as stack:
            print(
                f"stepping {', '.join(map(str, RATES))} msg/s for {STEP_SECONDS:.0f} s each "
                f"(load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)",
                flush=True,
            )
            steps = asyncio.run(load(stack.conversation.url, stack.nats_url, graph, stack.pids))
            stack.stop_services()
            kept = [step.rate for step in steps if step.keeps_up]
            base = asyncio.run(baseline(stack.nats_url, stack.baseline_dsn(), max(kept or [5])))
            report(steps, base)
    except BaseException:
        for log in sorted(workdir.glob("*.log")):
            print(f"--- {log.name}\n{tail(log)}", file=sys.stderr)
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Inbound path under rising load: signed WhatsApp webhooks → conversation → notifier → Graph API fake.

Each step posts first messages from distinct client numbers at a fixed rate (open loop: a slow ack does not
slow the sender, as with Meta) and waits for the greeting to reach the fake Graph API. It prints, per rate,
webhook ack p50/p99 and first-reply p50/p99 (POST sent → the fake recording the greeting to that number),
and the sustained rate: the highest one at which every webhook was acked, every client got a reply, and
the reply latency of the step's last quarter did not drift above its first quarter (no growing backlog).

In the same run it measures the raw baseline of this box with no application code: JetStream publish →
pull consume → one INSERT committed in PostgreSQL → ack, flooded for messages/s and paced at the sustained
rate for p50/p99, so the ratios can be compared across machines.

Topology: NATS and PostgreSQL from the wheels (as the pytest plugin starts them; PostgreSQL with fsync off,
like the tests); conversation and notifier each in their own process exactly as deployed
(`python -m inkline_<service>`: `create_app(<Service>Settings())` under uvicorn on a real port,
INKLINE_SANDBOX=0, WHATSAPP_GRAPH_URL at the fake); the Graph fake (`serve_in_background`) and the load
generator in this process. Run: .venv/bin/python bench/inbound.py
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import nats
from nats.js import JetStreamContext
from nats.js.api import StorageType

from inkline_conversation.db import MIGRATIONS_DIR as CONVERSATION_MIGRATIONS
from inkline_devstack.nats_server import NatsServer
from inkline_devstack.postgres_server import PostgresServer, create_database
from inkline_notifier.db import MIGRATIONS_DIR as NOTIFIER_MIGRATIONS
from inkline_platform.migrations import upgrade
from inkline_sandbox.graph import GraphState, create_graph_app
from inkline_sandbox.graph.webhooks import Customer, encode, sign_payload, text_message
from inkline_sandbox.server import free_port, serve_in_background

# messages/s; 80 is Meta's default per-number send limit, where the notifier's token bucket caps sends
RATES = (5, 10, 20, 30, 40, 60, 80)
STEP_SECONDS = 4.0
DRAIN_SECONDS = 15.0  # after a step's last POST, how long its replies may take before it counts as failed
RETRY_PAUSE_SECONDS = 3.0
DRIFT_SLACK_SECONDS = 0.5  # the pollers (outbox 0.5 s, sender 0.25 s) make single latencies jump this much
BASELINE_FLOOD = 5000
BASELINE_WORKERS = 4
BASELINE_PACED_SECONDS = 3.0

APP_SECRET = "bench-app-secret-of-32-characters"  # noqa: S105 - signs the fake webhooks, nothing real
GRAPH_TOKEN = "bench-graph-token"  # noqa: S105 - the fake's own credential
SECRETS = {
    "WHATSAPP_APP_SECRET": APP_SECRET,
    "WHATSAPP_VERIFY_TOKEN": "bench-verify-token-of-32-characters",
    "WHATSAPP_ACCESS_TOKEN": GRAPH_TOKEN,
    "MEDIA_LINK_SECRET": "bench-link-secret-of-32-characters",
    "CONVERSATION_ADMIN_TOKEN": "bench-conversation-admin-token-of-32",
}


@dataclass(frozen=True)
class Service:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path


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


@dataclass(frozen=True)
class Baseline:
    messages_per_second: float
    paced_rate: int
    latencies: list[float]


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else float("nan")


def cpu_shares(step: Step) -> str:
    return ", ".join(f"{name} {share:.0%}" for name, share in step.cpu.items()) or "n/a"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


# -- infrastructure and services -----------------------------------------------------------------------


@contextmanager
def infrastructure(workdir: Path) -> Iterator[tuple[NatsServer, PostgresServer]]:
    nats_server = NatsServer(store_dir=workdir / "nats").start(log_file=workdir / "nats.log")
    try:
        postgres = PostgresServer(cluster_dir=workdir / "postgres", fast_and_unsafe=True).start(
            log_file=workdir / "postgres.log"
        )
        try:
            yield nats_server, postgres
        finally:
            postgres.stop()
    finally:
        nats_server.stop()


def migrated(postgres: PostgresServer, name: str, migrations_dir: Path) -> str:
    asyncio.run(create_database(postgres.admin_dsn, name))
    url = postgres.url(name)
    upgrade(migrations_dir, url)
    return url


@contextmanager
def service(name: str, workdir: Path, env: dict[str, str]) -> Iterator[Service]:
    """`python -m inkline_<name>` with the deployment's environment variables; stopped with SIGTERM."""
    port = free_port()
    log = workdir / f"{name}.log"
    environment = {**os.environ, **env, "HTTP_PORT": str(port), "INKLINE_SANDBOX": "0"}
    with log.open("ab") as out:
        # cwd: the benchmark's own directory, so no developer's `.env` leaks into the services.
        process = subprocess.Popen(
            [sys.executable, "-m", f"inkline_{name}"],
            cwd=workdir,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    running = Service(name, f"http://127.0.0.1:{port}", process, log)
    try:
        wait_ready(running)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_ready(running: Service, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise RuntimeError(f"{running.name} exited:\n{tail(running.log)}")
        try:
            if httpx.get(f"{running.url}/readyz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{running.name} not ready after {timeout:.0f} s:\n{tail(running.log)}")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process, from /proc (None where there is no /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


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


# -- the raw baseline ----------------------------------------------------------------------------------


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
            with (
                service("notifier", workdir, {**common, "DATABASE_URL": notifier_db}) as notifier,
                service("conversation", workdir, {**common, "DATABASE_URL": conversation_db}) as conversation,
            ):
                print(
                    f"stepping {', '.join(map(str, RATES))} msg/s for {STEP_SECONDS:.0f} s each "
                    f"(load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)",
                    flush=True,
                )
                pids = {"conversation": conversation.process.pid, "notifier": notifier.process.pid}
                steps = asyncio.run(load(conversation.url, nats_server.url, graph, pids))
            kept = [step.rate for step in steps if step.keeps_up]
            base = asyncio.run(
                baseline(
                    nats_server.url, postgres.url("bench_baseline", driver="postgresql"), max(kept or [5])
                )
            )
            report(steps, base)
    except BaseException:
        for log in sorted(workdir.glob("*.log")):
            print(f"--- {log.name}\n{tail(log)}", file=sys.stderr)
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

"""What every service benchmark here stands up: NATS and PostgreSQL from the wheels, migrated databases,
the Graph fake, and services started exactly as deployed (`python -m inkline_<service>`).

PostgreSQL runs with fsync off, like the tests. Each service gets the deployment's environment variables,
INKLINE_SANDBOX=0 and the fake's URL, and runs in its own process so its CPU time can be read from /proc.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from inkline_conversation.db import MIGRATIONS_DIR as CONVERSATION_MIGRATIONS
from inkline_devstack.nats_server import NatsServer
from inkline_devstack.postgres_server import PostgresServer, create_database
from inkline_notifier.db import MIGRATIONS_DIR as NOTIFIER_MIGRATIONS
from inkline_platform.migrations import upgrade
from inkline_sandbox.graph import GraphState, create_graph_app
from inkline_sandbox.server import free_port, serve_in_background

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
class Stack:
    """Conversation and notifier running against the Graph fake, with what a benchmark needs of them."""

    nats_url: str
    postgres: PostgresServer
    conversation: Service
    notifier: Service
    services: ExitStack  # closed by stop_services(), so the baseline runs with no service on the box

    @property
    def pids(self) -> dict[str, int]:
        return {"conversation": self.conversation.process.pid, "notifier": self.notifier.process.pid}

    def stop_services(self) -> None:
        self.services.close()

    def baseline_dsn(self) -> str:
        return self.postgres.url("bench_baseline", driver="postgresql")


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else float("nan")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


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


def box_cpu_seconds() -> float | None:
    """CPU time every process on the box has used (PostgreSQL, NATS, this load generator and its Graph fake
    included), from /proc/stat: with it, a figure per exchange shows what the services leave to the rest."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


@contextmanager
def conversation_and_notifier(workdir: Path, graph: GraphState) -> Iterator[Stack]:
    """The inbound path as deployed: webhook → conversation → notifier → the Graph fake (in this process)."""
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
        services = stack.enter_context(ExitStack())
        notifier = services.enter_context(
            service("notifier", workdir, {**common, "DATABASE_URL": notifier_db})
        )
        conversation = services.enter_context(
            service("conversation", workdir, {**common, "DATABASE_URL": conversation_db})
        )
        yield Stack(nats_server.url, postgres, conversation, notifier, services)

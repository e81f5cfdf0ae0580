"""Several replicas of one service in the test's event loop, a load balancer in front of them, and crashes.

Each replica is its own app and so its own `ServiceRuntime`: its own NATS connection, outbox relay,
consumers and periodic jobs, sharing the service's database and durable consumers with its siblings,
as separate pods would.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request, Response

from inkline_devstack.harness import running_service
from inkline_devstack.ports import free_port

# Headers a proxy must not copy: they describe the hop, not the request.
_HOP_HEADERS = frozenset({"host", "content-length", "connection", "transfer-encoding"})


class Replica:
    """One replica; `crash()` ends it wherever it is, with no drain of in-flight work."""

    def __init__(self, name: str, app: FastAPI) -> None:
        self.name = name
        self.app = app
        self.client: httpx.AsyncClient | None = None
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()

    @property
    def alive(self) -> bool:
        return self.client is not None

    async def start(self) -> None:
        started: asyncio.Future[httpx.AsyncClient] = asyncio.get_running_loop().create_future()
        self._task = asyncio.create_task(self._run(started), name=f"replica-{self.name}")
        self.client = await started

    async def _run(self, started: asyncio.Future[httpx.AsyncClient]) -> None:
        try:
            async with running_service(self.app) as client:
                started.set_result(client)
                await self._stop.wait()
        except BaseException as exc:
            if not started.done():
                started.set_exception(exc)
            raise

    async def crash(self) -> None:
        """Cancel the replica mid-work: open transactions roll back, fetched messages stay unacknowledged
        (JetStream redelivers them to a sibling after the ack wait), pending outbox rows wait for a sibling's
        relay. Nothing is drained; the load balancer stops sending it requests at once."""
        self.client = None
        if self._task is not None:
            self._task.cancel()
            await asyncio.wait([self._task])

    async def stop(self) -> None:
        self.client = None
        self._stop.set()
        if self._task is not None:
            await asyncio.wait([self._task])


class NoReplicaAnsweredError(RuntimeError):
    pass


class ReplicaSet:
    """The replicas of one service behind a round-robin balancer that retries on a sibling, like an
    ingress in front of pods (and like WhatsApp and Stripe, which resend what was not acknowledged)."""

    def __init__(self, replicas: Sequence[Replica]) -> None:
        self.replicas = list(replicas)
        self._turn = itertools.count()

    @property
    def live(self) -> list[Replica]:
        return [replica for replica in self.replicas if replica.alive]

    async def start(self) -> None:
        for replica in self.replicas:
            await replica.start()

    async def stop(self) -> None:
        for replica in self.replicas:
            if replica.alive:
                await replica.stop()

    async def request(
        self, method: str, url: str, *, rounds: int = 20, retry_after: float = 0.25, **kwargs: Any
    ) -> httpx.Response:
        """Send to the next live replica; on a transport error or a 5xx try the others, then again."""
        failures: list[str] = []
        for _ in range(rounds):
            live = self.live
            start = next(self._turn)
            for offset in range(len(live)):
                replica = live[(start + offset) % len(live)]
                client = replica.client
                if client is None:
                    continue
                try:
                    response = await client.request(method, url, **kwargs)
                except Exception as exc:
                    failures.append(f"{replica.name}: {exc!r}")
                    continue
                if response.status_code < 500:
                    return response
                failures.append(f"{replica.name}: HTTP {response.status_code} {response.text[:200]}")
            await asyncio.sleep(retry_after)
        raise NoReplicaAnsweredError(f"{method} {url}: {failures[-5:]}")


def balancer_app(replicas: ReplicaSet) -> FastAPI:
    """An HTTP front door forwarding every request to `replicas` (for callers outside the loop: Stripe)."""
    app = FastAPI()

    @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def forward(path: str, request: Request) -> Response:
        """Forward to a live replica."""
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_HEADERS}
        try:
            answer = await replicas.request(
                request.method, f"/{path}", content=await request.body(), headers=headers, rounds=2
            )
        except NoReplicaAnsweredError as exc:
            return Response(str(exc), status_code=502)
        passed = {k: v for k, v in answer.headers.items() if k.lower() not in _HOP_HEADERS}
        return Response(answer.content, status_code=answer.status_code, headers=passed)

    return app


@asynccontextmanager
async def serve_in_loop(app: FastAPI) -> AsyncIterator[str]:
    """Serve `app` over real HTTP from the running event loop (so it can call apps living in this loop)."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve(), name=f"http-{port}")
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError(f"server on port {port} did not start")
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task

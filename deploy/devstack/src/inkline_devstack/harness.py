"""Running a service in-process for tests, and watching what reaches JetStream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import nats
from fastapi import FastAPI
from nats.js.api import DeliverPolicy


@asynccontextmanager
async def running_service(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Start the app's lifespan (broker, relay, consumers) and give an HTTP client bound to it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            yield client


class JetStreamProbe:
    """Collects every message published on `subject` after the probe started."""

    def __init__(self, nats_url: str, subject: str) -> None:
        self._url = nats_url
        self._subject = subject
        self.messages: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._changed = asyncio.Condition()
        self._client: Any = None

    async def __aenter__(self) -> JetStreamProbe:
        self._client = await nats.connect(self._url)
        js = self._client.jetstream()

        async def collect(msg: Any) -> None:
            async with self._changed:
                self.messages.append(json.loads(msg.data))
                self.headers.append(dict(msg.headers or {}))
                self._changed.notify_all()

        # A partitioned subject (notify.send) is published on `<subject>.<partition>`: those count too.
        wildcard = "*" in self._subject or ">" in self._subject
        for subject in (self._subject,) if wildcard else (self._subject, f"{self._subject}.>"):
            await js.subscribe(subject, cb=collect, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW)
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._client.close()

    async def wait_for(
        self, predicate: Callable[[list[dict[str, Any]]], bool], *, timeout: float = 15.0
    ) -> list[dict[str, Any]]:
        """Wait until `predicate(messages)` holds; raise with what arrived if it never does."""
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: predicate(self.messages)), timeout)
            except TimeoutError:
                raise AssertionError(f"{self._subject}: condition not met; got {self.messages}") from None
        return list(self.messages)

    async def wait_for_count(self, count: int, *, timeout: float = 15.0) -> list[dict[str, Any]]:
        return await self.wait_for(lambda messages: len(messages) >= count, timeout=timeout)


async def eventually(check: Callable[[], Any], *, timeout: float = 15.0, interval: float = 0.05) -> Any:
    """Poll an async or sync `check` until it returns a truthy value (tests wait on conditions, not time)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI, Request
from pydantic import BaseModel
from starlette.types import Message, Receive, Scope, Send

from inkline_platform.body_limit import KIB, BodyLimitMiddleware, BodyLimits
from inkline_platform.runtime import ServiceRuntime
from inkline_platform.settings import ServiceSettings

CAP = 256 * KIB
CHUNK = 64 * KIB
# 200 MiB if it were all read: the size that raised a pod's memory by ~400 MiB before the 401.
ATTACK_CHUNKS = 200 * 16


class EndlessBody:
    """An ASGI `receive` streaming chunks of a 200 MiB body, counting how much was pulled from it."""

    def __init__(self) -> None:
        self.pulled = 0
        self._sent = 0

    async def __call__(self) -> Message:
        self._sent += 1
        self.pulled += CHUNK
        return {"type": "http.request", "body": b"x" * CHUNK, "more_body": self._sent < ATTACK_CHUNKS}


class Reader:
    """A bare ASGI app that reads the whole body before answering, as a careless handler would."""

    def __init__(self) -> None:
        self.called = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.called = True
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(len(body)).encode()})


async def _call(app: BodyLimitMiddleware, *, headers: list[tuple[bytes, bytes]]) -> tuple[int, EndlessBody]:
    body = EndlessBody()
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": "http", "method": "POST", "path": "/webhooks/meta", "headers": headers}
    await app(scope, body, send)
    return int(sent[0]["status"]), body


async def test_a_declared_length_over_the_cap_is_refused_without_reading_a_byte() -> None:
    reader = Reader()
    app = BodyLimitMiddleware(reader, limits=BodyLimits(by_prefix={"/webhooks/": CAP}))

    status, body = await _call(app, headers=[(b"content-length", str(200 * 1024 * KIB).encode())])

    assert status == 413
    assert body.pulled == 0
    assert not reader.called


async def test_a_chunked_body_over_the_cap_is_refused_after_at_most_one_chunk_past_it() -> None:
    app = BodyLimitMiddleware(Reader(), limits=BodyLimits(by_prefix={"/webhooks/": CAP}))

    status, body = await _call(app, headers=[(b"transfer-encoding", b"chunked")])

    assert status == 413
    assert body.pulled <= CAP + CHUNK


async def test_a_lying_content_length_is_caught_by_the_streamed_count() -> None:
    app = BodyLimitMiddleware(Reader(), limits=BodyLimits(by_prefix={"/webhooks/": CAP}))

    status, body = await _call(app, headers=[(b"content-length", b"10")])

    assert status == 413
    assert body.pulled <= CAP + CHUNK


def test_the_longest_matching_prefix_names_the_limit() -> None:
    limits = BodyLimits(default=10, by_prefix={"/webhooks/": 20, "/webhooks/whatsapp": 30})

    assert limits.limit_for(limits.route_for("/webhooks/whatsapp")) == 30
    assert limits.limit_for(limits.route_for("/webhooks/stripe")) == 20
    assert limits.limit_for(limits.route_for("/api/campaigns")) == 10
    assert limits.route_for("/api/campaigns") == "*"


class Note(BaseModel):
    text: str


def _service_app() -> FastAPI:
    runtime = ServiceRuntime(service="limits-test", settings=ServiceSettings(log_json=False))
    app = runtime.create_app(title="limits", body_limits=BodyLimits(default=CAP))

    @app.post("/raw")
    async def raw(request: Request) -> dict[str, int]:
        return {"length": len(await request.body())}

    @app.post("/json")
    async def json_body(body: Note) -> dict[str, int]:
        return {"length": len(body.text)}

    return app


async def _streamed(size: int, pulled: list[int]) -> AsyncIterator[bytes]:
    while pulled[0] < size:
        pulled[0] += CHUNK
        yield b"x" * CHUNK


async def test_every_service_app_answers_413_with_or_without_content_length() -> None:
    # The lifespan (broker, database) is not started: the cap must hold before anything else runs.
    transport = httpx.ASGITransport(app=_service_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        small = await client.post("/raw", content=b"x" * 1000)
        declared = await client.post("/raw", content=b"x" * (CAP + 1))
        pulled = [0]
        chunked = await client.post("/raw", content=_streamed(200 * 1024 * KIB, pulled))
        json_pulled = [0]
        parsed = await client.post(
            "/json",
            content=_streamed(200 * 1024 * KIB, json_pulled),
            headers={"Content-Type": "application/json"},
        )

    assert (small.status_code, small.json()) == (200, {"length": 1000})
    assert declared.status_code == 413
    assert chunked.status_code == 413
    assert chunked.json() == {"detail": "Request body too large"}
    assert pulled[0] <= CAP + CHUNK
    assert parsed.status_code == 413, "FastAPI's body parsing passes the refusal on instead of answering 400"
    assert json_pulled[0] <= CAP + CHUNK

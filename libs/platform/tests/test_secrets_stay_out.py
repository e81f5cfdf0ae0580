"""Secrets and personal data stay out of what leaves a service: exported spans and database errors."""

from __future__ import annotations

import json
from typing import Annotated

import httpx
import pytest
import structlog
from fastapi import APIRouter, Query
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from inkline_platform.db import make_engine
from inkline_platform.logging import configure_logging
from inkline_platform.runtime import ServiceRuntime
from inkline_platform.settings import ServiceSettings

ACTION_TOKEN = "Zk3v0-action-token-that-opens-a-booking"
VERIFY_TOKEN = "verify-token-meta-must-send-back-0123456789"
SIGNATURE = "c2lnbmF0dXJlLW9mLWEtbWVkaWEtbGluaw"
PHONE = "447700900123"


def _routes() -> APIRouter:
    router = APIRouter()

    @router.get("/actions/{token}")
    async def action(token: str) -> dict[str, str]:
        return {}

    @router.get("/webhooks/whatsapp")
    async def verify(challenge: Annotated[str, Query(alias="hub.challenge")] = "") -> str:
        return challenge

    @router.get("/media/{media_id}")
    async def media(media_id: str) -> dict[str, str]:
        return {}

    return router


@pytest.fixture
def exported() -> tuple[httpx.AsyncClient, InMemorySpanExporter]:
    """A service app wired by the runtime as in production, with its spans collected as an exporter gets
    them (no lifespan: the routes need neither the database nor NATS)."""
    runtime = ServiceRuntime(
        service="conversation",
        settings=ServiceSettings(
            database_url="postgresql+asyncpg://nobody@127.0.0.1:9/none", nats_url="nats://127.0.0.1:9"
        ),
    )
    exporter = InMemorySpanExporter()
    runtime.tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = runtime.create_app(title="test", routers=[_routes()])
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://conversation")
    return client, exporter


def _everything_exported(spans: tuple[ReadableSpan, ...]) -> str:
    return json.dumps([(span.name, dict(span.attributes or {})) for span in spans])


async def test_an_exported_request_span_carries_no_action_token_verify_token_or_media_signature(
    exported: tuple[httpx.AsyncClient, InMemorySpanExporter],
) -> None:
    client, exporter = exported
    async with client:
        await client.get(f"/actions/{ACTION_TOKEN}", params={"from": "sheet"})
        await client.get(
            "/webhooks/whatsapp",
            params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "42"},
        )
        await client.get("/media/m1", params={"expires": "1900000000", "signature": SIGNATURE})

    spans = exporter.get_finished_spans()
    everything = _everything_exported(spans)
    assert len(spans) == 3
    for secret in (ACTION_TOKEN, VERIFY_TOKEN, SIGNATURE):
        assert secret not in everything
    targets = {span.name: (span.attributes or {}).get("http.target") for span in spans}
    urls = [str((span.attributes or {}).get("http.url")) for span in spans]
    assert targets["GET /actions/{token}"] == "/actions/[redacted]"
    assert any("hub.verify_token=[redacted]&hub.challenge=42" in url for url in urls)
    assert any("expires=1900000000&signature=[redacted]" in url for url in urls)


async def test_a_logged_database_error_names_the_statement_but_not_the_values(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(database_url)
    insert = text("INSERT INTO contacts_t (wa_id, body) VALUES (:wa_id, :body)")
    values = {"wa_id": f"+{PHONE}", "body": "my secret tattoo idea"}
    try:
        async with engine.connect() as connection:
            await connection.execute(text("CREATE TEMP TABLE contacts_t (wa_id text PRIMARY KEY, body text)"))
            await connection.execute(insert, values)
            with pytest.raises(IntegrityError) as failure:
                await connection.execute(insert, values)
    finally:
        await engine.dispose()
    configure_logging(service="conversation", json=True)
    capsys.readouterr()
    try:
        # A traceback in a log line holds the error's full text, which is where SQLAlchemy lists values.
        structlog.get_logger("inkline_platform.consumer").error("handler_failed", exc_info=failure.value)
        (line,) = capsys.readouterr().out.splitlines()
    finally:
        with capsys.disabled():
            configure_logging(service="test", json=False)

    logged = json.loads(line)["exception"]
    assert "INSERT INTO contacts_t" in logged
    assert "secret tattoo" not in logged
    assert PHONE not in logged

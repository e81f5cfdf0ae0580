"""A signature or verify token in any characters is refused with 401/403, never a 500 (before any storage)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from inkline_conversation.api.media_links import media_router
from inkline_conversation.api.whatsapp_webhook import signature_is_valid, whatsapp_router
from inkline_conversation.domain.media_signature import signature_is_valid as media_signature_is_valid
from inkline_conversation.domain.media_signature import signed_media_url
from inkline_platform.db import make_engine, make_session_factory
from inkline_platform.uow import UnitOfWorkFactory
from inkline_sandbox.graph.webhooks import sign_payload

APP_SECRET = SecretStr("an-app-secret-of-32-characters!!")
VERIFY_TOKEN = SecretStr("a-verify-token-of-32-characters!")
LINK_SECRET = SecretStr("a-media-link-secret-32-character")
NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
BODY = b'{"object": "whatsapp_business_account", "entry": []}'


def _app(*, app_secret: SecretStr = APP_SECRET, verify_token: SecretStr = VERIFY_TOKEN) -> FastAPI:
    # Nothing here reaches the database: every request is refused before it is stored or looked up.
    uow = UnitOfWorkFactory(make_session_factory(make_engine("postgresql+asyncpg://nobody@127.0.0.1:9/none")))
    app = FastAPI()
    app.include_router(
        whatsapp_router(
            app_secret=app_secret, verify_token=verify_token, uow=uow, artist_wa_id="447700900000"
        )
    )
    app.include_router(media_router(uow=uow, secret=LINK_SECRET, clock=lambda: NOW))
    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://conversation") as http:
        yield http


@pytest.mark.parametrize(
    "header",
    [
        "sha256=é".encode(),
        "sha256=\u00e9".encode("latin-1"),
        ("sha256=" + "é" * 32).encode(),
        "sha256=💥".encode(),
    ],
)
async def test_a_non_ascii_signature_header_is_refused_with_401(
    client: httpx.AsyncClient, header: bytes
) -> None:
    response = await client.post(
        "/webhooks/whatsapp",
        content=BODY,
        headers=[(b"X-Hub-Signature-256", header), (b"Content-Type", b"application/json")],
    )

    assert response.status_code == 401


@pytest.mark.parametrize(
    "token", ["é", "verify-tökén", "💥" * 40, "\u00e9" + VERIFY_TOKEN.get_secret_value()]
)
async def test_a_non_ascii_verify_token_is_refused_with_403(client: httpx.AsyncClient, token: str) -> None:
    response = await client.get(
        "/webhooks/whatsapp",
        params={"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444"},
    )

    assert response.status_code == 403


@pytest.mark.parametrize("signature", ["é", "AAAAé", "💥" * 43])
async def test_a_non_ascii_media_signature_is_refused_with_403(
    client: httpx.AsyncClient, signature: str
) -> None:
    response = await client.get(
        "/media/1234567890", params={"expires": int(NOW.timestamp()) + 60, "signature": signature}
    )

    assert response.status_code == 403
    assert "not valid" in response.text


async def test_an_empty_app_secret_accepts_no_signature_not_even_one_keyed_with_it() -> None:
    assert not signature_is_valid(BODY, sign_payload(BODY, ""), SecretStr(""))


async def test_an_empty_verify_token_opens_no_handshake() -> None:
    transport = httpx.ASGITransport(app=_app(verify_token=SecretStr("")))
    async with httpx.AsyncClient(transport=transport, base_url="http://conversation") as http:
        response = await http.get(
            "/webhooks/whatsapp",
            params={"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"},
        )

    assert response.status_code == 403


def test_a_media_link_signed_with_an_empty_secret_is_not_valid() -> None:
    url = signed_media_url(base_url="http://c", media_id="1", secret=SecretStr(""), expires_at=NOW)
    signature = url.rsplit("signature=", 1)[1]

    assert not media_signature_is_valid("1", int(NOW.timestamp()), signature, SecretStr(""))

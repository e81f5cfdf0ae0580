"""Helpers for the studio's tests: a settable clock, the CSRF token of a rendered form, another service's event."""

from __future__ import annotations

import re
import struct
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import nats
from pydantic import SecretStr
from starlette.requests import Request
from starlette.responses import Response

from inkline_contracts.base import Contract
from inkline_contracts.envelope import new_envelope
from inkline_contracts.subjects import Subject
from inkline_studio.api.session import CSRF_FIELD, SESSION_COOKIE, Sessions

NOON = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
_CSRF_INPUT = re.compile(rf'name="{CSRF_FIELD}" value="([^"]+)"')


@dataclass
class Clock:
    now: datetime = field(default=NOON)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def csrf_of(page: httpx.Response) -> str:
    """The CSRF token the page's forms carry."""
    found = _CSRF_INPUT.search(page.text)
    assert found, f"no CSRF field on the page: {page.text[:500]}"
    return found.group(1)


async def publish_event(
    nats_url: str, subject: Subject[Any], payload: Contract, *, correlation_id: str
) -> None:
    """What another service's outbox relay does (here: the notifier's reports on a campaign's messages)."""
    envelope = new_envelope(subject, payload, correlation_id=correlation_id)
    client = await nats.connect(nats_url)
    try:
        await client.jetstream().publish(
            subject.name,
            envelope.model_dump_json().encode(),
            headers={"Nats-Msg-Id": str(envelope.message_id)},
        )
    finally:
        await client.close()


def signed_in_cookie(secret: SecretStr, *, clock: Clock | None = None) -> dict[str, str]:
    """The session cookie of someone signed in (for a client's cookie jar), for tests of the pages behind
    sign-in; sign-in itself has its own tests."""
    now = clock or Clock()
    sessions = Sessions(secret, lifetime=timedelta(hours=1), clock=lambda: now().timestamp())
    response = Response()
    scope = {"type": "http", "scheme": "http", "headers": [], "path": "/", "server": ("studio", 80)}
    sessions.sign_in(Request(scope), response, uuid.uuid4())
    value = response.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    return {SESSION_COOKIE: value}


def tiny_png(width: int = 64, height: int = 64, rgb: tuple[int, int, int] = (91, 60, 196)) -> bytes:
    """A one-colour PNG: what a client's reference picture is to a test (no imaging library needed)."""
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")

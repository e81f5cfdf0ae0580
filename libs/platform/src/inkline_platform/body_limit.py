"""Request bodies are capped before they are read: anything larger than its route allows gets 413.

A declared `Content-Length` over the cap is refused before the app runs; a body without one (chunked) is
counted as it streams in, and reading stops at the first chunk past the cap. Without this an unsigned
200 MiB POST is held in memory, twice over, before the signature check can refuse it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import structlog
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger(__name__)

KIB = 1024
MIB = 1024 * KIB
# The JSON admin APIs: a campaign, a segment or a week of availability is a few KiB.
DEFAULT_BODY_LIMIT = 64 * KIB
# A login or an action-page confirmation: a handful of short fields.
FORM_BODY_LIMIT = 16 * KIB
_TOO_LARGE_BODY = b'{"detail":"Request body too large"}'


@dataclass(frozen=True)
class BodyLimits:
    """The cap for every request, with larger or smaller caps for paths starting with a given prefix."""

    default: int = DEFAULT_BODY_LIMIT
    by_prefix: Mapping[str, int] = field(default_factory=dict)

    def route_for(self, path: str) -> str:
        """The longest configured prefix of `path` (what the limit is named by in logs), or ``*``."""
        matches = [prefix for prefix in self.by_prefix if path.startswith(prefix)]
        return max(matches, key=len) if matches else "*"

    def limit_for(self, route: str) -> int:
        return self.by_prefix.get(route, self.default)


class BodyTooLarge(HTTPException):
    """Raised from `receive` once the body passes its cap; an HTTPException, so FastAPI's own body parsing
    passes it on (instead of turning it into a 400) and the app answers 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail="Request body too large")
        self.limit = limit


class BodyLimitMiddleware:
    """ASGI middleware enforcing `BodyLimits` on every HTTP request."""

    def __init__(self, app: ASGIApp, *, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # The route's prefix, never the path: paths carry action tokens and media signatures.
        route = self.limits.route_for(scope["path"])
        limit = self.limits.limit_for(route)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            log.warning("request_body_too_large", route=route, limit=limit, declared=declared)
            await _answer_too_large(send)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            # Only an app without Starlette's exception handling lets it reach here.
            if started:
                raise
            await _answer_too_large(send)
        if received > limit:
            log.warning("request_body_too_large", route=route, limit=limit, declared=None)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses it; the streamed count still applies
    return None


async def _answer_too_large(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(_TOO_LARGE_BODY)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": _TOO_LARGE_BODY})

"""`GET /media/<id>?expires=…&signature=…`: a client's picture or voice note, fetched from conversation's
signed link and served from the studio's own origin.

Why a proxy rather than conversation's origin in the Content-Security-Policy: conversation's public address
differs by deployment (and is not always reachable from the artist's phone the way the studio is), the
pages keep `default-src 'self'` with nothing to configure, and a picture is shown only to someone signed
in. Conversation still checks the signature and the expiry; the studio adds no way around either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote, urlencode

import httpx
import structlog
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from inkline_studio.adapters.inbox_api import InboxApi
from inkline_studio.api.session import SignedIn

log = structlog.get_logger(__name__)
# Passed on from conversation's answer; anything else (its cookies, its own cache rules) is not.
PASSED_HEADERS = ("content-type", "content-disposition")
MEDIA_HEADERS = {
    # Private: a client's picture; an hour, as long as the link it came from works.
    "cache-control": "private, max-age=3600",
    # Whatever a client sent cannot run script on the studio's origin if opened on its own.
    "content-security-policy": "default-src 'none'; sandbox",
    "x-content-type-options": "nosniff",
}


def media_proxy_router(*, inbox: InboxApi, guard: Callable[[Request], SignedIn]) -> APIRouter:
    router = APIRouter(tags=["media"], dependencies=[Depends(guard)])

    @router.get("/media/{media_id}")
    async def media(
        media_id: str,
        expires: Annotated[int, Query()],
        signature: Annotated[str, Query(max_length=100)],
    ) -> Response:
        """The picture or voice note behind conversation's signed link, or conversation's refusal."""
        path = f"/media/{quote(media_id, safe='')}?{urlencode({'expires': expires, 'signature': signature})}"
        try:
            upstream = await inbox.media(path)
        except httpx.HTTPError as exc:
            log.warning("studio.media_unavailable", error=type(exc).__name__)
            return Response(status_code=502, headers=MEDIA_HEADERS)
        if upstream.status_code != 200:
            # Expired (410), altered (403), not downloaded yet (202) or gone: the status says it.
            await upstream.aclose()
            return Response(status_code=upstream.status_code, headers=MEDIA_HEADERS)
        headers = {name: upstream.headers[name] for name in PASSED_HEADERS if name in upstream.headers}
        return StreamingResponse(
            upstream.aiter_bytes(),
            headers=headers | MEDIA_HEADERS,
            background=BackgroundTask(upstream.aclose),
        )

    return router

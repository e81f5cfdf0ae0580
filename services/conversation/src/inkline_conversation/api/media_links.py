"""`GET /media/{media_id}`: a client's reference image, for the artist, behind an expiring signed link.

The link is `…/media/<id>?expires=<unix seconds>&signature=<base64url HMAC-SHA256(id, expires)>`, so it
can be sent in a WhatsApp message and opened without a login, but not guessed, altered or kept forever.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.templating import Jinja2Templates
from pydantic import SecretStr

from inkline_conversation.api.action_pages import TEMPLATES_DIR
from inkline_conversation.db.models import ReferenceMedia
from inkline_conversation.domain.media_signature import signature_is_valid
from inkline_platform.clock import utc_now
from inkline_platform.uow import UnitOfWorkFactory

# Shown inline; anything else (a client can send any document) downloads instead of rendering on our
# origin, where e.g. an HTML or SVG file could run script next to the artist's action links.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})
_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


def media_router(
    *, uow: UnitOfWorkFactory, secret: SecretStr, clock: Callable[[], datetime] = utc_now
) -> APIRouter:
    router = APIRouter(tags=["media"])
    templates = Jinja2Templates(directory=TEMPLATES_DIR)

    def notice(request: Request, status_code: int, title: str, message: str, hint: str = "") -> Response:
        context = {"title": title, "message": message, "hint": hint, "problem": status_code >= 400}
        headers = dict(_PAGE_HEADERS)
        if status_code == 202:
            headers["Refresh"] = "5"  # browsers reload by themselves until the download lands
        return templates.TemplateResponse(
            request, "notice.html", context, status_code=status_code, headers=headers
        )

    @router.get("/media/{media_id}")
    async def reference_media(
        request: Request,
        media_id: str,
        expires: Annotated[int | None, Query()] = None,
        signature: Annotated[str | None, Query()] = None,
    ) -> Response:
        """A reference image a client sent, if the link's signature is good and it has not expired."""
        if (
            expires is None
            or signature is None
            or not signature_is_valid(media_id, expires, signature, secret)
        ):
            return notice(request, 403, "Link not valid", "This image link is not valid or was altered.")
        if clock().timestamp() >= expires:
            return notice(
                request,
                410,
                "Link expired",
                "This image link has expired.",
                "The most recent summary for this client has fresh links.",
            )
        async with uow() as work:
            row = await work.session.get(ReferenceMedia, media_id)
            if row is None:
                return notice(request, 404, "Image not found", "There is no image behind this link.")
            if row.status == "pending":
                return notice(
                    request,
                    202,
                    "Still downloading",
                    "The image is still being fetched from WhatsApp; refresh in a moment.",
                )
            if row.status != "stored" or row.content is None:
                return notice(
                    request,
                    502,
                    "Image unavailable",
                    "WhatsApp would not give us this image, so it cannot be shown.",
                    "Ask the client to send it again in the chat.",
                )
            return _media_response(row.content, row.mime_type)

    return router


def _media_response(content: bytes, mime_type: str | None) -> Response:
    media_type = mime_type or "application/octet-stream"
    disposition = "inline" if media_type in INLINE_TYPES else "attachment"
    headers = {
        "Cache-Control": "private",
        "Content-Disposition": disposition,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Referrer-Policy": "no-referrer",
    }
    return Response(content, media_type=media_type, headers=headers)

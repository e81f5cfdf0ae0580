"""The Inbox screen: every conversation newest first, one thread both ways, the artist's reply (as a
message inside the client's 24-hour window, inside the approved reply template outside it), and take over
or hand back, as on WhatsApp. The conversation service sends and records; the studio only shows."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inkline_studio.adapters.conversation_api import ConversationApi
from inkline_studio.adapters.inbox_api import InboxApi
from inkline_studio.adapters.service_api import ServiceRefusedError
from inkline_studio.api.pages import Pages
from inkline_studio.api.session import SignedIn

# The newest conversations; older ones are a search away (not built yet), as on the Leads board.
LIST_LIMIT = 50
# WhatsApp's own limit on a text message.
REPLY_MAX = 4096
CHAT_ACTIONS = frozenset({"take_over", "resume_bot"})


def inbox_pages_router(
    *,
    inbox: InboxApi,
    leads: ConversationApi,
    pages: Pages,
    guard: Callable[[Request], SignedIn],
) -> APIRouter:
    router = APIRouter(prefix="/inbox", tags=["inbox"], dependencies=[Depends(guard)])
    csrf = Depends(pages.sessions.check_csrf)

    async def thread_page(
        request: Request,
        lead_id: uuid.UUID,
        *,
        sent: str | None = None,
        draft: str = "",
        error: str | None = None,
        status_code: int = 200,
    ) -> Response:
        try:
            thread = await inbox.thread(lead_id)
        except ServiceRefusedError as exc:
            if exc.status_code != status.HTTP_404_NOT_FOUND:
                raise
            return pages.render(
                request,
                "inbox.html",
                conversations=await inbox.conversations(limit=LIST_LIMIT),
                error="That conversation is not there any more.",
                screen="inbox",
                status_code=404,
            )
        return pages.render(
            request,
            "inbox_thread.html",
            thread=thread,
            sent=sent,
            draft=draft,
            error=error,
            screen="inbox",
            status_code=status_code,
        )

    @router.get("", response_class=HTMLResponse)
    async def conversations(request: Request) -> Response:
        """Every conversation, the latest client message first."""
        found = await inbox.conversations(limit=LIST_LIMIT)
        return pages.render(request, "inbox.html", conversations=found, screen="inbox")

    @router.get("/{lead_id}", response_class=HTMLResponse)
    async def thread(
        request: Request,
        lead_id: uuid.UUID,
        sent: Annotated[Literal["text", "template"] | None, Query()] = None,
    ) -> Response:
        """One conversation both ways, with the reply box and the take over / hand back button."""
        return await thread_page(request, lead_id, sent=sent)

    @router.post("/{lead_id}/reply", dependencies=[csrf])
    async def reply(
        request: Request, lead_id: uuid.UUID, text: Annotated[str, Form(max_length=REPLY_MAX)] = ""
    ) -> Response:
        """Send the artist's words to the client from the business number."""
        words = text.strip()
        if not words:
            return await thread_page(
                request, lead_id, error="Write something to send first.", status_code=400
            )
        try:
            done = await inbox.reply(lead_id, words)
        except ServiceRefusedError as exc:
            return await thread_page(request, lead_id, draft=words, error=exc.detail, status_code=409)
        return RedirectResponse(f"/inbox/{lead_id}?sent={done.sent_as}#latest", status.HTTP_303_SEE_OTHER)

    @router.post("/{lead_id}/{action}", dependencies=[csrf])
    async def take_over_or_hand_back(request: Request, lead_id: uuid.UUID, action: str) -> Response:
        """Take the chat over from the assistant, or hand it back, under the action links' rules."""
        if action not in CHAT_ACTIONS:
            return await thread_page(
                request, lead_id, error="That is not something the Inbox can do.", status_code=404
            )
        try:
            await leads.act(lead_id, action)
        except ServiceRefusedError as exc:
            return await thread_page(request, lead_id, error=exc.detail, status_code=409)
        return RedirectResponse(f"/inbox/{lead_id}", status.HTTP_303_SEE_OTHER)

    return router

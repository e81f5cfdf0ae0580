"""The Inbox screen: every conversation newest first, one thread both ways (words, pictures, voice notes),
the artist's reply inside the client's 24-hour window and a pick of the approved templates outside it,
and take over or hand back, as on WhatsApp. The conversation service sends and records; the studio shows."""

from __future__ import annotations

import asyncio
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

# The newest conversations; older ones are a search away on the Leads screen.
LIST_LIMIT = 50
# WhatsApp's own limit on a text message.
REPLY_MAX = 4096
# Meta's limit on one template body parameter.
TEMPLATE_WORDS_MAX = 1024
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
        picked: str | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> Response:
        try:
            thread, templates = await asyncio.gather(inbox.thread(lead_id), inbox.templates())
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
            templates=templates,
            template_titles={template.name: template for template in templates},
            picked=picked or (templates[0].name if templates else None),
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
        sent: Annotated[Literal["text", "template", "held", "picked"] | None, Query()] = None,
    ) -> Response:
        """One conversation both ways, with the reply box (or the template picker) and take over / hand back."""
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
        sent = "held" if done.held else done.sent_as
        return RedirectResponse(f"/inbox/{lead_id}?sent={sent}#latest", status.HTTP_303_SEE_OTHER)

    @router.post("/{lead_id}/template", dependencies=[csrf])
    async def send_template(
        request: Request,
        lead_id: uuid.UUID,
        template: Annotated[str, Form(max_length=512)] = "",
        text: Annotated[str, Form(max_length=TEMPLATE_WORDS_MAX)] = "",
    ) -> Response:
        """Send the approved template the artist picked (with their words, for one that carries them)."""
        words = text.strip()
        if not template:
            return await thread_page(
                request, lead_id, draft=words, error="Pick a message to send first.", status_code=400
            )
        try:
            await inbox.send_template(lead_id, template, words)
        except ServiceRefusedError as exc:
            code = 400 if exc.status_code == status.HTTP_422_UNPROCESSABLE_ENTITY else 409
            return await thread_page(
                request, lead_id, draft=words, picked=template, error=exc.detail, status_code=code
            )
        return RedirectResponse(f"/inbox/{lead_id}?sent=picked#latest", status.HTTP_303_SEE_OTHER)

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

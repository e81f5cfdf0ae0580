"""The Leads screen: a board by status with each lead's answers and language, and the artist's actions
(approve, decline, deposit link, booked, take over, hand back, no-show), run by the conversation service
under the same rules as the action links."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inkline_studio.adapters.conversation_api import ConversationApi
from inkline_studio.adapters.service_api import ServiceRefusedError
from inkline_studio.api.pages import Pages
from inkline_studio.api.session import SignedIn
from inkline_studio.domain.lead_board import ACTION_LABELS, COLUMNS

# Per column: the board is for today's work (older leads are a search away, not built yet), and at 50 a
# column the board took about 1 s at p95 with 10,000 leads (bench/studio_pages.py); at 20, about 0.1 s.
COLUMN_LIMIT = 20


def leads_pages_router(
    *, api: ConversationApi, pages: Pages, guard: Callable[[Request], SignedIn]
) -> APIRouter:
    router = APIRouter(prefix="/leads", tags=["leads"], dependencies=[Depends(guard)])
    csrf = Depends(pages.sessions.check_csrf)

    async def board(
        request: Request, *, done: uuid.UUID | None = None, error: str | None = None, status_code: int = 200
    ) -> Response:
        found = await asyncio.gather(
            *(api.leads(list(column.statuses), limit=COLUMN_LIMIT) for column in COLUMNS)
        )
        return pages.render(
            request,
            "leads.html",
            columns=list(zip(COLUMNS, found, strict=True)),
            done=done,
            error=error,
            screen="leads",
            status_code=status_code,
        )

    @router.get("", response_class=HTMLResponse)
    async def leads_board(request: Request, done: Annotated[uuid.UUID | None, Query()] = None) -> Response:
        """Every open lead by where it stands, newest change first."""
        return await board(request, done=done)

    @router.post("/{lead_id}/{action}", dependencies=[csrf])
    async def act(request: Request, lead_id: uuid.UUID, action: str) -> Response:
        """Do what the button says to the lead, if its status still allows it."""
        if action not in ACTION_LABELS:
            return await board(request, error="That is not something the board can do.", status_code=404)
        try:
            await api.act(lead_id, action)
        except ServiceRefusedError as exc:
            return await board(request, error=exc.detail, status_code=409)
        return RedirectResponse(f"/leads?done={lead_id}#lead-{lead_id}", status.HTTP_303_SEE_OTHER)

    return router

"""The Leads screen: a board by status with each lead's answers, reference pictures and language, the
artist's actions (approve, decline, deposit link, booked, take over, hand back, no-show), run by the
conversation service under the same rules as the action links, the refund of a paid deposit, run by
payments, and a search through every lead."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inkline_studio.adapters.conversation_api import ConversationApi, Lead
from inkline_studio.adapters.payments_api import Deposit, PaymentsApi
from inkline_studio.adapters.service_api import ServiceRefusedError, ServiceUnavailableError
from inkline_studio.api.pages import Pages
from inkline_studio.api.session import SignedIn
from inkline_studio.domain.lead_board import ACTION_LABELS, COLUMNS
from inkline_studio.domain.wording import money

log = structlog.get_logger(__name__)

# Per column: the board is for today's work (older leads are a search away), and at 50 a column the board
# took about 1 s at p95 with 10,000 leads (bench/studio_pages.py); at 20, about 0.1 s.
COLUMN_LIMIT = 20
# Search results a page; the next page is one keyset step (conversation's lead search), not an offset.
SEARCH_PAGE = 20


def leads_pages_router(
    *,
    api: ConversationApi,
    payments: PaymentsApi,
    pages: Pages,
    guard: Callable[[Request], SignedIn],
) -> APIRouter:
    router = APIRouter(prefix="/leads", tags=["leads"], dependencies=[Depends(guard)])
    csrf = Depends(pages.sessions.check_csrf)

    async def deposits_of(leads: list[Lead]) -> tuple[dict[uuid.UUID, Deposit], bool]:
        """Each lead's newest deposit, and whether payments answered (the board shows without them)."""
        try:
            found = await payments.deposits([lead.lead_id for lead in leads])
        except ServiceUnavailableError as exc:
            log.warning("studio.deposits_unavailable", reason=str(exc))
            return {}, False
        newest: dict[uuid.UUID, Deposit] = {}
        for deposit in found:
            newest.setdefault(deposit.lead_id, deposit)
        return newest, True

    async def board(
        request: Request,
        *,
        done: uuid.UUID | None = None,
        notice: str | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> Response:
        found = await asyncio.gather(
            *(api.leads(list(column.statuses), limit=COLUMN_LIMIT) for column in COLUMNS)
        )
        deposits, deposits_shown = await deposits_of([lead for leads in found for lead in leads])
        return pages.render(
            request,
            "leads.html",
            columns=list(zip(COLUMNS, found, strict=True)),
            deposits=deposits,
            deposits_shown=deposits_shown,
            done=done,
            notice=notice,
            error=error,
            screen="leads",
            status_code=status_code,
        )

    async def search_page(request: Request, q: str, after: tuple[datetime, uuid.UUID] | None) -> Response:
        words = q.strip()
        if len(words.lstrip("@").strip()) < 2:
            return await board(
                request, error="Type at least two letters or digits to search.", status_code=400
            )
        found = await api.search(words, limit=SEARCH_PAGE + 1, after=after)
        leads, more = found[:SEARCH_PAGE], len(found) > SEARCH_PAGE
        deposits, deposits_shown = await deposits_of(leads)
        return pages.render(
            request,
            "leads_search.html",
            q=words,
            leads=leads,
            next_page=leads[-1] if more else None,
            first_page=after is None,
            deposits=deposits,
            deposits_shown=deposits_shown,
            done=None,
            screen="leads",
        )

    @router.get("", response_class=HTMLResponse)
    async def leads_board(
        request: Request,
        done: Annotated[uuid.UUID | None, Query()] = None,
        refunded: Annotated[uuid.UUID | None, Query()] = None,
        q: Annotated[str | None, Query(max_length=100)] = None,
        after_changed_at: Annotated[datetime | None, Query()] = None,
        after_id: Annotated[uuid.UUID | None, Query()] = None,
    ) -> Response:
        """Every open lead by where it stands, newest change first; with `q`, the leads that match."""
        if q is not None:
            after = (after_changed_at, after_id) if after_changed_at and after_id else None
            return await search_page(request, q, after)
        notice = "Deposit refunded. The client is told on WhatsApp." if refunded else None
        return await board(request, done=done or refunded, notice=notice)

    @router.post("/{lead_id}/deposits/{deposit_id}/refund", dependencies=[csrf])
    async def refund(request: Request, lead_id: uuid.UUID, deposit_id: uuid.UUID) -> Response:
        """Refund the lead's paid deposit in full; payments refuses a second refund, with the reason.
        The deposit's id decides what is refunded; the lead's is for the address bar."""
        try:
            deposit = await payments.refund(deposit_id)
        except ServiceRefusedError as exc:
            return await board(request, error=exc.detail, status_code=409)
        log.info("studio.refunded", lead_id=str(deposit.lead_id), amount=money(deposit))
        return RedirectResponse(
            f"/leads?refunded={deposit.lead_id}#lead-{deposit.lead_id}", status.HTTP_303_SEE_OTHER
        )

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

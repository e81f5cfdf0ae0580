"""Sign-in by a one-time link sent to the person's WhatsApp, and sign-out.

Opening the link shows a button and only pressing it signs in: WhatsApp fetches links to draw their
preview, and that fetch must not use up the link. Asking for a link says the same whether or not the
number belongs to the studio, so the form cannot be used to find out who does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Form, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inkline_contracts import subjects
from inkline_contracts.events.notify import Category, SendMessage, TextContent
from inkline_platform.uow import UnitOfWorkFactory
from inkline_studio.api.pages import Pages
from inkline_studio.db import people
from inkline_studio.domain.sign_in import SIGN_IN_PURPOSE, new_token, sign_in_message, token_hash

log = structlog.get_logger(__name__)
HOME = "/leads"
RATE_WINDOW = timedelta(hours=1)


def sign_in_router(
    *,
    uow: UnitOfWorkFactory,
    pages: Pages,
    public_url: str,
    link_lifetime: timedelta,
    links_per_hour: int,
    clock: Callable[[], datetime],
) -> APIRouter:
    router = APIRouter(tags=["sign-in"])
    sessions = pages.sessions
    csrf = Depends(sessions.check_csrf)
    minutes = math.ceil(link_lifetime.total_seconds() / 60)

    @router.get("/", include_in_schema=False)
    async def home(request: Request) -> Response:
        """The studio's first screen, or sign-in."""
        return RedirectResponse(HOME if sessions.current(request) else "/sign-in", status.HTTP_303_SEE_OTHER)

    @router.get("/sign-in", response_class=HTMLResponse)
    async def sign_in_form(request: Request, number: Annotated[str, Query(max_length=40)] = "") -> Response:
        """Ask for a sign-in link; `number` fills the form in (`make up` prints such a link)."""
        return pages.render(request, "sign_in.html", number=number)

    @router.post("/sign-in", response_class=HTMLResponse, dependencies=[csrf])
    async def send_link(request: Request, number: Annotated[str, Form(max_length=40)]) -> Response:
        """Send a one-time sign-in link to the number's WhatsApp, if it belongs to the studio."""
        wa_id = re.sub(r"\D", "", number)
        now = clock()
        async with uow() as unit:
            person = await people.person_by_number(unit.session, wa_id=wa_id) if wa_id else None
            if person is not None:
                recent = await people.links_sent_since(
                    unit.session, person_id=person.person_id, since=now - RATE_WINDOW
                )
                if recent >= links_per_hour:
                    log.warning("studio.sign_in_rate_limited", wa_id=wa_id)
                    return pages.render(
                        request, "sign_in_limited.html", status_code=status.HTTP_429_TOO_MANY_REQUESTS
                    )
                token = new_token()
                people.add_link(
                    unit.session,
                    person_id=person.person_id,
                    token_hash=token_hash(token),
                    now=now,
                    lifetime=link_lifetime,
                )
                link = f"{public_url.rstrip('/')}/sign-in/{token}"
                unit.publish(
                    subjects.NOTIFY_SEND,
                    SendMessage(
                        to=person.wa_id,
                        content=TextContent(body=sign_in_message(link=link, minutes=minutes)),
                        category=Category.UTILITY,
                        purpose=SIGN_IN_PURPOSE,
                    ),
                    correlation_id=f"studio-sign-in-{person.person_id}",
                )
                await unit.commit()
                log.info("studio.sign_in_link_sent", wa_id=wa_id)
        return pages.render(request, "sign_in_sent.html", minutes=minutes)

    @router.get("/sign-in/{token}", response_class=HTMLResponse)
    async def confirm_page(request: Request, token: str) -> Response:
        """The page a sign-in link opens: a button, so a link preview cannot use the link up."""
        async with uow() as unit:
            usable = await people.link_is_usable(unit.session, token_hash=token_hash(token), now=clock())
        if not usable:
            return pages.render(request, "sign_in_expired.html", status_code=status.HTTP_410_GONE)
        return pages.render(request, "sign_in_confirm.html", token=token)

    @router.post("/sign-in/{token}", dependencies=[csrf])
    async def use_link(request: Request, token: str) -> Response:
        """Use the link once and start a session."""
        async with uow() as unit:
            person_id = await people.use_link(unit.session, token_hash=token_hash(token), now=clock())
            await unit.commit()
        if person_id is None:
            return pages.render(request, "sign_in_expired.html", status_code=status.HTTP_410_GONE)
        response = RedirectResponse(HOME, status.HTTP_303_SEE_OTHER)
        sessions.sign_in(request, response, person_id)
        return response

    @router.post("/sign-out", dependencies=[csrf])
    async def sign_out() -> Response:
        """End this browser's session."""
        response = RedirectResponse("/sign-in", status.HTTP_303_SEE_OTHER)
        sessions.sign_out(response)
        return response

    return router

"""`GET /paid?session_id=…`: where Checkout sends the client after paying (its `success_url`).

It says what the deposit paid for, on the session's clock, and links back to the WhatsApp chat, where the
confirmation arrives: a client should never land on a dead end.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from html import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from inkline_payments.db import deposits
from inkline_payments.db.models import Deposit
from inkline_payments.domain.statuses import DepositStatus
from inkline_payments.settings import PAID_PAGE_PATH
from inkline_platform.uow import UnitOfWorkFactory

# Stripe's ids are short and plain; anything else cannot be ours and is not looked up.
_SESSION_ID = re.compile(r"^[A-Za-z0-9_]{1,255}$")

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>body{{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;
padding:0 1rem;color:#1a1a1a;line-height:1.5}} h1{{font-size:1.6rem;margin-bottom:.5rem}}
.back{{display:inline-block;margin-top:1rem;padding:.7rem 1.4rem;background:#128c4a;color:#fff;
border-radius:6px;text-decoration:none;font-weight:600}}</style></head>
<body><h1>{heading}</h1><p>{message}</p>{back}</body></html>"""


def _zone(name: str | None) -> tzinfo:
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return UTC


def session_time(start: datetime, timezone: str | None) -> str:
    """ "Thu 10 Dec at 14:00" on the clock of the place the session is in (UTC said so when unknown)."""
    zone = _zone(timezone)
    local = start.astimezone(zone)
    text = f"{local:%a} {local.day} {local:%b} at {local:%H:%M}"
    return text if zone is not UTC else f"{text} UTC"


def _wording(deposit: Deposit | None) -> tuple[str, str]:
    """(heading, message) for what happened to this deposit."""
    if deposit is None:
        return "We couldn't find this payment", "If you paid, your confirmation will come in WhatsApp."
    session = (
        f"your session on {session_time(deposit.slot_start, deposit.slot_timezone)}"
        if deposit.slot_start is not None
        else "your session"
    )
    status = DepositStatus(deposit.status)
    # Checkout sends the client here only once they paid; the webhook saying so may be a moment behind.
    if status in (DepositStatus.PAID, DepositStatus.OPEN):
        return (
            "Deposit received",
            f"{session[0].upper()}{session[1:]} is booked. Your confirmation is on its way.",
        )
    if status is DepositStatus.PROCESSING:
        return (
            "Payment processing",
            f"Your bank is confirming the deposit for {session}. We'll message you when it's through.",
        )
    if status is DepositStatus.REFUNDED:
        return "Deposit refunded", f"The deposit for {session} was refunded."
    return "No payment taken", "This checkout didn't go through. Ask for a fresh link in the chat."


def paid_page_router(*, uow: UnitOfWorkFactory, chat_url: str | None) -> APIRouter:
    router = APIRouter(tags=["checkout"])
    back = f"<a class='back' href='{escape(chat_url)}'>Back to WhatsApp</a>" if chat_url else ""

    @router.get(PAID_PAGE_PATH, response_class=HTMLResponse)
    async def paid(session_id: str = "") -> HTMLResponse:
        """Where Checkout returns the client: what the deposit booked, and the way back to the chat."""
        found = False
        heading, message = _wording(None)
        if _SESSION_ID.match(session_id):
            async with uow() as work:
                deposit = await deposits.by_session_id(work.session, session_id, lock=False)
                found = deposit is not None
                heading, message = _wording(deposit)
        page = _PAGE.format(
            title=escape(heading), heading=escape(heading), message=escape(message), back=back
        )
        return HTMLResponse(page, status_code=200 if found else 404)

    return router

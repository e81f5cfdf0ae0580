"""`GET /paid?session_id=…`: where Checkout sends the client after paying (its `success_url`).

It says what the deposit paid for, on the session's clock and in the client's language, and links back to
the WhatsApp chat, where the confirmation arrives: a client should never land on a dead end.
"""

from __future__ import annotations

import re
from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from inkline_payments.db import deposits
from inkline_payments.db.models import Deposit
from inkline_payments.domain.client_copy import ClientCopy
from inkline_payments.domain.statuses import DepositStatus
from inkline_payments.settings import PAID_PAGE_PATH
from inkline_platform.uow import UnitOfWorkFactory

# Stripe's ids are short and plain; anything else cannot be ours and is not looked up.
_SESSION_ID = re.compile(r"^[A-Za-z0-9_]{1,255}$")

_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>body{{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;
padding:0 1rem;color:#1a1a1a;line-height:1.5}} h1{{font-size:1.6rem;margin-bottom:.5rem}}
.back{{display:inline-block;margin-top:1rem;padding:.7rem 1.4rem;background:#128c4a;color:#fff;
border-radius:6px;text-decoration:none;font-weight:600}}</style></head>
<body><h1>{heading}</h1><p>{message}</p>{back}</body></html>"""


def _wording(deposit: Deposit | None, copy: ClientCopy) -> tuple[str, str]:
    """(heading, message) for what happened to this deposit, in the client's language."""
    if deposit is None:
        return copy.text("not_found_heading"), copy.text("not_found")
    status = DepositStatus(deposit.status)
    # Checkout sends the client here only once they paid; the webhook saying so may be a moment behind.
    if status in (DepositStatus.PAID, DepositStatus.OPEN):
        key = "paid"
    elif status is DepositStatus.PROCESSING:
        key = "processing"
    elif status is DepositStatus.REFUNDED:
        key = "refunded"
    else:
        return copy.text("not_taken_heading"), copy.text("not_taken")
    return copy.text(f"{key}_heading"), copy.session_text(key, deposit.slot_start, deposit.slot_timezone)


def paid_page_router(*, uow: UnitOfWorkFactory, chat_url: str | None) -> APIRouter:
    router = APIRouter(tags=["checkout"])

    @router.get(PAID_PAGE_PATH, response_class=HTMLResponse)
    async def paid(session_id: str = "") -> HTMLResponse:
        """Where Checkout returns the client: what the deposit booked, and the way back to the chat."""
        deposit = None
        copy = ClientCopy.of(None)
        heading, message = _wording(None, copy)
        if _SESSION_ID.match(session_id):
            async with uow() as work:
                deposit = await deposits.by_session_id(work.session, session_id, lock=False)
                if deposit is not None:
                    copy = ClientCopy.of(deposit.language)
                    heading, message = _wording(deposit, copy)
        back = (
            f"<a class='back' href='{escape(chat_url)}'>{escape(copy.text('back'))}</a>" if chat_url else ""
        )
        page = _PAGE.format(
            lang=copy.language,
            title=escape(heading),
            heading=escape(heading),
            message=escape(message),
            back=back,
        )
        found = deposit is not None
        return HTMLResponse(page, status_code=200 if found else 404)

    return router

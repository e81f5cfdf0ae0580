"""The sandbox's checkout page (INKLINE_SANDBOX=1): `GET /sandbox/checkout/{id}` shows the deposit and a
Pay button; `POST .../pay` completes the session and delivers a signed `checkout.session.completed` to this
service's own `/webhooks/stripe`, through the whole HTTP stack, as Stripe would."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from html import escape

import httpx
import structlog
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import SecretStr

from inkline_payments.adapters.stripe_sandbox import (
    SandboxStripe,
    SessionNotPayableError,
    completed_event,
    stripe_signature,
)
from inkline_payments.settings import PAID_PAGE_PATH

log = structlog.get_logger(__name__)

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>body{{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;
padding:0 1rem}} .amount{{font-size:2rem;font-weight:600}} .muted{{color:#666}} button{{font-size:1.1rem;
padding:.6rem 2rem;background:#635bff;color:#fff;border:0;border-radius:6px}}</style></head>
<body><p class="muted">Inkline sandbox checkout &middot; no real money moves</p>{content}</body></html>"""


def _page(title: str, content: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(title=escape(title), content=content), status_code=status_code)


def _amount(amount_minor: int, currency: str) -> str:
    return f"{amount_minor / 100:.2f} {currency.upper()}"


def sandbox_checkout_router(
    *, sandbox: SandboxStripe, webhook_secret: SecretStr, clock: Callable[[], datetime]
) -> APIRouter:
    router = APIRouter(tags=["sandbox"])

    @router.get("/sandbox/checkout/{session_id}", response_class=HTMLResponse)
    async def checkout_page(session_id: str) -> HTMLResponse:
        """The sandbox's stand-in for Stripe's hosted checkout page."""
        row = await sandbox.find(session_id)
        if row is None:
            return _page("Not found", "<h1>This checkout link is not valid.</h1>", 404)
        if row.status != "open":
            return _page("Checkout closed", f"<h1>This checkout is {escape(row.status)}.</h1>", 410)
        amount = escape(_amount(row.amount_total, row.currency))
        content = (
            f"<p class='amount'>{amount}</p><p>{escape(row.description)}</p>"
            f"<form method='post' action='/sandbox/checkout/{escape(row.id)}/pay'>"
            f"<button type='submit'>Pay {amount}</button></form>"
        )
        return _page("Pay deposit", content)

    @router.post("/sandbox/checkout/{session_id}/pay", response_class=HTMLResponse)
    async def pay(request: Request, session_id: str) -> Response:
        """Marks the sandbox session paid and sends Stripe's completion event to our own webhook."""
        try:
            row = await sandbox.pay(session_id)
        except LookupError:
            return _page("Not found", "<h1>This checkout link is not valid.</h1>", 404)
        except SessionNotPayableError as exc:
            return _page("Payment not possible", f"<h1>{escape(str(exc))}</h1>", 409)
        payload = completed_event(row, created=clock())
        # Signed with the real time: the verifier compares it with the real time, whatever our clock says.
        signature = stripe_signature(payload, webhook_secret.get_secret_value(), timestamp=int(time.time()))
        transport = httpx.ASGITransport(app=request.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://payments") as client:
            delivered = await client.post(
                "/webhooks/stripe",
                content=payload,
                headers={"Stripe-Signature": signature, "Content-Type": "application/json; charset=utf-8"},
            )
        if delivered.status_code != 200:
            # The session is paid either way; reconciliation records it once the session's time is up.
            log.error("sandbox_webhook_refused", session_id=session_id, status=delivered.status_code)
        # As Stripe does after paying: back to the success URL, our paid page.
        return RedirectResponse(f"{PAID_PAGE_PATH}?session_id={row.id}", status_code=303)

    return router

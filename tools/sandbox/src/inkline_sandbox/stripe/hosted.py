"""The fake's hosted checkout page: what a customer opens from the payment link the secretary sends.

`GET /checkout/{id}` shows the amount and a Pay button; `POST /checkout/{id}/pay` completes the session
(creating its PaymentIntent and emitting `checkout.session.completed`) and redirects to `success_url`.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inkline_sandbox.stripe.errors import StripeError
from inkline_sandbox.stripe.objects import format_amount
from inkline_sandbox.stripe.state import StripeState

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}}
.amount{{font-size:2rem;font-weight:600}} .muted{{color:#666}} button{{font-size:1.1rem;padding:.6rem 2rem;
background:#635bff;color:#fff;border:0;border-radius:6px;cursor:pointer}} li{{margin:.3rem 0}}</style>
</head><body><p class="muted">Sandbox checkout &middot; no real money moves</p>{content}</body></html>"""


def _page(title: str, content: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(title=escape(title), content=content), status_code=status_code)


def hosted_checkout_router(state: StripeState) -> APIRouter:
    router = APIRouter()

    @router.get("/checkout/{session_id}", response_class=HTMLResponse)
    async def checkout_page(request: Request, session_id: str) -> Response:
        state.expire_due_sessions()
        try:
            session = state.session(session_id)
        except StripeError:
            return _page("Not found", "<h1>This checkout link is not valid.</h1>", 404)
        if session["status"] != "open":
            return _page(
                "Checkout closed", f"<h1>This checkout session is {escape(session['status'])}.</h1>", 410
            )
        items = "".join(
            f"<li>{escape(item.name)} &times; {item.quantity}"
            f"{' — ' + escape(item.description) if item.description else ''}"
            f" <span class='muted'>{escape(format_amount(item.amount, item.currency))}</span></li>"
            for item in state.line_items(session_id)
        )
        amount = escape(format_amount(session["amount_total"], session["currency"]))
        # Mounted under a path (the sandbox hub serves Stripe at /stripe), the form must post below it.
        prefix = str(request.scope.get("root_path", "")).rstrip("/")
        cancel = session["cancel_url"]
        back = f"<p><a href='{escape(cancel)}'>Back</a></p>" if cancel else ""
        content = (
            f"<p class='amount'>{amount}</p><ul>{items}</ul>"
            f"<form method='post' action='{escape(prefix)}/checkout/{escape(session_id)}/pay'><button type='submit'>Pay {amount}"
            f"</button></form>{back}"
        )
        return _page("Pay", content)

    @router.post("/checkout/{session_id}/pay")
    async def pay(session_id: str) -> Response:
        try:
            session = state.pay_session(session_id)
        except StripeError as exc:
            status = 404 if exc.http_status == 404 else 409
            return _page("Payment not possible", f"<h1>{escape(exc.message)}</h1>", status)
        success_url = session["success_url"]
        if success_url:
            return RedirectResponse(success_url.replace("{CHECKOUT_SESSION_ID}", session_id), status_code=303)
        amount = escape(format_amount(session["amount_total"], session["currency"]))
        return _page("Paid", f"<h1>Payment received</h1><p class='amount'>{amount}</p>")

    return router

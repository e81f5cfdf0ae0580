"""FastAPI app speaking Stripe's v1 HTTP surface for Checkout Sessions and Refunds, plus a hosted checkout.

Point the official SDK at it with ``stripe.StripeClient(key, base_addresses={"api": base_url})``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from inkline_sandbox.stripe import objects
from inkline_sandbox.stripe.errors import (
    StripeError,
    invalid_api_key,
    invalid_param,
    no_api_key,
    unknown_param,
)
from inkline_sandbox.stripe.events import RequestContext
from inkline_sandbox.stripe.forms import as_int, as_list, parse_form
from inkline_sandbox.stripe.hosted import hosted_checkout_router
from inkline_sandbox.stripe.idempotency import Outcome
from inkline_sandbox.stripe.state import StripeState

_EXPANDABLE = frozenset({"payment_intent", "line_items"})
_LIST_FILTERS = frozenset({"limit", "starting_after", "ending_before", "payment_intent", "status", "expand"})
_REFUND_FILTERS = frozenset({"limit", "starting_after", "ending_before", "payment_intent", "charge"})


def _api_key(request: Request, state: StripeState) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    key = credential.strip()
    if scheme.lower() == "basic":
        # curl -u sk_test_...: sends the key as the basic-auth user name.
        key = base64.b64decode(key).decode(errors="replace").partition(":")[0]
    if not key:
        raise no_api_key()
    if key != state.api_key:
        raise invalid_api_key(key)
    return key


def _headers(outcome: Outcome, idempotency_key: str | None, version: str) -> dict[str, str]:
    headers = {"Request-Id": outcome.request_id, "Stripe-Version": version}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    if outcome.replayed:
        headers["Idempotent-Replayed"] = "true"
        headers["Original-Request"] = outcome.request_id
    return headers


def _expand(state: StripeState, session: dict[str, Any], query: dict[str, Any]) -> dict[str, Any]:
    for field in as_list(query, "expand"):
        if field not in _EXPANDABLE:
            raise invalid_param("expand", f"This property cannot be expanded ({field}).")
        if field == "payment_intent" and session["payment_intent"] is not None:
            session["payment_intent"] = state.find_payment_intent(session["payment_intent"])
        elif field == "line_items":
            session["line_items"] = _line_items(state, session["id"])
    return session


def _line_items(state: StripeState, session_id: str) -> dict[str, Any]:
    data = [
        {
            "id": objects.new_id("li_"),
            "object": "item",
            "amount_discount": 0,
            "amount_subtotal": item.amount,
            "amount_tax": 0,
            "amount_total": item.amount,
            "currency": item.currency,
            "description": item.name,
            "price": {"object": "price", "currency": item.currency, "unit_amount": item.unit_amount},
            "quantity": item.quantity,
        }
        for item in state.line_items(session_id)
    ]
    url = f"/v1/checkout/sessions/{session_id}/line_items"
    return {"object": "list", "data": data, "has_more": False, "url": url}


def create_stripe_app(state: StripeState, *, sweep_interval: float = 1.0) -> FastAPI:
    """`sweep_interval`: how often open sessions past `expires_at` are expired (and their event emitted)."""

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async def sweep() -> None:
            while True:
                await asyncio.sleep(sweep_interval)
                state.expire_due_sessions()

        task = asyncio.create_task(sweep())
        try:
            yield
        finally:
            task.cancel()

    app = FastAPI(title="Inkline sandbox: Stripe", docs_url=None, redoc_url=None, lifespan=lifespan)
    app.include_router(hosted_checkout_router(state))

    @app.exception_handler(StripeError)
    async def _stripe_error(request: Request, exc: StripeError) -> JSONResponse:
        request_id = objects.new_id("req_", 14)
        return JSONResponse(
            exc.body(request_id), status_code=exc.http_status, headers={"Request-Id": request_id}
        )

    async def post(
        request: Request, endpoint: str, run: Callable[[dict[str, Any], RequestContext], dict[str, Any]]
    ) -> Response:
        api_key = _api_key(request, state)
        if request.headers.get("content-type", "").startswith("application/json"):
            raise StripeError(400, "Invalid request: unsupported Content-Type application/json.")
        params = parse_form(await request.body())
        version = request.headers.get("stripe-version") or state.api_version
        key = request.headers.get("idempotency-key")
        ctx = RequestContext(objects.new_id("req_", 14), key, version)
        outcome = state.idempotent(
            api_key=api_key,
            key=key,
            endpoint=f"POST {endpoint}",
            params=params,
            request_id=ctx.request_id or "",
            run=lambda: run(params, ctx),
        )
        return JSONResponse(
            outcome.body, status_code=outcome.http_status, headers=_headers(outcome, key, version)
        )

    @app.post("/v1/checkout/sessions")
    async def create_session(request: Request) -> Response:
        base_url = str(request.base_url)
        return await post(
            request,
            "/v1/checkout/sessions",
            lambda params, ctx: state.create_session(params, base_url=base_url, ctx=ctx),
        )

    @app.post("/v1/checkout/sessions/{session_id}/expire")
    async def expire_session(request: Request, session_id: str) -> Response:
        return await post(
            request,
            f"/v1/checkout/sessions/{session_id}/expire",
            lambda params, ctx: _expire(state, session_id, params, ctx),
        )

    @app.post("/v1/refunds")
    async def create_refund(request: Request) -> Response:
        return await post(request, "/v1/refunds", lambda params, ctx: state.refund(params, ctx))

    @app.get("/v1/checkout/sessions")
    async def list_sessions(request: Request) -> Response:
        _api_key(request, state)
        state.expire_due_sessions()
        return JSONResponse(_list_sessions(state, parse_form(request.url.query)))

    @app.get("/v1/checkout/sessions/{session_id}")
    async def retrieve_session(request: Request, session_id: str) -> Response:
        _api_key(request, state)
        state.expire_due_sessions()
        session = state.session(session_id)
        return JSONResponse(_expand(state, session, parse_form(request.url.query)))

    @app.get("/v1/checkout/sessions/{session_id}/line_items")
    async def list_line_items(request: Request, session_id: str) -> Response:
        _api_key(request, state)
        return JSONResponse(_line_items(state, session_id))

    @app.get("/v1/refunds")
    async def list_refunds(request: Request) -> Response:
        _api_key(request, state)
        return JSONResponse(_list_refunds(state, parse_form(request.url.query)))

    @app.get("/v1/refunds/{refund_id}")
    async def retrieve_refund(request: Request, refund_id: str) -> Response:
        _api_key(request, state)
        return JSONResponse(state.find_refund(refund_id))

    @app.get("/v1/events/{event_id}")
    async def retrieve_event(request: Request, event_id: str) -> Response:
        _api_key(request, state)
        return JSONResponse(state.find_event(event_id))

    return app


def _expire(
    state: StripeState, session_id: str, params: dict[str, Any], ctx: RequestContext
) -> dict[str, Any]:
    for name in params:
        if name != "expand":
            raise unknown_param(name)
    return state.expire_session(session_id, ctx)


def _list_sessions(state: StripeState, query: dict[str, Any]) -> dict[str, Any]:
    for name in query:
        if name not in _LIST_FILTERS:
            raise unknown_param(name)
    limit = as_int(query, "limit") or 10
    if not 1 <= limit <= 100:
        raise invalid_param("limit", "This value must be between 1 and 100.")
    sessions = list(reversed(state.sessions()))  # newest first, as Stripe lists
    sessions = [
        s
        for s in sessions
        if query.get("payment_intent") in (None, s["payment_intent"])
        and query.get("status") in (None, s["status"])
    ]
    ids = [s["id"] for s in sessions]
    if "starting_after" in query:
        cursor = str(query["starting_after"])
        sessions = sessions[ids.index(cursor) + 1 :] if cursor in ids else []
    elif "ending_before" in query:
        cursor = str(query["ending_before"])
        sessions = sessions[: ids.index(cursor)][-limit:] if cursor in ids else []
    page = sessions[:limit]
    return {"object": "list", "data": page, "has_more": len(sessions) > limit, "url": "/v1/checkout/sessions"}


def _list_refunds(state: StripeState, query: dict[str, Any]) -> dict[str, Any]:
    """`GET /v1/refunds`: newest first, filtered by `payment_intent` or `charge`, paginated by cursor."""
    for name in query:
        if name not in _REFUND_FILTERS:
            raise unknown_param(name)
    limit = as_int(query, "limit") or 10
    if not 1 <= limit <= 100:
        raise invalid_param("limit", "This value must be between 1 and 100.")
    refunds = [
        r
        for r in reversed(state.refunds())
        if query.get("payment_intent") in (None, r["payment_intent"])
        and query.get("charge") in (None, r["charge"])
    ]
    ids = [r["id"] for r in refunds]
    if "starting_after" in query:
        cursor = str(query["starting_after"])
        refunds = refunds[ids.index(cursor) + 1 :] if cursor in ids else []
    elif "ending_before" in query:
        cursor = str(query["ending_before"])
        refunds = refunds[: ids.index(cursor)][-limit:] if cursor in ids else []
    page = refunds[:limit]
    return {"object": "list", "data": page, "has_more": len(refunds) > limit, "url": "/v1/refunds"}

"""The hub as one FastAPI app on one port: the provider fakes under path prefixes, and the page.

/graph/v21.0/...   WhatsApp Cloud API (notifier sends, conversation downloads media)
/stripe/v1/...     Stripe API (payments), and /stripe/checkout/{id}: the hosted checkout page
/google/...        OAuth token endpoint, Calendar v3, Sheets v4 (calendar, notifier)
/                  the page: a client's chat, the artist's phone, the calendar and the Leads sheet
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, Field

from inkline_sandbox.graph import create_graph_app
from inkline_sandbox.hub import views
from inkline_sandbox.hub.chat import InboundMessage
from inkline_sandbox.hub.hub import DeliveryError, Hub, HubInputError, valid_number
from inkline_sandbox.stripe import create_stripe_app

log = logging.getLogger("inkline_sandbox.hub")
_HERE = Path(__file__).parent
DEFAULT_CLIENT = "447700900123"


class ClientMessage(BaseModel):
    wa_id: str
    name: str = ""
    username: str = Field(default="", max_length=100)
    text: str = Field(max_length=10_000)


class ClientTap(BaseModel):
    wa_id: str
    name: str = ""
    username: str = Field(default="", max_length=100)
    reply_to: str
    option_id: str


class ArtistMessage(BaseModel):
    text: str = Field(default="", max_length=10_000)
    reply_to: str | None = None
    picture: bool = False  # a photo, `text` its caption


class ArtistTap(BaseModel):
    reply_to: str
    option_id: str


def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        auto_reload=False,
    )


def create_hub_app(hub: Hub) -> FastAPI:
    templates = _templates()
    http = httpx.AsyncClient(timeout=15.0)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Mounted apps get no lifespan of their own, so the hub runs their periodic work.
        task = asyncio.create_task(_background(hub, http))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await http.aclose()
            hub.close()

    app = FastAPI(title="Inkline sandbox hub", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.mount("/graph", create_graph_app(hub.graph))
    app.mount("/stripe", create_stripe_app(hub.stripe))
    app.mount("/google", hub.google.app())
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")

    def panels(client: str) -> dict[str, str]:
        context: dict[str, Any] = {
            "client": client,
            "artist": hub.config.artist_number,
            "chat": views.chat(hub, client),
            "artist_chat": views.artist_phone(hub),
            "clients": views.clients(hub),
            "language": views.client_languages(hub).get(client, ""),
            "events": views.calendar_events(hub),
            "holds": views.holds(hub),
            "paid": views.paid_deposits(hub),
            "sheets": views.sheets(hub),
        }
        return {
            name: templates.get_template(f"_{name}.html").render(context)
            for name in ("chat", "artist", "calendar", "sheet", "clients")
        }

    @app.get("/", response_class=HTMLResponse)
    async def page(client: str = DEFAULT_CLIENT) -> HTMLResponse:
        """The sandbox page: play the client and the artist, watch the calendar and the sheet."""
        try:
            number = valid_number(client)
        except HubInputError:
            number = DEFAULT_CLIENT
        html = templates.get_template("index.html").render(
            client=number,
            name=hub.chat.name_of(number) or "",
            artist=hub.config.artist_number,
            panels=panels(number),
        )
        return HTMLResponse(html)

    @app.get("/panels")
    async def panel_fragments(client: str = DEFAULT_CLIENT) -> JSONResponse:
        """The page's panels as HTML fragments; the page polls this."""
        try:
            number = valid_number(client)
        except HubInputError as exc:
            return JSONResponse({"error": str(exc)}, status_code=422)
        return JSONResponse(panels(number))

    @app.post("/api/messages")
    async def client_message(message: ClientMessage) -> JSONResponse:
        """A client writes: delivered to conversation as a signed WhatsApp webhook."""
        return await _attempt(
            hub.say(
                http, wa_id=message.wa_id, name=message.name, text=message.text, username=message.username
            )
        )

    @app.post("/api/replies")
    async def client_tap(tap: ClientTap) -> JSONResponse:
        """A client taps a reply button or list row."""
        return await _attempt(
            hub.tap(
                http,
                wa_id=tap.wa_id,
                name=tap.name,
                reply_to=tap.reply_to,
                option_id=tap.option_id,
                username=tap.username,
            )
        )

    @app.post("/api/artist/messages")
    async def artist_message(message: ArtistMessage) -> JSONResponse:
        """The artist writes from their phone, quoting a message (`reply_to`) to answer its client."""
        return await _attempt(
            hub.artist_say(http, text=message.text, reply_to=message.reply_to, picture=message.picture)
        )

    @app.post("/api/artist/replies")
    async def artist_tap(tap: ArtistTap) -> JSONResponse:
        """The artist taps a button of a summary or alert (a reply button or a template's quick reply)."""
        return await _attempt(hub.artist_tap(http, reply_to=tap.reply_to, option_id=tap.option_id))

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


async def _attempt(call: Awaitable[InboundMessage]) -> JSONResponse:
    try:
        sent = await call
    except HubInputError as exc:
        return JSONResponse({"error": str(exc)}, status_code=422)
    except DeliveryError as exc:
        return JSONResponse({"error": str(exc)}, status_code=502)
    return JSONResponse({"wamid": sent.wamid}, status_code=202)


async def _background(hub: Hub, http: httpx.AsyncClient) -> None:
    while True:
        await asyncio.sleep(hub.config.status_interval_seconds)
        try:
            hub.stripe.expire_due_sessions()
            await hub.deliver_statuses(http)
        except httpx.HTTPError as exc:
            # Conversation restarting: the statuses not yet accepted go out on a later pass.
            log.warning("status callbacks to conversation failed: %s", exc)
        except Exception:
            log.exception("hub background pass failed")

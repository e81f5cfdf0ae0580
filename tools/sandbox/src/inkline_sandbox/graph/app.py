"""FastAPI app speaking the WhatsApp Cloud API's HTTP surface: send messages, upload, retrieve and download
media.

Paths work with and without the version segment, because adapters are configured with a base URL that
already includes it (e.g. ``http://127.0.0.1:PORT/v21.0``).
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from inkline_sandbox.graph.errors import GraphRequestError, error_body, spec_body
from inkline_sandbox.graph.state import GraphState
from inkline_sandbox.graph.uploads import read_upload
from inkline_sandbox.graph.validation import validate_message

_VERSION = re.compile(r"^v\d+\.\d+$")
_ATTACHMENTS_PATH = "/whatsapp_business/attachments/"


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    # Graph also accepts the token as a query parameter.
    return request.query_params.get("access_token")


def _unauthorized() -> GraphRequestError:
    body = error_body(190, "Invalid OAuth access token - Cannot parse access token")
    return GraphRequestError(401, body)


def _unknown_object(verb: str, object_id: str) -> GraphRequestError:
    message = (
        f"Unsupported {verb} request. Object with ID '{object_id}' does not exist, cannot be loaded due to "
        "missing permissions, or does not support this operation. Please read the Graph API documentation "
        "at https://developers.facebook.com/docs/graph-api"
    )
    return GraphRequestError(400, error_body(100, message, error_subcode=33))


def _check_version(version: str | None) -> None:
    if version is not None and not _VERSION.match(version):
        raise GraphRequestError(400, error_body(2500, f"Unknown path components: /{version}"))


def create_graph_app(state: GraphState) -> FastAPI:
    app = FastAPI(title="Inkline sandbox: WhatsApp Cloud API", docs_url=None, redoc_url=None)

    @app.exception_handler(GraphRequestError)
    async def _graph_error(_: Request, exc: GraphRequestError) -> JSONResponse:
        headers = (
            {"WWW-Authenticate": 'OAuth "Facebook Platform" "invalid_token"'}
            if exc.http_status == 401
            else {}
        )
        return JSONResponse(exc.body, status_code=exc.http_status, headers=headers)

    async def send(request: Request, phone_number_id: str, version: str | None) -> Response:
        _check_version(version)
        if not state.authorize(_bearer(request)):
            raise _unauthorized()
        if not state.knows_phone_number(phone_number_id):
            raise _unknown_object("post", phone_number_id)
        try:
            payload: Any = json.loads(await request.body())
        except ValueError as exc:
            body = error_body(100, "(#100) The request body could not be parsed as JSON.")
            raise GraphRequestError(400, body) from exc
        validate_message(payload)
        outcome = state.send(phone_number_id, payload)
        if outcome.stall_seconds > 0 and await _stall(
            request, state, outcome.stall_seconds, generation=outcome.stall_generation
        ):
            state.record_abandoned(outcome.body["messages"][0]["id"])
        return JSONResponse(outcome.body, status_code=outcome.http_status)

    @app.post("/{version}/{phone_number_id}/messages")
    async def send_versioned(request: Request, version: str, phone_number_id: str) -> Response:
        return await send(request, phone_number_id, version)

    @app.post("/{phone_number_id}/messages")
    async def send_unversioned(request: Request, phone_number_id: str) -> Response:
        return await send(request, phone_number_id, None)

    async def upload(request: Request, phone_number_id: str, version: str | None) -> Response:
        _check_version(version)
        if not state.authorize(_bearer(request)):
            raise _unauthorized()
        if not state.knows_phone_number(phone_number_id):
            raise _unknown_object("post", phone_number_id)
        async with request.form() as form:
            content, mime_type = await read_upload(form)
        item = state.upload_media(phone_number_id, content, mime_type)
        return JSONResponse({"id": item.media_id})

    @app.post("/{version}/{phone_number_id}/media")
    async def upload_versioned(request: Request, version: str, phone_number_id: str) -> Response:
        return await upload(request, phone_number_id, version)

    @app.post("/{phone_number_id}/media")
    async def upload_unversioned(request: Request, phone_number_id: str) -> Response:
        return await upload(request, phone_number_id, None)

    # Registered before the `/{version}/{media_id}` route, which would otherwise shadow it.
    @app.get(_ATTACHMENTS_PATH)
    async def download(request: Request, mid: str = "") -> Response:
        if not state.authorize(_bearer(request)):
            raise _unauthorized()
        item = state.media(mid)
        if item is None:
            return Response(status_code=404)
        return Response(item.content, media_type=item.mime_type)

    def media_metadata(request: Request, media_id: str, version: str | None) -> Response:
        _check_version(version)
        if not state.authorize(_bearer(request)):
            raise _unauthorized()
        failure = state.take_media_failure()
        if failure is not None:
            raise GraphRequestError(failure.http_status, spec_body(failure))
        item = state.media(media_id)
        if item is None:
            raise _unknown_object("get", media_id)
        base = str(request.base_url).rstrip("/")
        # Meta's lookaside URLs carry an expiry and a hash; clients must pass them through untouched.
        url = (
            f"{base}{_ATTACHMENTS_PATH}?mid={item.media_id}&ext={int(state.clock()) + 300}"
            f"&hash={secrets.token_urlsafe(16)}"
        )
        return JSONResponse(
            {
                "url": url,
                "mime_type": item.mime_type,
                "sha256": item.sha256,
                "file_size": len(item.content),
                "id": item.media_id,
                "messaging_product": "whatsapp",
            }
        )

    @app.get("/{version}/{media_id}")
    async def media_versioned(request: Request, version: str, media_id: str) -> Response:
        return media_metadata(request, media_id, version)

    @app.get("/{media_id}")
    async def media_unversioned(request: Request, media_id: str) -> Response:
        return media_metadata(request, media_id, None)

    return app


async def _stall(request: Request, state: GraphState, seconds: float, *, generation: int) -> bool:
    """Hold the response until the deadline, a client disconnect, or a `state.release_stalled()` made after
    the attempt was recorded (`generation` is the one read then, not when this handler gets to run); True
    when the client disconnected (gave up waiting)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline and state.stall_generation() == generation:
        if await request.is_disconnected():
            return True
        await asyncio.sleep(0.02)
    return False

"""Calendar v3 routes, at the paths google-api-python-client derives from the discovery document.

The discovery doc's methods are relative paths (``calendars/{calendarId}/events``, ``freeBusy``) joined to
the base URL. ``client_options={"api_endpoint": ...}`` *replaces* that whole base (rootUrl + servicePath,
googleapiclient/discovery.py ``build_from_document``), so point it at ``{fake}/calendar/v3/``; the routes
below live under that prefix, exactly where Google serves them.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from inkline_sandbox.google.calendar_errors import FAULT_ERRORS, CalendarError, CalendarFault
from inkline_sandbox.google.calendar_state import CalendarCall, CalendarOperation, CalendarState
from inkline_sandbox.google.calendar_time import now as utc_now
from inkline_sandbox.google.calendar_time import parse_instant, stamp, zone
from inkline_sandbox.google.oauth import OAuthState

_DEFAULT_PAGE = 250
_MAX_PAGE = 2500
_UNAUTHORIZED = CalendarError(401, "authError", "Invalid Credentials", location=("header", "Authorization"))


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError as exc:
        raise CalendarError(400, "parseError", "Parse Error") from exc
    if not isinstance(body, dict):
        raise CalendarError(400, "parseError", "Parse Error")
    return body


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "false").lower() == "true"


def _private_filters(request: Request) -> dict[str, str]:
    filters: dict[str, str] = {}
    for constraint in request.query_params.getlist("privateExtendedProperty"):
        key, sep, value = constraint.partition("=")
        if not sep or not key:
            raise CalendarError(400, "invalid", "Invalid extended property constraint.")
        filters[key] = value
    return filters


def _page(request: Request, items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str | None]:
    try:
        size = min(int(request.query_params.get("maxResults", _DEFAULT_PAGE)), _MAX_PAGE)
        token = request.query_params.get("pageToken")
        offset = int(base64.urlsafe_b64decode(token.encode()).decode()) if token else 0
    except (ValueError, binascii.Error) as exc:
        raise CalendarError(400, "invalid", "Invalid Value") from exc
    if size < 1:
        raise CalendarError(400, "invalid", "Invalid Value", location=("parameter", "maxResults"))
    following = offset + size
    next_token = (
        base64.urlsafe_b64encode(str(following).encode()).decode() if following < len(items) else None
    )
    return items[offset:following], next_token


def calendar_router(state: CalendarState, oauth: OAuthState) -> APIRouter:
    router = APIRouter(prefix="/calendar/v3")

    async def run(
        request: Request,
        operation: CalendarOperation,
        calendar_id: str | None,
        event_id: str | None,
        action: Callable[[], Any],
    ) -> Response:
        """Auth, then any scripted fault, then the operation; every outcome lands in ``state.calls``."""
        fault: CalendarFault | None = None
        try:
            if not oauth.is_authorized(request.headers.get("authorization")):
                raise _UNAUTHORIZED
            fault = state.faults.take(operation)
            if fault is not None and fault in FAULT_ERRORS:
                raise FAULT_ERRORS[fault]
            result = action()
            if asyncio.iscoroutine(result):
                result = await result
        except CalendarError as error:
            state.record(CalendarCall(operation, calendar_id, event_id, error.status))
            return error.response()
        response = result if isinstance(result, Response) else JSONResponse(result)
        state.record(CalendarCall(operation, calendar_id, event_id, response.status_code))
        if fault is CalendarFault.CREATE_THEN_TIMEOUT:
            await asyncio.sleep(state.stall_seconds)
        return response

    @router.post("/freeBusy")
    async def free_busy(request: Request) -> Response:
        async def query() -> dict[str, Any]:
            body = await _json_body(request)
            time_min = parse_instant(body.get("timeMin"), "timeMin")
            time_max = parse_instant(body.get("timeMax"), "timeMax")
            if time_max < time_min:
                raise CalendarError(
                    400,
                    "timeRangeEmpty",
                    "The specified time range is empty.",
                    domain="calendar",
                    location=("parameter", "timeMax"),
                )
            time_zone = str(body.get("timeZone") or "UTC")
            zone(time_zone)
            ids = [str(item.get("id")) for item in body.get("items", []) if isinstance(item, dict)]
            return state.free_busy(ids, time_min, time_max, time_zone)

        return await run(request, CalendarOperation.FREEBUSY, None, None, query)

    @router.post("/calendars/{calendar_id}/events")
    async def insert(request: Request, calendar_id: str) -> Response:
        async def create() -> dict[str, Any]:
            return state.insert_event(calendar_id, await _json_body(request))

        return await run(request, CalendarOperation.INSERT, calendar_id, None, create)

    @router.get("/calendars/{calendar_id}/events")
    async def list_events(request: Request, calendar_id: str) -> Response:
        def listing() -> dict[str, Any]:
            order_by = request.query_params.get("orderBy")
            if order_by == "startTime" and not _flag(request, "singleEvents"):
                raise CalendarError(
                    400, "badRequest", "The requested ordering is not available for the particular query."
                )
            time_min, time_max = request.query_params.get("timeMin"), request.query_params.get("timeMax")
            matches = state.list_events(
                calendar_id,
                private_properties=_private_filters(request),
                time_min=parse_instant(time_min, "timeMin") if time_min else None,
                time_max=parse_instant(time_max, "timeMax") if time_max else None,
                show_deleted=_flag(request, "showDeleted"),
                order_by_start=order_by == "startTime",
            )
            items, next_token = _page(request, matches)
            envelope: dict[str, Any] = {
                "kind": "calendar#events",
                "etag": f'"{len(matches)}"',
                "summary": calendar_id,
                "updated": stamp(utc_now()),
                "timeZone": request.query_params.get("timeZone", state.time_zone),
                "accessRole": "owner",
                "defaultReminders": [],
                "items": items,
            }
            if next_token:
                envelope["nextPageToken"] = next_token
            return envelope

        return await run(request, CalendarOperation.LIST, calendar_id, None, listing)

    @router.get("/calendars/{calendar_id}/events/{event_id}")
    async def get_event(request: Request, calendar_id: str, event_id: str) -> Response:
        return await run(
            request,
            CalendarOperation.GET,
            calendar_id,
            event_id,
            lambda: state.get_event(calendar_id, event_id),
        )

    @router.patch("/calendars/{calendar_id}/events/{event_id}")
    async def patch_event(request: Request, calendar_id: str, event_id: str) -> Response:
        async def patch() -> dict[str, Any]:
            return state.patch_event(calendar_id, event_id, await _json_body(request))

        return await run(request, CalendarOperation.PATCH, calendar_id, event_id, patch)

    @router.delete("/calendars/{calendar_id}/events/{event_id}")
    async def delete_event(request: Request, calendar_id: str, event_id: str) -> Response:
        def delete() -> Response:
            state.delete_event(calendar_id, event_id)
            return Response(status_code=204)

        return await run(request, CalendarOperation.DELETE, calendar_id, event_id, delete)

    return router

"""Sheets v4 routes at the URLs gspread 6.2.1 builds (gspread/urls.py, gspread/http_client.py).

gspread percent-encodes the whole A1 range into one path segment (``quote(range, safe="")``), so
``'Leads'!A1`` arrives as ``%27Leads%27%21A1`` and the server decodes it back before routing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from inkline_sandbox.google.oauth import OAuthState
from inkline_sandbox.google.sheets_model import SheetsError, fault_error, invalid
from inkline_sandbox.google.sheets_state import ANY_SPREADSHEET, SheetsCall, SheetsState

_UNAUTHENTICATED = SheetsError(
    401,
    "UNAUTHENTICATED",
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
    "valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
)


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError as exc:
        raise invalid("Invalid JSON payload received.") from exc
    if not isinstance(body, dict):
        raise invalid("Invalid JSON payload received.")
    return body


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "false").lower() == "true"


def sheets_router(state: SheetsState, oauth: OAuthState) -> APIRouter:
    router = APIRouter(prefix="/v4/spreadsheets")

    async def run(
        request: Request, method: str, spreadsheet_id: str, write: bool, action: Callable[[], Any]
    ) -> Response:
        """Auth, then the call is counted, then any scripted fault, then the operation."""
        if not oauth.is_authorized(request.headers.get("authorization")):
            return _UNAUTHENTICATED.response()
        try:
            fault = state.faults.take(spreadsheet_id, ANY_SPREADSHEET)
            if fault is not None:
                raise fault_error(fault, write=write)
            result = action()
            if not isinstance(result, dict):
                result = await result
        except SheetsError as error:
            state.record(SheetsCall(method, spreadsheet_id, write, error.status))
            return error.response()
        state.record(SheetsCall(method, spreadsheet_id, write, 200))
        return JSONResponse(result)

    @router.get("/{spreadsheet_id}")
    async def get_spreadsheet(request: Request, spreadsheet_id: str) -> Response:
        return await run(
            request, "spreadsheets.get", spreadsheet_id, False, lambda: state.metadata(spreadsheet_id)
        )

    @router.post("/{spreadsheet_id}:batchUpdate")
    async def batch_update(request: Request, spreadsheet_id: str) -> Response:
        async def apply() -> dict[str, Any]:
            return state.batch_update(spreadsheet_id, (await _json_body(request)).get("requests", []))

        return await run(request, "spreadsheets.batchUpdate", spreadsheet_id, True, apply)

    @router.get("/{spreadsheet_id}/values:batchGet")
    async def batch_get(request: Request, spreadsheet_id: str) -> Response:
        def read() -> dict[str, Any]:
            ranges = request.query_params.getlist("ranges")
            if not ranges:
                raise invalid("Must specify at least one range.")
            return {
                "spreadsheetId": spreadsheet_id,
                "valueRanges": [
                    state.get_values(
                        spreadsheet_id,
                        text,
                        major_dimension=request.query_params.get("majorDimension", "ROWS"),
                        render_option=request.query_params.get("valueRenderOption", "FORMATTED_VALUE"),
                    )
                    for text in ranges
                ],
            }

        return await run(request, "values.batchGet", spreadsheet_id, False, read)

    @router.post("/{spreadsheet_id}/values:batchUpdate")
    async def batch_update_values(request: Request, spreadsheet_id: str) -> Response:
        async def write() -> dict[str, Any]:
            return state.batch_update_values(spreadsheet_id, await _json_body(request))

        return await run(request, "values.batchUpdate", spreadsheet_id, True, write)

    @router.post("/{spreadsheet_id}/values/{range_text:path}:append")
    async def append(request: Request, spreadsheet_id: str, range_text: str) -> Response:
        async def write() -> dict[str, Any]:
            body = await _json_body(request)
            answer = state.append_values(
                spreadsheet_id,
                range_text,
                body.get("values", []),
                input_option=request.query_params.get("valueInputOption", ""),
                insert_rows=request.query_params.get("insertDataOption") == "INSERT_ROWS",
                major_dimension=body.get("majorDimension") or "ROWS",
            )
            if _flag(request, "includeValuesInResponse"):
                updates = answer["updates"]
                updates["updatedData"] = state.get_values(spreadsheet_id, updates["updatedRange"])
            return answer

        return await run(request, "values.append", spreadsheet_id, True, write)

    @router.get("/{spreadsheet_id}/values/{range_text:path}")
    async def get_values(request: Request, spreadsheet_id: str, range_text: str) -> Response:
        def read() -> dict[str, Any]:
            return state.get_values(
                spreadsheet_id,
                range_text,
                major_dimension=request.query_params.get("majorDimension", "ROWS"),
                render_option=request.query_params.get("valueRenderOption", "FORMATTED_VALUE"),
            )

        return await run(request, "values.get", spreadsheet_id, False, read)

    @router.put("/{spreadsheet_id}/values/{range_text:path}")
    async def update_values(request: Request, spreadsheet_id: str, range_text: str) -> Response:
        async def write() -> dict[str, Any]:
            body = await _json_body(request)
            answer = state.update_values(
                spreadsheet_id,
                range_text,
                body.get("values", []),
                input_option=request.query_params.get("valueInputOption", ""),
                major_dimension=body.get("majorDimension") or "ROWS",
            )
            if _flag(request, "includeValuesInResponse"):
                answer["updatedData"] = state.get_values(spreadsheet_id, answer["updatedRange"])
            return answer

        return await run(request, "values.update", spreadsheet_id, True, write)

    return router

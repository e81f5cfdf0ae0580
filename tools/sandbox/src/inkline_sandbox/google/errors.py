"""Google's two error-body dialects, so clients parse failures exactly as they would in production.

Calendar v3 (and other "discovery" APIs) answer with the legacy shape that carries ``errors[].reason``;
google-api-python-client reads that list to decide whether a 403 is retryable. Sheets v4 answers with the
google.rpc shape (``status`` plus ``details``), which is what gspread's ``APIError`` exposes.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

JsonObject = dict[str, Any]


def legacy_error(
    status: int,
    reason: str,
    message: str,
    *,
    domain: str = "global",
    location: tuple[str, str] | None = None,
) -> JSONResponse:
    """``{"error": {"errors": [{domain, reason, message}], "code", "message"}}`` as Calendar sends it."""
    item: JsonObject = {"domain": domain, "reason": reason, "message": message}
    if location is not None:
        item["locationType"], item["location"] = location
    body = {"error": {"errors": [item], "code": status, "message": message}}
    return JSONResponse(body, status_code=status)


def rpc_error(
    status: int, grpc_status: str, message: str, details: list[JsonObject] | None = None
) -> JSONResponse:
    """``{"error": {"code", "message", "status", "details"?}}`` as Sheets v4 sends it."""
    error: JsonObject = {"code": status, "message": message, "status": grpc_status}
    if details:
        error["details"] = details
    return JSONResponse({"error": error}, status_code=status)

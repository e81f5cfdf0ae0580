"""Graph API error bodies, and the catalogue of WhatsApp Cloud API errors the fake can inject.

Shape (Meta's Graph error handling docs and the Cloud API error-code table):
``{"error": {"message": "(#<code>) <title>", "type": "OAuthException", "code": <code>,
"error_subcode"?, "error_data": {"messaging_product": "whatsapp", "details": ...}, "fbtrace_id": ...}}``
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from typing import Any

_TRACE_ALPHABET = string.ascii_letters + string.digits + "_-"


def fbtrace_id() -> str:
    return "A" + "".join(secrets.choice(_TRACE_ALPHABET) for _ in range(22))


@dataclass(frozen=True)
class GraphErrorSpec:
    """One Cloud API error as Meta reports it: synchronously (HTTP) and in a failed-status webhook."""

    code: int
    title: str
    details: str
    http_status: int


# HTTP statuses: Meta's table has listed both 400 and 429 for the throttling codes over time; client
# libraries in the wild see 429 for 130429/131056, so that is the default here. `fail_next` can override.
KNOWN_ERRORS: dict[int, GraphErrorSpec] = {
    spec.code: spec
    for spec in (
        GraphErrorSpec(100, "Invalid parameter", "Invalid parameter", 400),
        GraphErrorSpec(130429, "Rate limit hit", "Cloud API message throughput has been reached.", 429),
        GraphErrorSpec(
            131056,
            "(Business Account, Consumer Account) pair rate limit hit",
            "Message failed to send because there were too many messages sent from this phone number "
            "to the same phone number in a short period of time.",
            429,
        ),
        GraphErrorSpec(
            131047,
            "Re-engagement message",
            "Message failed to send because more than 24 hours have passed since the customer last "
            "replied to this number.",
            400,
        ),
        GraphErrorSpec(131026, "Message Undeliverable.", "Message Undeliverable.", 400),
        GraphErrorSpec(131000, "Something went wrong", "Something went wrong", 500),
        GraphErrorSpec(131016, "Service unavailable", "A service is temporarily unavailable.", 503),
        GraphErrorSpec(131009, "Parameter value is not valid", "Parameter value is not valid", 400),
        GraphErrorSpec(131051, "Message type unknown", "Message type is currently not supported.", 400),
    )
}


def spec_for(code: int, *, http_status: int | None = None) -> GraphErrorSpec:
    known = KNOWN_ERRORS.get(code)
    if known is None:
        return GraphErrorSpec(code, f"Error {code}", f"Error {code}", http_status or 400)
    if http_status is None:
        return known
    return GraphErrorSpec(known.code, known.title, known.details, http_status)


def error_body(
    code: int,
    message: str,
    *,
    details: str | None = None,
    error_subcode: int | None = None,
) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if error_subcode is not None:
        error["error_subcode"] = error_subcode
    if details is not None:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    error["fbtrace_id"] = fbtrace_id()
    return {"error": error}


def spec_body(spec: GraphErrorSpec) -> dict[str, Any]:
    return error_body(spec.code, f"(#{spec.code}) {spec.title}", details=spec.details)


def webhook_error(spec: GraphErrorSpec) -> dict[str, Any]:
    """The element of `statuses[].errors` Meta sends when a message fails asynchronously."""
    return {
        "code": spec.code,
        "title": spec.title,
        "message": spec.title,
        "error_data": {"details": spec.details},
        "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
    }


class GraphRequestError(Exception):
    """A request the real Cloud API would reject; carries the HTTP status and the Graph error body."""

    def __init__(self, http_status: int, body: dict[str, Any]) -> None:
        super().__init__(body["error"]["message"])
        self.http_status = http_status
        self.body = body


def invalid_parameter(message: str) -> GraphRequestError:
    """Missing or wrongly-typed fields: Graph answers `(#100) The parameter X is required.` and the like."""
    return GraphRequestError(400, error_body(100, f"(#100) {message}"))


def invalid_value(details: str) -> GraphRequestError:
    """A present field breaking a documented limit: Cloud API answers 131009 with the limit in details."""
    return GraphRequestError(
        400, error_body(131009, "(#131009) Parameter value is not valid", details=details)
    )

"""Stripe's error JSON (``{"error": {"type", "code"?, "message", "param"?, "doc_url"?}}``) as an exception.

`saved` follows Stripe's idempotency rule: a result is stored under the Idempotency-Key only once the
endpoint began executing, so parameter-validation failures are not replayed but state conflicts are.
"""

from __future__ import annotations

from typing import Any


class StripeError(Exception):
    def __init__(
        self,
        http_status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        saved: bool = False,
    ) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.message = message
        self.type = type
        self.code = code
        self.param = param
        self.saved = saved

    def body(self, request_id: str | None = None) -> dict[str, Any]:
        error: dict[str, Any] = {}
        if self.code is not None:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        error["message"] = self.message
        if self.param is not None:
            error["param"] = self.param
        if request_id is not None:
            error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}"
        error["type"] = self.type
        return {"error": error}


def missing_param(name: str) -> StripeError:
    return StripeError(400, f"Missing required param: {name}.", code="parameter_missing", param=name)


def unknown_param(name: str) -> StripeError:
    return StripeError(400, f"Received unknown parameter: {name}", code="parameter_unknown", param=name)


def invalid_integer(name: str, value: Any) -> StripeError:
    return StripeError(400, f"Invalid integer: {value}", code="parameter_invalid_integer", param=name)


def invalid_param(name: str, message: str) -> StripeError:
    return StripeError(400, message, param=name)


def resource_missing(kind: str, object_id: str, param: str) -> StripeError:
    return StripeError(404, f"No such {kind}: '{object_id}'", code="resource_missing", param=param)


def no_api_key() -> StripeError:
    return StripeError(
        401,
        "You did not provide an API key. You need to provide your API key in the Authorization header, "
        "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#"
        "authentication for details, or we can help at https://support.stripe.com/.",
    )


def invalid_api_key(key: str) -> StripeError:
    masked = key[:8] + "*" * max(len(key) - 12, 4) + key[-4:]
    return StripeError(401, f"Invalid API Key provided: {masked}", code="api_key_invalid")


def idempotency_mismatch(key: str, *, endpoint_change: str | None = None) -> StripeError:
    if endpoint_change is not None:
        message = (
            f"Keys for idempotent requests can only be used for the same endpoint they were first used for "
            f"({endpoint_change}). Try using a key other than '{key}' if you meant to execute a different request."
        )
    else:
        message = (
            "Keys for idempotent requests can only be used with the same parameters they were first used with. "
            f"Try using a key other than '{key}' if you meant to execute a different request."
        )
    return StripeError(400, message, type="idempotency_error")

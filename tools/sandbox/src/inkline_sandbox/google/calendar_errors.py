"""Calendar v3 failures as data, rendered in Google's legacy error shape by the router."""

from __future__ import annotations

from enum import StrEnum

from fastapi.responses import JSONResponse

from inkline_sandbox.google.errors import legacy_error


class CalendarError(Exception):
    def __init__(
        self,
        status: int,
        reason: str,
        message: str,
        *,
        domain: str = "global",
        location: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message
        self.domain = domain
        self.location = location

    def response(self) -> JSONResponse:
        return legacy_error(
            self.status, self.reason, self.message, domain=self.domain, location=self.location
        )


class CalendarFault(StrEnum):
    """What the next call to an operation should suffer (bodies from developers.google.com/calendar errors)."""

    RATE_LIMIT_429 = "rate_limit_429"
    RATE_LIMIT_403 = "rate_limit_403"
    USER_RATE_LIMIT_403 = "user_rate_limit_403"
    BACKEND_ERROR_500 = "backend_error_500"
    UNAVAILABLE_503 = "unavailable_503"
    # The write is applied, then the answer is held back longer than a client waits: a retry must cope
    # with the first attempt having succeeded (for insert, by meeting 409 duplicate).
    CREATE_THEN_TIMEOUT = "create_then_timeout"


FAULT_ERRORS: dict[CalendarFault, CalendarError] = {
    CalendarFault.RATE_LIMIT_429: CalendarError(
        429, "rateLimitExceeded", "Rate Limit Exceeded", domain="usageLimits"
    ),
    CalendarFault.RATE_LIMIT_403: CalendarError(
        403, "rateLimitExceeded", "Rate Limit Exceeded", domain="usageLimits"
    ),
    CalendarFault.USER_RATE_LIMIT_403: CalendarError(
        403, "userRateLimitExceeded", "User Rate Limit Exceeded", domain="usageLimits"
    ),
    CalendarFault.BACKEND_ERROR_500: CalendarError(500, "backendError", "Backend Error"),
    CalendarFault.UNAVAILABLE_503: CalendarError(503, "backendError", "Backend Error"),
}

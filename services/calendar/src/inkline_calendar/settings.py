"""Calendar service configuration (environment variables, `.env`)."""

from __future__ import annotations

from pydantic import Field

from inkline_platform.settings import ServiceSettings


class CalendarSettings(ServiceSettings):
    http_port: int = 8003
    google_service_account_file: str | None = None
    google_calendar_id: str = "primary"
    google_api_endpoint: str | None = Field(default=None, description="overrides https://www.googleapis.com")
    hold_ttl_minutes: int = Field(default=45, ge=1)

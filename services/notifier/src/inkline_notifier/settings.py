"""Notifier service configuration (environment variables, `.env`)."""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator

from inkline_platform.settings import ServiceSettings, refuse_sandbox_values

SANDBOX_ACCESS_TOKEN = "sandbox-access-token"  # noqa: S105 - accepted only by the sandbox hub


class NotifierSettings(ServiceSettings):
    http_port: int = 8005
    whatsapp_graph_url: str = "https://graph.facebook.com/v21.0"
    whatsapp_phone_number_id: str = "106540352242922"
    whatsapp_access_token: SecretStr = SecretStr(SANDBOX_ACCESS_TOKEN)
    artist_whatsapp_number: str = "447700900000"
    google_service_account_file: str | None = None
    google_api_endpoint: str | None = None
    sheets_spreadsheet_id: str = Field(default="", description="empty disables Google Sheets logging")

    @model_validator(mode="after")
    def _real_secrets_outside_sandbox(self) -> NotifierSettings:
        refuse_sandbox_values(self, {"whatsapp_access_token": SANDBOX_ACCESS_TOKEN})
        return self

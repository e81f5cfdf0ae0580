"""Conversation service configuration (environment variables, `.env`)."""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator

from inkline_platform.settings import ServiceSettings, refuse_sandbox_values

SANDBOX_APP_SECRET = "sandbox-app-secret"  # noqa: S105 - the sandbox hub signs with it; refused outside sandbox
SANDBOX_VERIFY_TOKEN = "sandbox-verify-token"  # noqa: S105


class ConversationSettings(ServiceSettings):
    http_port: int = 8001
    public_base_url: str = Field(default="http://127.0.0.1:8001", description="base of artist action links")
    whatsapp_app_secret: SecretStr = SecretStr(SANDBOX_APP_SECRET)
    whatsapp_verify_token: SecretStr = SecretStr(SANDBOX_VERIFY_TOKEN)
    artist_whatsapp_number: str = "447700900000"

    @model_validator(mode="after")
    def _real_secrets_outside_sandbox(self) -> ConversationSettings:
        refuse_sandbox_values(
            self, {"whatsapp_app_secret": SANDBOX_APP_SECRET, "whatsapp_verify_token": SANDBOX_VERIFY_TOKEN}
        )
        return self

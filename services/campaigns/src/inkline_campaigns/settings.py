"""Campaigns service configuration (environment variables, `.env`)."""

from __future__ import annotations

from pydantic import SecretStr, model_validator

from inkline_platform.settings import ServiceSettings

SANDBOX_ADMIN_TOKEN = "sandbox-admin-token"  # noqa: S105 - refused outside sandbox


class CampaignsSettings(ServiceSettings):
    http_port: int = 8004
    campaigns_admin_token: SecretStr = SecretStr(SANDBOX_ADMIN_TOKEN)

    @model_validator(mode="after")
    def _real_token_outside_sandbox(self) -> CampaignsSettings:
        if not self.inkline_sandbox and self.campaigns_admin_token.get_secret_value() == SANDBOX_ADMIN_TOKEN:
            raise ValueError("INKLINE_SANDBOX=0 needs CAMPAIGNS_ADMIN_TOKEN")
        return self

"""Campaigns service configuration (environment variables, `.env`)."""

from __future__ import annotations

from pydantic import SecretStr, model_validator

from inkline_platform.settings import ServiceSettings, refuse_sandbox_values

SANDBOX_ADMIN_TOKEN = "sandbox-admin-token"  # noqa: S105 - refused outside sandbox


class CampaignsSettings(ServiceSettings):
    http_port: int = 8004
    campaigns_admin_token: SecretStr = SecretStr(SANDBOX_ADMIN_TOKEN)

    @model_validator(mode="after")
    def _real_secrets_outside_sandbox(self) -> CampaignsSettings:
        refuse_sandbox_values(self, {"campaigns_admin_token": SANDBOX_ADMIN_TOKEN})
        return self

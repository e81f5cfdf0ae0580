"""Payments service configuration (environment variables, `.env`)."""

from __future__ import annotations

from pydantic import SecretStr, model_validator

from inkline_platform.settings import ServiceSettings, refuse_sandbox_values

SANDBOX_STRIPE_KEY = "sk_test_sandbox"
SANDBOX_WEBHOOK_SECRET = "whsec_sandbox"  # noqa: S105


class PaymentsSettings(ServiceSettings):
    http_port: int = 8002
    stripe_api_key: SecretStr = SecretStr(SANDBOX_STRIPE_KEY)
    stripe_webhook_secret: SecretStr = SecretStr(SANDBOX_WEBHOOK_SECRET)
    stripe_api_base: str = "https://api.stripe.com"

    @model_validator(mode="after")
    def _real_secrets_outside_sandbox(self) -> PaymentsSettings:
        refuse_sandbox_values(
            self, {"stripe_api_key": SANDBOX_STRIPE_KEY, "stripe_webhook_secret": SANDBOX_WEBHOOK_SECRET}
        )
        return self

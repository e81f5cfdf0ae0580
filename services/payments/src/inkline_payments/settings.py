"""Payments service configuration (environment variables, `.env`)."""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator

from inkline_payments.domain.amounts import DepositPolicy
from inkline_platform.settings import ServiceSettings, refuse_sandbox_values

SANDBOX_STRIPE_KEY = "sk_test_sandbox"
SANDBOX_WEBHOOK_SECRET = "whsec_sandbox"  # noqa: S105


class PaymentsSettings(ServiceSettings):
    http_port: int = 8002
    stripe_api_key: SecretStr = SecretStr(SANDBOX_STRIPE_KEY)
    stripe_webhook_secret: SecretStr = SecretStr(SANDBOX_WEBHOOK_SECRET)
    stripe_api_base: str = "https://api.stripe.com"
    stripe_max_network_retries: int = Field(default=2, ge=0, le=10)
    checkout_success_url: str | None = Field(
        default=None, description="where Stripe sends the client after paying (Stripe's page if unset)"
    )
    checkout_cancel_url: str | None = None
    deposits: DepositPolicy = Field(
        default_factory=DepositPolicy,
        description='JSON, e.g. {"currency": "GBP", "rules": {"small": {"fixed_minor": 5000}, '
        '"large": {"percent": 20, "minimum_minor": 10000}}}',
    )
    reconcile_interval_seconds: float = Field(default=60.0, gt=0)
    reconcile_recheck_seconds: float = Field(
        default=300.0, ge=0, description="how long a still-pending deposit waits before it is checked again"
    )
    public_base_url: str | None = Field(
        default=None, description="base of the sandbox checkout links (default http://HTTP_HOST:HTTP_PORT)"
    )

    @model_validator(mode="after")
    def _real_secrets_outside_sandbox(self) -> PaymentsSettings:
        refuse_sandbox_values(
            self, {"stripe_api_key": SANDBOX_STRIPE_KEY, "stripe_webhook_secret": SANDBOX_WEBHOOK_SECRET}
        )
        return self

    @property
    def sandbox_checkout_base_url(self) -> str:
        return self.public_base_url or f"http://{self.http_host}:{self.http_port}"

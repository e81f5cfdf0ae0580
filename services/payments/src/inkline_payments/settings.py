"""Payments service configuration (environment variables, `.env`)."""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator

from inkline_payments.domain.amounts import DepositPolicy
from inkline_platform.settings import ServiceSettings, refuse_sandbox_values, require_hub_settings

PAID_PAGE_PATH = "/paid"
SANDBOX_STRIPE_KEY = "sk_test_sandbox"
SANDBOX_WEBHOOK_SECRET = "whsec_sandbox"  # noqa: S105
SANDBOX_ADMIN_TOKEN = "sandbox-payments-admin-token"  # noqa: S105 - refused outside sandbox


class PaymentsSettings(ServiceSettings):
    http_port: int = 8002
    stripe_api_key: SecretStr = SecretStr(SANDBOX_STRIPE_KEY)
    stripe_webhook_secret: SecretStr = SecretStr(SANDBOX_WEBHOOK_SECRET)
    stripe_api_base: str = "https://api.stripe.com"
    stripe_max_network_retries: int = Field(default=2, ge=0, le=10)
    payments_admin_token: SecretStr = Field(
        default=SecretStr(SANDBOX_ADMIN_TOKEN),
        description="bearer token of /api/deposits (the studio's calls)",
    )
    checkout_success_url: str | None = Field(
        default=None,
        description="where Stripe sends the client after paying; unset: this service's own paid page "
        "(PUBLIC_BASE_URL/paid), which says what was booked and links back to the WhatsApp chat",
    )
    whatsapp_display_phone_number: str = Field(
        default="",
        description="the business's WhatsApp number as clients see it (e.g. +44 7700 900111): the paid "
        "page's link back to the chat; without digits the link is left out",
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
        default=None,
        description="where clients reach this service (the paid page); default http://HTTP_HOST:HTTP_PORT "
        "in the sandbox",
    )

    @model_validator(mode="after")
    def _real_secrets_outside_sandbox(self) -> PaymentsSettings:
        refuse_sandbox_values(
            self,
            {
                "stripe_api_key": SANDBOX_STRIPE_KEY,
                "stripe_webhook_secret": SANDBOX_WEBHOOK_SECRET,
                "payments_admin_token": SANDBOX_ADMIN_TOKEN,
            },
            strong={"payments_admin_token"},
        )
        require_hub_settings(self, ["stripe_api_base"])
        return self

    @property
    def success_url(self) -> str | None:
        """Checkout's return address: the configured one, else our paid page wherever clients reach us
        (Stripe fills in `{CHECKOUT_SESSION_ID}`); outside the sandbox only with a public base URL."""
        if self.checkout_success_url:
            return self.checkout_success_url
        if self.public_base_url or self.inkline_sandbox:
            base = (self.public_base_url or f"http://{self.http_host}:{self.http_port}").rstrip("/")
            return f"{base}{PAID_PAGE_PATH}?session_id={{CHECKOUT_SESSION_ID}}"
        return None

    @property
    def whatsapp_chat_url(self) -> str | None:
        digits = "".join(character for character in self.whatsapp_display_phone_number if character.isdigit())
        return f"https://wa.me/{digits}" if digits else None

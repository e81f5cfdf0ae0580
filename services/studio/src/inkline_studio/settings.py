"""Studio service configuration (environment variables, `.env`)."""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator

from inkline_platform.settings import ServiceSettings, refuse_sandbox_values

SANDBOX_SESSION_SECRET = "sandbox-studio-session-secret"  # noqa: S105 - refused outside sandbox
SANDBOX_CAMPAIGNS_TOKEN = "sandbox-admin-token"  # noqa: S105 - campaigns' own sandbox value
SANDBOX_CONVERSATION_TOKEN = "sandbox-conversation-admin-token"  # noqa: S105 - conversation's sandbox value
SANDBOX_CALENDAR_TOKEN = "sandbox-calendar-admin-token"  # noqa: S105 - calendar's sandbox value
SANDBOX_PAYMENTS_TOKEN = "sandbox-payments-admin-token"  # noqa: S105 - payments' sandbox value


class StudioSettings(ServiceSettings):
    http_port: int = 8006
    studio_public_url: str = Field(
        default="http://127.0.0.1:8006", description="base of the sign-in links sent to WhatsApp"
    )
    studio_session_secret: SecretStr = Field(
        default=SecretStr(SANDBOX_SESSION_SECRET),
        description="signs session cookies and CSRF tokens; changing it signs everyone out",
    )
    studio_session_hours: float = Field(default=12.0, gt=0, description="how long a sign-in lasts")
    studio_sign_in_link_minutes: float = Field(
        default=15.0, gt=0, description="how long a sign-in link works"
    )
    studio_sign_in_links_per_hour: int = Field(
        default=5, ge=1, description="sign-in links one person may be sent in an hour"
    )
    # A plain string, as the other services read the same variable; only its digits are kept.
    artist_whatsapp_number: str = Field(
        default="447700900000", description="first start only: the artist, the studio's first person"
    )
    artist_name: str = Field(default="Artist", min_length=1, max_length=100, description="first start only")
    conversation_api_url: str = Field(default="http://127.0.0.1:8001", description="the conversation service")
    conversation_admin_token: SecretStr = SecretStr(SANDBOX_CONVERSATION_TOKEN)
    calendar_api_url: str = Field(default="http://127.0.0.1:8003", description="the calendar service")
    calendar_admin_token: SecretStr = SecretStr(SANDBOX_CALENDAR_TOKEN)
    campaigns_api_url: str = Field(default="http://127.0.0.1:8004", description="the campaigns service")
    campaigns_admin_token: SecretStr = SecretStr(SANDBOX_CAMPAIGNS_TOKEN)
    payments_api_url: str = Field(default="http://127.0.0.1:8002", description="the payments service")
    payments_admin_token: SecretStr = SecretStr(SANDBOX_PAYMENTS_TOKEN)
    services_timeout_seconds: float = Field(default=5.0, gt=0, description="one call to another service")

    @model_validator(mode="after")
    def _real_secrets_outside_sandbox(self) -> StudioSettings:
        refuse_sandbox_values(
            self,
            {
                "studio_session_secret": SANDBOX_SESSION_SECRET,
                "campaigns_admin_token": SANDBOX_CAMPAIGNS_TOKEN,
                "conversation_admin_token": SANDBOX_CONVERSATION_TOKEN,
                "calendar_admin_token": SANDBOX_CALENDAR_TOKEN,
                "payments_admin_token": SANDBOX_PAYMENTS_TOKEN,
            },
            strong={
                "studio_session_secret",
                "campaigns_admin_token",
                "conversation_admin_token",
                "calendar_admin_token",
                "payments_admin_token",
            },
        )
        return self

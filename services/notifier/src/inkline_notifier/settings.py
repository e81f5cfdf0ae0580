"""Notifier service configuration (environment variables, `.env`)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator

from inkline_contracts.languages import TEMPLATE_LANGUAGE_CODES
from inkline_platform.settings import ServiceSettings, refuse_sandbox_values, require_hub_settings

SANDBOX_ACCESS_TOKEN = "sandbox-access-token"  # noqa: S105 - accepted only by the sandbox hub


class TemplateRef(BaseModel):
    """An approved utility template whose single body parameter carries the original text."""

    name: str = Field(min_length=1)
    language: str = "en"
    translations: list[str] = Field(
        default_factory=lambda: sorted(TEMPLATE_LANGUAGE_CODES.values()),
        description="Meta codes of the translations approved in WhatsApp Manager; a reader of another "
        "language gets `language`",
    )


# Purposes whose free-form text may need to reach a contact outside the 24 h window. Each maps to a utility
# template approved in WhatsApp Manager with one body variable ({{1}}).
DEFAULT_FALLBACK_TEMPLATES: dict[str, TemplateRef] = {
    "consult_question": TemplateRef(name="inkline_consult_followup"),
    "slot_choice": TemplateRef(name="inkline_slot_options"),
    "deposit_link": TemplateRef(name="inkline_deposit_link"),
    "booking_confirmed": TemplateRef(name="inkline_booking_confirmed"),
    "artist_lead_summary": TemplateRef(name="inkline_artist_lead_summary"),
    "handover_alert": TemplateRef(name="inkline_artist_alert"),
    "artist_alert": TemplateRef(name="inkline_artist_alert"),
}


class NotifierSettings(ServiceSettings):
    http_port: int = 8005
    whatsapp_graph_url: str = "https://graph.facebook.com/v21.0"
    whatsapp_phone_number_id: str = "106540352242922"
    whatsapp_access_token: SecretStr = SecretStr(SANDBOX_ACCESS_TOKEN)
    whatsapp_timeout_seconds: float = Field(default=10.0, gt=0)
    whatsapp_messages_per_second: float = Field(
        default=80.0, gt=0, le=1000, description="token bucket per sending number (Meta's default is 80)"
    )
    whatsapp_marketing_share: float = Field(
        default=0.25,
        gt=0,
        le=1,
        description="share of that rate marketing may use while a reply waits for a token",
    )
    whatsapp_fallback_templates: dict[str, TemplateRef] = Field(
        default_factory=lambda: dict(DEFAULT_FALLBACK_TEMPLATES),
        description="purpose -> utility template used outside the 24 h window (JSON in the environment)",
    )
    whatsapp_default_fallback_template: TemplateRef | None = Field(
        default_factory=lambda: TemplateRef(name="inkline_update"),
        description="template for purposes without their own; null makes such sends fail outside_window",
    )
    send_poll_seconds: float = Field(
        default=1.0, gt=0, description="safety-net poll: a queued message wakes its sender at once"
    )
    send_batch_size: int = Field(default=16, ge=1, le=1000)
    send_max_attempts: int = Field(
        default=4, ge=1, description="tries of a 5xx/network error before giving up"
    )
    send_unconfirmed_grace_seconds: float = Field(
        default=60.0,
        gt=0,
        description="after a send whose answer never came, how long to wait for Meta's status callback "
        "before sending it once more (the only duplicate a person can get)",
    )
    send_retry_base_seconds: float = Field(default=0.5, ge=0)
    send_throttle_base_seconds: float = Field(default=2.0, ge=0, description="first wait after 130429/131056")
    send_throttle_max_seconds: float = Field(default=300.0, ge=0)

    artist_whatsapp_number: str = "447700900000"
    artist_timezone: str = Field(
        default="Europe/London",
        description="IANA zone of the artist's sheet and alerts (a session abroad: its own)",
    )
    google_service_account_file: str | None = None
    google_api_endpoint: str | None = None
    sheets_spreadsheet_id: str = Field(default="", description="empty disables Google Sheets logging")
    sheets_flush_seconds: float = Field(
        default=5.0, gt=0, description="rows are coalesced and written at most once per flush"
    )
    sheets_quota_backoff_seconds: float = Field(
        default=5.0, gt=0, description="first wait after a Sheets quota error; doubles up to five minutes"
    )

    @model_validator(mode="after")
    def _real_secrets_outside_sandbox(self) -> NotifierSettings:
        refuse_sandbox_values(self, {"whatsapp_access_token": SANDBOX_ACCESS_TOKEN})
        sheets = ["google_api_endpoint", "google_service_account_file"] if self.sheets_enabled else []
        require_hub_settings(self, ["whatsapp_graph_url", *sheets])
        if self.sheets_enabled and not self.google_service_account_file:
            raise ValueError("SHEETS_SPREADSHEET_ID needs GOOGLE_SERVICE_ACCOUNT_FILE")
        return self

    @field_validator("artist_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"ARTIST_TIMEZONE {value!r} is not an IANA time zone, e.g. Europe/London"
            ) from None
        return value

    @property
    def sheets_enabled(self) -> bool:
        return bool(self.sheets_spreadsheet_id)

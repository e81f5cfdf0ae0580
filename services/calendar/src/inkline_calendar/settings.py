"""Calendar service configuration (environment variables, `.env`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, model_validator

from inkline_platform.settings import ServiceSettings, refuse_sandbox_values, require_hub_settings

SANDBOX_ADMIN_TOKEN = "sandbox-calendar-admin-token"  # noqa: S105 - refused outside sandbox
EXAMPLE_SEED = Path(__file__).parent / "domain" / "data" / "availability.example.yaml"


class CalendarSettings(ServiceSettings):
    http_port: int = 8003
    google_service_account_file: str | None = None
    google_calendar_id: str = "primary"
    google_api_endpoint: str | None = Field(default=None, description="overrides https://www.googleapis.com")
    google_timeout_seconds: float = Field(default=10.0, gt=0, description="one Calendar API call, at most")
    hold_ttl_minutes: int = Field(default=45, ge=1)
    hold_sweep_seconds: float = Field(default=15.0, gt=0, description="how often lapsed holds are expired")
    calendar_admin_token: SecretStr = SecretStr(SANDBOX_ADMIN_TOKEN)
    availability_seed_file: Path = Field(
        default=EXAMPLE_SEED, description="YAML rules loaded when the database has none yet"
    )
    calendar_sync_seconds: float = Field(default=2.0, gt=0, description="poll of the event write queue")
    calendar_retry_base_seconds: float = Field(default=5.0, gt=0)
    calendar_retry_max_seconds: float = Field(default=900.0, gt=0)
    calendar_max_attempts: int = Field(default=8, ge=1, description="before calendar.event_failed")

    @model_validator(mode="after")
    def _real_secrets_outside_sandbox(self) -> CalendarSettings:
        refuse_sandbox_values(
            self,
            {"calendar_admin_token": SANDBOX_ADMIN_TOKEN},
            strong={"calendar_admin_token"},
            required={"google_service_account_file"},
        )
        require_hub_settings(self, ["google_api_endpoint", "google_service_account_file"])
        return self

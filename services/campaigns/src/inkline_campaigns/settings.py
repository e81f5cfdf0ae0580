"""Campaigns service configuration (environment variables, `.env`)."""

from __future__ import annotations

from datetime import time
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator

from inkline_platform.settings import ServiceSettings, refuse_sandbox_values

SANDBOX_ADMIN_TOKEN = "sandbox-admin-token"  # noqa: S105 - refused outside sandbox


class ConsentRule(StrEnum):
    """Who may receive marketing. Meta requires an opt-in, so the strict rule is the default."""

    EXPLICIT_OPT_IN = "explicit_opt_in"
    """Only contacts who sent START (lead.opted_in) and have not opted out since."""
    WROTE_AND_NEVER_OPTED_OUT = "wrote_and_never_opted_out"
    """Also contacts who wrote to the artist themselves and never opted out."""


class CampaignsSettings(ServiceSettings):
    http_port: int = 8004
    campaigns_admin_token: SecretStr = SecretStr(SANDBOX_ADMIN_TOKEN)

    campaigns_consent_rule: ConsentRule = ConsentRule.EXPLICIT_OPT_IN
    campaigns_frequency_cap_days: float = Field(
        default=7.0, gt=0, description="at most one marketing message per contact in this many days"
    )
    campaigns_quiet_hours_start: time = Field(default=time(21, 0), description="contact's local time")
    campaigns_quiet_hours_end: time = Field(default=time(9, 0), description="contact's local time")
    campaigns_default_timezone: str = Field(
        default="Europe/London", description="for contacts whose country is unknown"
    )
    campaigns_send_rate_per_second: float = Field(
        default=80.0,
        gt=0,
        description="notify.send hand-off rate: Meta's per-number limit, since campaigns travel in their own lane",
    )
    campaigns_dispatch_interval_seconds: float = Field(default=1.0, gt=0)
    campaigns_attribution_window_days: float = Field(default=7.0, gt=0)
    campaigns_metrics_interval_seconds: float = Field(default=30.0, gt=0)
    campaigns_sequence_interval_seconds: float = Field(default=30.0, gt=0)
    last_minute_offer_limit: int = Field(
        default=5, ge=0, description="waitlisted contacts offered one freed slot, longest-waiting first"
    )
    last_minute_min_notice_hours: float = Field(
        default=12.0, ge=0, description="a freed slot closer than this is not offered (nor sent later)"
    )
    artist_timezone: str = Field(
        default="Europe/London", description="the artist's clock, for the date and time in offers"
    )

    @field_validator("artist_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone, e.g. Europe/London") from None
        return value

    @model_validator(mode="after")
    def _real_secrets_outside_sandbox(self) -> CampaignsSettings:
        refuse_sandbox_values(
            self, {"campaigns_admin_token": SANDBOX_ADMIN_TOKEN}, strong={"campaigns_admin_token"}
        )
        return self

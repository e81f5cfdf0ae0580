"""What the hub needs to know: where the services listen, and the sandbox credentials they accept.

The credentials default to the values the services accept when `INKLINE_SANDBOX=1` and no secret is set,
and are read from the same environment variables, so a `.env` that changes one changes both sides.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# Well-known sandbox values, not secrets: each service refuses them outside the sandbox.
SANDBOX_APP_SECRET = "sandbox-app-secret"  # noqa: S105
SANDBOX_ACCESS_TOKEN = "sandbox-access-token"  # noqa: S105
SANDBOX_STRIPE_KEY = "sk_test_sandbox"
SANDBOX_WEBHOOK_SECRET = "whsec_sandbox"  # noqa: S105
SANDBOX_SPREADSHEET_ID = "inkline-sandbox-leads"
GRAPH_VERSION = "v21.0"


@dataclass(frozen=True)
class HubConfig:
    conversation_url: str
    payments_url: str
    data_dir: Path
    artist_number: str = "447700900000"
    # The business number clients write to: the page's "Back to WhatsApp" links point at it.
    business_number: str = "15550001234"
    app_secret: str = SANDBOX_APP_SECRET
    graph_access_token: str = SANDBOX_ACCESS_TOKEN
    stripe_api_key: str = SANDBOX_STRIPE_KEY
    stripe_webhook_secret: str = SANDBOX_WEBHOOK_SECRET
    calendar_id: str = "primary"
    spreadsheet_id: str = SANDBOX_SPREADSHEET_ID
    status_interval_seconds: float = 0.5

    @classmethod
    def from_environment(
        cls, *, conversation_url: str, payments_url: str, data_dir: Path, env: Mapping[str, str] | None = None
    ) -> HubConfig:
        values = os.environ if env is None else env
        return cls(
            conversation_url=conversation_url.rstrip("/"),
            payments_url=payments_url.rstrip("/"),
            data_dir=data_dir,
            artist_number=values.get("ARTIST_WHATSAPP_NUMBER") or cls.artist_number,
            business_number=values.get("WHATSAPP_DISPLAY_PHONE_NUMBER") or cls.business_number,
            app_secret=values.get("WHATSAPP_APP_SECRET") or SANDBOX_APP_SECRET,
            graph_access_token=values.get("WHATSAPP_ACCESS_TOKEN") or SANDBOX_ACCESS_TOKEN,
            stripe_api_key=values.get("STRIPE_API_KEY") or SANDBOX_STRIPE_KEY,
            stripe_webhook_secret=values.get("STRIPE_WEBHOOK_SECRET") or SANDBOX_WEBHOOK_SECRET,
            calendar_id=values.get("GOOGLE_CALENDAR_ID") or cls.calendar_id,
            spreadsheet_id=values.get("SHEETS_SPREADSHEET_ID") or SANDBOX_SPREADSHEET_ID,
        )

    @property
    def whatsapp_webhook_url(self) -> str:
        return f"{self.conversation_url}/webhooks/whatsapp"

    @property
    def stripe_webhook_url(self) -> str:
        return f"{self.payments_url}/webhooks/stripe"

    @property
    def service_account_file(self) -> Path:
        return self.data_dir / "service-account.json"


def provider_environment(hub_url: str, config: HubConfig) -> dict[str, str]:
    """The variables that point the services' real adapters at a hub serving at `hub_url`."""
    return {
        "WHATSAPP_GRAPH_URL": f"{hub_url}/graph/{GRAPH_VERSION}",
        "STRIPE_API_BASE": f"{hub_url}/stripe",
        "GOOGLE_API_ENDPOINT": f"{hub_url}/google",
        "GOOGLE_SERVICE_ACCOUNT_FILE": str(config.service_account_file),
        "SHEETS_SPREADSHEET_ID": config.spreadsheet_id,
        "WHATSAPP_DISPLAY_PHONE_NUMBER": config.business_number,
    }
